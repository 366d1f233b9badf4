// `retort current` against databases that Debian's Alembic migrated: SQLite and a
// throwaway PostgreSQL server; plus the failures a user meets (dead server, bad password,
// missing file).
#include "cli/commands.h"
#include "db/connection.h"
#include "db/versiontable.h"
#include "inspect/inspector.h"
#include "project/alembicflavor.h"
#include "schema/schemasnapshot.h"
#include "testsupport.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace retort::core;
using namespace testsupport;

class tst_Database : public QObject
{
    Q_OBJECT
private slots:
    void sqliteCurrentMatchesAlembic();
    void sqliteMissingFileIsNotCreated();
    void postgresCurrentMatchesAlembic();
    void postgresFailuresAreClear();
    void postgresReadsThatHangAfterConnecting();
    void urlParsingAndMasking_data();
    void urlParsingAndMasking();

private:
    // One server for the PostgreSQL tests (each uses its own database).
    PostgresServer &server()
    {
        if (!m_pg)
            m_pg = std::make_unique<PostgresServer>();
        return *m_pg;
    }
    std::unique_ptr<PostgresServer> m_pg;

    static QString sortedLines(const QString &s)
    {
        QStringList l = s.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        l.sort();
        return l.join(QLatin1Char('\n'));
    }
    static void compareCurrent(const QString &project, const QStringList &extra = {})
    {
        for (const QStringList &args : {QStringList{QStringLiteral("current")},
                                        QStringList{QStringLiteral("current"), QStringLiteral("-v")}}) {
            const RunResult oracle = alembic(project, args + extra);
            QCOMPARE(oracle.exitCode, 0);
            const CommandOutput mine = CommandLine::run(args + extra, project);
            QVERIFY2(mine.exitCode == 0, mine.err.c_str());
            // Alembic prints several current heads from a set; compare them as sets.
            QCOMPARE(sortedLines(QString::fromStdString(mine.out)), sortedLines(oracle.out));
        }
    }
};

void tst_Database::sqliteCurrentMatchesAlembic()
{
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    QVERIFY(!project.isEmpty());
    compareCurrent(project); // no database yet: nothing current
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("head")}).exitCode, 0);
    compareCurrent(project);
    QCOMPARE(alembic(project, {QStringLiteral("downgrade"), QStringLiteral("4b6d9e2f8a01")}).exitCode, 0);
    compareCurrent(project); // two heads applied: orders and menu
    const CommandOutput plain = CommandLine::run({QStringLiteral("current")}, project);
    QCOMPARE(QString::fromStdString(plain.out).count(QLatin1Char('\n')), 2);
    QCOMPARE(alembic(project, {QStringLiteral("stamp"), QStringLiteral("base")}).exitCode, 0);
    compareCurrent(project);
}

void tst_Database::sqliteMissingFileIsNotCreated()
{
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    const CommandOutput out = CommandLine::run({QStringLiteral("current")}, project);
    QCOMPARE(out.exitCode, 0);
    QCOMPARE(out.out, std::string());
    QVERIFY(!QFileInfo::exists(project + QStringLiteral("/coffee.db")));
}

void tst_Database::postgresCurrentMatchesAlembic()
{
    PostgresServer &pg = server();
    QVERIFY2(pg.isRunning(), qPrintable(pg.error()));
    QCOMPARE(pg.psql(QStringLiteral("CREATE DATABASE shop")).exitCode, 0);
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    // Point the copy at the server.
    QFile ini(project + QStringLiteral("/alembic.ini"));
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(ini.readAll());
    ini.close();
    text.replace(QRegularExpression(QStringLiteral("sqlalchemy.url = .*")),
                 QStringLiteral("sqlalchemy.url = ") + pg.url(QStringLiteral("shop")).replace(QStringLiteral("postgresql://"), QStringLiteral("postgresql+psycopg2://")));
    QVERIFY(ini.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ini.write(text.toUtf8());
    ini.close();

    compareCurrent(project);
    const RunResult up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("menu@head")});
    QVERIFY2(up.exitCode == 0, qPrintable(up.err));
    compareCurrent(project);
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")}).exitCode, 0);
    compareCurrent(project);
    // The verbose header names the database with the password masked.
    const CommandOutput verbose = CommandLine::run({QStringLiteral("current"), QStringLiteral("-v")}, project);
    QVERIFY(QString::fromStdString(verbose.out).contains(QStringLiteral(":%1@127.0.0.1").arg(AlembicFlavor::forProject(project).passwordMask())));
    QVERIFY(!QString::fromStdString(verbose.out).contains(QString::fromLatin1(PostgresServer::Password)));

    // plan without --from reads the database.
    QCOMPARE(alembic(project, {QStringLiteral("downgrade"), QStringLiteral("base")}).exitCode, 0);
    const CommandOutput plan = CommandLine::run({QStringLiteral("plan"), QStringLiteral("upgrade"), QStringLiteral("+2")}, project);
    QCOMPARE(plan.exitCode, 0);
    QCOMPARE(QString::fromStdString(plan.out),
             QStringLiteral("upgrade  -> 3f9c1d2a7b10, create employees\nupgrade 3f9c1d2a7b10 -> 8d41e07c5a92, create customers\n"));
}

void tst_Database::postgresFailuresAreClear()
{
    PostgresServer &pg = server();
    QVERIFY2(pg.isRunning(), qPrintable(pg.error()));
    VersionTable::Options opt;
    opt.url = pg.url(QStringLiteral("postgres"), QStringLiteral("wrong-password"));
    auto bad = VersionTable::read(opt);
    QVERIFY(!bad.isOk());
    QVERIFY2(bad.error().message.contains(QStringLiteral("password authentication failed")), qPrintable(bad.error().message));
    QVERIFY(!bad.error().message.contains(QStringLiteral("wrong-password")));
    QVERIFY(bad.error().message.contains(QStringLiteral("XXXXX")));

    opt.url = pg.url(QStringLiteral("no_such_db"));
    auto missing = VersionTable::read(opt);
    QVERIFY(!missing.isOk());
    QVERIFY2(missing.error().message.contains(QStringLiteral("no_such_db")), qPrintable(missing.error().message));

    opt.url = QStringLiteral("postgresql://u:p@127.0.0.1:%1/x").arg(freePort());
    opt.connectTimeoutSeconds = 2;
    auto dead = VersionTable::read(opt);
    QVERIFY(!dead.isOk());
    QVERIFY2(dead.error().message.startsWith(QStringLiteral("Cannot connect to postgresql://u:XXXXX@127.0.0.1")),
             qPrintable(dead.error().message));

    opt.url = pg.url(QStringLiteral("postgres"));
    auto empty = VersionTable::read(opt);
    QVERIFY2(empty.isOk(), empty.isOk() ? "" : qPrintable(empty.error().message));
    QVERIFY(!empty->tableExists);
    QVERIFY(empty->heads.isEmpty());
}

void tst_Database::postgresReadsThatHangAfterConnecting()
{
    // Found by hand: a server that took the connection and then stopped answering (SIGSTOP,
    // or a lock another session held on alembic_version) kept `retort current`, drift's
    // reads, snapshots and \d waiting forever, and the workbench's read with them (and its
    // exit, which joins the pool). Now each query has an answer deadline: a one-line
    // "not answering" error (Error::Code::Timeout) naming the server.
    PostgresServer &pg = server();
    QVERIFY2(pg.isRunning(), qPrintable(pg.error()));
    QCOMPARE(pg.psql(QStringLiteral("CREATE DATABASE hang")).exitCode, 0);
    QCOMPARE(pg.psql(QStringLiteral("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); "
                                    "INSERT INTO alembic_version VALUES ('3f9c1d2a7b10')"),
                     QStringLiteral("hang"))
                 .exitCode,
             0);
    setAnswerTimeoutSeconds(2);
    const auto restoreTimeout = qScopeGuard([] { setAnswerTimeoutSeconds(15); });
    const QString url = pg.url(QStringLiteral("hang"));
    const QString masked = SqlUrl::parse(url)->masked();
    const auto isNotAnsweringLine = [&](const Error &e) {
        return isNotAnswering(e) && e.message.startsWith(QStringLiteral("Cannot read ") + masked + QStringLiteral(": not answering"))
            && !e.message.contains(QLatin1Char('\n')) && !e.message.contains(QString::fromLatin1(PostgresServer::Password));
    };

    // Another session holds an ACCESS EXCLUSIVE lock on the version table.
    QProcess locker;
    locker.start(PostgresServer::psqlProgram(),
                 {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-h"), pg.socketDir(), QStringLiteral("-p"),
                  QString::number(pg.port()), QStringLiteral("-U"), QString::fromLatin1(PostgresServer::User), QStringLiteral("-d"),
                  QStringLiteral("hang"), QStringLiteral("-c"),
                  QStringLiteral("BEGIN; LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600);")});
    auto stopLocker = qScopeGuard([&] {
        pg.psql(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' "
                               "AND pid <> pg_backend_pid()"));
        locker.waitForFinished(10000);
    });
    QTRY_VERIFY(pg.psql(QStringLiteral("SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = "
                                       "'alembic_version' AND l.mode = 'AccessExclusiveLock' AND l.granted"),
                        QStringLiteral("hang"))
                    .out.contains(QLatin1Char('1')));
    VersionTable::Options opt;
    opt.url = url;
    auto locked = VersionTable::read(opt);
    QVERIFY(!locked.isOk());
    QVERIFY2(isNotAnsweringLine(locked.error()), qPrintable(locked.error().message));
    // The CLI says so on one line and fails, as Alembic's CommandError does: FAILED on stdout, 255.
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    const CommandOutput current = CommandLine::run({QStringLiteral("current"), QStringLiteral("--url"), url}, project);
    const QString out = QString::fromStdString(current.out);
    QCOMPARE(current.exitCode, 255);
    QVERIFY2(out.startsWith(QStringLiteral("FAILED: Cannot read ") + masked + QStringLiteral(": not answering"))
                 && out.count(QLatin1Char('\n')) == 1,
             qPrintable(out));
    stopLocker.dismiss();
    pg.psql(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' "
                           "AND pid <> pg_backend_pid()"));
    QVERIFY(locker.waitForFinished(10000));
    auto free = VersionTable::read(opt);
    QVERIFY2(free.isOk(), free.isOk() ? "" : qPrintable(free.error().message));
    QCOMPARE(free->heads, QStringList{QStringLiteral("3f9c1d2a7b10")});

    // The whole server stops (SIGSTOP) after the snapshot's connection is made.
    {
        auto conn = ScopedConnection::open(*SqlUrl::parse(url), tmp.path());
        QVERIFY2(conn.isOk(), conn.isOk() ? "" : qPrintable(conn.error().message));
        StoppedProcesses stopped(pg.processes());
        auto snap = SchemaSnapshot::read(*conn, {});
        QVERIFY(!snap.isOk());
        QVERIFY2(isNotAnsweringLine(snap.error()), qPrintable(snap.error().message));
    }
    // Its backend alone stops while \d asks.
    {
        const QString tagged = url + QStringLiteral("?application_name=retort-hang-test");
        auto inspector = Inspector::connect(tagged, tmp.path());
        QVERIFY2(inspector.isOk(), inspector.isOk() ? "" : qPrintable(inspector.error().message));
        const pid_t backend = pg.psql(QStringLiteral("SELECT pid FROM pg_stat_activity WHERE application_name = "
                                                     "'retort-hang-test'"))
                                  .out.section(QLatin1Char('\n'), 2, 2)
                                  .trimmed()
                                  .toInt();
        QVERIFY(backend > 0);
        StoppedProcesses stopped({backend});
        auto answer = (*inspector)->run(QStringLiteral("\\d"));
        QVERIFY(!answer.isOk());
        QVERIFY2(isNotAnswering(answer.error()) && answer.error().message.contains(QStringLiteral("127.0.0.1:%1/hang").arg(pg.port())),
                 qPrintable(answer.error().message));
    }
    // Continued, the server answers again: nothing was lost.
    auto again = VersionTable::read(opt);
    QVERIFY2(again.isOk(), again.isOk() ? "" : qPrintable(again.error().message));
    QCOMPARE(again->heads, QStringList{QStringLiteral("3f9c1d2a7b10")});
}

void tst_Database::urlParsingAndMasking_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("masked");
    QTest::newRow("sqlite relative") << "sqlite:///shop.db" << "sqlite" << "shop.db" << "sqlite:///shop.db";
    QTest::newRow("sqlite absolute") << "sqlite:////var/db/shop.db" << "sqlite" << "/var/db/shop.db" << "sqlite:////var/db/shop.db";
    QTest::newRow("sqlite memory") << "sqlite://" << "sqlite" << "" << "sqlite://";
    QTest::newRow("psycopg2 with query") << "postgresql+psycopg2://app:p%40ss@db.local:6543/shop?sslmode=require"
                                         << "postgresql" << "shop"
                                         << "postgresql+psycopg2://app:XXXXX@db.local:6543/shop?sslmode=require";
    QTest::newRow("no password") << "postgresql://app@localhost/shop" << "postgresql" << "shop" << "postgresql://app@localhost/shop";
}

void tst_Database::urlParsingAndMasking()
{
    QFETCH(QString, url);
    QFETCH(QString, dialect);
    QFETCH(QString, database);
    QFETCH(QString, masked);
    auto u = SqlUrl::parse(url);
    QVERIFY(u.isOk());
    QCOMPARE(u->dialect, dialect);
    QCOMPARE(u->database, database);
    QCOMPARE(u->masked(), masked);
    if (url.contains(QStringLiteral("p%40ss")))
        QCOMPARE(u->password, QStringLiteral("p@ss"));
    QCOMPARE(maskPasswords(QStringLiteral("connect ") + url), QStringLiteral("connect ") + (url.contains(QStringLiteral("p%40ss")) ? url.replace(QStringLiteral("p%40ss"), QStringLiteral("XXXXX")) : url));
}

QTEST_GUILESS_MAIN(tst_Database)
#include "tst_database.moc"
