// MySQL/MariaDB against a throwaway MariaDB server: URLs, `retort current` against Debian's
// Alembic (with PyMySQL), SHOW CREATE text against the `mariadb` client's, the \d layout
// against reference files in tests/data/mysql/, and the stairway, drift and schema diffs
// replayed on scratch databases of the same server. The user's database is only read: its
// SHOW CREATE text and row checksums stay the same, and the server's general log shows no
// writing statement on it.
#include "cli/commands.h"
#include "db/connection.h"
#include "project/alembicflavor.h"
#include "schema/schemasnapshot.h"
#include "db/mysqlurl.h"
#include "db/versiontable.h"
#include "inspect/inspector.h"
#include "run/partialstep.h"
#include "run/stairway.h"
#include "mariadbserver.h"
#include "replayfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>

#include <memory>

using namespace retort::core;
using namespace testsupport;

class tst_Mysql : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void urls_data();
    void urls();
    void unknownQueryOptionIsRefused();
    void currentMatchesAlembic();
    void versionTableAndSchemaFromEnv();
    void failuresAreClear();
    void readsThatHangAfterConnecting();
    void showCreateMatchesClient_data();
    void showCreateMatchesClient();
    void describeCreateOnTheCommandLine();
    void describeMatchesReference_data();
    void describeMatchesReference();
    void stairwayOnScratchDatabase();
    void failedStepKeepsItsFirstStatements();
    void collationsWhereShowCreateStatesThem();
    void driftNoneThenColumnAddedByHand();
    void driftStampedAtWrongRevision();
    void driftAfterFailedStep();
    void driftPartWayThroughStep();
    void diffNamesWhatDowngradeLeaves();

private:
    // The database as the server states it: each table's SHOW CREATE text and row checksum.
    QString fingerprint(const QString &database) const;
    // From here on the server logs every statement to a file.
    void startGeneralLog();
    qint64 generalLogSize() const { return QFileInfo(m_generalLog).size(); }
    // The statements the log holds after `from` on connections whose database was `database`,
    // and the writing ones among them (or any that names `database` and writes).
    void statementsOn(const QString &database, qint64 from, int &reads, QStringList &writes) const;
    QString shopUrl() const { return m_server->url(QStringLiteral("shop")); }
    QString pointExampleAt(const QTemporaryDir &tmp, const QString &url);
    void compareCurrent(const QString &project);

    std::unique_ptr<MariaDbServer> m_server;
    QTemporaryDir m_scratch;
    QString m_generalLog;
};

static QString dataDir()
{
    return QStringLiteral(RETORT_SOURCE_DIR "/tests/data/mysql");
}

void tst_Mysql::initTestCase()
{
    m_server = std::make_unique<MariaDbServer>();
    QVERIFY2(m_server->isRunning(), qPrintable(m_server->error()));
    // Every database the tests use exists from the start, so \\dn does not depend on test order.
    QCOMPARE(m_server->sql(QStringLiteral("CREATE DATABASE shop; CREATE DATABASE coffee; CREATE DATABASE app; "
                                          "CREATE DATABASE ledger; CREATE DATABASE halfway; CREATE DATABASE stairs; "
                                          "CREATE DATABASE collations CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; "
                                          "CREATE DATABASE drift_live; CREATE DATABASE drift_stamped; "
                                          "CREATE DATABASE drift_failed; CREATE DATABASE drift_partway; "
                                          "CREATE DATABASE hunt CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")).exitCode, 0);
    // `retort diff` caches under the user's cache folder: keep this run's cache to itself.
    qputenv("XDG_CACHE_HOME", m_scratch.filePath(QStringLiteral("cache")).toUtf8());
    const RunResult r = m_server->source(dataDir() + QStringLiteral("/schema.sql"), QStringLiteral("shop"));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const RunResult hunt = m_server->source(dataDir() + QStringLiteral("/hunt.sql"), QStringLiteral("hunt"));
    QVERIFY2(hunt.exitCode == 0, qPrintable(hunt.err));
}

void tst_Mysql::cleanupTestCase()
{
    m_server.reset();
}

void tst_Mysql::urls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("driver");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("masked");
    QTest::newRow("pymysql") << "mysql+pymysql://app:p%40ss@db.local:3307/shop?charset=utf8mb4" << "mysql" << "pymysql"
                             << "db.local" << 3307 << "shop" << "mysql+pymysql://app:XXXXX@db.local:3307/shop?charset=utf8mb4";
    QTest::newRow("mysqldb default port") << "mysql+mysqldb://app:pw@localhost/shop" << "mysql" << "mysqldb" << "localhost" << -1
                                          << "shop" << "mysql+mysqldb://app:XXXXX@localhost/shop";
    QTest::newRow("plain mysql") << "mysql://root@127.0.0.1/shop" << "mysql" << "" << "127.0.0.1" << -1 << "shop"
                                 << "mysql://root@127.0.0.1/shop";
    QTest::newRow("mariadb socket") << "mariadb+pymysql://app:pw@/shop?unix_socket=/run/mysqld/mysqld.sock" << "mariadb"
                                    << "pymysql" << "" << -1 << "shop"
                                    << "mariadb+pymysql://app:XXXXX@/shop?unix_socket=/run/mysqld/mysqld.sock";
    QTest::newRow("ssl options") << "mysql+pymysql://app:pw@db:3306/shop?ssl_ca=/etc/ca.pem&ssl_check_hostname=false"
                                 << "mysql" << "pymysql" << "db" << 3306 << "shop"
                                 << "mysql+pymysql://app:XXXXX@db:3306/shop?ssl_ca=/etc/ca.pem&ssl_check_hostname=false";
}

void tst_Mysql::urls()
{
    QFETCH(QString, url);
    QFETCH(QString, dialect);
    QFETCH(QString, driver);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, database);
    QFETCH(QString, masked);
    auto u = SqlUrl::parse(url);
    QVERIFY(u.isOk());
    QVERIFY(isMysqlUrl(*u));
    QCOMPARE(u->dialect, dialect);
    QCOMPARE(u->driver, driver);
    QCOMPARE(u->host, host);
    QCOMPARE(u->port, port);
    QCOMPARE(u->database, database);
    QCOMPARE(u->masked(), masked);
    QVERIFY(!maskPasswords(url).contains(QStringLiteral(":pw@")));
    // Every option above is one QMYSQL can be given.
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QMYSQL"), QStringLiteral("url-check"));
    const Error e = configureMysqlConnection(db, *u, {}, 5);
    QVERIFY2(!e.isValid(), qPrintable(e.message));
    if (u->query.contains(QStringLiteral("unix_socket")))
        QVERIFY(db.connectOptions().contains(QStringLiteral("UNIX_SOCKET=/run/mysqld/mysqld.sock")));
    if (u->query.contains(QStringLiteral("ssl_ca")))
        QVERIFY(db.connectOptions().contains(QStringLiteral("MYSQL_OPT_SSL_CA=/etc/ca.pem")));
    // PyMySQL reaches "localhost" over TCP; libmysqlclient (mysqldb) over the socket.
    QCOMPARE(db.connectOptions().contains(QStringLiteral("MYSQL_PROTOCOL_TCP")),
             driver == QLatin1String("pymysql") && !u->query.contains(QStringLiteral("unix_socket")));
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("url-check"));
}

void tst_Mysql::unknownQueryOptionIsRefused()
{
    VersionTable::Options opt;
    opt.url = QStringLiteral("mysql+pymysql://app:pw@127.0.0.1:%1/shop?sslmode=require").arg(m_server->port());
    auto r = VersionTable::read(opt);
    QVERIFY(!r.isOk());
    QVERIFY2(r.error().message.contains(QStringLiteral("sslmode")), qPrintable(r.error().message));
    QVERIFY(!r.error().message.contains(QStringLiteral(":pw@")));
    // QMYSQL splits its options at ';': such a socket path is refused, not cut short.
    opt.url = QStringLiteral("mysql+pymysql://app:pw@localhost/shop?unix_socket=/tmp/a;MYSQL_OPT_SSL_CA=/x");
    r = VersionTable::read(opt);
    QVERIFY(!r.isOk());
    QVERIFY2(r.error().message.contains(QStringLiteral("unix_socket value with a ';'")), qPrintable(r.error().message));
}

QString tst_Mysql::pointExampleAt(const QTemporaryDir &tmp, const QString &url)
{
    const QString project = copyExample(tmp);
    QFile ini(project + QStringLiteral("/alembic.ini"));
    if (!ini.open(QIODevice::ReadOnly))
        return {};
    QString text = QString::fromUtf8(ini.readAll());
    ini.close();
    text.replace(QRegularExpression(QStringLiteral("sqlalchemy.url = .*")), QStringLiteral("sqlalchemy.url = ") + url);
    if (!ini.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    ini.write(text.toUtf8());
    return project;
}

static QString sortedLines(const QString &s)
{
    QStringList l = s.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    l.sort();
    return l.join(QLatin1Char('\n'));
}

void tst_Mysql::compareCurrent(const QString &project)
{
    for (const QStringList &args : {QStringList{QStringLiteral("current")}, QStringList{QStringLiteral("current"), QStringLiteral("-v")}}) {
        const RunResult oracle = alembic(project, args);
        QVERIFY2(oracle.exitCode == 0, qPrintable(oracle.err));
        const CommandOutput mine = CommandLine::run(args, project);
        QVERIFY2(mine.exitCode == 0, mine.err.c_str());
        QCOMPARE(sortedLines(QString::fromStdString(mine.out)), sortedLines(oracle.out));
    }
}

void tst_Mysql::currentMatchesAlembic()
{
    QTemporaryDir tmp;
    const QString project = pointExampleAt(tmp, m_server->url(QStringLiteral("coffee")));
    QVERIFY(!project.isEmpty());
    compareCurrent(project); // no version table yet
    RunResult up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("9a3c5f71e8d6")});
    QVERIFY2(up.exitCode == 0, qPrintable(up.err));
    compareCurrent(project);
    up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("4b6d9e2f8a01")});
    QVERIFY2(up.exitCode == 0, qPrintable(up.err));
    compareCurrent(project); // two heads applied
    QCOMPARE(QString::fromStdString(CommandLine::run({QStringLiteral("current")}, project).out).count(QLatin1Char('\n')), 2);
    up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")});
    QVERIFY2(up.exitCode == 0, qPrintable(up.err));
    compareCurrent(project);
    const CommandOutput verbose = CommandLine::run({QStringLiteral("current"), QStringLiteral("-v")}, project);
    QVERIFY(QString::fromStdString(verbose.out).contains(QStringLiteral("mysql+pymysql://retort:%1@127.0.0.1").arg(AlembicFlavor::forProject(project).passwordMask())));
    QVERIFY(!QString::fromStdString(verbose.out).contains(QString::fromLatin1(MariaDbServer::Password)));
    QCOMPARE(alembic(project, {QStringLiteral("stamp"), QStringLiteral("base")}).exitCode, 0);
    compareCurrent(project); // the table is there and empty
}

void tst_Mysql::versionTableAndSchemaFromEnv()
{
    // The version table in another database on the same server, under another name.
    QTemporaryDir tmp;
    const QString project = pointExampleAt(tmp, m_server->url(QStringLiteral("app")));
    QFile env(project + QStringLiteral("/alembic/env.py"));
    QVERIFY(env.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(env.readAll());
    env.close();
    text.replace(QStringLiteral("            render_as_batch=True,\n        )\n        with context.begin_transaction():"),
                 QStringLiteral("            render_as_batch=True,\n            version_table=\"retort_versions\",\n"
                                "            version_table_schema=\"ledger\",\n        )\n        with context.begin_transaction():"));
    QVERIFY(text.contains(QStringLiteral("version_table_schema")));
    QVERIFY(env.open(QIODevice::WriteOnly | QIODevice::Truncate));
    env.write(text.toUtf8());
    env.close();

    compareCurrent(project);
    const RunResult up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("c5a8830e41f7")});
    QVERIFY2(up.exitCode == 0, qPrintable(up.err));
    QCOMPARE(m_server->sql(QStringLiteral("SELECT version_num FROM ledger.retort_versions")).out.trimmed(),
             QStringLiteral("c5a8830e41f7"));
    compareCurrent(project);
    // A stray default-named table in the app database must not be read instead.
    QCOMPARE(m_server->sql(QStringLiteral("CREATE TABLE app.alembic_version (version_num varchar(32) NOT NULL); "
                                          "INSERT INTO app.alembic_version VALUES ('9a3c5f71e8d6')"))
                 .exitCode,
             0);
    compareCurrent(project);
}

void tst_Mysql::failuresAreClear()
{
    VersionTable::Options opt;
    opt.url = m_server->url(QStringLiteral("shop"), QStringLiteral("pymysql"), QStringLiteral("wrong-password"));
    auto bad = VersionTable::read(opt);
    QVERIFY(!bad.isOk());
    QVERIFY2(bad.error().message.contains(QStringLiteral("Access denied")), qPrintable(bad.error().message));
    QVERIFY(!bad.error().message.contains(QStringLiteral("wrong-password")));
    QVERIFY(bad.error().message.contains(QStringLiteral("XXXXX")));

    opt.url = m_server->url(QStringLiteral("no_such_db"));
    auto missing = VersionTable::read(opt);
    QVERIFY(!missing.isOk());
    QVERIFY2(missing.error().message.contains(QStringLiteral("no_such_db")), qPrintable(missing.error().message));

    opt.url = QStringLiteral("mysql+pymysql://u:p@127.0.0.1:%1/x").arg(freePort());
    opt.connectTimeoutSeconds = 2;
    auto dead = VersionTable::read(opt);
    QVERIFY(!dead.isOk());
    QVERIFY2(dead.error().message.startsWith(QStringLiteral("Cannot connect to mysql+pymysql://u:XXXXX@127.0.0.1")),
             qPrintable(dead.error().message));

    // Over the socket, as unix_socket= in the URL says.
    opt.url = QStringLiteral("mysql+pymysql://%1:%2@localhost/shop?unix_socket=%3")
                  .arg(QString::fromLatin1(MariaDbServer::User), QString::fromLatin1(MariaDbServer::Password), m_server->socket());
    auto empty = VersionTable::read(opt);
    QVERIFY2(empty.isOk(), empty.isOk() ? "" : qPrintable(empty.error().message));
    QVERIFY(!empty->tableExists);
}

void tst_Mysql::readsThatHangAfterConnecting()
{
    // As for PostgreSQL (tst_database): a server stopped after the connection was made, or a
    // lock another session holds, left the read waiting forever; now each query has an
    // answer deadline and the read fails on one line, naming the server.
    setAnswerTimeoutSeconds(2);
    const auto restoreTimeout = qScopeGuard([] { setAnswerTimeoutSeconds(15); });
    const QString url = shopUrl();
    const QString masked = SqlUrl::parse(url)->masked();
    const auto isNotAnsweringLine = [&](const Error &e) {
        return isNotAnswering(e) && e.message.startsWith(QStringLiteral("Cannot read ") + masked + QStringLiteral(": not answering"))
            && !e.message.contains(QLatin1Char('\n'));
    };
    {
        auto inspector = Inspector::connect(url, QDir::tempPath());
        QVERIFY2(inspector.isOk(), inspector.isOk() ? "" : qPrintable(inspector.error().message));
        auto conn = ScopedConnection::open(*SqlUrl::parse(url), QDir::tempPath());
        QVERIFY2(conn.isOk(), conn.isOk() ? "" : qPrintable(conn.error().message));
        StoppedProcesses stopped({m_server->pid()});
        auto answer = (*inspector)->run(QStringLiteral("\\d"));
        QVERIFY(!answer.isOk());
        QVERIFY2(isNotAnsweringLine(answer.error()), qPrintable(answer.error().message));
        auto snap = SchemaSnapshot::read(*conn, {});
        QVERIFY(!snap.isOk());
        QVERIFY2(isNotAnsweringLine(snap.error()), qPrintable(snap.error().message));
    }
    // A session holds a write lock on the version table while `current` reads it.
    QCOMPARE(m_server->sql(QStringLiteral("CREATE TABLE hang_versions (version_num varchar(32) NOT NULL PRIMARY KEY); "
                                          "INSERT INTO hang_versions VALUES ('3f9c1d2a7b10')"),
                           QStringLiteral("shop"))
                 .exitCode,
             0);
    QProcess locker;
    locker.start(QStandardPaths::findExecutable(QStringLiteral("mariadb")),
                 {QStringLiteral("--no-defaults"), QStringLiteral("-S"), m_server->socket(), QStringLiteral("-uroot"),
                  QStringLiteral("-e"), QStringLiteral("LOCK TABLES hang_versions WRITE; SELECT SLEEP(600);"), QStringLiteral("shop")});
    const auto stopLocker = qScopeGuard([&] {
        m_server->sql(QStringLiteral("SELECT CONCAT('KILL ', id) FROM information_schema.processlist WHERE info LIKE "
                                     "'%SLEEP(600)%' AND id <> CONNECTION_ID() INTO @k; PREPARE s FROM @k; EXECUTE s;"));
        locker.waitForFinished(10000);
        m_server->sql(QStringLiteral("DROP TABLE hang_versions"), QStringLiteral("shop"));
    });
    QTRY_VERIFY(m_server->sql(QStringLiteral("SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE "
                                             "'SELECT SLEEP(600)%'"))
                    .out.trimmed()
                == QLatin1String("1"));
    VersionTable::Options opt;
    opt.url = url;
    opt.table = QStringLiteral("hang_versions");
    auto locked = VersionTable::read(opt);
    QVERIFY(!locked.isOk());
    QVERIFY2(isNotAnsweringLine(locked.error()), qPrintable(locked.error().message));
}

void tst_Mysql::showCreateMatchesClient_data()
{
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("statement");
    for (const char *n : {"customers", "order items", "places", "events", "audit", "active_customers", "invoice_numbers"})
        QTest::newRow(n) << QStringLiteral("shop") << QString::fromLatin1(n)
                         << QString::fromLatin1(QByteArray(n) == "invoice_numbers" ? "SEQUENCE"
                                                : QByteArray(n) == "active_customers" ? "VIEW" : "TABLE");
    // Every relation of the hunt's schema, as information_schema lists them.
    const RunResult rels = m_server->sql(QStringLiteral("SELECT table_name, table_type FROM information_schema.tables WHERE "
                                                        "table_schema = 'hunt' ORDER BY 1"));
    QVERIFY(rels.exitCode == 0);
    const QStringList lines = rels.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 18);
    for (const QString &line : lines) {
        const QString name = line.section(QLatin1Char('\t'), 0, 0), type = line.section(QLatin1Char('\t'), 1);
        QTest::newRow(qPrintable(QStringLiteral("hunt.") + name))
            << QStringLiteral("hunt") << name
            << (type == QLatin1String("VIEW")       ? QStringLiteral("VIEW")
                : type == QLatin1String("SEQUENCE") ? QStringLiteral("SEQUENCE")
                                                    : QStringLiteral("TABLE"));
    }
}

void tst_Mysql::showCreateMatchesClient()
{
    QFETCH(QString, database);
    QFETCH(QString, name);
    QFETCH(QString, statement);
    // The client in batch mode with --raw: "name<TAB>statement[<TAB>charset<TAB>collation]".
    const RunResult client = m_server->sql(QStringLiteral("SHOW CREATE %1 `%2`").arg(statement, QString(name).replace(QLatin1Char('`'), QStringLiteral("``"))),
                                           database);
    QCOMPARE(client.exitCode, 0);
    QString expected = client.out;
    QVERIFY(expected.endsWith(QLatin1Char('\n')));
    expected.chop(1);
    expected = expected.section(QLatin1Char('\t'), 1, 1);
    QVERIFY(expected.startsWith(QStringLiteral("CREATE ")));

    auto inspector = Inspector::connect(m_server->url(database), QDir::tempPath());
    QVERIFY2(inspector.isOk(), inspector.isOk() ? "" : qPrintable(inspector.error().message));
    auto mine = (*inspector)->createStatements(QLatin1Char('"') + QString(name).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"'));
    QVERIFY2(mine.isOk(), mine.isOk() ? "" : qPrintable(mine.error().message));
    QCOMPARE(*mine, expected + QStringLiteral(";\n"));
}

void tst_Mysql::describeCreateOnTheCommandLine()
{
    const CommandOutput out = CommandLine::run({QStringLiteral("describe"), QStringLiteral("--create"), QStringLiteral("cust*"),
                                                QStringLiteral("--url"), shopUrl()},
                                               QDir::tempPath());
    QCOMPARE(out.exitCode, 0);
    const QString expected = m_server->sql(QStringLiteral("SHOW CREATE TABLE customers"), QStringLiteral("shop")).out.section(QLatin1Char('\t'), 1);
    QCOMPARE(QString::fromStdString(out.out), expected.chopped(1) + QStringLiteral(";\n"));

    const CommandOutput none = CommandLine::run({QStringLiteral("describe"), QStringLiteral("--create"), QStringLiteral("nothing_here"),
                                                 QStringLiteral("--url"), shopUrl()},
                                                QDir::tempPath());
    QCOMPARE(none.exitCode, 1);
    QCOMPARE(QString::fromStdString(none.err), QStringLiteral("Did not find any relation named \"nothing_here\".\n"));

    const CommandOutput two = CommandLine::run({QStringLiteral("describe"), QStringLiteral("--create"), QStringLiteral("a"),
                                                QStringLiteral("b"), QStringLiteral("--url"), shopUrl()},
                                               QDir::tempPath());
    QCOMPARE(two.exitCode, 2);
}

void tst_Mysql::describeMatchesReference_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("file");
    const QList<std::pair<const char *, const char *>> cases = {
        {"\\d", "list.out"},
        {"\\dt", "dt.out"},
        {"\\di", "di.out"},
        {"\\dv", "dv.out"},
        {"\\ds", "ds.out"},
        {"\\dn", "dn.out"},
        {"\\d customers", "customers.out"},
        {"\\d+ customers", "customers-plus.out"},
        {"\\d \"order items\"", "order-items.out"},
        {"\\d places", "places.out"},
        {"\\d events", "events.out"},
        {"\\d+ events", "events-plus.out"},
        {"\\d audit", "audit.out"},
        {"\\d+ active_customers", "active-customers-plus.out"},
        {"\\d invoice_numbers", "invoice-numbers.out"},
        {"\\d ix_customers_name", "ix-customers-name.out"},
        {"\\d shop.\"PRIMARY\"", "primary.out"},
        // The hunt's schema: what information_schema says that \\d had left out (invisible
        // columns, system versioning, ignored indexes, a view's options).
        {"\\d+ hunt.gen", "hunt-gen-plus.out"},
        {"\\d hunt.hist", "hunt-hist.out"},
        {"\\d hunt.hist2", "hunt-hist2.out"},
        {"\\d+ hunt.hvparts", "hunt-hvparts-plus.out"},
        {"\\d hunt.geo", "hunt-geo.out"},
        {"\\d+ hunt.v_merge", "hunt-v-merge-plus.out"},
        {"\\d+ hunt.\"v ü\"", "hunt-v-u-plus.out"},
        {"\\d hunt.\"select\"", "hunt-select.out"},
        {"\\d+ hunt.parts", "hunt-parts-plus.out"},
    };
    for (const auto &[command, file] : cases)
        QTest::newRow(command) << QString::fromUtf8(command) << QString::fromLatin1(file);
}

void tst_Mysql::describeMatchesReference()
{
    QFETCH(QString, command);
    QFETCH(QString, file);
    auto inspector = Inspector::connect(shopUrl(), QDir::tempPath());
    QVERIFY2(inspector.isOk(), inspector.isOk() ? "" : qPrintable(inspector.error().message));
    auto text = (*inspector)->run(command);
    QVERIFY2(text.isOk(), text.isOk() ? "" : qPrintable(text.error().message));
    const QString path = dataDir() + QStringLiteral("/") + file;
    if (qEnvironmentVariableIsSet("RETORT_REGENERATE")) {
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text->toUtf8());
    }
    QFile ref(path);
    QVERIFY2(ref.open(QIODevice::ReadOnly), qPrintable(path));
    QCOMPARE(*text, QString::fromUtf8(ref.readAll()));
}

void tst_Mysql::stairwayOnScratchDatabase()
{
    // The example plus a revision whose downgrade forgets its column, then a good one.
    QTemporaryDir tmp;
    const QString project = pointExampleAt(tmp, m_server->url(QStringLiteral("stairs")));
    QFile bad(project + QStringLiteral("/alembic/versions/d00d00d00d01_add_employee_nickname.py"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("\"\"\"add employees.nickname\n\nRevision ID: d00d00d00d01\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
              "revision = 'd00d00d00d01'\ndown_revision = '7f2e4c9b1d83'\nbranch_labels = None\ndepends_on = None\n\n\n"
              "def upgrade():\n    op.add_column('employees', sa.Column('nickname', sa.String(40)))\n    "
              "op.create_index('ix_employees_nickname', 'employees', ['nickname'])\n\n\n"
              "def downgrade():\n    op.drop_index('ix_employees_nickname', table_name='employees')\n");
    bad.close();
    QFile good(project + QStringLiteral("/alembic/versions/e00e00e00e02_add_customer_points.py"));
    QVERIFY(good.open(QIODevice::WriteOnly));
    good.write("\"\"\"add customers.points\n\nRevision ID: e00e00e00e02\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
               "revision = 'e00e00e00e02'\ndown_revision = 'd00d00d00d01'\nbranch_labels = None\ndepends_on = None\n\n\n"
               "def upgrade():\n    op.add_column('customers', sa.Column('points', sa.Integer(), server_default='0', nullable=False))\n\n\n"
               "def downgrade():\n    op.drop_column('customers', 'points')\n");
    good.close();
    // The example as it ships: every one of its downgrades works on MySQL too (the orders
    // one drops the table, not first the index its foreign key needs: error 1553).
    auto cfg = ProjectConfig::open(project);
    QVERIFY(cfg);
    auto loaded = ScriptDirectory::load(*cfg);
    QVERIFY(loaded);
    auto alembicCommand = AlembicLocator::locate(project, systemPython());
    QVERIFY(alembicCommand);
    Stairway stairway(*loaded, *alembicCommand);
    auto steps = stairway.run();
    QVERIFY2(steps, steps ? "" : qPrintable(steps.error().message));
    QCOMPARE(steps->size(), 10);
    QStringList failed;
    for (const StairwayStep &st : *steps) {
        if (st.status == StairwayStep::Status::Failed)
            failed.append(st.revision);
        else
            QVERIFY2(st.status == StairwayStep::Status::Passed, qPrintable(st.revision + QStringLiteral(": ") + st.reason + QLatin1Char('\n') + st.log));
    }
    QCOMPARE(failed, QStringList{QStringLiteral("d00d00d00d01")});
    const StairwayStep &broken = *std::find_if(steps->begin(), steps->end(),
                                               [](const StairwayStep &s) { return s.revision == QLatin1String("d00d00d00d01"); });
    QCOMPARE(broken.reason, QStringLiteral("downgrade did not restore the schema"));
    QVERIFY2(broken.diff.contains(QStringLiteral("+ column employees.nickname varchar(40)")), qPrintable(broken.diff));
    // The scratch database was made on the same server and dropped; the project's own is untouched.
    QVERIFY2(stairway.scratchDescription().startsWith(QStringLiteral("scratch MySQL database mysql+pymysql://retort:XXXXX@127.0.0.1")),
             qPrintable(stairway.scratchDescription()));
    QVERIFY(!m_server->sql(QStringLiteral("SHOW DATABASES")).out.contains(QStringLiteral("retort_stairway")));
    QCOMPARE(m_server->sql(QStringLiteral("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'stairs' "
                                          "AND table_name = 'employees'")).out.trimmed(),
             QStringLiteral("0"));
}

void tst_Mysql::failedStepKeepsItsFirstStatements()
{
    // A revision that creates a table and then fails: Alembic reports the failure, the
    // version table stays at the revision before, and on MySQL the table stays too.
    QTemporaryDir tmp;
    const QString project = pointExampleAt(tmp, m_server->url(QStringLiteral("halfway")));
    QFile bad(project + QStringLiteral("/alembic/versions/f00f00f00f03_loyalty.py"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("\"\"\"loyalty cards\n\nRevision ID: f00f00f00f03\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
              "revision = 'f00f00f00f03'\ndown_revision = '7f2e4c9b1d83'\nbranch_labels = None\ndepends_on = None\n\n\n"
              "def upgrade():\n    op.create_table('loyalty_cards', sa.Column('id', sa.Integer(), primary_key=True),\n"
              "                    sa.Column('points', sa.Integer(), nullable=False, server_default='0'))\n"
              "    op.add_column('customers', sa.Column('card_id', sa.Integer()))\n"
              "    op.execute('UPDATE customers SET card_id = no_such_function()')\n\n\n"
              "def downgrade():\n    op.drop_column('customers', 'card_id')\n    op.drop_table('loyalty_cards')\n");
    bad.close();
    RunResult up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("7f2e4c9b1d83")});
    QVERIFY2(up.exitCode == 0, qPrintable(up.err));
    up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("f00f00f00f03")});
    QVERIFY(up.exitCode != 0);
    QCOMPARE(QString::fromStdString(CommandLine::run({QStringLiteral("current")}, project).out),
             QStringLiteral("7f2e4c9b1d83 (mergepoint)\n"));
    compareCurrent(project);

    auto cfg = ProjectConfig::open(project);
    QVERIFY(cfg);
    auto loaded = ScriptDirectory::load(*cfg);
    QVERIFY(loaded);
    auto report = failedStepReport(*loaded, QStringLiteral("f00f00f00f03"), true, cfg->sqlalchemyUrl);
    QVERIFY2(report, report ? "" : qPrintable(report.error().message));
    QVERIFY2(report->summary.startsWith(QStringLiteral("MySQL committed the statements before the failure")), qPrintable(report->summary));
    QCOMPARE(report->tables, (QStringList{QStringLiteral("loyalty_cards"), QStringLiteral("customers")}));
    QVERIFY(report->leftovers.contains(QStringLiteral("Table \"halfway.loyalty_cards\"")));
    QVERIFY2(report->leftovers.contains(QStringLiteral(" card_id ")), qPrintable(report->leftovers));

    // Only MySQL/MariaDB commit every DDL statement (SQLite keeps DDL up to the first data change).
    QVERIFY(!commitsDdlImmediately(*SqlUrl::parse(QStringLiteral("sqlite:///x.db"))));
    QVERIFY(!commitsDdlImmediately(*SqlUrl::parse(QStringLiteral("postgresql://u@h/d"))));
}

QString tst_Mysql::fingerprint(const QString &database) const
{
    const RunResult tables = m_server->sql(
        QStringLiteral("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '%1' ORDER BY 1").arg(database));
    if (tables.exitCode != 0)
        return QStringLiteral("cannot list the tables: ") + tables.err;
    QString statements;
    for (const QString &t : tables.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        statements += QStringLiteral("SHOW CREATE TABLE `%1`; CHECKSUM TABLE `%1` EXTENDED; ").arg(t);
    const RunResult all = m_server->sql(statements, database);
    return all.exitCode == 0 ? all.out : QStringLiteral("cannot read the tables: ") + all.err;
}

void tst_Mysql::startGeneralLog()
{
    if (!m_generalLog.isEmpty())
        return;
    m_generalLog = m_scratch.filePath(QStringLiteral("general.log"));
    const RunResult r = m_server->sql(QStringLiteral("SET GLOBAL log_output = 'FILE'; SET GLOBAL general_log_file = '%1'; "
                                                     "SET GLOBAL general_log = ON")
                                          .arg(m_generalLog));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QTRY_VERIFY(QFileInfo::exists(m_generalLog));
}

void tst_Mysql::statementsOn(const QString &database, qint64 from, int &reads, QStringList &writes) const
{
    reads = 0;
    writes.clear();
    QFile log(m_generalLog);
    QVERIFY(log.open(QIODevice::ReadOnly));
    log.seek(from);
    // "[date time]\t  id Command\targument"; a statement's further lines follow unprefixed.
    static const QRegularExpression entry(QStringLiteral("^(?:\\d{6}\\s+[\\d:]+)?\\t\\s*(\\d+) ([A-Za-z ]+)\\t(.*)$"));
    static const QRegularExpression connect(QStringLiteral("^\\S+ on (\\S*) using"));
    static const QRegularExpression use(QStringLiteral("^\\s*use\\s+`?([^`;\\s]+)`?"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression writing(
        QStringLiteral("^\\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|ALTER|DROP|TRUNCATE|RENAME|GRANT|REVOKE|LOAD|CALL)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    std::map<QString, QString> databaseOf; // connection id -> its current database
    struct Statement
    {
        QString thread;
        QString text;
    };
    QList<Statement> statements;
    for (const QString &line : QString::fromUtf8(log.readAll()).split(QLatin1Char('\n'))) {
        const auto m = entry.match(line);
        if (!m.hasMatch()) {
            if (!statements.isEmpty())
                statements.last().text += QLatin1Char('\n') + line;
            continue;
        }
        const QString thread = m.captured(1), command = m.captured(2).trimmed(), argument = m.captured(3);
        if (command == QLatin1String("Connect")) {
            databaseOf[thread] = connect.match(argument).captured(1);
        } else if (command == QLatin1String("Init DB")) {
            databaseOf[thread] = argument.trimmed();
        } else if (command == QLatin1String("Query") || command == QLatin1String("Execute")) {
            if (const auto u = use.match(argument); u.hasMatch())
                databaseOf[thread] = u.captured(1);
            statements.append({thread, argument});
        }
    }
    for (const Statement &s : std::as_const(statements)) {
        const bool on = databaseOf[s.thread] == database;
        const bool writes_ = writing.match(s.text).hasMatch();
        if (on)
            ++reads;
        if (writes_ && (on || s.text.contains(database)))
            writes.append(s.text);
    }
}

void tst_Mysql::collationsWhereShowCreateStatesThem()
{
    // The database's default is utf8mb4_unicode_ci; one table keeps it, one is latin1.
    const RunResult made = m_server->sql(
        QStringLiteral("CREATE TABLE plain (x varchar(10), y varchar(10) COLLATE utf8mb4_bin, z varchar(10) CHARACTER SET latin1, "
                       "w varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci, n int); "
                       "CREATE TABLE latin (x varchar(10), y varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci) "
                       "CHARACTER SET latin1"),
        QStringLiteral("collations"));
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    auto snap = SchemaSnapshot::read(m_server->url(QStringLiteral("collations")), QDir::tempPath(), {});
    QVERIFY2(snap, snap ? "" : qPrintable(snap.error().message));
    QCOMPARE(renderSnapshot(*snap), QStringLiteral("table latin character set latin1 collate latin1_swedish_ci\n"
                                                   "  column x varchar(10)\n"
                                                   "  column y varchar(10) character set utf8mb4 collate utf8mb4_unicode_ci\n"
                                                   "table plain\n"
                                                   "  column x varchar(10)\n"
                                                   "  column y varchar(10) character set utf8mb4 collate utf8mb4_bin\n"
                                                   "  column z varchar(10) character set latin1 collate latin1_swedish_ci\n"
                                                   "  column w varchar(10)\n"
                                                   "  column n int(11)\n"));
    // Column by column, what the server's own SHOW CREATE TABLE states.
    static const QRegularExpression columnLine(QStringLiteral("^  `(\\w+)` \\S+(?: CHARACTER SET (\\w+) COLLATE (\\w+))?"));
    for (const SchemaTable &t : snap->tables) {
        const QString create = m_server->sql(QStringLiteral("SHOW CREATE TABLE `%1`").arg(t.name), QStringLiteral("collations"))
                                   .out.section(QLatin1Char('\t'), 1).replace(QStringLiteral("\\n"), QStringLiteral("\n"));
        int checked = 0;
        for (const QString &line : create.split(QLatin1Char('\n'))) {
            const auto m = columnLine.match(line);
            if (!m.hasMatch())
                continue;
            const SchemaColumn *c = t.column(m.captured(1));
            QVERIFY2(c, qPrintable(line));
            QCOMPARE(c->charset, m.captured(2));
            QCOMPARE(c->collation, m.captured(3));
            ++checked;
        }
        QCOMPARE(checked, int(t.columns.size()));
        QVERIFY2(create.contains(QStringLiteral("DEFAULT CHARSET=%1 COLLATE=%2")
                                     .arg(t.charset.isEmpty() ? QStringLiteral("utf8mb4") : t.charset,
                                          t.collation.isEmpty() ? QStringLiteral("utf8mb4_unicode_ci") : t.collation)),
                 qPrintable(create));
    }
    // A unique constraint is a unique index on MySQL: one line, not two.
    QCOMPARE(m_server->sql(QStringLiteral("ALTER TABLE plain ADD CONSTRAINT uq_plain_n UNIQUE (n)"), QStringLiteral("collations")).exitCode, 0);
    auto after = SchemaSnapshot::read(m_server->url(QStringLiteral("collations")), QDir::tempPath(), {});
    QVERIFY(after);
    QCOMPARE(renderChanges(diffSchemas(*snap, *after)), QStringLiteral("+ index uq_plain_n on plain unique (n)\n"));
}

void tst_Mysql::driftNoneThenColumnAddedByHand()
{
    QTemporaryDir tmp;
    const QString project = pointExampleAt(tmp, m_server->url(QStringLiteral("drift_live")));
    const RunResult up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")});
    QVERIFY2(up.exitCode == 0, qPrintable(up.err));
    startGeneralLog();
    QString before = fingerprint(QStringLiteral("drift_live"));
    QVERIFY2(before.contains(QStringLiteral("CREATE TABLE `alembic_version`")), qPrintable(before));
    qint64 logStart = generalLogSize();
    RunResult r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.startsWith(QStringLiteral("No drift: the schema of mysql+pymysql://retort:XXXXX@127.0.0.1:%1/drift_live is the "
                                            "one the migrations give at 7f2e4c9b1d83.").arg(m_server->port())),
             qPrintable(r.out));
    QCOMPARE(fingerprint(QStringLiteral("drift_live")), before);
    int reads = 0;
    QStringList writes;
    statementsOn(QStringLiteral("drift_live"), logStart, reads, writes);
    QVERIFY2(writes.isEmpty(), qPrintable(writes.join(QLatin1Char('\n'))));
    QVERIFY2(reads > 5, qPrintable(QString::number(reads)));

    QCOMPARE(m_server->sql(QStringLiteral("ALTER TABLE employees ADD COLUMN nickname varchar(40)"), QStringLiteral("drift_live")).exitCode, 0);
    before = fingerprint(QStringLiteral("drift_live"));
    logStart = generalLogSize();
    r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("\n  + column employees.nickname varchar(40)\n")), qPrintable(r.out));
    QCOMPARE(r.out.count(QRegularExpression(QStringLiteral("\n  [-+~] "))), 1);
    QVERIFY(r.out.contains(QStringLiteral("Made outside the migrations: column employees.nickname.")));
    QVERIFY(r.out.contains(QStringLiteral("No revision of this project gives this schema.")));
    QVERIFY(!r.out.contains(QString::fromLatin1(MariaDbServer::Password)));
    QCOMPARE(fingerprint(QStringLiteral("drift_live")), before);
    statementsOn(QStringLiteral("drift_live"), logStart, reads, writes);
    QVERIFY2(writes.isEmpty(), qPrintable(writes.join(QLatin1Char('\n'))));
    QVERIFY2(reads > 5, qPrintable(QString::number(reads)));
    // The replays ran on scratch databases of the same server, dropped afterwards.
    int scratchReads = 0;
    QStringList scratchWrites;
    const QString logText = [&] {
        QFile f(m_generalLog);
        f.open(QIODevice::ReadOnly);
        f.seek(logStart);
        return QString::fromUtf8(f.readAll());
    }();
    const QString scratch = QRegularExpression(QStringLiteral("retort_drift_\\d+")).match(logText).captured(0);
    QVERIFY2(!scratch.isEmpty(), "no scratch database in the general log");
    statementsOn(scratch, logStart, scratchReads, scratchWrites);
    QVERIFY2(!scratchWrites.isEmpty(), "the replay wrote nowhere: is the log complete?");
    QVERIFY(!m_server->sql(QStringLiteral("SHOW DATABASES")).out.contains(QStringLiteral("retort_")));
}

void tst_Mysql::driftStampedAtWrongRevision()
{
    QTemporaryDir tmp;
    const QString project = pointExampleAt(tmp, m_server->url(QStringLiteral("drift_stamped")));
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("1e0b7a66d2c4")}).exitCode, 0);
    QCOMPARE(alembic(project, {QStringLiteral("stamp"), QStringLiteral("c5a8830e41f7")}).exitCode, 0);
    const QString before = fingerprint(QStringLiteral("drift_stamped"));
    const RunResult r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("is recorded at c5a8830e41f7")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("\n  + index ix_employees_email on employees unique (email)\n")));
    QVERIFY2(r.out.contains(QStringLiteral("The schema is that of 1e0b7a66d2c4: stamp 1e0b7a66d2c4")), qPrintable(r.out));
    const RunResult j = retortCli(project, {QStringLiteral("--json"), QStringLiteral("drift")});
    QCOMPARE(j.exitCode, 1);
    const QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("stamp")).toString(), QStringLiteral("1e0b7a66d2c4"));
    QCOMPARE(fingerprint(QStringLiteral("drift_stamped")), before);
}

void tst_Mysql::driftAfterFailedStep()
{
    // A step that creates a table, adds a column, then fails (on any database): MySQL kept
    // the first two, the version table did not move. Drift names both, says why they are
    // there, and that the step fails on a scratch database too.
    QTemporaryDir tmp;
    const QString project = pointExampleAt(tmp, m_server->url(QStringLiteral("drift_failed")));
    writeRevision(project, QStringLiteral("f00f00f00f01"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("loyalty cards"),
                  QStringLiteral("    op.create_table('loyalty_cards', sa.Column('id', sa.Integer(), primary_key=True))\n"
                                 "    op.add_column('customers', sa.Column('card_id', sa.Integer()))\n"
                                 "    op.execute('UPDATE customers SET card_id = no_such_function()')"),
                  QStringLiteral("    op.drop_column('customers', 'card_id')\n    op.drop_table('loyalty_cards')"));
    const RunResult up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")});
    QVERIFY(up.exitCode != 0);
    QVERIFY2(up.err.contains(QStringLiteral("no_such_function")), qPrintable(up.err));
    const QString before = fingerprint(QStringLiteral("drift_failed"));
    const RunResult r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("is recorded at 7f2e4c9b1d83")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("\n  + table loyalty_cards (id int(11) not null auto_increment)\n")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("\n  + column customers.card_id int(11)\n")));
    QVERIFY(r.out.contains(QStringLiteral("MySQL commits each DDL statement as it runs: a step that failed midway kept the "
                                          "statements that ran before the failure (the + lines above), while the version table "
                                          "still names 7f2e4c9b1d83.")));
    QVERIFY2(r.out.contains(QStringLiteral("The next revision, f00f00f00f01 (loyalty cards), fails on a scratch database too: ")),
             qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("undo it by hand and stay at 7f2e4c9b1d83")));
    QCOMPARE(fingerprint(QStringLiteral("drift_failed")), before);
}

void tst_Mysql::driftPartWayThroughStep()
{
    // A step that fails on the live data only (a unique index over duplicate phones) after
    // adding a column: MySQL kept the column; the step replays fine on an empty database.
    QTemporaryDir tmp;
    const QString project = pointExampleAt(tmp, m_server->url(QStringLiteral("drift_partway")));
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")}).exitCode, 0);
    QCOMPARE(m_server->sql(QStringLiteral("INSERT INTO customers (name, phone) VALUES ('Ann', '555'), ('Bob', '555')"),
                           QStringLiteral("drift_partway")).exitCode, 0);
    writeVipPerPhoneRevision(project);
    const RunResult up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")});
    QVERIFY(up.exitCode != 0);
    QVERIFY2(up.err.contains(QStringLiteral("Duplicate entry")), qPrintable(up.err));
    const QString before = fingerprint(QStringLiteral("drift_partway"));
    const RunResult r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("\n  + column customers.vip tinyint(1)\n")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("MySQL commits each DDL statement as it runs")), qPrintable(r.out));
    QVERIFY2(r.out.contains(vipPerPhoneAdvice()), qPrintable(r.out));
    const RunResult j = retortCli(project, {QStringLiteral("--json"), QStringLiteral("drift")});
    const QJsonObject partial = QJsonDocument::fromJson(j.out.toUtf8()).object().value(QStringLiteral("partial")).toObject();
    QCOMPARE(partial.value(QStringLiteral("revision")).toString(), QStringLiteral("9e0901010101"));
    QCOMPARE(partial.value(QStringLiteral("ddl_committed_by")).toString(), QStringLiteral("MySQL"));
    QCOMPARE(fingerprint(QStringLiteral("drift_partway")), before);
}

void tst_Mysql::diffNamesWhatDowngradeLeaves()
{
    // The project's database does not exist: the diff needs only the server.
    QTemporaryDir tmp;
    const QString project = pointExampleAt(tmp, m_server->url(QStringLiteral("not_created")));
    writeRevision(project, QStringLiteral("a11a11a11a11"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("index employee names"),
                  QStringLiteral("    op.create_index('ix_employees_name_lookup', 'employees', ['name'])"), QStringLiteral("    pass"));
    RunResult r = retortCli(project, {QStringLiteral("diff"), QStringLiteral("a11a11a11a11")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));  // the downgrade leaves the index
    QCOMPARE(r.out, QStringLiteral("upgrade a11a11a11a11 (mysql):\n"
                                   "  + index ix_employees_name_lookup on employees (name)\n"
                                   "downgrade a11a11a11a11@-1 leaves the schema different from before the upgrade:\n"
                                   "  + index ix_employees_name_lookup on employees (name)\n"));
    // The example's orders: its downgrade restores the schema on MySQL too.
    r = retortCli(project, {QStringLiteral("diff"), QStringLiteral("4b6d9e2f8a01")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QCOMPARE(r.out, QStringLiteral("upgrade 4b6d9e2f8a01 (mysql):\n"
                                   "  + table orders (id int(11) not null auto_increment, customer_id int(11), placed_at datetime "
                                   "not null default current_timestamp(), total decimal(8,2) not null default 0.00)\n"
                                   "downgrade 4b6d9e2f8a01@-1: restores the schema\n"));
    r = retortCli(project, {QStringLiteral("diff"), QStringLiteral("c5a8830e41f7")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("  ~ column employees.password_hash: nullable → not null\n")), qPrintable(r.out));
    QVERIFY(!m_server->sql(QStringLiteral("SHOW DATABASES")).out.contains(QStringLiteral("not_created")));
    QVERIFY(!m_server->sql(QStringLiteral("SHOW DATABASES")).out.contains(QStringLiteral("retort_")));
}

QTEST_GUILESS_MAIN(tst_Mysql)
#include "tst_mysql.moc"
