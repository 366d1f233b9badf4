// The workbench does not crash-loop: after a run that ended in a crash, the last project is
// not reopened at start-up without asking (issue 14).
#include "../integration/testsupport.h"
#include "mainwindow.h"
#include "projectsession.h"
#include "prompter.h"
#include "scriptedprompter.h"
#include "startupguard.h"

#include <QApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace retort::ui;

namespace {


} // namespace

class tst_StartupGuard : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanRunReopensTheLastProject();
    void crashedRunAsksFirst_data();
    void crashedRunAsksFirst();
    void liveWindowIsNotACrash();
    void endingNormallyClearsTheMark();

private:
    testsupport::ScriptedPrompter m_prompter;
    QTemporaryDir m_tmp;
    QString m_project;
};

void tst_StartupGuard::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RetortTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_startupguard"));
    Prompter::setInstance(&m_prompter);
    m_project = testsupport::copyExample(m_tmp);
    QVERIFY(!m_project.isEmpty());
}

void tst_StartupGuard::init()
{
    QSettings().clear();
    QSettings().setValue(QStringLiteral("project/last"), m_project);
    m_prompter = testsupport::ScriptedPrompter();
}

void tst_StartupGuard::cleanRunReopensTheLastProject()
{
    const StartupGuard guard;
    QVERIFY(!guard.previousRunCrashed());
    MainWindow window;
    QSignalSpy loaded(&window, &MainWindow::projectLoaded);
    QVERIFY(!guard.reopenLastProject(window));
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY(m_prompter.asked.isEmpty());
}

void tst_StartupGuard::crashedRunAsksFirst_data()
{
    QTest::addColumn<bool>("open");
    QTest::newRow("open it") << true;
    QTest::newRow("start without it") << false;
}

void tst_StartupGuard::crashedRunAsksFirst()
{
    QFETCH(bool, open);
    // A run that crashed left its mark: a process id no process has any more.
    QSettings().setValue(QStringLiteral("session/runningPid"), 999999999);
    QSettings().sync();
    const StartupGuard guard;
    QVERIFY(guard.previousRunCrashed());
    MainWindow window;
    QSignalSpy loaded(&window, &MainWindow::projectLoaded);
    QSignalSpy failed(&window, &MainWindow::loadFailed);
    m_prompter.confirmAnswers = {open};
    QVERIFY(guard.reopenLastProject(window));
    QCOMPARE(m_prompter.asked.size(), 1);
    QVERIFY(m_prompter.html.first().contains(m_project));
    if (open) {
        QTRY_COMPARE(loaded.count(), 1);
    } else {
        // Nothing was started: the session has no project and is not loading one.
        QVERIFY(window.session()->location().isEmpty());
        QCOMPARE(loaded.count() + failed.count(), 0);
    }
}

void tst_StartupGuard::liveWindowIsNotACrash()
{
    // The mark of a window that still runs (this very program) is not a crash.
    QSettings().setValue(QStringLiteral("session/runningPid"), QCoreApplication::applicationPid());
    {
        const StartupGuard guard;
        QVERIFY(!guard.previousRunCrashed());
    }
    // A process id that some other program has taken since (after a crash, a reboot) is one.
    QProcess other;
    other.start(QStringLiteral("sleep"), {QStringLiteral("30")});
    QVERIFY(other.waitForStarted());
    QSettings().setValue(QStringLiteral("session/runningPid"), other.processId());
    const StartupGuard guard;
    QVERIFY(guard.previousRunCrashed());
    other.kill();
    other.waitForFinished();
}

void tst_StartupGuard::endingNormallyClearsTheMark()
{
    {
        const StartupGuard guard;
        QCOMPARE(QSettings().value(QStringLiteral("session/runningPid")).toLongLong(), QCoreApplication::applicationPid());
    }
    QVERIFY(!QSettings().contains(QStringLiteral("session/runningPid")));
    const StartupGuard next;
    QVERIFY(!next.previousRunCrashed());
}

QTEST_MAIN(tst_StartupGuard)
#include "tst_startupguard.moc"
