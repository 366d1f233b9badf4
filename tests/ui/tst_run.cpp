// Running the real Alembic from the workbench, offscreen: plans, confirmations, the live
// log, steps, cancel, failures, merges with the conflict view, new revisions, offline SQL —
// on SQLite and on a throwaway PostgreSQL.
#include "../integration/testsupport.h"
#include "editor/migrationeditor.h"
#include "graph/graphpanel.h"
#include "mainwindow.h"
#include "models/revisionmodel.h"
#include "projectsession.h"
#include "prompter.h"
#include "scriptedprompter.h"
#include "run/runcontroller.h"
#include "run/runpanel.h"
#include "run/sqlpreview.h"

#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QComboBox>
#include <QTabWidget>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace retort::ui;

namespace {

using testsupport::ScriptedPrompter;

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

QByteArray revisionSource(const QString &id, const QString &down, const QString &message, const QString &upgradeBody)
{
    return QStringLiteral("\"\"\"%3\n\nRevision ID: %1\nRevises: %2\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
                          "revision = '%1'\ndown_revision = '%2'\nbranch_labels = None\ndepends_on = None\n\n\n"
                          "def upgrade() -> None:\n%4\n\n\ndef downgrade() -> None:\n    pass\n")
        .arg(id, down, message, upgradeBody)
        .toUtf8();
}

} // namespace

class tst_Run : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void upgradeStreamsAndTracksSteps();
    void downgradeAndStampAsk();
    void stampConfirmationShowsTheResultingRows();
    void downgradeOneAtAMergeExplainsItself();
    void productionAsksForTheName();
    void upgradeOneBranch();
    void failedMigrationIsShownTruly();
    void failedRunIsReadableInTheDock_data();
    void failedRunIsReadableInTheDock();
    void cancelStopsASlowMigration();
    void leavingARunAsksFirst();
    void committedStepsShowAppliedWhileTheRunGoesOn();
    void windowShortcutsFromTheEditor();
    void mergeShowsConflictsAndLeavesOneHead();
    void newRevisionOpensInTheEditor();
    void offlineSql();
    void sqlTabIsAPreviewNotARun();
    void postgres();
    void stairwayBadges();
    void configuredAlembic();

private:
    bool runAndWait(const std::function<bool()> &action, int timeoutMs = 60000);
    QString current() const { return m_window->session()->currentRevisions().join(QLatin1Char(',')); }
    void refreshAndWait();
    void addSlowRevision();

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<MainWindow> m_window;
    QString m_project;
    ScriptedPrompter m_prompter;
};

void tst_Run::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RetortRunTests"));
    Prompter::setInstance(&m_prompter);
}

void tst_Run::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_project = testsupport::copyExample(*m_tmp);
    m_prompter = ScriptedPrompter();
    m_window = std::make_unique<MainWindow>();
    m_window->session()->setReloadDelay(50);
    m_window->show();
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    QSignalSpy located(m_window->findChild<RunController *>(), &RunController::alembicLocated);
    m_window->openProject(m_project);
    QTRY_COMPARE(loaded.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(located.count(), 1, 30000);
    QVERIFY2(located.first().first().toBool(), qPrintable(m_window->findChild<RunController *>()->alembicDescription()));
}

void tst_Run::cleanup()
{
    if (m_window->findChild<RunController *>()->isRunning()) {
        m_window->findChild<RunController *>()->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->findChild<RunController *>()->isRunning(), 10000);
    }
    m_window->findChild<MigrationEditor *>()->textEdit()->setModified(false);
    m_window.reset();
    m_tmp.reset();
}

bool tst_Run::runAndWait(const std::function<bool()> &action, int timeoutMs)
{
    QSignalSpy finished(m_window->findChild<RunController *>(), &RunController::runFinished);
    if (!action())
        return false;
    if (!finished.wait(timeoutMs))
        return false;
    QSignalSpy db(m_window->session(), &ProjectSession::databasePositionChanged);
    db.wait(10000);
    return finished.first().first().toBool();
}

void tst_Run::refreshAndWait()
{
    QSignalSpy db(m_window->session(), &ProjectSession::databasePositionChanged);
    m_window->session()->refreshDatabase();
    QVERIFY(db.wait(10000));
}

// A head after the merge whose upgrade sleeps a minute, loaded into the window.
void tst_Run::addSlowRevision()
{
    const QString slow = m_project + QStringLiteral("/alembic/versions/51070000aaaa_slow.py");
    writeFile(slow, revisionSource(QStringLiteral("51070000aaaa"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("a slow one"),
                                   QStringLiteral("    import time\n    time.sleep(60)")));
    QSignalSpy reloaded(m_window.get(), &MainWindow::projectLoaded);
    m_window->session()->reload();
    QTRY_VERIFY(reloaded.count() >= 1);
}

void tst_Run::upgradeStreamsAndTracksSteps()
{
    RunController *run = m_window->findChild<RunController *>();
    RunPanel *panel = m_window->findChild<RunPanel *>();
    QVERIFY(run->alembicDescription().contains(QStringLiteral("Alembic 1.")));
    QSignalSpy steps(run, &RunController::stepChanged);
    QCOMPARE(panel->progress()->text(), QStringLiteral("No run yet"));
    QVERIFY(runAndWait([run] { return run->upgrade(QStringLiteral("heads")); }));
    QCOMPARE(current(), QStringLiteral("7f2e4c9b1d83"));
    const QString log = panel->log()->toPlainText();
    QVERIFY(log.contains(QStringLiteral("# plan: upgrade  -> 3f9c1d2a7b10, create employees")));
    QVERIFY(log.contains(QStringLiteral("Running upgrade 4b6d9e2f8a01, 9a3c5f71e8d6 -> 7f2e4c9b1d83")));
    QCOMPARE(panel->progress()->maximum(), 8);
    QCOMPARE(panel->progress()->value(), 8);
    QCOMPARE(panel->progress()->text(), QStringLiteral("8 / 8 steps"));
    // Every step was reported with its revision (plus the final "none").
    QCOMPARE(steps.count(), 9);
    QCOMPARE(steps.first().first().toString(), QStringLiteral("3f9c1d2a7b10"));
    QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("done")));
    QCOMPARE(panel->history()->count(), 1);
    // Nothing is running any more, so no row is highlighted.
    for (int r = 0; r < m_window->findChild<RevisionModel *>()->rowCount(); ++r)
        QVERIFY(!m_window->findChild<RevisionModel *>()->index(r, 0).data(RevisionModel::IsRunningRole).toBool());
}

void tst_Run::downgradeAndStampAsk()
{
    RunController *run = m_window->findChild<RunController *>();
    QVERIFY(runAndWait([run] { return run->upgrade(QStringLiteral("heads")); }));
    // Declined: nothing runs.
    QSignalSpy started(run, &RunController::runStarted);
    m_prompter.confirmAnswers = {false};
    QVERIFY(!run->downgrade(QStringLiteral("1e0b7a66d2c4")));
    QCOMPARE(started.count(), 0);
    QCOMPARE(m_prompter.asked.last(), QStringLiteral("Downgrade"));
    QVERIFY(m_prompter.html.last().contains(QStringLiteral("downgrade 7f2e4c9b1d83 -&gt; 4b6d9e2f8a01, 9a3c5f71e8d6")));
    QVERIFY(m_prompter.html.last().contains(QStringLiteral("sqlite:///")));
    // Accepted: it runs, and the database position is re-read.
    m_prompter.confirmAnswers = {true};
    QVERIFY(runAndWait([run] { return run->downgrade(QStringLiteral("1e0b7a66d2c4")); }));
    QCOMPARE(current(), QStringLiteral("1e0b7a66d2c4"));
    m_prompter.confirmAnswers = {true};
    QVERIFY(runAndWait([run] { return run->stamp(QStringLiteral("base")); }));
    QCOMPARE(current(), QString());
    QCOMPARE(m_prompter.asked.last(), QStringLiteral("Stamp"));
}

void tst_Run::stampConfirmationShowsTheResultingRows()
{
    RunController *run = m_window->findChild<RunController *>();
    QVERIFY(runAndWait([run] { return run->upgrade(QStringLiteral("4b6d9e2f8a01")); }));
    QCOMPARE(current(), QStringLiteral("4b6d9e2f8a01"));
    // Stamping the sibling branch leaves two rows, and the confirmation says exactly that.
    m_prompter.confirmAnswers = {false};
    QVERIFY(!run->stamp(QStringLiteral("9a3c5f71e8d6")));
    const QString html = m_prompter.html.last();
    QVERIFY2(html.contains(QStringLiteral("Version table after: <b><code>4b6d9e2f8a01</code>, <code>9a3c5f71e8d6</code></b>")),
             qPrintable(html));
    QVERIFY(html.contains(QStringLiteral("insert <code>9a3c5f71e8d6</code>")));
    m_prompter.confirmAnswers = {true};
    QVERIFY(runAndWait([run] { return run->stamp(QStringLiteral("9a3c5f71e8d6")); }));
    QStringList rows = m_window->session()->currentRevisions();
    rows.sort();
    QCOMPARE(rows, (QStringList{QStringLiteral("4b6d9e2f8a01"), QStringLiteral("9a3c5f71e8d6")}));
}

void tst_Run::downgradeOneAtAMergeExplainsItself()
{
    RunController *run = m_window->findChild<RunController *>();
    RunPanel *panel = m_window->findChild<RunPanel *>();
    QVERIFY(runAndWait([run] { return run->upgrade(QStringLiteral("heads")); }));
    QCOMPARE(current(), QStringLiteral("7f2e4c9b1d83"));
    // Alembic itself calls -1 at a merge an "Ambiguous walk": the dock says what to do instead.
    QVERIFY(!run->downgrade(QStringLiteral("-1")));
    const QString text = panel->resultLabel()->text();
    QVERIFY2(text.contains(QStringLiteral("7f2e4c9b1d83 is a merge of 4b6d9e2f8a01 and 9a3c5f71e8d6")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Downgrade This Branch by One")));
    QCOMPARE(current(), QStringLiteral("7f2e4c9b1d83"));
}

void tst_Run::productionAsksForTheName()
{
    RunController *run = m_window->findChild<RunController *>();
    run->setProduction(true);
    m_prompter.confirmAnswers = {false};
    QVERIFY(!run->upgrade(QStringLiteral("heads")));
    QCOMPARE(m_prompter.mustType.last(), QStringLiteral("coffee.db"));
    QVERIFY(m_prompter.html.last().contains(QStringLiteral("8 steps")));
    QVERIFY(!run->isRunning());
    run->setProduction(false);
}

void tst_Run::upgradeOneBranch()
{
    RunController *run = m_window->findChild<RunController *>();
    RunPanel *panel = m_window->findChild<RunPanel *>();
    QVERIFY(runAndWait([run] { return run->upgrade(QStringLiteral("9a3c5f71e8d6")); }));
    QCOMPARE(current(), QStringLiteral("9a3c5f71e8d6"));
    QVERIFY(!panel->log()->toPlainText().contains(QStringLiteral("create orders")));
    // The other branch too: two heads applied; "downgrade this branch by one" moves only one.
    QVERIFY(runAndWait([run] { return run->upgrade(QStringLiteral("4b6d9e2f8a01")); }));
    QCOMPARE(m_window->session()->currentRevisions().size(), 2);
    m_prompter.confirmAnswers = {true};
    QVERIFY(runAndWait([run] { return run->downgrade(QStringLiteral("9a3c5f71e8d6@-1")); }));
    QCOMPARE(current(), QStringLiteral("4b6d9e2f8a01"));
}

void tst_Run::failedMigrationIsShownTruly()
{
    const QString bad = m_project + QStringLiteral("/alembic/versions/bad0bad0bad0_broken.py");
    writeFile(bad, revisionSource(QStringLiteral("bad0bad0bad0"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("a broken one"),
                                  QStringLiteral("    op.execute(\"UPDATE no_such_table SET x = 1\")")));
    QSignalSpy reloaded(m_window.get(), &MainWindow::projectLoaded);
    m_window->session()->reload();
    QTRY_VERIFY(reloaded.count() >= 1);
    RunController *run = m_window->findChild<RunController *>();
    RunPanel *panel = m_window->findChild<RunPanel *>();
    QSignalSpy failed(run, &RunController::failedAt);
    QVERIFY(!runAndWait([run] { return run->upgrade(QStringLiteral("heads")); }));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("bad0bad0bad0"));
    QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("failed in revision bad0bad0bad0")));
    QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("no such table")));
    // Everything before the broken revision was applied and is shown as such.
    QCOMPARE(current(), QStringLiteral("7f2e4c9b1d83"));
    QCOMPARE(m_window->findChild<MigrationEditor *>()->path(), bad);
}

void tst_Run::failedRunIsReadableInTheDock_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1024x700") << QSize(1024, 700);
    QTest::newRow("1600x1000") << QSize(1600, 1000);
}

void tst_Run::failedRunIsReadableInTheDock()
{
    // Found at 1024x700: after a failed run the dock's three rows of controls left its log
    // two lines, cut at the right edge, under a three-line failure message. A fresh window
    // (no saved layout) at each size: the message whole, the steps' count in its bar, and
    // more than a few lines of the log, wrapped.
    QFETCH(QSize, size);
    m_window.reset();
    m_window = std::make_unique<MainWindow>();
    m_window->session()->setReloadDelay(50);
    m_window->resize(size);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    const QString bad = m_project + QStringLiteral("/alembic/versions/bad0bad0bad0_broken.py");
    writeFile(bad, revisionSource(QStringLiteral("bad0bad0bad0"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("a broken one"),
                                  QStringLiteral("    op.execute(\"UPDATE no_such_table SET x = 1\")")));
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    QSignalSpy located(m_window->findChild<RunController *>(), &RunController::alembicLocated);
    m_window->openProject(m_project);
    QTRY_COMPARE(loaded.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(located.count(), 1, 30000);
    RunController *run = m_window->findChild<RunController *>();
    RunPanel *panel = m_window->findChild<RunPanel *>();
    QVERIFY(!runAndWait([run] { return run->upgrade(QStringLiteral("heads")); }));
    QCoreApplication::sendPostedEvents();
    QTRY_VERIFY(panel->isVisible());
    QCOMPARE(m_window->size(), size);

    QLabel *result = panel->resultLabel();
    QVERIFY(result->text().contains(QStringLiteral("failed in revision bad0bad0bad0")));
    QVERIFY2(result->heightForWidth(result->width()) <= result->height(),
             qPrintable(QStringLiteral("the message needs %1 px, it has %2").arg(result->heightForWidth(result->width())).arg(result->height())));
    QProgressBar *progress = panel->progress();
    QCOMPARE(progress->text(), QStringLiteral("8 / 9 steps"));
    QVERIFY(progress->width() >= progress->fontMetrics().horizontalAdvance(progress->text()) + 8);
    QPlainTextEdit *log = panel->log();
    const int lines = log->viewport()->height() / log->fontMetrics().lineSpacing();
    QVERIFY2(lines >= 4, qPrintable(QStringLiteral("%1 lines of log").arg(lines)));
    QVERIFY(!log->horizontalScrollBar()->isVisible());
}

void tst_Run::cancelStopsASlowMigration()
{
    addSlowRevision();
    RunController *run = m_window->findChild<RunController *>();
    RunPanel *panel = m_window->findChild<RunPanel *>();
    QSignalSpy finished(run, &RunController::runFinished);
    QVERIFY(run->upgrade(QStringLiteral("heads")));
    // The log arrives while the process still runs, and the slow step is highlighted.
    QTRY_VERIFY_WITH_TIMEOUT(panel->log()->toPlainText().contains(QStringLiteral("Running upgrade 7f2e4c9b1d83 -> 51070000aaaa, a slow one")), 30000);
    QVERIFY(run->isRunning());
    const int row = m_window->findChild<RevisionModel *>()->rowOfRevision(QStringLiteral("51070000aaaa"));
    QVERIFY(m_window->findChild<RevisionModel *>()->index(row, 0).data(RevisionModel::IsRunningRole).toBool());
    run->cancel();
    // The step sleeps 60 s: a run that ends inside this wait was stopped, not waited for.
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("cancelled")));
    refreshAndWait();
    QCOMPARE(current(), QStringLiteral("7f2e4c9b1d83"));
}

void tst_Run::leavingARunAsksFirst()
{
    // Opening another project, or closing the window, cancels a run going on: asked first,
    // and a No leaves the run, the project and the window as they are.
    addSlowRevision();
    RunController *run = m_window->findChild<RunController *>();
    RunPanel *panel = m_window->findChild<RunPanel *>();
    QTemporaryDir otherDir;
    const QString other = testsupport::copyExample(otherDir);
    QVERIFY(!other.isEmpty());
    QVERIFY(run->upgrade(QStringLiteral("heads")));
    QTRY_VERIFY_WITH_TIMEOUT(panel->log()->toPlainText().contains(QStringLiteral("a slow one")), 30000);
    const int asked = int(m_prompter.asked.size());
    m_prompter.confirmAnswers = {false};
    m_window->openProject(other);
    QCOMPARE(m_prompter.asked.size(), asked + 1);
    QCOMPARE(m_prompter.asked.last(), QStringLiteral("Cancel the Run?"));
    QVERIFY(m_prompter.html.last().contains(QStringLiteral("upgrade heads")));
    QVERIFY(run->isRunning());
    QCOMPARE(m_window->session()->location(), QFileInfo(m_project).absoluteFilePath());
    m_prompter.confirmAnswers = {false};
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
    QVERIFY(run->isRunning());
    QCOMPARE(m_prompter.asked.last(), QStringLiteral("Cancel the Run?"));
    // Yes: the run is cancelled and the other project opens.
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    m_prompter.confirmAnswers = {true};
    m_window->openProject(other);
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY(!run->isRunning());
    QCOMPARE(m_window->session()->location(), QFileInfo(other).absoluteFilePath());
}

void tst_Run::committedStepsShowAppliedWhileTheRunGoesOn()
{
    // Found by hand on 2,000 revisions: while a slow step ran, the steps before it said
    // "pending" although SQLite had committed each (Alembic commits every step without
    // transactional DDL; cancelling kept them). A committed step is applied at once.
    addSlowRevision();
    RunController *run = m_window->findChild<RunController *>();
    auto *model = m_window->findChild<RevisionModel *>();
    const auto stateOf = [model](const QString &id) {
        return RevisionModel::State(model->index(model->rowOfRevision(id), 0).data(RevisionModel::StateRole).toInt());
    };
    const QString before = current();
    QVERIFY(before != QLatin1String("7f2e4c9b1d83"));
    QCOMPARE(stateOf(QStringLiteral("7f2e4c9b1d83")), RevisionModel::State::Pending);
    QSignalSpy finished(run, &RunController::runFinished);
    QVERIFY(run->upgrade(QStringLiteral("heads")));
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(QStringLiteral("51070000aaaa")) == RevisionModel::State::Running, 30000);
    QCOMPARE(stateOf(QStringLiteral("7f2e4c9b1d83")), RevisionModel::State::Applied);
    QCOMPARE(stateOf(QStringLiteral("9a3c5f71e8d6")), RevisionModel::State::Applied);
    QCOMPARE(m_window->session()->currentRevisions(), QStringList{QStringLiteral("7f2e4c9b1d83")});
    run->cancel();
    QVERIFY(finished.wait(10000));
    // What the version table says afterwards is what was shown.
    refreshAndWait();
    QCOMPARE(current(), QStringLiteral("7f2e4c9b1d83"));
    QCOMPARE(stateOf(QStringLiteral("7f2e4c9b1d83")), RevisionModel::State::Applied);
    QCOMPARE(stateOf(QStringLiteral("51070000aaaa")), RevisionModel::State::Pending);
}

void tst_Run::windowShortcutsFromTheEditor()
{
    // The window's shortcuts work while the editor has focus, and none of them edits the file:
    // QScintilla binds Ctrl+L (cut line) and Ctrl+Shift+U (upper case) and typed the "." of Ctrl+.
    addSlowRevision();
    RunController *run = m_window->findChild<RunController *>();
    auto *editor = m_window->findChild<MigrationEditor *>();
    QTRY_VERIFY(!editor->path().isEmpty() && !editor->isLoading());
    QsciScintilla *text = editor->textEdit();
    m_window->activateWindow();
    text->setFocus();
    QTRY_VERIFY(text->hasFocus());
    const QString before = text->text();

    QTest::keyClick(text, Qt::Key_Period, Qt::ControlModifier); // Cancel Run, disabled while idle
    QCOMPARE(text->text(), before);

    QTest::keyClick(text, Qt::Key_L, Qt::ControlModifier); // Filter Revisions
    QCOMPARE(text->text(), before);
    QTRY_VERIFY(m_window->findChild<GraphPanel *>()->isAncestorOf(QApplication::focusWidget()));

    text->setFocus();
    QTRY_VERIFY(text->hasFocus());
    QSignalSpy finished(run, &RunController::runFinished);
    QTest::keyClick(text, Qt::Key_U, Qt::ControlModifier | Qt::ShiftModifier); // Upgrade to Heads
    QTRY_VERIFY_WITH_TIMEOUT(run->isRunning(), 10000);
    QTest::keyClick(text, Qt::Key_Period, Qt::ControlModifier); // Cancel Run
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(text->text(), before);
    QVERIFY(!text->isModified());
}

void tst_Run::mergeShowsConflictsAndLeavesOneHead()
{
    // Two new heads that both change employees.email.
    const QString v = m_project + QStringLiteral("/alembic/versions/");
    writeFile(v + QStringLiteral("aaaa11110000_widen_email.py"),
              revisionSource(QStringLiteral("aaaa11110000"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("widen email"),
                             QStringLiteral("    with op.batch_alter_table('employees') as batch_op:\n"
                                            "        batch_op.alter_column('email', type_=sa.String(320))")));
    writeFile(v + QStringLiteral("bbbb22220000_email_index.py"),
              revisionSource(QStringLiteral("bbbb22220000"), QStringLiteral("7f2e4c9b1d83"), QStringLiteral("lowercase email"),
                             QStringLiteral("    op.execute(\"UPDATE employees SET email = lower(email)\")\n"
                                            "    op.alter_column('employees', 'email', nullable=False)\n"
                                            "    op.add_column('customers', sa.Column('vip', sa.Boolean()))")));
    QSignalSpy reloaded(m_window.get(), &MainWindow::projectLoaded);
    m_window->session()->reload();
    QTRY_VERIFY(reloaded.count() >= 1);
    QTRY_COMPARE(m_window->session()->project()->map.heads().size(), size_t(2));
    QVERIFY(!m_window->findChild<GraphPanel *>()->headsBanner()->isHidden());

    // Cancelled at the conflict view (shown once the pool has read the branches): nothing happens.
    const qsizetype asked = m_prompter.html.size();
    QVERIFY(m_window->findChild<RunController *>()->mergeHeads({QStringLiteral("aaaa11110000"), QStringLiteral("bbbb22220000")}));
    QTRY_COMPARE(m_prompter.html.size(), asked + 1);
    QVERIFY(!m_window->findChild<RunController *>()->isRunning());
    const QString view = m_prompter.html.last();
    QVERIFY(view.contains(QStringLiteral("<b style='color:#c01c28'>employees.email</b>")));
    QVERIFY(view.contains(QStringLiteral("customers.vip")));
    QVERIFY(!view.contains(QStringLiteral("<b style='color:#c01c28'>customers.vip</b>")));
    QVERIFY(view.contains(QStringLiteral("Both branches change")));
    QVERIFY(view.contains(QStringLiteral("employees.email.</b>")) || view.contains(QStringLiteral("employees.email, ")));

    m_prompter.textAnswers = {QStringLiteral("join the email branches")};
    QSignalSpy created(m_window->findChild<RunController *>(), &RunController::revisionCreated);
    QVERIFY(runAndWait([this] { return m_window->findChild<RunController *>()->mergeHeads({QStringLiteral("aaaa11110000"), QStringLiteral("bbbb22220000")}); }));
    QCOMPARE(created.count(), 1);
    QTRY_COMPARE(m_window->session()->project()->map.heads().size(), size_t(1));
    QTRY_VERIFY(m_window->findChild<GraphPanel *>()->headsBanner()->isHidden());
    const auto p = m_window->session()->project();
    const auto &head = p->map.at(p->map.heads().front());
    QCOMPARE(head.downRevisions, (QStringList{QStringLiteral("aaaa11110000"), QStringLiteral("bbbb22220000")}));
    QTRY_COMPARE(m_window->findChild<MigrationEditor *>()->path(), p->map.fileOf(p->map.heads().front()).path);
    QVERIFY(m_window->findChild<MigrationEditor *>()->textEdit()->text().contains(QStringLiteral("join the email branches")));
    // A merge writes a file and applies no migration: its bar says so, not "0 / 1 steps".
    QCOMPARE(m_window->findChild<RunPanel *>()->progress()->text(), QStringLiteral("No steps"));
}

void tst_Run::newRevisionOpensInTheEditor()
{
    RunController *run = m_window->findChild<RunController *>();
    QVERIFY(runAndWait([run] {
        return run->newRevision(QStringLiteral("add loyalty points"), false, QStringLiteral("head"), QStringLiteral("loyalty"),
                                false, QString());
    }));
    QTRY_COMPARE(m_window->findChild<RevisionModel *>()->rowCount(), 9);
    QTRY_VERIFY(m_window->findChild<MigrationEditor *>()->textEdit()->text().contains(QStringLiteral("add loyalty points")));
    const auto p = m_window->session()->project();
    const auto &head = p->map.at(p->map.heads().front());
    QCOMPARE(head.downRevisions, QStringList{QStringLiteral("7f2e4c9b1d83")});
    QVERIFY(head.ownBranchLabels.contains(QStringLiteral("loyalty")));
}

void tst_Run::offlineSql()
{
    auto *preview = m_window->findChild<SqlPreview *>();
    QVERIFY(preview);
    QSignalSpy range(preview, &SqlPreview::rangeSqlReady);
    QVERIFY(preview->renderRange(true, QStringLiteral("8d41e07c5a92")));
    QVERIFY(range.wait(60000));
    QVERIFY(range.last().at(1).toString().contains(QStringLiteral("CREATE TABLE employees")));
    QVERIFY(range.last().at(1).toString().contains(QStringLiteral("CREATE TABLE customers")));
    QCOMPARE(range.last().at(2).toString(), QString());
    // A batch ALTER on SQLite cannot render offline: Alembic's own error says so.
    QVERIFY(preview->renderRange(true, QStringLiteral("c5a8830e41f7")));
    QVERIFY(range.wait(60000));
    QVERIFY(range.last().at(2).toString().contains(QStringLiteral("batch mode with dialect sqlite requires a live database")));
    // Nothing was applied.
    refreshAndWait();
    QCOMPARE(current(), QString());
}

// The SQL tab is a preview: selecting revisions with it visible never starts a run, never
// touches the run log, history or schema, and never moves the selection.
void tst_Run::sqlTabIsAPreviewNotARun()
{
    auto *run = m_window->findChild<RunController *>();
    auto *panel = m_window->findChild<RunPanel *>();
    auto *preview = m_window->findChild<SqlPreview *>();
    auto *sqlView = m_window->findChild<QsciScintilla *>(QStringLiteral("sqlView"));
    QSignalSpy started(run, &RunController::runStarted);
    QSignalSpy finished(run, &RunController::runFinished);
    QSignalSpy ready(preview, &SqlPreview::revisionSqlReady);
    QSignalSpy moved(m_window->session(), &ProjectSession::currentRevisionChanged);
    QVERIFY(m_window->selectRevision(QStringLiteral("9a3c5f71e8d6")));
    m_window->showSqlTab();
    QVERIFY(ready.wait(60000));
    QString text = sqlView->text();
    const qsizetype up = text.indexOf(QStringLiteral("-- upgrade 9a3c5f71e8d6"));
    const qsizetype down = text.indexOf(QStringLiteral("-- downgrade 9a3c5f71e8d6"));
    QVERIFY2(up >= 0 && down > up, qPrintable(text));
    // Each heading holds its own direction's SQL.
    QVERIFY(text.indexOf(QStringLiteral("CREATE TABLE menu_items")) > up);
    QVERIFY(text.indexOf(QStringLiteral("CREATE TABLE menu_items")) < down);
    QVERIFY(text.indexOf(QStringLiteral("DROP TABLE menu_items")) > down);
    QVERIFY(!text.contains(QStringLiteral("CREATE TABLE employees")));

    // A merge: the step from all its parents, not the other branch's steps.
    QVERIFY(m_window->selectRevision(QStringLiteral("7f2e4c9b1d83")));
    QVERIFY(ready.wait(60000));
    text = sqlView->text();
    QVERIFY2(text.contains(QStringLiteral("-- upgrade 7f2e4c9b1d83 (from 4b6d9e2f8a01, 9a3c5f71e8d6)")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("-- Running upgrade 4b6d9e2f8a01, 9a3c5f71e8d6 -> 7f2e4c9b1d83")));
    QVERIFY(text.contains(QStringLiteral("DELETE FROM alembic_version WHERE alembic_version.version_num = '4b6d9e2f8a01'")));
    QVERIFY2(!text.contains(QStringLiteral("CREATE TABLE menu_items")), qPrintable(text));

    // Alembic cannot render this one offline: its real error is shown.
    QVERIFY(m_window->selectRevision(QStringLiteral("c5a8830e41f7")));
    QVERIFY(ready.wait(60000));
    text = sqlView->text();
    QVERIFY2(text.contains(QStringLiteral("Alembic could not render the upgrade offline")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("batch mode with dialect sqlite requires a live database")));

    // Nothing of this was a run, and the selection stayed where the person put it.
    QVERIFY(!started.wait(300)); // nor a stray one after the last answer
    QCOMPARE(started.count(), 0);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(panel->history()->count(), 0);
    QVERIFY(panel->log()->toPlainText().isEmpty());
    QCOMPARE(m_window->session()->currentRevision(), QStringLiteral("c5a8830e41f7"));
    QCOMPARE(moved.count(), 3);
    QVERIFY(!m_window->session()->runState().running);
}

void tst_Run::postgres()
{
    testsupport::PostgresServer pg;
    QVERIFY2(pg.isRunning(), qPrintable(pg.error()));
    QCOMPARE(pg.psql(QStringLiteral("CREATE DATABASE shop")).exitCode, 0);
    QFile ini(m_project + QStringLiteral("/alembic.ini"));
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(ini.readAll());
    ini.close();
    text.replace(QRegularExpression(QStringLiteral("sqlalchemy.url = .*")), QStringLiteral("sqlalchemy.url = ") + pg.url(QStringLiteral("shop")));
    QVERIFY(ini.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ini.write(text.toUtf8());
    ini.close();
    QSignalSpy reloaded(m_window.get(), &MainWindow::projectLoaded);
    m_window->session()->reload();
    QTRY_VERIFY(reloaded.count() >= 1);
    refreshAndWait();
    RunController *run = m_window->findChild<RunController *>();
    RunPanel *panel = m_window->findChild<RunPanel *>();
    QVERIFY(runAndWait([run] { return run->upgrade(QStringLiteral("heads")); }));
    QCOMPARE(current(), QStringLiteral("7f2e4c9b1d83"));
    QVERIFY(!panel->log()->toPlainText().contains(QString::fromLatin1(testsupport::PostgresServer::Password)));
    m_prompter.confirmAnswers = {true};
    QVERIFY(runAndWait([run] { return run->downgrade(QStringLiteral("base")); }));
    QCOMPARE(current(), QString());
}

void tst_Run::configuredAlembic()
{
    RunController *run = m_window->findChild<RunController *>();
    QSignalSpy located(run, &RunController::alembicLocated);
    run->setConfiguredAlembic(QStringLiteral("/usr/bin/python3"));
    QVERIFY(located.wait(30000));
    QVERIFY(located.first().first().toBool());
    QVERIFY(run->alembicDescription().contains(QStringLiteral("/usr/bin/python3 -m alembic (configured)")));
    run->setConfiguredAlembic(QStringLiteral("/bin/true"));
    QVERIFY(located.wait(30000));
    // A configured program that is not Alembic: automatic detection still finds one.
    QVERIFY(located.last().first().toBool());
    QVERIFY(!run->alembicDescription().contains(QStringLiteral("/bin/true")));
    run->setConfiguredAlembic(QString());
    QVERIFY(located.wait(30000));
}

void tst_Run::stairwayBadges()
{
    RunController *run = m_window->findChild<RunController *>();
    RunPanel *panel = m_window->findChild<RunPanel *>();
    QSignalSpy done(run, &RunController::stairwayFinished);
    QVERIFY(run->runStairway());
    QVERIFY(run->isStairwayRunning());
    QVERIFY(done.wait(120000));
    QCOMPARE(done.first().at(1).toInt(), 0);
    QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("all 8 revisions passed")));
    RevisionModel *model = m_window->findChild<RevisionModel *>();
    for (int r = 0; r < model->rowCount(); ++r)
        QCOMPARE(model->index(r, 0).data(RevisionModel::StairwayRole).toInt(), 1);
    // The project's own database was not touched.
    QVERIFY(!QFile::exists(m_project + QStringLiteral("/coffee.db")));
}

QTEST_MAIN(tst_Run)
#include "tst_run.moc"
