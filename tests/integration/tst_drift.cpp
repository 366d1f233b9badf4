// Drift, per-revision schema diffs and the Alembic driver, on copies of the example project
// with Debian's Alembic doing the migrating (the oracle), real SQLite files and a throwaway
// PostgreSQL 15. The user's database is only read: SQLite files keep their checksum, and
// PostgreSQL's statement log shows no writing statement on it.
#include "cli/commands.h"
#include "db/connection.h"
#include "db/sqlurl.h"
#include "run/alembicdriver.h"
#include "run/schemareplay.h"
#include "run/stairway.h"
#include "replayfixture.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace retort::core;
using namespace testsupport;

class tst_Drift : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void noDrift();
    void stampedAtWrongRevision();
    void columnAddedByHand();
    void halfAppliedFailedMigration();
    void partlyAppliedStep();
    void downgradeLeavesIndex();
    void driverCrashIsReportedAndRestarted();
    void driverWithoutAlembic();
    void envWithItsOwnUrlIsStopped();
    void xArgumentsReachEnvPy();
    void postgres();
    void postgresStampedFailedAndLeftBehind();

private:
    // A copy of the example in `tmp` whose sqlalchemy.url is a new database `database` on `pg`;
    // empty when that fails.
    static QString livePostgresProject(const PostgresServer &pg, const QTemporaryDir &tmp, const QString &database)
    {
        if (pg.psql(QStringLiteral("CREATE DATABASE %1").arg(database)).exitCode != 0)
            return {};
        const QString project = copyExample(tmp);
        if (!replaceInFile(project + QStringLiteral("/alembic.ini"), QStringLiteral("sqlite:///%(here)s/coffee.db"),
                           pg.url(database)))
            return {};
        return project;
    }
    // One server for both PostgreSQL tests, each on its own database.
    PostgresServer &server()
    {
        if (!m_pg)
            m_pg = std::make_unique<PostgresServer>();
        return *m_pg;
    }
    std::unique_ptr<PostgresServer> m_pg;
    static QByteArray checksum(const QString &file)
    {
        QFile f(file);
        f.open(QIODevice::ReadOnly);
        return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
    }
    static void sqlite(const QString &file, const QString &sql)
    {
        auto c = ScopedConnection::open(*SqlUrl::parse(QStringLiteral("sqlite:///") + file), QString(), {}, 5, false);
        QVERIFY(c);
        QSqlQuery q(c->database());
        QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
    }
    QTemporaryDir m_cache;
};

void tst_Drift::initTestCase()
{
    // `retort diff` caches under the user's cache folder: keep this run's cache to itself.
    qputenv("XDG_CACHE_HOME", m_cache.path().toUtf8());
}

void tst_Drift::noDrift()
{
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")}).exitCode, 0);
    const QString db = project + QStringLiteral("/coffee.db");
    const QByteArray before = checksum(db);
    const RunResult r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.startsWith(QStringLiteral("No drift: the schema of sqlite:///")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("at 7f2e4c9b1d83")));
    QCOMPARE(checksum(db), before);
}

void tst_Drift::stampedAtWrongRevision()
{
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    // Upgraded to 1e0b7a66d2c4, but someone stamped it back to c5a8830e41f7.
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("1e0b7a66d2c4")}).exitCode, 0);
    QCOMPARE(alembic(project, {QStringLiteral("stamp"), QStringLiteral("c5a8830e41f7")}).exitCode, 0);
    const QString db = project + QStringLiteral("/coffee.db");
    const QByteArray before = checksum(db);
    const RunResult r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("is recorded at c5a8830e41f7")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("The schema is that of 1e0b7a66d2c4: stamp 1e0b7a66d2c4")), qPrintable(r.out));
    QCOMPARE(checksum(db), before);

    const RunResult j = retortCli(project, {QStringLiteral("--json"), QStringLiteral("drift")});
    QCOMPARE(j.exitCode, 1);
    const QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("stamp")).toString(), QStringLiteral("1e0b7a66d2c4"));
    QCOMPARE(o.value(QStringLiteral("recorded")).toArray().first().toString(), QStringLiteral("c5a8830e41f7"));
    QVERIFY(o.value(QStringLiteral("drift")).toBool());
    QCOMPARE(checksum(db), before);
}

void tst_Drift::columnAddedByHand()
{
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")}).exitCode, 0);
    const QString db = project + QStringLiteral("/coffee.db");
    sqlite(db, QStringLiteral("ALTER TABLE employees ADD COLUMN nickname TEXT"));
    const QByteArray before = checksum(db);
    const RunResult r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("\n  + column employees.nickname TEXT\n")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("Made outside the migrations: column employees.nickname.")));
    QVERIFY(r.out.contains(QStringLiteral("No revision of this project gives this schema.")));
    // Exactly one difference.
    QCOMPARE(r.out.count(QRegularExpression(QStringLiteral("\n  [-+~] "))), 1);
    QCOMPARE(checksum(db), before);
}

void tst_Drift::halfAppliedFailedMigration()
{
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    // SQLite has no transactional DDL in Alembic: the column stays, the version does not move.
    writeRevision(project, QStringLiteral("f00f00f00f01"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("vip customers"),
                  QStringLiteral("    op.add_column('customers', sa.Column('vip', sa.Boolean()))\n"
                                 "    op.execute('INSERT INTO no_such_table VALUES (1)')"),
                  QStringLiteral("    op.drop_column('customers', 'vip')"));
    const RunResult up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")});
    QVERIFY(up.exitCode != 0);
    QVERIFY(up.err.contains(QStringLiteral("no_such_table")));
    QVERIFY(alembic(project, {QStringLiteral("current")}).out.contains(QStringLiteral("7f2e4c9b1d83")));
    const QString db = project + QStringLiteral("/coffee.db");
    const QByteArray before = checksum(db);
    const RunResult r = retortCli(project, {QStringLiteral("drift")});
    QCOMPARE(checksum(db), before);
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("is recorded at 7f2e4c9b1d83")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("+ column customers.vip BOOLEAN")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("Made outside the migrations: column customers.vip.")));
    // The step that did this fails on a scratch database too: named, with the ways out.
    QVERIFY2(r.out.contains(QStringLiteral("The next revision, f00f00f00f01 (vip customers), fails on a scratch database too: ")),
             qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("undo it by hand and stay at 7f2e4c9b1d83")));
}

void tst_Drift::partlyAppliedStep()
{
    // A step that fails on the live data only (a unique index over duplicate phones) after
    // adding a column: the column is there, the index is not; the step replays fine.
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")}).exitCode, 0);
    const QString db = project + QStringLiteral("/coffee.db");
    sqlite(db, QStringLiteral("INSERT INTO customers (name, phone) VALUES ('Ann', '555'), ('Bob', '555')"));
    writeVipPerPhoneRevision(project);
    QVERIFY(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")}).exitCode != 0);
    const QByteArray before = checksum(db);
    const RunResult r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("\n  + column customers.vip BOOLEAN\n")), qPrintable(r.out));
    QVERIFY2(r.out.contains(vipPerPhoneAdvice()), qPrintable(r.out));
    QVERIFY(!r.out.contains(QStringLiteral("No revision of this project")));
    QCOMPARE(checksum(db), before);
    const RunResult j = retortCli(project, {QStringLiteral("--json"), QStringLiteral("drift")});
    const QJsonObject partial = QJsonDocument::fromJson(j.out.toUtf8()).object().value(QStringLiteral("partial")).toObject();
    QCOMPARE(partial.value(QStringLiteral("revision")).toString(), QStringLiteral("9e0901010101"));
    QCOMPARE(partial.value(QStringLiteral("total")).toInt(), 2);
    QCOMPARE(partial.value(QStringLiteral("missing")).toArray().size(), 1);
}

void tst_Drift::downgradeLeavesIndex()
{
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    writeRevision(project, QStringLiteral("a11a11a11a11"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("index employee names"),
                  QStringLiteral("    op.create_index('ix_employees_name_lookup', 'employees', ['name'])"),
                  QStringLiteral("    pass"));
    const RunResult r = retortCli(project, {QStringLiteral("diff"), QStringLiteral("a11a11a11a11")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));  // the downgrade leaves the index
    QCOMPARE(r.out, QStringLiteral("upgrade a11a11a11a11 (sqlite):\n"
                                   "  + index ix_employees_name_lookup on employees (name)\n"
                                   "downgrade a11a11a11a11@-1 leaves the schema different from before the upgrade:\n"
                                   "  + index ix_employees_name_lookup on employees (name)\n"));
    // The project's database was not created by the replay.
    QVERIFY(!QFile::exists(project + QStringLiteral("/coffee.db")));

    // Asked again: from the cache; after the file changes: computed again.
    RunResult j = retortCli(project, {QStringLiteral("--json"), QStringLiteral("diff"), QStringLiteral("a11a11a11a11")});
    QCOMPARE(j.exitCode, 1);
    QJsonObject o = QJsonDocument::fromJson(j.out.toUtf8()).object();
    QVERIFY(o.value(QStringLiteral("cached")).toBool());
    QCOMPARE(o.value(QStringLiteral("downgrade_leftovers")).toArray().size(), 1);
    writeRevision(project, QStringLiteral("a11a11a11a11"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("index employee names"),
                  QStringLiteral("    op.create_index('ix_employees_name_lookup', 'employees', ['name'])"),
                  QStringLiteral("    op.drop_index('ix_employees_name_lookup', table_name='employees')"));
    j = retortCli(project, {QStringLiteral("--json"), QStringLiteral("diff"), QStringLiteral("a11a11a11a11")});
    QCOMPARE(j.exitCode, 0);
    o = QJsonDocument::fromJson(j.out.toUtf8()).object();
    QVERIFY(!o.value(QStringLiteral("cached")).toBool());
    QCOMPARE(o.value(QStringLiteral("downgrade_leftovers")).toArray().size(), 0);
    QCOMPARE(o.value(QStringLiteral("upgrade")).toArray().size(), 1);

    // A revision that only adds a NOT NULL: named the way a person says it.
    const RunResult c = retortCli(project, {QStringLiteral("diff"), QStringLiteral("c5a8830e41f7"), QStringLiteral("--no-cache")});
    QVERIFY2(c.exitCode == 0, qPrintable(c.out + c.err));
    QVERIFY2(c.out.contains(QStringLiteral("~ column employees.password_hash: nullable → not null")), qPrintable(c.out));
    QVERIFY(c.out.contains(QStringLiteral("downgrade c5a8830e41f7@-1: restores the schema")));
    // A downgrade that fails: said, and exit status 1 too.
    writeRevision(project, QStringLiteral("a11a11a11a11"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("index employee names"),
                  QStringLiteral("    op.create_index('ix_employees_name_lookup', 'employees', ['name'])"),
                  QStringLiteral("    raise RuntimeError('no way back')"));
    const RunResult f = retortCli(project, {QStringLiteral("diff"), QStringLiteral("a11a11a11a11"), QStringLiteral("--no-cache")});
    QVERIFY2(f.exitCode == 1, qPrintable(f.out + f.err));
    QVERIFY2(f.out.contains(QStringLiteral("downgrade a11a11a11a11@-1 fails: ")), qPrintable(f.out));
    // Unknown revisions: Alembic's words.
    const RunResult bad = retortCli(project, {QStringLiteral("diff"), QStringLiteral("nope")});
    QCOMPARE(bad.exitCode, 255);
    QVERIFY2(bad.out.contains(QStringLiteral("nope")), qPrintable(bad.out + bad.err));
}

void tst_Drift::driverCrashIsReportedAndRestarted()
{
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    writeRevision(project, QStringLiteral("c0c0c0c0c0c0"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("dies"),
                  QStringLiteral("    import os\n    os._exit(7)"), QStringLiteral("    pass"));
    auto alembicCmd = AlembicLocator::locate(project, systemPython());
    QVERIFY(alembicCmd);
    AlembicDriver driver(*alembicCmd);
    QStringList lines;
    QList<QStringList> steps;
    driver.setLineHandler([&](const QString &l) { lines << l; });
    driver.setStepHandler([&](bool, const QStringList &, const QStringList &to) { steps << to; });
    DriverProject p;
    p.iniPath = project + QStringLiteral("/alembic.ini");
    p.workingDir = project;
    p.url = QStringLiteral("sqlite:///") + tmp.filePath(QStringLiteral("scratch.db"));
    auto opened = driver.open(p);
    QVERIFY2(opened && opened->ok, opened ? qPrintable(opened->error) : qPrintable(opened.error().message));
    DriverOutcome up = driver.upgrade(QStringLiteral("7f2e4c9b1d83"));
    QVERIFY2(up.ok, qPrintable(up.error));
    QCOMPARE(up.migrations, 8);
    QCOMPARE(steps.last(), QStringList{QStringLiteral("7f2e4c9b1d83")});
    QVERIFY(lines.contains(QStringLiteral("INFO  [alembic.runtime.migration] Running upgrade 3f9c1d2a7b10 -> 8d41e07c5a92, create customers")));
    QVERIFY(!QFile::exists(project + QStringLiteral("/coffee.db")));

    const DriverOutcome crash = driver.upgrade(QStringLiteral("c0c0c0c0c0c0"));
    QVERIFY(!crash.ok);
    QVERIFY(crash.crashed);
    QVERIFY2(crash.error.contains(QStringLiteral("exited with status 7 during 'upgrade c0c0c0c0c0c0'")), qPrintable(crash.error));
    QVERIFY(!driver.isRunning());
    // The next step starts a new driver, opens the project again and works.
    const DriverOutcome down = driver.downgrade(QStringLiteral("1e0b7a66d2c4"));
    QVERIFY2(down.ok, qPrintable(down.error));
    QCOMPARE(down.migrations, 3);
    QCOMPARE(driver.restarts(), 1);
    // A failing step is an outcome with Alembic's own message, and the driver lives on.
    const DriverOutcome missing = driver.upgrade(QStringLiteral("nope"));
    QVERIFY(!missing.ok && !missing.crashed);
    QCOMPARE(missing.error, QStringLiteral("Can't locate revision identified by 'nope'"));
    QVERIFY(driver.isRunning());
    QVERIFY(driver.stamp({QStringLiteral("4b6d9e2f8a01"), QStringLiteral("9a3c5f71e8d6")}).ok);

    // The stairway over the same project: the crashing revision fails, the run ends.
    auto cfg = ProjectConfig::open(project);
    QVERIFY(cfg);
    auto loaded = ScriptDirectory::load(*cfg);
    QVERIFY(loaded);
    Stairway stairway(*loaded, *alembicCmd);
    auto result = stairway.run();
    QVERIFY2(result, result ? "" : qPrintable(result.error().message));
    const StairwayStep &last = result->last();
    QCOMPARE(last.revision, QStringLiteral("c0c0c0c0c0c0"));
    QCOMPARE(last.status, StairwayStep::Status::Failed);
    QVERIFY2(last.reason.contains(QStringLiteral("exited with status 7")), qPrintable(last.reason));
    for (qsizetype i = 0; i + 1 < result->size(); ++i)
        QVERIFY2(result->at(i).status == StairwayStep::Status::Passed, qPrintable(result->at(i).revision + result->at(i).reason));
}

void tst_Drift::driverWithoutAlembic()
{
    // An interpreter that cannot import Alembic: a clear error, not a hang.
    QTemporaryDir tmp;
    const QString fake = tmp.filePath(QStringLiteral("python3"));
    QFile f(fake);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n");
    f.close();
    f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
    AlembicCommand cmd{fake, {QStringLiteral("-m"), QStringLiteral("alembic")}, QStringLiteral("1.8.1"), QStringLiteral("test")};
    AlembicDriver driver(cmd);
    DriverProject p;
    p.iniPath = tmp.filePath(QStringLiteral("alembic.ini"));
    p.workingDir = tmp.path();
    auto opened = driver.open(p);
    QVERIFY(!opened);
    QVERIFY2(opened.error().message.contains(QStringLiteral("cannot run the project's Alembic: ModuleNotFoundError")),
             qPrintable(opened.error().message));
}

void tst_Drift::envWithItsOwnUrlIsStopped()
{
    // An env.py that ignores sqlalchemy.url would replay on the user's database: the driver
    // stops it before a statement runs, and the database keeps its checksum.
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("c5a8830e41f7")}).exitCode, 0);
    QFile env(project + QStringLiteral("/alembic/env.py"));
    QVERIFY(env.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(env.readAll());
    env.close();
    const QString from = QStringLiteral("    connectable = engine_from_config(\n        config.get_section(config.config_ini_section),\n"
                                        "        prefix=\"sqlalchemy.\",\n        poolclass=pool.NullPool,\n    )");
    QVERIFY(text.contains(from));
    text.replace(from, QStringLiteral("    from sqlalchemy import create_engine\n"
                                      "    connectable = create_engine(\"sqlite:///coffee.db\", poolclass=pool.NullPool)"));
    QVERIFY(env.open(QIODevice::WriteOnly | QIODevice::Truncate));
    env.write(text.toUtf8());
    env.close();
    const QString db = project + QStringLiteral("/coffee.db");
    const QByteArray before = checksum(db);
    const RunResult r = retortCli(project, {QStringLiteral("drift")});
    QCOMPARE(r.exitCode, 255);
    QVERIFY2(r.err.contains(QStringLiteral("env.py connects to sqlite:///coffee.db, not to the scratch database")), qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("stopped before any statement ran")));
    const RunResult s = retortCli(project, {QStringLiteral("stairway")});
    QCOMPARE(s.exitCode, 1);
    QVERIFY2(s.out.contains(QStringLiteral("| FAILED: env.py connects to sqlite:///coffee.db")), qPrintable(s.out));
    QCOMPARE(checksum(db), before);
    QVERIFY(alembic(project, {QStringLiteral("current")}).out.contains(QStringLiteral("c5a8830e41f7")));
}

void tst_Drift::xArgumentsReachEnvPy()
{
    // The replays behind stairway, diff and drift hand the user's -x arguments to Alembic.
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    QVERIFY(writeTenantProject(project));

    RunResult r = retortCli(project, {QStringLiteral("stairway")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(QStringLiteral("run with -x tenant=NAME")), qPrintable(r.out));
    r = retortCli(project, {QStringLiteral("stairway"), QStringLiteral("-x"), QStringLiteral("tenant=acme")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY(r.out.contains(QStringLiteral("9 revisions, 0 failed")));

    r = retortCli(project, {QStringLiteral("diff"), QStringLiteral("ab12ab12ab12"), QStringLiteral("-x"), QStringLiteral("tenant=acme")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QCOMPARE(r.out, QStringLiteral("upgrade ab12ab12ab12 (sqlite):\n"
                                   "  + table acme_ledger (id INTEGER not null)\n"
                                   "downgrade ab12ab12ab12@-1: restores the schema\n"));
    // Another value is another answer, not the cached one (and argparse's -xKEY=VALUE works).
    r = retortCli(project, {QStringLiteral("-xtenant=beta"), QStringLiteral("diff"), QStringLiteral("ab12ab12ab12")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("  + table beta_ledger (id INTEGER not null)\n")), qPrintable(r.out));

    QCOMPARE(alembic(project, {QStringLiteral("-x"), QStringLiteral("tenant=acme"), QStringLiteral("upgrade"), QStringLiteral("heads")}).exitCode, 0);
    const QString db = project + QStringLiteral("/coffee.db");
    const QByteArray before = checksum(db);
    r = retortCli(project, {QStringLiteral("drift"), QStringLiteral("-x"), QStringLiteral("tenant=acme")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    r = retortCli(project, {QStringLiteral("drift"), QStringLiteral("-x"), QStringLiteral("tenant=beta")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("\n  + table acme_ledger (id INTEGER not null)\n")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("\n  - table beta_ledger (id INTEGER not null)\n")));
    QCOMPARE(checksum(db), before);
}

void tst_Drift::postgres()
{
    PostgresServer &pg = server();
    QVERIFY2(pg.isRunning(), qPrintable(pg.error()));
    QTemporaryDir tmp;
    const QString project = livePostgresProject(pg, tmp, QStringLiteral("live"));
    QVERIFY(!project.isEmpty());
    const RunResult up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")});
    QVERIFY2(up.exitCode == 0, qPrintable(up.err));
    RunResult r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));

    QVERIFY(pg.psql(QStringLiteral("ALTER TABLE employees ADD COLUMN nickname text"), QStringLiteral("live")).exitCode == 0);
    // From here on every statement is logged with its database.
    QVERIFY(pg.psql(QStringLiteral("ALTER SYSTEM SET log_statement = 'all'")).exitCode == 0);
    QVERIFY(pg.psql(QStringLiteral("ALTER SYSTEM SET log_line_prefix = '[%d] '")).exitCode == 0);
    QVERIFY(pg.psql(QStringLiteral("SELECT pg_reload_conf()")).exitCode == 0);
    QTest::qSleep(300); // the postmaster rereads its configuration asynchronously
    QFile log(pg.socketDir() + QStringLiteral("/log"));
    const qint64 logStart = QFileInfo(log.fileName()).size();

    r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("\n  + column employees.nickname text\n")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("Made outside the migrations: column employees.nickname.")));
    QVERIFY(!r.out.contains(QString::fromLatin1(PostgresServer::Password)));

    QVERIFY(log.open(QIODevice::ReadOnly));
    log.seek(logStart);
    const QStringList lines = QString::fromUtf8(log.readAll()).split(QLatin1Char('\n'));
    int liveStatements = 0;
    static const QRegularExpression writing(QStringLiteral("\\b(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|GRANT|COMMENT)\\b"),
                                            QRegularExpression::CaseInsensitiveOption);
    for (const QString &l : lines) {
        if (!l.startsWith(QStringLiteral("[live] ")) || !l.contains(QStringLiteral("statement:")))
            continue;
        ++liveStatements;
        QVERIFY2(!writing.match(l.section(QStringLiteral("statement:"), 1)).hasMatch(), qPrintable(l));
    }
    QVERIFY2(liveStatements > 3, qPrintable(QString::number(liveStatements)));
    // The scratch databases are gone.
    QVERIFY(!pg.psql(QStringLiteral("SELECT datname FROM pg_database")).out.contains(QStringLiteral("retort_")));

    // A role that may not create databases: told so, with the fix.
    QVERIFY(pg.psql(QStringLiteral("CREATE ROLE reader LOGIN PASSWORD 'pw' NOCREATEDB")).exitCode == 0);
    QVERIFY(pg.psql(QStringLiteral("GRANT SELECT ON alembic_version TO reader"), QStringLiteral("live")).exitCode == 0);
    const QString readerUrl = QStringLiteral("postgresql://reader:pw@127.0.0.1:%1/live").arg(pg.port());
    r = retortCli(project, {QStringLiteral("drift"), QStringLiteral("--url"), readerUrl});
    QCOMPARE(r.exitCode, 255);
    // As Alembic's command line reports a CommandError: one FAILED line on stdout.
    QVERIFY2(r.out.startsWith(QStringLiteral("FAILED: ")), qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("The role reader may not create databases on 127.0.0.1:%1").arg(pg.port())), qPrintable(r.out));
    QVERIFY2((r.out + r.err).contains(QStringLiteral("ALTER ROLE reader CREATEDB")), qPrintable(r.out + r.err));
    QVERIFY2(!r.out.trimmed().contains(QLatin1Char('\n')), qPrintable(r.out)); // one line
    QVERIFY(pg.psql(QStringLiteral("ALTER SYSTEM RESET log_statement")).exitCode == 0);
    QVERIFY(pg.psql(QStringLiteral("SELECT pg_reload_conf()")).exitCode == 0);
}

void tst_Drift::postgresStampedFailedAndLeftBehind()
{
    // The proof cases on a throwaway PostgreSQL: a database stamped at the wrong revision, a
    // failed step (transactional DDL: nothing kept, so no drift), and a downgrade that leaves
    // an index behind, replayed on a scratch database created on the same server.
    PostgresServer &pg = server();
    QVERIFY2(pg.isRunning(), qPrintable(pg.error()));
    QTemporaryDir tmp;
    const QString project = livePostgresProject(pg, tmp, QStringLiteral("proof"));
    QVERIFY(!project.isEmpty());
    // The live database's schema and version, as one checksum read by psql.
    auto live = [&] {
        return pg.psql(QStringLiteral("SELECT md5(string_agg(x, ',' ORDER BY x)) FROM ("
                                      " SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable AS x"
                                      "   FROM information_schema.columns WHERE table_schema = 'public'"
                                      " UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
                                      " UNION ALL SELECT 'v:' || version_num FROM alembic_version) s"),
                       QStringLiteral("proof")).out;
    };

    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("1e0b7a66d2c4")}).exitCode, 0);
    QCOMPARE(alembic(project, {QStringLiteral("stamp"), QStringLiteral("c5a8830e41f7")}).exitCode, 0);
    const QString stamped = live();
    RunResult r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("is recorded at c5a8830e41f7")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("The schema is that of 1e0b7a66d2c4: stamp 1e0b7a66d2c4")), qPrintable(r.out));
    const RunResult j = retortCli(project, {QStringLiteral("--json"), QStringLiteral("drift")});
    QCOMPARE(j.exitCode, 1);
    QCOMPARE(QJsonDocument::fromJson(j.out.toUtf8()).object().value(QStringLiteral("stamp")).toString(), QStringLiteral("1e0b7a66d2c4"));
    QCOMPARE(live(), stamped);

    // Stamped as the advice says, then a step that fails after adding a column: PostgreSQL
    // rolls the whole step back, the version does not move, and there is nothing to report.
    QCOMPARE(alembic(project, {QStringLiteral("stamp"), QStringLiteral("1e0b7a66d2c4")}).exitCode, 0);
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")}).exitCode, 0);
    writeRevision(project, QStringLiteral("f00f00f00f01"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("vip customers"),
                  QStringLiteral("    op.add_column('customers', sa.Column('vip', sa.Boolean()))\n"
                                 "    op.execute('INSERT INTO no_such_table VALUES (1)')"),
                  QStringLiteral("    op.drop_column('customers', 'vip')"));
    const RunResult up = alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")});
    QVERIFY(up.exitCode != 0);
    QVERIFY(up.err.contains(QStringLiteral("no_such_table")));
    QVERIFY(alembic(project, {QStringLiteral("current")}).out.contains(QStringLiteral("7f2e4c9b1d83")));
    const QString failed = live();
    r = retortCli(project, {QStringLiteral("drift")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.startsWith(QStringLiteral("No drift: the schema of postgresql://")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("at 7f2e4c9b1d83")));
    QVERIFY(!r.out.contains(QString::fromLatin1(PostgresServer::Password)));
    QCOMPARE(live(), failed);

    // A downgrade that forgets its index: the diff names it.
    QVERIFY(QFile::remove(project + QStringLiteral("/alembic/versions/f00f00f00f01_rev.py")));
    writeRevision(project, QStringLiteral("a11a11a11a11"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("index employee names"),
                  QStringLiteral("    op.create_index('ix_employees_name_lookup', 'employees', ['name'])"),
                  QStringLiteral("    pass"));
    r = retortCli(project, {QStringLiteral("diff"), QStringLiteral("a11a11a11a11"), QStringLiteral("--no-cache")});
    QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
    QCOMPARE(r.out, QStringLiteral("upgrade a11a11a11a11 (postgresql):\n"
                                   "  + index ix_employees_name_lookup on employees (name)\n"
                                   "downgrade a11a11a11a11@-1 leaves the schema different from before the upgrade:\n"
                                   "  + index ix_employees_name_lookup on employees (name)\n"));
    QCOMPARE(live(), failed);
    // Every scratch database is gone again.
    QVERIFY(!pg.psql(QStringLiteral("SELECT datname FROM pg_database")).out.contains(QStringLiteral("retort_")));
}

QTEST_GUILESS_MAIN(tst_Drift)
#include "tst_drift.moc"
