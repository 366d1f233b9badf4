// `\d` answers compared character for character with the real psql (the newest installed,
// 17 on a machine set up by scripts/setup.sh), on a throwaway server of every installed
// PostgreSQL version from 15 up (newest first) holding tests/data/describe/schema.sql (and
// schema-17.sql on 17+); and the SQLite layout on the example project after `alembic upgrade head`.
#include "cli/commands.h"
#include "inspect/inspector.h"
#include "inspect/psqltable.h"
#include "testsupport.h"

#include <QTest>

using namespace retort::core;
using namespace testsupport;

class tst_Describe : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void matchesPsql_data();
    void matchesPsql();
    void unknownRelation();
    void otherPsqlCommandsAreRefused();
    void serverGoneIsOneLine();
    void hostileNamesAreData();
    void sqliteExample();
    void sqliteForeignKeyNames();
    void tableLayout();

private:
    struct Server
    {
        std::unique_ptr<PostgresServer> pg;
        std::unique_ptr<Inspector> inspector;
    };
    RunResult psql(const PostgresServer &pg, const QString &command) const;
    // servers[0] is the newest; the tests that are not about versions use it alone.
    std::vector<Server> m_servers;
    PostgresServer *m_pg = nullptr;
    Inspector *m_inspector = nullptr;
};

RunResult tst_Describe::psql(const PostgresServer &pg, const QString &command) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSWORD"), QString::fromLatin1(PostgresServer::Password));
    env.insert(QStringLiteral("PGCLIENTENCODING"), QStringLiteral("UTF8"));
    env.remove(QStringLiteral("PSQLRC"));
    return run(PostgresServer::psqlProgram(),
               {QStringLiteral("-X"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                QString::number(pg.port()), QStringLiteral("-U"), QString::fromLatin1(PostgresServer::User),
                QStringLiteral("-d"), QStringLiteral("shop"), QStringLiteral("-c"), command},
               QDir::tempPath(), env);
}

void tst_Describe::initTestCase()
{
    // The newest server, and each older one psql 17's describe.c and Retort's both cover (15+).
    QStringList binDirs = PostgresServer::serverBinDirs();
    QVERIFY2(!binDirs.isEmpty(), "no PostgreSQL server binaries under /usr/lib/postgresql");
    for (const QString &bin : binDirs) {
        if (!m_servers.empty() && PostgresServer::majorVersionOf(bin) < 15)
            continue;
        Server s;
        s.pg = std::make_unique<PostgresServer>(bin);
        QVERIFY2(s.pg->isRunning(), qPrintable(s.pg->error()));
        QCOMPARE(s.pg->psql(QStringLiteral("CREATE DATABASE shop")).exitCode, 0);
        // A server whose time zone is not Qt's UTC: psql prints timestamptz constants in it.
        QCOMPARE(s.pg->psql(QStringLiteral("ALTER DATABASE shop SET timezone TO 'America/New_York'")).exitCode, 0);
        QStringList files{QStringLiteral("schema.sql")};
        if (s.pg->majorVersion() >= 17)
            files << QStringLiteral("schema-17.sql");
        for (const QString &name : files) {
            QFile sql(QStringLiteral(RETORT_TEST_DATA "/describe/") + name);
            QVERIFY(sql.open(QIODevice::ReadOnly));
            const RunResult r = s.pg->psql(QString::fromUtf8(sql.readAll()), QStringLiteral("shop"));
            QVERIFY2(r.exitCode == 0, qPrintable(name + QLatin1String(": ") + r.err));
        }
        auto inspector = Inspector::connect(s.pg->url(QStringLiteral("shop")), QDir::tempPath());
        QVERIFY2(inspector, inspector ? "" : qPrintable(inspector.error().message));
        s.inspector = std::move(*inspector);
        m_servers.push_back(std::move(s));
    }
    m_pg = m_servers.front().pg.get();
    m_inspector = m_servers.front().inspector.get();
}

void tst_Describe::cleanupTestCase()
{
    m_inspector = nullptr;
    m_pg = nullptr;
    m_servers.clear();
}

void tst_Describe::matchesPsql_data()
{
    QTest::addColumn<int>("server");
    QTest::addColumn<QString>("command");
    const QStringList relations = {
        "customers", "employees", "orders", "order_lines", "audit", "measurements", "measurements_2026",
        "measurements_old", "cities", "capitals", "\"Mixed Case\"", "billing.invoices", "billing.scratch",
        "billing.invoice_numbers", "big_customers", "order_totals", "customers_pkey", "customers_email_key",
        "customers_recent", "orders_note_idx", "measurements_city", "employees_id_seq", "customers_id_seq",
        "orders_pkey", "order_totals_customer", "events", "addresses", "address", "feelings", "sales", "sales_eu",
        "sales_eu_0", "sales_amount", "tickets", "tickets_code_key", "tickets_code_nulls", "plain_counter",
        "billing.scratch_seq", "customers_id_seq", "employees_badge_seq", "events_at_excl", "sales_eu_0_amount_region_idx",
        "stamps", "stamps_due", "oddtext", "sales_us", "cities_abroad"};
    // Only on a 17+ server (schema-17.sql).
    const QStringList relations17 = {"readings", "readings_2026"};
    const QStringList commands = {"\\d", "\\dt", "\\di", "\\dv", "\\dm", "\\ds", "\\dn", "\\dt+", "\\dn+", "\\dt public.*",
                          "\\dt billing.*", "\\d cust*", "\\dt *.inv*", "\\di order*", "\\d measurements*", "\\dti",
                          "\\dn bill*", "\\d CUSTOMERS", "\\d \"Mixed Case\"", "\\ds billing.*", "\\dv big_*",
                          "\\d billing.invoice?", "\\dt shop.public.orders", "\\dt other.public.orders", "\\d a.b.c.d",
                          "\\di+", "\\ds+", "\\dv+", "\\dm+", "\\d sales*", "\\d cust(", "\\dt bill[",
                          "\\d billing.inv(", "\\dv *)", "\\dv nothing*", "\\dm+ billing.*", "\\dE", "\\dE+",
                          "\\d billing.nothing",
                          // psql's reading of the command word and its arguments: S (system objects too) and +
                          // anywhere, letters it ignores, quotes, arguments past the pattern.
                          "\\dS", "\\dnS", "\\dvS", "\\dtS+ pg_catalog.pg_am", "\\d+S customers", "\\dtx",
                          "\\dnt", "\\d customers extra \"a b\"", "\\d 'Mixed Case'", "\\d 'it''s'",
                          "\\dv 'open", "\\dn billing.x", "\\dn \"shop\".\"billing\"",
                          // psql -c runs one backslash command: an unquoted backslash ends it (in the word
                          // too), the rest is ignored; quoted, a backslash is the pattern's.
                          "\\d customers\\dt", "\\d cust\\o", "\\dt\\d", "\\d customers x\\dt y", "\\d cust'\\o'mers",
                          "\\d \"cust\\o\"", "\\dv\\\\",
                          // Domains and extensions (listDomains, listExtensions, listExtensionContents).
                          "\\dD", "\\dD+", "\\dDS pos*", "\\dD billing.*", "\\dD nothing*", "\\dDS", "\\dx", "\\dx+",
                          "\\dx plp*", "\\dx+ plpgsql", "\\dx+ nothing", "\\dx a.b", "\\dxS"};
    for (int i = 0; i < int(m_servers.size()); ++i) {
        const PostgresServer &pg = *m_servers[i].pg;
        const QString server = QStringLiteral("pg%1 ").arg(pg.majorVersion());
        QStringList rels = relations;
        if (pg.majorVersion() >= 17)
            rels += relations17;
        for (const QString &r : rels) {
            QTest::newRow(qPrintable(server + "\\d " + r)) << i << QStringLiteral("\\d ") + r;
            QTest::newRow(qPrintable(server + "\\d+ " + r)) << i << QStringLiteral("\\d+ ") + r;
        }
        for (const QString &c : commands)
            QTest::newRow(qPrintable(server + c)) << i << c;
    }
}

void tst_Describe::matchesPsql()
{
    QFETCH(int, server);
    QFETCH(QString, command);
    const RunResult expected = psql(*m_servers[server].pg, command);
    auto got = m_servers[server].inspector->run(command);
    if (expected.exitCode != 0 || expected.out.isEmpty()) {
        QVERIFY2(!got, qPrintable(QStringLiteral("psql failed (%1) but Retort answered").arg(expected.err)));
        QVERIFY2(expected.err.contains(got.error().message), qPrintable(expected.err + " vs " + got.error().message));
        // The command line answers as psql does: the same line on stderr, the same exit status
        // (1 for \d NAME that finds nothing and for a refused pattern, 0 for a list that finds nothing).
        const auto cli = CommandLine::run({QStringLiteral("describe"), QStringLiteral("--url"),
                                           m_servers[server].pg->url(QStringLiteral("shop")), QStringLiteral("--command"), command});
        QCOMPARE(QString::fromStdString(cli.err), expected.err);
        QCOMPARE(cli.exitCode, expected.exitCode);
        QVERIFY(cli.out.empty());
        return;
    }
    QVERIFY2(got, got ? "" : qPrintable(got.error().message));
    QVERIFY(expected.out.size() > 20); // psql really answered
    if (*got != expected.out)
        QFAIL(qPrintable(QStringLiteral("%1\n--- psql\n%2--- retort\n%3").arg(command, expected.out, *got)));
    if (!expected.err.isEmpty()) {
        // psql answered and warned (extra arguments): the command line warns the same.
        const auto cli = CommandLine::run({QStringLiteral("describe"), QStringLiteral("--url"),
                                           m_servers[server].pg->url(QStringLiteral("shop")), QStringLiteral("--command"), command});
        QCOMPARE(QString::fromStdString(cli.err), expected.err);
        QCOMPARE(cli.exitCode, expected.exitCode);
        QCOMPARE(QString::fromStdString(cli.out), expected.out);
    }
}

void tst_Describe::unknownRelation()
{
    auto r = m_inspector->run(QStringLiteral("\\d nothing_here"));
    QVERIFY(!r);
    QCOMPARE(r.error().message, QStringLiteral("Did not find any relation named \"nothing_here\"."));
    QCOMPARE(psql(*m_pg, QStringLiteral("\\d nothing_here")).err.trimmed(), r.error().message);
    // The command line says the same on stderr, exit status 1, like psql.
    const auto out = CommandLine::run({QStringLiteral("describe"), QStringLiteral("--url"), m_pg->url(QStringLiteral("shop")),
                                       QStringLiteral("nothing_here")});
    QCOMPARE(out.exitCode, 1);
    QCOMPARE(QString::fromStdString(out.err).trimmed(), r.error().message);
}

void tst_Describe::otherPsqlCommandsAreRefused()
{
    // psql's \d-family commands Retort does not answer: one line that names the command and
    // what psql would list, never a relation search for "f" or a silent empty answer.
    for (const auto &[command, what] : {std::pair{"\\df", "functions"}, std::pair{"\\dT+ mood", "data types"},
                                        std::pair{"\\dp customers", "access privileges"}, std::pair{"\\dC", "casts"},
                                        std::pair{"\\dconfig", "configuration parameters"}, std::pair{"\\du", "roles"}}) {
        QVERIFY(psql(*m_pg, QString::fromLatin1(command)).exitCode == 0); // psql knows it
        auto r = m_inspector->run(QString::fromLatin1(command));
        QVERIFY(!r);
        const QString word = QString::fromLatin1(command).section(QLatin1Char(' '), 0, 0);
        QVERIFY2(r.error().message.startsWith(QStringLiteral("Unsupported command: %1 (psql's list of %2). Retort answers ")
                                                  .arg(word, QString::fromLatin1(what))),
                 qPrintable(r.error().message));
        QVERIFY(!r.error().message.contains(QLatin1Char('\n')));
    }
}

void tst_Describe::serverGoneIsOneLine()
{
    // The server stops under an open inspector: one line that says so, without libpq's
    // further tabbed lines or the driver's empty "()" (the schema dock shows it on one line).
    auto pg = std::make_unique<PostgresServer>(m_servers.front().pg->binDir());
    QVERIFY2(pg->isRunning(), qPrintable(pg->error()));
    auto inspector = Inspector::connect(pg->url(QStringLiteral("postgres")), QDir::tempPath());
    QVERIFY2(inspector, qPrintable(inspector ? QString() : inspector.error().message));
    QVERIFY((*inspector)->run(QStringLiteral("\\dn")));
    pg.reset();
    for (int i = 0; i < 2; ++i) { // the query that finds it gone, and the next one
        auto r = (*inspector)->run(QStringLiteral("\\dn"));
        QVERIFY(!r);
        const QString message = r.error().message;
        QVERIFY2(!message.contains(QLatin1Char('\n')) && !message.endsWith(QStringLiteral("()")), qPrintable(message));
        QVERIFY2(message.startsWith(QStringLiteral("The inspector's query failed: ")) && message.size() > 31, qPrintable(message));
    }
}

void tst_Describe::hostileNamesAreData()
{
    // A table named like an injection is described, and nothing is executed.
    auto r = m_inspector->run(QStringLiteral("\\d \"x\"\"; drop table customers; --\""));
    QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    QVERIFY(r->contains(QStringLiteral("Table \"public.x\"; drop table customers; --\"")));
    QVERIFY(m_inspector->run(QStringLiteral("\\d customers")));
    auto rows = m_inspector->sampleRows(QStringLiteral("public"), QStringLiteral("x\"; drop table customers; --"), 5);
    QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
    QVERIFY(m_inspector->run(QStringLiteral("\\d customers")));
}

void tst_Describe::sqliteExample()
{
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("head")}).exitCode, 0);
    const auto out = CommandLine::run({QStringLiteral("describe"), QStringLiteral("orders")}, project);
    QCOMPARE(out.exitCode, 0);
    const QString text = QString::fromStdString(out.out);
    QVERIFY(text.startsWith(QStringLiteral("                          Table \"main.orders\"\n")));
    QVERIFY(text.contains(QStringLiteral(" customer_id | integer       |           |          | \n")));
    QVERIFY(text.contains(QStringLiteral("    \"ix_orders_customer_id\" (customer_id)\n")));
    QVERIFY(text.contains(QStringLiteral("Foreign-key constraints:\n    \"fk_orders_customer_id_customers\" FOREIGN KEY "
                                         "(customer_id) REFERENCES customers(id) ON DELETE SET NULL\n")));
    const auto employees = CommandLine::run({QStringLiteral("describe"), QStringLiteral("employees")}, project);
    const QString e = QString::fromStdString(employees.out);
    QVERIFY(e.contains(QStringLiteral(" password_hash | varchar(255) |           | not null | \n")));
    QVERIFY(e.contains(QStringLiteral("    \"ix_employees_email\" UNIQUE, (email)\n")));
    const auto menu = CommandLine::run({QStringLiteral("describe"), QStringLiteral("menu_items")}, project);
    QVERIFY(QString::fromStdString(menu.out).contains(QStringLiteral("Check constraints:\n    \"ck_menu_items_price_positive\" CHECK (price > 0)\n")));
    const auto customers = CommandLine::run({QStringLiteral("describe"), QStringLiteral("customers")}, project);
    QVERIFY(QString::fromStdString(customers.out).contains(QStringLiteral("Referenced by:\n    TABLE \"orders\" CONSTRAINT")));
    const auto list = CommandLine::run({QStringLiteral("describe"), QStringLiteral("--command"), QStringLiteral("\\dt")}, project);
    QVERIFY(QString::fromStdString(list.out).contains(QStringLiteral(" main   | alembic_version | table\n")));
    QVERIFY(QString::fromStdString(list.out).contains(QStringLiteral("(5 rows)\n")));
    // A missing SQLite file is reported, not created.
    QFile::remove(project + QStringLiteral("/coffee.db"));
    const auto missing = CommandLine::run({QStringLiteral("describe")}, project);
    QCOMPARE(missing.exitCode, 255);
    QVERIFY(QString::fromStdString(missing.err).contains(QStringLiteral("does not exist yet")));
    QVERIFY(!QFile::exists(project + QStringLiteral("/coffee.db")));
}

void tst_Describe::sqliteForeignKeyNames()
{
    // SQLite keeps constraint names only in the CREATE TABLE text: each key gets its own
    // name, whether it is declared at table level or on a column.
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("keys.db"));
    const QString script = QStringLiteral(
        "CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY);"
        "CREATE TABLE c (id INTEGER PRIMARY KEY, a_id INTEGER, b_id INTEGER,"
        " other INTEGER CONSTRAINT fk_c_other REFERENCES a(id), plain INTEGER REFERENCES b(id),"
        " CONSTRAINT fk_c_a FOREIGN KEY (a_id) REFERENCES a (id),"
        " CONSTRAINT fk_c_b FOREIGN KEY(b_id) REFERENCES b(id) ON DELETE CASCADE);");
    const RunResult made = run(QStringLiteral("python3"),
                               {QStringLiteral("-c"),
                                QStringLiteral("import sqlite3, sys; sqlite3.connect(sys.argv[1]).executescript(sys.argv[2])"),
                                file, script},
                               tmp.path());
    QCOMPARE(made.exitCode, 0);
    const auto out = CommandLine::run({QStringLiteral("describe"), QStringLiteral("--url"),
                                       QStringLiteral("sqlite:///") + file, QStringLiteral("c")});
    QVERIFY2(out.exitCode == 0, out.err.c_str());
    QVERIFY2(QString::fromStdString(out.out).contains(QStringLiteral(
                 "Foreign-key constraints:\n"
                 "    \"fk_c_a\" FOREIGN KEY (a_id) REFERENCES a(id)\n"
                 "    \"fk_c_b\" FOREIGN KEY (b_id) REFERENCES b(id) ON DELETE CASCADE\n"
                 "    \"fk_c_other\" FOREIGN KEY (other) REFERENCES a(id)\n"
                 "    FOREIGN KEY (plain) REFERENCES b(id)\n")),
             out.out.c_str());
}

void tst_Describe::tableLayout()
{
    PsqlTable t;
    t.title = QStringLiteral("T");
    t.headers = {QStringLiteral("a"), QStringLiteral("number"), QStringLiteral("c")};
    t.aligns = QStringLiteral("lrl");
    t.rows = {{QStringLiteral("x"), QStringLiteral("1"), QStringLiteral("two\nlines")}, {QStringLiteral("yy"), QStringLiteral("22"), QString()}};
    t.defaultFooter = true;
    QCOMPARE(t.render(), QStringLiteral("          T\n a  | number |   c   \n----+--------+-------\n x  |      1 | two  +\n"
                                        "    |        | lines\n yy |     22 | \n(2 rows)\n\n"));
}

QTEST_GUILESS_MAIN(tst_Describe)
#include "tst_describe.moc"
