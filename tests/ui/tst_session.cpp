// The session and the action handler, each alone (no MainWindow): state is owned in one
// place, observed through signals, and the actions enable from it.
#include "../integration/testsupport.h"
#include "sqlitestamp.h"
#include "actionhandler.h"
#include "editor/migrationeditor.h"
#include "databases.h"
#include "projectsession.h"
#include "run/runcontroller.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>

using namespace retort::ui;

namespace {

const QString kMerge = QStringLiteral("7f2e4c9b1d83");
const QString kOrders = QStringLiteral("4b6d9e2f8a01");
const QString kMenu = QStringLiteral("9a3c5f71e8d6");


} // namespace

class tst_Session : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void loadSetsTheNewestRevisionCurrent();
    void currentRevisionIsOwnedOnce();
    void appliedRevisionsFollowTheDatabase();
    void openingAnotherProjectDropsEverything();
    void runStateSignals();
    void actionsFollowTheState();

private:
    void load(ProjectSession &session, const QString &dir);
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_project;
};

void tst_Session::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RetortTests"));
}

void tst_Session::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_project = testsupport::copyExample(*m_tmp);
    QVERIFY(!m_project.isEmpty());
}

void tst_Session::load(ProjectSession &session, const QString &dir)
{
    QSignalSpy db(&session, &ProjectSession::databasePositionChanged);
    QSignalSpy loaded(&session, &ProjectSession::projectLoaded);
    session.open(dir);
    QVERIFY(loaded.wait(20000));
    QVERIFY(db.count() > 0 || db.wait(20000));
    // The first signal may say "not answered yet" (no position while the first read is out).
    QTRY_VERIFY_WITH_TIMEOUT(session.databases()->activeStatus().read && !session.databases()->activeStatus().reading, 20000);
}

void tst_Session::loadSetsTheNewestRevisionCurrent()
{
    ProjectSession session;
    QSignalSpy current(&session, &ProjectSession::currentRevisionChanged);
    QSignalSpy problems(&session, &ProjectSession::problemsChanged);
    load(session, m_project);
    QCOMPARE(current.count(), 1);
    QCOMPARE(current.first().first().toString(), kMerge);
    QCOMPARE(session.currentRevision(), kMerge);
    // Structural problems at once, then again with the lints from the pool.
    QTRY_VERIFY(problems.count() >= 2);
    QVERIFY(session.databaseError().contains(QStringLiteral("does not exist")));
    QVERIFY(!session.databaseExists());
}

void tst_Session::currentRevisionIsOwnedOnce()
{
    ProjectSession session;
    load(session, m_project);
    QSignalSpy current(&session, &ProjectSession::currentRevisionChanged);
    QVERIFY(!session.setCurrentRevision(QStringLiteral("nosuchrevision")));
    QCOMPARE(session.currentRevision(), kMerge);
    QVERIFY(session.setCurrentRevision(kMenu));
    QVERIFY(session.setCurrentRevision(kMenu)); // the same: no second signal
    QCOMPARE(current.count(), 1);
    // A reload keeps it, and says so once so views re-show it from the new snapshot.
    QSignalSpy loaded(&session, &ProjectSession::projectLoaded);
    session.reload();
    QVERIFY(loaded.wait(20000));
    QCOMPARE(session.currentRevision(), kMenu);
    QCOMPARE(current.count(), 2);
    QCOMPARE(current.last().first().toString(), kMenu);
    QSignalSpy selection(&session, &ProjectSession::selectionChanged);
    session.setSelectedRevisions({kMenu, kOrders});
    session.setSelectedRevisions({kMenu, kOrders});
    QCOMPARE(selection.count(), 1);
}

void tst_Session::appliedRevisionsFollowTheDatabase()
{
    stampDatabase(m_project + QStringLiteral("/coffee.db"), {kOrders});
    ProjectSession session;
    load(session, m_project);
    QCOMPARE(session.currentRevisions(), QStringList{kOrders});
    QVERIFY(session.databaseExists());
    // Everything under the head is applied; the other branch and the merge are not.
    for (const char *id : {"4b6d9e2f8a01", "1e0b7a66d2c4", "c5a8830e41f7", "b27e6f0d9c35", "8d41e07c5a92", "3f9c1d2a7b10"})
        QVERIFY2(session.isApplied(QString::fromLatin1(id)), id);
    QVERIFY(!session.isApplied(kMenu));
    QVERIFY(!session.isApplied(kMerge));
}

void tst_Session::openingAnotherProjectDropsEverything()
{
    ProjectSession session;
    load(session, m_project);
    session.setRunFailed(kMenu, QStringLiteral("x.py"), 3, QStringLiteral("boom"));
    session.setStairwayResults({{kMenu, false}});
    QTemporaryDir other;
    const QString second = testsupport::copyExample(other);
    QSignalSpy opening(&session, &ProjectSession::projectOpening);
    QSignalSpy current(&session, &ProjectSession::currentRevisionChanged);
    QSignalSpy run(&session, &ProjectSession::runStateChanged);
    session.open(second);
    QCOMPARE(opening.count(), 1);
    QVERIFY(!session.project());
    QCOMPARE(session.currentRevision(), QString());
    QCOMPARE(current.count(), 1);
    QVERIFY(run.count() >= 1);
    QVERIFY(session.runState().failedRevision.isEmpty());
    QVERIFY(session.runState().stairway.isEmpty());
    QVERIFY(session.problems().isEmpty());
    QVERIFY(session.currentRevisions().isEmpty());
}

void tst_Session::runStateSignals()
{
    ProjectSession session;
    QSignalSpy run(&session, &ProjectSession::runStateChanged);
    session.setRunning(true);
    session.setRunning(true);
    QCOMPARE(run.count(), 1);
    session.setRunningRevision(kMenu);
    QCOMPARE(session.runState().runningRevision, kMenu);
    session.setRunning(false);
    QVERIFY(session.runState().runningRevision.isEmpty());
    session.setRunFailed(kMenu, QStringLiteral("f.py"), 12, QStringLiteral("boom"));
    QCOMPARE(session.runState().failedLine, 12);
    // A new run clears the old failure.
    session.setRunning(true);
    QVERIFY(session.runState().failedRevision.isEmpty());
    QCOMPARE(run.count(), 5);
}

void tst_Session::actionsFollowTheState()
{
    stampDatabase(m_project + QStringLiteral("/coffee.db"), {kOrders});
    ProjectSession session;
    MigrationEditor editor;
    RunController run(&session);
    ActionHandler actions(&session, &run, &editor);
    auto enabled = [&](ActionHandler::Id id) { return actions.action(id)->isEnabled(); };
    QVERIFY(!enabled(ActionHandler::UpgradeHeads)); // no project yet
    QVERIFY(!enabled(ActionHandler::Save));
    QVERIFY(!enabled(ActionHandler::CancelRun));
    QSignalSpy located(&run, &RunController::alembicLocated);
    load(session, m_project);
    run.setProject(session.project());
    QVERIFY(located.wait(30000));
    QVERIFY(located.first().first().toBool());
    QVERIFY(enabled(ActionHandler::UpgradeHeads));
    // Nothing to save, nothing to cancel.
    QVERIFY(!enabled(ActionHandler::Save));
    QVERIFY(!enabled(ActionHandler::CancelRun));
    // An applied revision: no "upgrade to" it; a pending one: no "downgrade to" it.
    QVERIFY(session.setCurrentRevision(QStringLiteral("1e0b7a66d2c4")));
    QVERIFY(!enabled(ActionHandler::UpgradeSelected));
    QVERIFY(enabled(ActionHandler::DowngradeSelected));
    QVERIFY(session.setCurrentRevision(kMenu));
    QVERIFY(enabled(ActionHandler::UpgradeSelected));
    QVERIFY(!enabled(ActionHandler::DowngradeSelected));
    // Merge only when every selected revision is a head (and there are two).
    session.setSelectedRevisions({kMenu, kOrders});
    QVERIFY(!enabled(ActionHandler::MergeSelected));
    session.setSelectedRevisions({kMerge});
    QVERIFY(!enabled(ActionHandler::MergeSelected));
    // Editing enables Save; a run disables the run actions and enables Cancel.
    editor.openFile(session.project()->map.fileOf(session.project()->map.indexOf(kMenu)).path);
    QTRY_VERIFY(!editor.isLoading());  // read in the pool: this editor has no content source
    editor.textEdit()->insert(QStringLiteral("# x\n"));
    QVERIFY(enabled(ActionHandler::Save));
    editor.textEdit()->setModified(false);
    QVERIFY(!enabled(ActionHandler::Save));
    session.setRunning(true);
    QVERIFY(enabled(ActionHandler::CancelRun));
    QVERIFY(!enabled(ActionHandler::UpgradeHeads));
    QVERIFY(!enabled(ActionHandler::StampSelected));
    session.setRunning(false);
    QVERIFY(!enabled(ActionHandler::CancelRun));
    // Runs go to the active database: choosing another one retargets them and the
    // actions follow its position (other.db is at the menu head).
    run.followDatabases(session.databases());
    QCOMPARE(run.target().name, QString());
    stampDatabase(m_project + QStringLiteral("/other.db"), {kMenu});
    QCOMPARE(session.databases()->add({QStringLiteral("other"), QStringLiteral("sqlite:///other.db"), {QStringLiteral("tenant=b")}, false, false}), QString());
    QSignalSpy position(&session, &ProjectSession::databasePositionChanged);
    session.databases()->setActive(QStringLiteral("other"));
    QVERIFY(position.wait(10000));
    QCOMPARE(run.target().name, QStringLiteral("other"));
    QCOMPARE(run.target().url, QStringLiteral("sqlite:///other.db"));
    QCOMPARE(run.target().xArgs, QStringList{QStringLiteral("tenant=b")});
    QVERIFY(enabled(ActionHandler::UpgradeHeads));
    QVERIFY(enabled(ActionHandler::StampHeads));
    QVERIFY(session.setCurrentRevision(kMenu));
    QVERIFY(!enabled(ActionHandler::UpgradeSelected)); // other.db's head
    QVERIFY(session.setCurrentRevision(kOrders));
    QVERIFY(enabled(ActionHandler::UpgradeSelected)); // pending on other.db (applied on coffee.db)
    QVERIFY(!enabled(ActionHandler::DowngradeSelected));
    // The production switch is the connection's flag: saved with it, the target follows.
    run.setProduction(true);
    QVERIFY(session.databases()->activeConnection()->production);
    QVERIFY(run.target().production);
    QCOMPARE(run.target().name, QStringLiteral("other"));
    session.databases()->setActive(QStringLiteral("alembic.ini"));
    QVERIFY(position.wait(10000));
    QCOMPARE(run.target().name, QString());
    QCOMPARE(run.target().url, QString());
    QVERIFY(!run.target().production);
    QVERIFY(enabled(ActionHandler::UpgradeHeads));
    session.databases()->remove(QStringLiteral("other"));
}

QTEST_MAIN(tst_Session)
#include "tst_session.moc"
