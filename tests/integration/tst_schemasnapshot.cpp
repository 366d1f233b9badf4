// The schema model read from real databases: a SQLite file made by the sqlite3 library and a
// throwaway PostgreSQL of each installed version from 15 up (17 and 15 on a machine set up by
// scripts/setup.sh), each with one of every kind of object; then a change made by hand on
// each, and the diff naming exactly that change.
#include "db/connection.h"
#include "db/sqlurl.h"
#include "schema/schemasnapshot.h"
#include "testsupport.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace retort::core;
using namespace testsupport;

class tst_SchemaSnapshot : public QObject
{
    Q_OBJECT
private slots:
    void sqlite();
    void sqliteDiff();
    void postgres_data() { addServerRows(); }
    void postgres();
    void postgresDiff_data() { addServerRows(); }
    void postgresDiff();
    void diffText();

private:
    static void addServerRows();
    static bool execAll(const QString &url, const QStringList &statements, QString *error);
    static QString serverText(const QString &url, const QString &sql);
};

// One row per installed PostgreSQL server, newest first; older than 15 only when it is the only one.
void tst_SchemaSnapshot::addServerRows()
{
    QTest::addColumn<QString>("binDir");
    const QStringList dirs = PostgresServer::serverBinDirs();
    for (int i = 0; i < dirs.size(); ++i)
        if (i == 0 || PostgresServer::majorVersionOf(dirs[i]) >= 15)
            QTest::newRow(qPrintable(QStringLiteral("pg%1").arg(PostgresServer::majorVersionOf(dirs[i])))) << dirs[i];
}

// The server's own text for a one-value query.
QString tst_SchemaSnapshot::serverText(const QString &url, const QString &sql)
{
    auto u = SqlUrl::parse(url);
    auto c = ScopedConnection::open(*u, QString(), {}, 5, false);
    if (!c)
        return c.error().message;
    QSqlQuery q(c->database());
    if (!q.exec(sql) || !q.next())
        return q.lastError().text();
    return q.value(0).toString();
}

bool tst_SchemaSnapshot::execAll(const QString &url, const QStringList &statements, QString *error)
{
    auto u = SqlUrl::parse(url);
    auto c = ScopedConnection::open(*u, QString(), {}, 5, false);
    if (!c) {
        *error = c.error().message;
        return false;
    }
    for (const QString &s : statements) {
        QSqlQuery q(c->database());
        if (!q.exec(s)) {
            *error = s + QStringLiteral(": ") + q.lastError().text();
            return false;
        }
    }
    return true;
}

static const QStringList kSqliteSchema = {
    QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"),
    QStringLiteral("CREATE TABLE customers (id INTEGER NOT NULL PRIMARY KEY, email VARCHAR(120) NOT NULL UNIQUE, "
                   "points INTEGER DEFAULT '0' NOT NULL, note TEXT, CONSTRAINT ck_points CHECK (points >= 0 AND note <> 'CHECK (x)'))"),
    QStringLiteral("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE, "
                   "total NUMERIC(10, 2), total2 NUMERIC GENERATED ALWAYS AS (total * 2) STORED)"),
    QStringLiteral("CREATE INDEX ix_orders_customer ON orders (customer_id)"),
    QStringLiteral("CREATE UNIQUE INDEX ix_orders_big ON orders (customer_id, total DESC) WHERE total > 100"),
    QStringLiteral("CREATE INDEX ix_customers_lower ON customers (lower(email))"),
    QStringLiteral("CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100"),
    QStringLiteral("CREATE TRIGGER trg_orders AFTER INSERT ON orders BEGIN UPDATE customers SET points = points + 1 WHERE id = NEW.customer_id; END"),
};

void tst_SchemaSnapshot::sqlite()
{
    QTemporaryDir tmp;
    const QString url = QStringLiteral("sqlite:///") + tmp.filePath(QStringLiteral("s.db"));
    QString error;
    QVERIFY2(execAll(url, kSqliteSchema, &error), qPrintable(error));
    auto snap = SchemaSnapshot::read(url, QString(), {});
    QVERIFY2(snap, snap ? "" : qPrintable(snap.error().message));
    QCOMPARE(snap->dialect, QStringLiteral("sqlite"));
    // The version table is not part of the schema.
    QCOMPARE(snap->tables.size(), 2);
    QVERIFY(!snap->table({}, QStringLiteral("alembic_version")));
    const SchemaTable *customers = snap->table({}, QStringLiteral("customers"));
    QVERIFY(customers);
    QCOMPARE(customers->columns.size(), 4);
    QCOMPARE(customers->columns[1].name, QStringLiteral("email"));
    QCOMPARE(customers->columns[1].type, QStringLiteral("VARCHAR(120)"));
    QVERIFY(!customers->columns[1].nullable);
    QCOMPARE(customers->columns[2].defaultValue, QStringLiteral("'0'"));
    QVERIFY(customers->columns[3].nullable);
    QStringList constraints;
    for (const SchemaConstraint &c : customers->constraints)
        constraints << c.key();
    // The CHECK text inside a string literal is not a second constraint.
    QCOMPARE(constraints, (QStringList{QStringLiteral("ck_points"), QStringLiteral("primary key"), QStringLiteral("unique (email)")}));
    QCOMPARE(customers->constraints[0].definition, QStringLiteral("CHECK (points >= 0 AND note <> 'CHECK (x)')"));
    QCOMPARE(customers->indexes.size(), 1);
    QCOMPARE(customers->indexes[0].columns, QStringList{QStringLiteral("lower(email)")});

    const SchemaTable *orders = snap->table({}, QStringLiteral("orders"));
    QVERIFY(orders);
    QCOMPARE(orders->columns.last().generated, QStringLiteral("stored"));
    QCOMPARE(orders->indexes.size(), 2);
    QCOMPARE(orders->indexes[0].name, QStringLiteral("ix_orders_big"));
    QVERIFY(orders->indexes[0].unique);
    QCOMPARE(orders->indexes[0].columns, (QStringList{QStringLiteral("customer_id"), QStringLiteral("total DESC")}));
    QCOMPARE(orders->indexes[0].predicate, QStringLiteral("total > 100"));
    const auto fk = std::find_if(orders->constraints.begin(), orders->constraints.end(),
                                 [](const SchemaConstraint &c) { return c.kind == SchemaConstraint::Kind::ForeignKey; });
    QVERIFY(fk != orders->constraints.end());
    QCOMPARE(fk->columns, QStringList{QStringLiteral("customer_id")});
    QCOMPARE(fk->definition, QStringLiteral("REFERENCES customers(id) ON DELETE CASCADE"));
    QCOMPARE(orders->triggers.size(), 1);
    QCOMPARE(snap->views.size(), 1);
    QCOMPARE(snap->views[0].name, QStringLiteral("big_orders"));

    // Read twice: equal. A file that does not exist: an empty schema, and no file created.
    auto again = SchemaSnapshot::read(url, QString(), {});
    QVERIFY(again && *again == *snap);
    const QString missing = tmp.filePath(QStringLiteral("missing.db"));
    auto empty = SchemaSnapshot::read(QStringLiteral("sqlite:///") + missing, QString(), {});
    QVERIFY(empty && empty->isEmpty());
    QVERIFY(!QFile::exists(missing));
}

void tst_SchemaSnapshot::sqliteDiff()
{
    QTemporaryDir tmp;
    const QString url = QStringLiteral("sqlite:///") + tmp.filePath(QStringLiteral("s.db"));
    QString error;
    QVERIFY2(execAll(url, kSqliteSchema, &error), qPrintable(error));
    auto before = SchemaSnapshot::read(url, QString(), {});
    QVERIFY(before);
    QVERIFY(diffSchemas(*before, *before).isEmpty());
    QVERIFY2(execAll(url, {QStringLiteral("ALTER TABLE customers ADD COLUMN nickname VARCHAR(40)"),
                           QStringLiteral("DROP INDEX ix_orders_customer"),
                           QStringLiteral("CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT NOT NULL)"),
                           QStringLiteral("UPDATE alembic_version SET version_num = 'x'")},
                     &error),
             qPrintable(error));
    auto after = SchemaSnapshot::read(url, QString(), {});
    QVERIFY(after);
    const QString text = renderChanges(diffSchemas(*before, *after));
    QCOMPARE(text, QStringLiteral("+ table audit (id INTEGER, what TEXT not null)\n"
                                  "+ column customers.nickname VARCHAR(40)\n"
                                  "- index ix_orders_customer on orders (customer_id)\n"));
    // The other way round, everything flips.
    QCOMPARE(renderChanges(diffSchemas(*after, *before)),
             QStringLiteral("- table audit (id INTEGER, what TEXT not null)\n"
                            "- column customers.nickname VARCHAR(40)\n"
                            "+ index ix_orders_customer on orders (customer_id)\n"));
}

static const QStringList kPgSchema = {
    QStringLiteral("CREATE SCHEMA sales"),
    QStringLiteral("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')"),
    QStringLiteral("CREATE DOMAIN posint AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0)"),
    QStringLiteral("CREATE TABLE alembic_version (version_num varchar(32) NOT NULL CONSTRAINT alembic_version_pkc PRIMARY KEY)"),
    QStringLiteral("CREATE TABLE employees (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(120) NOT NULL, "
                   "password_hash text, feeling mood DEFAULT 'ok', n posint, doubled integer GENERATED ALWAYS AS (id * 2) STORED, "
                   "name text COLLATE \"C\", CONSTRAINT uq_employees_email UNIQUE (email), CONSTRAINT ck_email CHECK (email <> ''))"),
    QStringLiteral("CREATE TABLE sales.orders (id serial PRIMARY KEY, employee_id integer REFERENCES employees(id) ON DELETE SET NULL, "
                   "total numeric(10,2), during box, EXCLUDE USING gist (during WITH &&))"),
    QStringLiteral("CREATE INDEX ix_orders_total ON sales.orders (total) WHERE total > 100"),
    QStringLiteral("CREATE INDEX ix_employees_lower ON employees USING hash (lower(email))"),
    QStringLiteral("CREATE VIEW sales.big AS SELECT id, total FROM sales.orders WHERE total > 100"),
    QStringLiteral("CREATE MATERIALIZED VIEW totals AS SELECT employee_id, sum(total) AS s FROM sales.orders GROUP BY employee_id"),
    QStringLiteral("CREATE SEQUENCE invoice_no START 1000 INCREMENT 10"),
    QStringLiteral("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$"),
    QStringLiteral("CREATE TRIGGER trg_touch BEFORE UPDATE ON employees FOR EACH ROW EXECUTE FUNCTION touch()"),
};

void tst_SchemaSnapshot::postgres()
{
    QFETCH(QString, binDir);
    PostgresServer pg(binDir);
    QVERIFY2(pg.isRunning(), qPrintable(pg.error()));
    QVERIFY(pg.psql(QStringLiteral("CREATE DATABASE shop")).exitCode == 0);
    const QString url = pg.url(QStringLiteral("shop"));
    QString error;
    QVERIFY2(execAll(url, kPgSchema, &error), qPrintable(error));
    auto snap = SchemaSnapshot::read(url, QString(), {});
    QVERIFY2(snap, snap ? "" : qPrintable(snap.error().message + QLatin1Char('\n') + snap.error().detail));
    QCOMPARE(snap->dialect, QStringLiteral("postgresql"));
    QCOMPARE(snap->schemas, (QStringList{QStringLiteral("public"), QStringLiteral("sales")}));
    QCOMPARE(snap->tables.size(), 2);
    const SchemaTable *emp = snap->table(QStringLiteral("public"), QStringLiteral("employees"));
    QVERIFY(emp);
    QCOMPARE(emp->columns.size(), 7);
    QCOMPARE(emp->columns[0].identity, QStringLiteral("always"));
    QCOMPARE(emp->columns[1].type, QStringLiteral("character varying(120)"));
    QVERIFY(!emp->columns[1].nullable);
    QCOMPARE(emp->columns[3].type, QStringLiteral("mood"));
    QCOMPARE(emp->columns[3].defaultValue, QStringLiteral("'ok'::mood"));
    QCOMPARE(emp->columns[5].generated, QStringLiteral("id * 2 stored"));
    QCOMPARE(emp->columns[6].collation, QStringLiteral("C"));
    QStringList keys;
    for (const SchemaConstraint &c : emp->constraints)
        keys << c.key();
    QCOMPARE(keys, (QStringList{QStringLiteral("ck_email"), QStringLiteral("employees_pkey"), QStringLiteral("uq_employees_email")}));
    QCOMPARE(emp->constraints[0].definition, QStringLiteral("CHECK (email::text <> ''::text)"));
    QCOMPARE(emp->constraints[2].columns, QStringList{QStringLiteral("email")});
    // Indexes that back constraints are the constraints; the others are listed.
    QCOMPARE(emp->indexes.size(), 1);
    QCOMPARE(emp->indexes[0].method, QStringLiteral("hash"));
    QCOMPARE(emp->indexes[0].columns, QStringList{QStringLiteral("lower(email::text)")});
    QCOMPARE(emp->triggers.size(), 1);
    QVERIFY(emp->triggers[0].definition.startsWith(QStringLiteral("CREATE TRIGGER trg_touch BEFORE UPDATE ON employees")));

    const SchemaTable *orders = snap->table(QStringLiteral("sales"), QStringLiteral("orders"));
    QVERIFY(orders);
    QCOMPARE(orders->columns[0].defaultValue, QStringLiteral("nextval('sales.orders_id_seq'::regclass)"));
    bool fk = false, exclusion = false;
    for (const SchemaConstraint &c : orders->constraints) {
        if (c.kind == SchemaConstraint::Kind::ForeignKey) {
            fk = true;
            QCOMPARE(c.columns, QStringList{QStringLiteral("employee_id")});
            QCOMPARE(c.definition, QStringLiteral("REFERENCES employees(id) ON DELETE SET NULL"));
        }
        exclusion |= c.kind == SchemaConstraint::Kind::Exclusion;
    }
    QVERIFY(fk && exclusion);
    QCOMPARE(orders->indexes.size(), 1);
    QCOMPARE(orders->indexes[0].predicate, QStringLiteral("total > 100::numeric"));

    QCOMPARE(snap->views.size(), 2);
    QCOMPARE(snap->views[0].name, QStringLiteral("totals"));
    QVERIFY(snap->views[0].materialized);
    QCOMPARE(snap->views[1].schema, QStringLiteral("sales"));
    // The server's own text (PostgreSQL 16 stopped qualifying the columns of a one-table view:
    // "WHERE orders.total > 100" on 15, "WHERE total > 100" on 17).
    QVERIFY(snap->views[1].definition.contains(QStringLiteral("total > 100")));
    QCOMPARE(snap->views[1].definition,
             serverText(url, QStringLiteral("SELECT pg_catalog.pg_get_viewdef('sales.big'::regclass, true)")).trimmed());
    QCOMPARE(snap->views[0].definition,
             serverText(url, QStringLiteral("SELECT pg_catalog.pg_get_viewdef('totals'::regclass, true)")).trimmed());
    QStringList seqs;
    for (const SchemaSequence &s : snap->sequences)
        seqs << s.name + QLatin1Char(':') + s.ownedBy;
    QCOMPARE(seqs, (QStringList{QStringLiteral("employees_id_seq:employees.id"), QStringLiteral("invoice_no:"),
                                QStringLiteral("orders_id_seq:orders.id")}));
    QCOMPARE(snap->sequences[1].start, 1000);
    QCOMPARE(snap->sequences[1].increment, 10);
    QCOMPARE(snap->enums.size(), 1);
    QCOMPARE(snap->enums[0].labels, (QStringList{QStringLiteral("sad"), QStringLiteral("ok"), QStringLiteral("happy")}));
    QCOMPARE(snap->domains.size(), 1);
    QVERIFY(!snap->domains[0].nullable);
    QCOMPARE(snap->domains[0].checks, QStringList{QStringLiteral("CHECK (VALUE > 0)")});
}

void tst_SchemaSnapshot::postgresDiff()
{
    QFETCH(QString, binDir);
    PostgresServer pg(binDir);
    QVERIFY2(pg.isRunning(), qPrintable(pg.error()));
    QVERIFY(pg.psql(QStringLiteral("CREATE DATABASE shop")).exitCode == 0);
    const QString url = pg.url(QStringLiteral("shop"));
    QString error;
    QVERIFY2(execAll(url, kPgSchema, &error), qPrintable(error));
    auto before = SchemaSnapshot::read(url, QString(), {});
    QVERIFY(before);
    QVERIFY2(execAll(url, {QStringLiteral("UPDATE employees SET password_hash = 'x'"),
                           QStringLiteral("ALTER TABLE employees ALTER COLUMN password_hash SET NOT NULL"),
                           QStringLiteral("ALTER TABLE employees ALTER COLUMN feeling DROP DEFAULT"),
                           QStringLiteral("ALTER TYPE mood ADD VALUE 'great'"),
                           QStringLiteral("ALTER TABLE sales.orders DROP CONSTRAINT orders_employee_id_fkey"),
                           QStringLiteral("CREATE INDEX ix_orders_emp ON sales.orders (employee_id)")},
                     &error),
             qPrintable(error));
    auto after = SchemaSnapshot::read(url, QString(), {});
    QVERIFY(after);
    QCOMPARE(renderChanges(diffSchemas(*before, *after)),
             QStringLiteral("~ enum mood labels: sad, ok, happy → sad, ok, happy, great\n"
                            "~ column employees.feeling default: 'ok'::mood → (none)\n"
                            "~ column employees.password_hash: nullable → not null\n"
                            "- constraint orders_employee_id_fkey on sales.orders (employee_id) REFERENCES employees(id) ON DELETE SET NULL\n"
                            "+ index ix_orders_emp on sales.orders (employee_id)\n"));
}

void tst_SchemaSnapshot::diffText()
{
    // Column order is part of a table: a dropped and re-added column moves to the end.
    SchemaSnapshot a;
    SchemaTable t;
    t.schema = QStringLiteral("public");
    t.name = QStringLiteral("t");
    t.columns = {{QStringLiteral("a"), QStringLiteral("integer")}, {QStringLiteral("b"), QStringLiteral("integer")}};
    a.tables = {t};
    SchemaSnapshot b = a;
    std::swap(b.tables[0].columns[0], b.tables[0].columns[1]);
    QCOMPARE(renderChanges(diffSchemas(a, b)), QStringLiteral("~ table t column order: a, b → b, a\n"));
    const QList<SchemaChange> changes = diffSchemas(a, b);
    QCOMPARE(SchemaChange::fromJson(changes[0].toJson()), changes[0]);
}

QTEST_GUILESS_MAIN(tst_SchemaSnapshot)
#include "tst_schemasnapshot.moc"
