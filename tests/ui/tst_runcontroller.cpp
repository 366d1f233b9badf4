// The run controller alone (no window): upgrade, downgrade and stamp through the real
// Alembic and the long-lived driver on a real SQLite copy of the example, the per-step
// signals, a failing migration (and what SQLite really keeps of it), cancel inside a slow
// step, a driver that dies mid-run, and the run's target.
#include "../integration/mariadbserver.h"
#include "../integration/replayfixture.h"
#include "projectsession.h"
#include "prompter.h"
#include "scriptedprompter.h"
#include "run/runcontroller.h"

#include <QDir>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace retort::ui;

namespace {

const QString kMerge = QStringLiteral("7f2e4c9b1d83");

using testsupport::ScriptedPrompter;

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

QByteArray revisionSource(const QString &id, const QString &down, const QString &upgradeBody)
{
    return QStringLiteral("\"\"\"a test revision\n\nRevision ID: %1\nRevises: %2\n\"\"\"\nfrom alembic import op\n"
                          "import sqlalchemy as sa\n\nrevision = '%1'\ndown_revision = '%2'\nbranch_labels = None\n"
                          "depends_on = None\n\n\ndef upgrade() -> None:\n%3\n\n\ndef downgrade() -> None:\n    pass\n")
        .arg(id, down, upgradeBody)
        .toUtf8();
}

// One query on a SQLite file, read the way any client reads it (not through Retort).
QStringList query(const QString &file, const QString &sql)
{
    QStringList rows;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(file);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql))
                while (q.next())
                    rows.append(q.value(0).toString());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return rows;
}

QStringList tables(const QString &file)
{
    return query(file, QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
}

// The Alembic driver processes this test started (children of this process).
QList<pid_t> driverProcesses()
{
    QList<pid_t> out;
    const QString me = QString::number(::getpid());
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool number = false;
        const pid_t pid = pid_t(entry.toInt(&number));
        if (!number)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(entry));
        if (!stat.open(QIODevice::ReadOnly) || !cmdline.open(QIODevice::ReadOnly))
            continue;
        const QString s = QString::fromUtf8(stat.readAll());
        const QStringList fields = s.mid(s.lastIndexOf(QLatin1Char(')')) + 2).split(QLatin1Char(' '));
        if (fields.value(1) == me && cmdline.readAll().contains("retort_driver.py"))
            out.append(pid);
    }
    return out;
}

} // namespace

class tst_RunController : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void upgradeDowngradeStampThroughOneDriver();
    void failingMigrationReportsWhereAndWhatSqliteKept();
    void failingDataChangeFirstKeepsNothing();
    void cancelInsideASlowStep();
    void cancelBetweenStepsKeepsTheDriver();
    void driverCrashIsReportedAndTheNextRunWorks();
    void targetOverridesTheDatabase();
    void stairwayGivesEnvPyTheTargetsXArguments();
    void failedStepOnMysqlKeepsItsDdl();

private:
    bool runAndWait(const std::function<bool()> &action, int timeoutMs = 60000);
    void reloadWith(const QString &file, const QByteArray &source);
    QString current() const { return m_session->currentRevisions().join(QLatin1Char(',')); }
    QString db() const { return m_project + QStringLiteral("/coffee.db"); }

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<RunController> m_run;
    QString m_project;
    ScriptedPrompter m_prompter;
};

void tst_RunController::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RetortRunControllerTests"));
    Prompter::setInstance(&m_prompter);
}

void tst_RunController::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_project = testsupport::copyExample(*m_tmp);
    m_prompter = ScriptedPrompter();
    m_session = std::make_unique<ProjectSession>();
    m_session->setReloadDelay(50);
    m_run = std::make_unique<RunController>(m_session.get());
    connect(m_session.get(), &ProjectSession::projectLoaded, m_run.get(), &RunController::setProject);
    QSignalSpy located(m_run.get(), &RunController::alembicLocated);
    QSignalSpy position(m_session.get(), &ProjectSession::databasePositionChanged);
    m_session->open(m_project);
    QTRY_VERIFY_WITH_TIMEOUT(located.count() == 1, 30000);
    QVERIFY2(located.first().first().toBool(), qPrintable(m_run->alembicDescription()));
    QTRY_VERIFY_WITH_TIMEOUT(position.count() >= 1, 10000);
}

void tst_RunController::cleanup()
{
    if (m_run->isRunning()) {
        m_run->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!m_run->isRunning(), 20000);
    }
    m_run.reset();
    m_session.reset();
    m_tmp.reset();
}

bool tst_RunController::runAndWait(const std::function<bool()> &action, int timeoutMs)
{
    QSignalSpy finished(m_run.get(), &RunController::runFinished);
    if (!action())
        return false;
    if (!finished.wait(timeoutMs))
        return false;
    // The controller asked the session to read the version table again as the run ended.
    QSignalSpy position(m_session.get(), &ProjectSession::databasePositionChanged);
    position.wait(10000);
    return finished.first().first().toBool();
}

void tst_RunController::reloadWith(const QString &file, const QByteArray &source)
{
    writeFile(m_project + QStringLiteral("/alembic/versions/") + file, source);
    QSignalSpy loaded(m_session.get(), &ProjectSession::projectLoaded);
    m_session->reload();
    QTRY_VERIFY(loaded.count() >= 1);
}

void tst_RunController::upgradeDowngradeStampThroughOneDriver()
{
    QSignalSpy started(m_run.get(), &RunController::stepStarted);
    QSignalSpy finished(m_run.get(), &RunController::stepFinished);
    QStringList order;
    connect(m_run.get(), &RunController::stepStarted, this, [&](const QString &r) { order.append(QStringLiteral("+") + r); });
    connect(m_run.get(), &RunController::stepFinished, this, [&](const QString &r) { order.append(QStringLiteral("-") + r); });
    QVERIFY(runAndWait([this] { return m_run->upgrade(QStringLiteral("heads")); }));
    QCOMPARE(current(), kMerge);
    QCOMPARE(query(db(), QStringLiteral("SELECT version_num FROM alembic_version")), QStringList{kMerge});
    // Eight steps, each started then finished, in the plan's order.
    QCOMPARE(m_run->plan().size(), 8);
    QCOMPARE(started.count(), 8);
    QCOMPARE(finished.count(), 8);
    QStringList expected;
    for (const auto &step : m_run->plan()) {
        const QString id = m_session->project()->map.at(step.revision).id;
        expected << QStringLiteral("+") + id << QStringLiteral("-") + id;
    }
    QCOMPARE(order, expected);
    QCOMPARE(m_run->stepsDone(), 8);
    QVERIFY(m_run->status().contains(QStringLiteral("done")));
    QCOMPARE(m_run->history().size(), 1);
    QVERIFY(m_run->history().first().log.contains(QStringLiteral("Running upgrade 4b6d9e2f8a01, 9a3c5f71e8d6 -> 7f2e4c9b1d83")));
    QVERIFY(!m_session->runState().running);

    m_prompter.confirmAnswers = {true};
    order.clear();
    QVERIFY(runAndWait([this] { return m_run->downgrade(QStringLiteral("1e0b7a66d2c4")); }));
    QCOMPARE(current(), QStringLiteral("1e0b7a66d2c4"));
    QCOMPARE(order.first(), QStringLiteral("+") + kMerge);
    QVERIFY(!tables(db()).contains(QStringLiteral("orders")));

    m_prompter.confirmAnswers = {true};
    QVERIFY(runAndWait([this] { return m_run->stamp(QStringLiteral("9a3c5f71e8d6")); }));
    QCOMPARE(current(), QStringLiteral("9a3c5f71e8d6"));
    QCOMPARE(m_prompter.asked, (QStringList{QStringLiteral("Downgrade"), QStringLiteral("Stamp")}));
    // Three runs, one driver process.
    QCOMPARE(m_run->driverStarts(), 1);
    QCOMPARE(m_run->history().size(), 3);
}

void tst_RunController::failingMigrationReportsWhereAndWhatSqliteKept()
{
    // DDL, then a data change, then more DDL, then the failure.
    reloadWith(QStringLiteral("bad0bad0bad0_broken.py"),
               revisionSource(QStringLiteral("bad0bad0bad0"), kMerge,
                              QStringLiteral("    op.create_table('loyalty', sa.Column('id', sa.Integer, primary_key=True),\n"
                                             "                    sa.Column('points', sa.Integer))\n"
                                             "    op.add_column('customers', sa.Column('tier', sa.String(10)))\n"
                                             "    op.execute(\"INSERT INTO loyalty (id, points) VALUES (1, 5)\")\n"
                                             "    op.create_table('loyalty_log', sa.Column('id', sa.Integer, primary_key=True))\n"
                                             "    op.create_index('ix_loyalty_points', 'loyalty', ['points'])\n"
                                             "    op.execute(\"UPDATE no_such_table SET x = 1\")")));
    QSignalSpy failed(m_run.get(), &RunController::failedAt);
    QSignalSpy reported(m_run.get(), &RunController::failedStepReported);
    QVERIFY(!runAndWait([this] { return m_run->upgrade(QStringLiteral("heads")); }));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("bad0bad0bad0"));
    QCOMPARE(failed.first().at(1).toInt(), 22); // the failing op.execute line
    QCOMPARE(failed.first().at(2).toString(), m_project + QStringLiteral("/alembic/versions/bad0bad0bad0_broken.py"));
    QCOMPARE(m_session->runState().failedRevision, QStringLiteral("bad0bad0bad0"));
    QCOMPARE(m_session->runState().failedLine, 22);
    QVERIFY2(m_run->status().contains(QStringLiteral("failed in revision bad0bad0bad0 (bad0bad0bad0_broken.py:22)")), qPrintable(m_run->status()));
    QVERIFY(m_run->status().contains(QStringLiteral("no such table: no_such_table")));

    // What SQLite really holds (read directly): the DDL before the INSERT is kept, the rest is not.
    QCOMPARE(current(), kMerge);
    QCOMPARE(query(db(), QStringLiteral("SELECT version_num FROM alembic_version")), QStringList{kMerge});
    QVERIFY(tables(db()).contains(QStringLiteral("loyalty")));
    QVERIFY(!tables(db()).contains(QStringLiteral("loyalty_log")));
    QCOMPARE(query(db(), QStringLiteral("SELECT count(*) FROM loyalty")), QStringList{QStringLiteral("0")});
    QCOMPARE(query(db(), QStringLiteral("SELECT count(*) FROM pragma_table_info('customers') WHERE name = 'tier'")),
             QStringList{QStringLiteral("1")});
    QVERIFY(query(db(), QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'ix_loyalty_points'")).isEmpty());

    // And the report says exactly that.
    QCOMPARE(reported.count(), 1);
    const auto &report = m_run->failedStep();
    QCOMPARE(report.kept.size(), 2);
    QVERIFY(report.kept.at(0).startsWith(QStringLiteral("CREATE TABLE loyalty (")));
    QVERIFY(report.kept.at(1).startsWith(QStringLiteral("ALTER TABLE customers ADD COLUMN tier")));
    QCOMPARE(report.rolledBack.size(), 3);
    QVERIFY(report.rolledBack.at(0).startsWith(QStringLiteral("INSERT INTO loyalty")));
    QVERIFY(report.rolledBack.at(1).startsWith(QStringLiteral("CREATE TABLE loyalty_log")));
    QVERIFY(report.rolledBack.at(2).startsWith(QStringLiteral("CREATE INDEX ix_loyalty_points")));
    QCOMPARE(report.tables, (QStringList{QStringLiteral("loyalty"), QStringLiteral("customers")}));
    QVERIFY2(report.summary.startsWith(QStringLiteral("SQLite kept 2 statement(s) of bad0bad0bad0's upgrade, which did not finish")),
             qPrintable(report.summary));
    QVERIFY(report.summary.contains(QStringLiteral("The 3 statement(s) from the first data change on were rolled back.")));
    QVERIFY(report.summary.contains(QStringLiteral("stamp bad0bad0bad0")));
    QVERIFY(report.leftovers.contains(QStringLiteral("loyalty")));
    QVERIFY(report.leftovers.contains(QStringLiteral("tier")));
    QVERIFY(m_run->status().contains(QStringLiteral("SQLite kept 2 statement(s)")));
    const QString log = m_run->history().first().log;
    QVERIFY(log.contains(QStringLiteral("#   kept:        CREATE TABLE loyalty (")));
    QVERIFY(log.contains(QStringLiteral("#   rolled back: INSERT INTO loyalty (id, points) VALUES (1, 5)")));
}

void tst_RunController::failingDataChangeFirstKeepsNothing()
{
    reloadWith(QStringLiteral("bad1bad1bad1_broken.py"),
               revisionSource(QStringLiteral("bad1bad1bad1"), kMerge,
                              QStringLiteral("    op.execute(\"UPDATE customers SET name = name\")\n"
                                             "    op.create_table('loyalty', sa.Column('id', sa.Integer, primary_key=True))\n"
                                             "    op.execute(\"UPDATE no_such_table SET x = 1\")")));
    QVERIFY(!runAndWait([this] { return m_run->upgrade(QStringLiteral("heads")); }));
    QCOMPARE(current(), kMerge);
    QVERIFY(!tables(db()).contains(QStringLiteral("loyalty")));
    const auto &report = m_run->failedStep();
    QVERIFY(report.kept.isEmpty());
    QCOMPARE(report.rolledBack.size(), 2);
    QVERIFY2(report.summary.startsWith(QStringLiteral("SQLite rolled the unfinished step of bad1bad1bad1's upgrade back")),
             qPrintable(report.summary));
    QVERIFY(report.tables.isEmpty());
}

void tst_RunController::cancelInsideASlowStep()
{
    QVERIFY(runAndWait([this] { return m_run->upgrade(kMerge); }));
    reloadWith(QStringLiteral("51070000aaaa_slow.py"),
               revisionSource(QStringLiteral("51070000aaaa"), kMerge,
                              QStringLiteral("    op.create_table('slowpoke', sa.Column('id', sa.Integer, primary_key=True))\n"
                                             "    import time\n    time.sleep(60)")));
    QSignalSpy started(m_run.get(), &RunController::stepStarted);
    QSignalSpy finished(m_run.get(), &RunController::runFinished);
    QVERIFY(m_run->upgrade(QStringLiteral("heads")));
    QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty(), 30000);
    QCOMPARE(started.first().first().toString(), QStringLiteral("51070000aaaa"));
    QCOMPARE(m_session->runState().runningRevision, QStringLiteral("51070000aaaa"));
    QTRY_VERIFY(tables(db()).contains(QStringLiteral("slowpoke"))); // the step is inside its sleep
    QElapsedTimer t;
    t.start();
    m_run->cancel();
    QVERIFY(finished.wait(10000));
    const qint64 ms = t.elapsed();
    qInfo("cancel inside a sleeping step: finished %lld ms after cancel", ms);
    QVERIFY(ms < 10000);
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY2(m_run->status().contains(QStringLiteral("cancelled after")), qPrintable(m_run->status()));
    QVERIFY(m_run->status().contains(QStringLiteral("the step of 51070000aaaa was interrupted")));
    QVERIFY(m_session->runState().failedRevision.isEmpty());
    // What Alembic left: the version table at the step before, and the table the step had
    // created before its sleep (SQLite committed that DDL as it ran). The report names it.
    QTRY_COMPARE(current(), kMerge);
    QCOMPARE(query(db(), QStringLiteral("SELECT version_num FROM alembic_version")), QStringList{kMerge});
    QVERIFY(tables(db()).contains(QStringLiteral("slowpoke")));
    QCOMPARE(m_run->failedStep().tables, QStringList{QStringLiteral("slowpoke")});
    QVERIFY(m_run->history().first().log.contains(QStringLiteral("# cancel: asked the Alembic driver to stop")));
    QTRY_VERIFY_WITH_TIMEOUT(driverProcesses().isEmpty(), 10000); // the interrupted driver ended

    // The next run starts a new driver and works.
    m_prompter.confirmAnswers = {true};
    QVERIFY(runAndWait([this] { return m_run->downgrade(QStringLiteral("1e0b7a66d2c4")); }));
    QCOMPARE(current(), QStringLiteral("1e0b7a66d2c4"));
    QCOMPARE(m_run->driverStarts(), 2);
}

void tst_RunController::cancelBetweenStepsKeepsTheDriver()
{
    QVERIFY(runAndWait([this] { return m_run->upgrade(QStringLiteral("1e0b7a66d2c4")); }));
    QSignalSpy started(m_run.get(), &RunController::stepStarted);
    QSignalSpy finished(m_run.get(), &RunController::runFinished);
    QVERIFY(m_run->upgrade(QStringLiteral("heads")));
    m_run->cancel(); // long before Alembic reaches the first step
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY2(m_run->status().contains(QStringLiteral("cancelled after")), qPrintable(m_run->status()));
    QVERIFY(m_run->status().contains(QStringLiteral("0 step(s) done.")));
    QCOMPARE(started.count(), 0);
    QVERIFY(m_run->failedStep().isEmpty());
    QCOMPARE(query(db(), QStringLiteral("SELECT version_num FROM alembic_version")), QStringList{QStringLiteral("1e0b7a66d2c4")});
    // Stopped between steps, the driver stayed up and serves the next run.
    QVERIFY(runAndWait([this] { return m_run->upgrade(QStringLiteral("heads")); }));
    QCOMPARE(current(), kMerge);
    QCOMPARE(m_run->driverStarts(), 1);
}

void tst_RunController::driverCrashIsReportedAndTheNextRunWorks()
{
    reloadWith(QStringLiteral("51070000bbbb_slow.py"),
               revisionSource(QStringLiteral("51070000bbbb"), kMerge, QStringLiteral("    import time\n    time.sleep(60)")));
    QSignalSpy started(m_run.get(), &RunController::stepStarted);
    QSignalSpy finished(m_run.get(), &RunController::runFinished);
    QVERIFY(m_run->upgrade(QStringLiteral("heads")));
    QTRY_VERIFY_WITH_TIMEOUT(started.count() == 9, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(driverProcesses().size(), qsizetype(1), 10000); // earlier tests' drivers have ended
    const QList<pid_t> drivers = driverProcesses();
    QCOMPARE(::kill(drivers.first(), SIGKILL), 0);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY2(m_run->status().contains(QStringLiteral("failed: the Alembic driver stopped")), qPrintable(m_run->status()));
    QVERIFY(m_run->status().contains(QStringLiteral("during 'upgrade heads'")));
    QCOMPARE(m_session->runState().failedRevision, QStringLiteral("51070000bbbb"));
    QTRY_COMPARE(current(), kMerge);

    QFile::remove(m_project + QStringLiteral("/alembic/versions/51070000bbbb_slow.py"));
    QSignalSpy loaded(m_session.get(), &ProjectSession::projectLoaded);
    m_session->reload();
    QTRY_VERIFY(loaded.count() >= 1);
    m_prompter.confirmAnswers = {true};
    QVERIFY(runAndWait([this] { return m_run->downgrade(QStringLiteral("base")); }));
    QCOMPARE(current(), QString());
    QCOMPARE(m_run->driverStarts(), 2);
}

void tst_RunController::targetOverridesTheDatabase()
{
    const QString other = m_tmp->filePath(QStringLiteral("staging.db"));
    QSignalSpy changed(m_run.get(), &RunController::targetChanged);
    RunTarget target;
    target.url = QStringLiteral("sqlite:///") + other;
    target.name = QStringLiteral("staging");
    target.production = true;
    m_run->setTarget(target);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_run->targetUrl(), target.url);
    // Production: the name is typed first; declined, nothing runs.
    m_prompter.confirmAnswers = {false};
    QVERIFY(!m_run->upgrade(QStringLiteral("3f9c1d2a7b10")));
    QCOMPARE(m_prompter.mustType.last(), QStringLiteral("staging.db"));
    QVERIFY(m_prompter.html.last().contains(QStringLiteral("<b>staging</b> (<code>sqlite:///") + other));
    QVERIFY(!QFile::exists(other));
    m_prompter.confirmAnswers = {true};
    QSignalSpy finished(m_run.get(), &RunController::runFinished);
    QVERIFY(m_run->upgrade(QStringLiteral("3f9c1d2a7b10")));
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.first().first().toBool());
    // The run went to the target; the ini's database was not created.
    QCOMPARE(query(other, QStringLiteral("SELECT version_num FROM alembic_version")), QStringList{QStringLiteral("3f9c1d2a7b10")});
    QVERIFY(!QFile::exists(db()));
    m_run->setTarget({});
    QCOMPARE(m_run->targetUrl(), m_session->project()->config.sqlalchemyUrl);
    QVERIFY(!m_run->isProduction());
}

void tst_RunController::stairwayGivesEnvPyTheTargetsXArguments()
{
    // An env.py that refuses to run without -x tenant=NAME: the window's stairway hands it
    // the target's -x arguments, as a run on that database would.
    QVERIFY(testsupport::writeTenantProject(m_project));
    QSignalSpy loaded(m_session.get(), &ProjectSession::projectLoaded);
    m_session->reload();
    QTRY_VERIFY(loaded.count() >= 1);
    QSignalSpy done(m_run.get(), &RunController::stairwayFinished);
    QVERIFY(m_run->runStairway());
    QVERIFY(done.wait(120000));
    QVERIFY2(done.first().at(1).toInt() != 0, qPrintable(m_run->status())); // env.py refused

    RunTarget target;
    target.xArgs = {QStringLiteral("tenant=acme")};
    m_run->setTarget(target);
    done.clear();
    QVERIFY(m_run->runStairway());
    QVERIFY(done.wait(180000));
    QVERIFY2(done.first().at(1).toInt() == 0, qPrintable(m_run->status()));
    QVERIFY2(m_run->status().contains(QStringLiteral("all 9 revisions passed")), qPrintable(m_run->status()));
    QVERIFY(m_run->history().first().log.contains(QStringLiteral("pass  ab12ab12ab12  the tenant's ledger")));
    // The stairway ran on a scratch database: the project's own was not created.
    QVERIFY(!QFile::exists(db()));
}

// MySQL commits each DDL statement: the Run dock's report (the only one; the Schema dock no
// longer reads the database for it) names the tables the failing migration touches.
void tst_RunController::failedStepOnMysqlKeepsItsDdl()
{
    testsupport::MariaDbServer server;
    QVERIFY2(server.isRunning(), qPrintable(server.error()));
    QCOMPARE(server.sql(QStringLiteral("CREATE DATABASE halfway")).exitCode, 0);
    reloadWith(QStringLiteral("f00f00f00f03_loyalty.py"),
               revisionSource(QStringLiteral("f00f00f00f03"), kMerge,
                              QStringLiteral("    op.create_table('loyalty_cards', sa.Column('id', sa.Integer(), primary_key=True))\n"
                                             "    op.execute('SELECT no_such_function()')")));
    RunTarget target;
    target.url = server.url(QStringLiteral("halfway"));
    m_run->setTarget(target);
    QSignalSpy finished(m_run.get(), &RunController::runFinished);
    QVERIFY(m_run->upgrade(QStringLiteral("heads")));
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(m_session->runState().failedRevision, QStringLiteral("f00f00f00f03"));
    const auto &report = m_run->failedStep();
    QVERIFY2(report.summary.startsWith(QStringLiteral("MySQL committed the statements before the failure")), qPrintable(report.summary));
    QVERIFY(report.tables.contains(QStringLiteral("loyalty_cards")));
    QVERIFY(report.leftovers.contains(QStringLiteral("Table \"halfway.loyalty_cards\"")));
    QVERIFY(m_run->status().contains(QStringLiteral("MySQL committed")));
    QVERIFY(!m_run->history().first().log.contains(QString::fromLatin1(testsupport::MariaDbServer::Password)));
}

QTEST_MAIN(tst_RunController)
#include "tst_runcontroller.moc"
