// `retort describe --create` on PostgreSQL and SQLite: the stated DDL, run in an empty
// database, gives back the same structure (psql's \d of every relation compared, and
// Retort's SQLite \d).
#include "cli/commands.h"
#include "inspect/inspector.h"
#include "testsupport.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace retort::core;
using namespace testsupport;

class tst_CreateStatements : public QObject
{
    Q_OBJECT
private slots:
    void postgresRoundTrip();
    void sqliteRoundTrip();
    void unknownNameIsPsqlsMessage();
};

void tst_CreateStatements::postgresRoundTrip()
{
    PostgresServer pg;
    QVERIFY2(pg.isRunning(), qPrintable(pg.error()));
    QCOMPARE(pg.psql(QStringLiteral("CREATE DATABASE original")).exitCode, 0);
    QCOMPARE(pg.psql(QStringLiteral("CREATE DATABASE copy")).exitCode, 0);
    QFile sql(QStringLiteral(RETORT_TEST_DATA "/create/postgres.sql"));
    QVERIFY(sql.open(QIODevice::ReadOnly));
    const QString schema = QString::fromUtf8(sql.readAll());
    RunResult r = pg.psql(schema, QStringLiteral("original"));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));

    const CommandOutput out = CommandLine::run({QStringLiteral("describe"), QStringLiteral("--create"), QStringLiteral("*"),
                                                QStringLiteral("--url"), pg.url(QStringLiteral("original"))},
                                               QDir::tempPath());
    QVERIFY2(out.exitCode == 0, out.err.c_str());
    const QString ddl = QString::fromStdString(out.out);
    QVERIFY(ddl.contains(QStringLiteral("CREATE TABLE public.a_customers (\n    id integer GENERATED ALWAYS AS IDENTITY NOT NULL,")));
    QVERIFY(ddl.contains(QStringLiteral("CREATE UNLOGGED TABLE public.c_scratch")));
    QVERIFY(ddl.contains(QStringLiteral("CREATE TABLE public.d_events_2020 PARTITION OF public.d_events FOR VALUES FROM")));
    // The trigger function is not a relation: the copy gets it first, then only Retort's text.
    r = pg.psql(schema.section(QStringLiteral("\n\n"), 0, 0), QStringLiteral("copy"));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = pg.psql(ddl, QStringLiteral("copy"));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + QStringLiteral("\n") + ddl));

    for (const char *name : {"a_customers", "b_orders", "b_orders_id_seq", "c_scratch", "d_events", "d_events_2020",
                             "e_invoice_numbers", "f_active", "ix_customers_name", "uq_customers_email"}) {
        const QString cmd = QStringLiteral("\\d+ ") + QString::fromLatin1(name);
        const RunResult a = pg.psql(cmd, QStringLiteral("original"));
        const RunResult b = pg.psql(cmd, QStringLiteral("copy"));
        QCOMPARE(a.exitCode, 0);
        QVERIFY2(!a.out.isEmpty(), name);
        QCOMPARE(b.out, a.out);
    }
}

void tst_CreateStatements::sqliteRoundTrip()
{
    QTemporaryDir tmp;
    const QString original = tmp.filePath(QStringLiteral("original.db"));
    const QString copy = tmp.filePath(QStringLiteral("copy.db"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("make"));
        db.setDatabaseName(original);
        QVERIFY(db.open());
        for (const char *stmt : {
                 "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, "
                 "balance NUMERIC DEFAULT 0 CHECK (balance >= 0))",
                 "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE)",
                 "CREATE INDEX ix_orders_customer ON orders (customer_id) WHERE customer_id IS NOT NULL",
                 "CREATE TRIGGER trg_orders AFTER INSERT ON orders BEGIN UPDATE customers SET balance = balance + 1 "
                 "WHERE id = NEW.customer_id; END",
                 "CREATE VIEW rich AS SELECT id FROM customers WHERE balance > 10"}) {
            QSqlQuery q(db);
            QVERIFY2(q.exec(QString::fromLatin1(stmt)), qPrintable(q.lastError().text()));
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("make"));
    const QString url = QStringLiteral("sqlite:///") + original;
    const CommandOutput out = CommandLine::run({QStringLiteral("describe"), QStringLiteral("--create"), QStringLiteral("*"),
                                                QStringLiteral("--url"), url},
                                               tmp.path());
    QVERIFY2(out.exitCode == 0, out.err.c_str());
    const QString ddl = QString::fromStdString(out.out);
    QVERIFY(ddl.contains(QStringLiteral("CREATE INDEX ix_orders_customer ON orders (customer_id) WHERE customer_id IS NOT NULL;\n")));
    QVERIFY(ddl.contains(QStringLiteral("CREATE TRIGGER trg_orders")));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("copy"));
        db.setDatabaseName(copy);
        QVERIFY(db.open());
        // One statement per call; a trigger's body has semicolons of its own, so split on ";\n".
        for (const QString &stmt : ddl.split(QStringLiteral(";\n"), Qt::SkipEmptyParts)) {
            if (stmt.trimmed().isEmpty())
                continue;
            QSqlQuery q(db);
            QVERIFY2(q.exec(stmt), qPrintable(q.lastError().text() + QStringLiteral(": ") + stmt));
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("copy"));
    auto a = Inspector::connect(url, tmp.path());
    auto b = Inspector::connect(QStringLiteral("sqlite:///") + copy, tmp.path());
    QVERIFY(a && b);
    for (const char *name : {"customers", "orders", "rich"}) {
        auto da = (*a)->run(QStringLiteral("\\d+ ") + QString::fromLatin1(name));
        auto db = (*b)->run(QStringLiteral("\\d+ ") + QString::fromLatin1(name));
        QVERIFY(da && db);
        QCOMPARE(*db, *da);
    }
}

void tst_CreateStatements::unknownNameIsPsqlsMessage()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("empty.db"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("empty"));
        db.setDatabaseName(file);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE t (x int)")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("empty"));
    const CommandOutput out = CommandLine::run({QStringLiteral("describe"), QStringLiteral("--create"), QStringLiteral("nope"),
                                                QStringLiteral("--url"), QStringLiteral("sqlite:///") + file},
                                               tmp.path());
    QCOMPARE(out.exitCode, 1);
    QCOMPARE(QString::fromStdString(out.err), QStringLiteral("Did not find any relation named \"nope\".\n"));
}

QTEST_GUILESS_MAIN(tst_CreateStatements)
#include "tst_createstatements.moc"
