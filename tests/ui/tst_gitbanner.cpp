// The merge-target strip, the graph's branch marks and re-parenting, driven as a person would
// in the real window (offscreen) over real git repositories, with the real Alembic.
#include "../integration/gitfixture.h"
#include "../integration/testsupport.h"
#include "editor/migrationeditor.h"
#include "git/branchforecaster.h"
#include "git/mergebanner.h"
#include "graph/graphpanel.h"
#include "mainwindow.h"
#include "models/revisionmodel.h"
#include "project/scriptdirectory.h"
#include "projectsession.h"
#include "prompter.h"
#include "scriptedprompter.h"
#include "run/runcontroller.h"

#include <Qsci/qsciscintilla.h>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

using namespace retort::ui;
using testsupport::GitFixture;

namespace {

const QString &kBase = GitFixture::kBase;
const QString &kParent = GitFixture::kParent;
const QString &kMains = GitFixture::kMains;
const QString &kYours = GitFixture::kYours;
const QString kForkBanner = QStringLiteral("after merging into main: 2 heads \u2014 yours 5c1d\u2026 (revises 1e0b\u2026), "
                                           "main's e41a\u2026 (revises 1e0b\u2026)");



int rowOf(RevisionModel *model, const QString &id)
{
    return model->rowOfRevision(id);
}

} // namespace

class tst_GitBanner : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void bannerMarksAndGhostRows();
    void reparentEditsThenSaveLeavesOneHead();
    void reparentRefusedWhenTheDatabaseAppliedIt();
    void fetchMovesTheForecast();
    void choosingATarget();
    void notUnderGitShowsNothing();

private:
    void open(const QString &dir);

    std::unique_ptr<MainWindow> m_window;
    testsupport::ScriptedPrompter m_prompter;
};

void tst_GitBanner::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RetortGitTests"));
    m_prompter.confirmWhenUnscripted = true; // these tests say yes to every question
    Prompter::setInstance(&m_prompter);
}

void tst_GitBanner::cleanup()
{
    if (m_window && m_window->findChild<RunController *>()->isRunning()) {
        m_window->findChild<RunController *>()->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->findChild<RunController *>()->isRunning(), 10000);
    }
    if (m_window)
        m_window->findChild<MigrationEditor *>()->textEdit()->setModified(false);
    m_window.reset();
}

void tst_GitBanner::open(const QString &dir)
{
    m_window = std::make_unique<MainWindow>();
    m_window->session()->setReloadDelay(50);
    m_window->findChild<BranchForecaster *>()->setRefreshDelay(50);
    m_window->resize(1024, 700);
    m_window->show();
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    m_window->openProject(dir);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
}

void tst_GitBanner::bannerMarksAndGhostRows()
{
    GitFixture fx;
    fx.buildFork();
    QVERIFY(!fx.failed());
    open(fx.root());
    MergeBanner *banner = m_window->findChild<MergeBanner *>();
    QTRY_COMPARE_WITH_TIMEOUT(banner->text(), kForkBanner, 20000);
    QVERIFY(banner->isVisible());
    QCOMPARE(banner->targetChooser()->currentText(), QStringLiteral("main"));

    RevisionModel *model = m_window->findChild<RevisionModel *>();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Three revisions in the checkout, one ghost from main.
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(m_window->session()->project()->map.size(), 3);
    const QModelIndex ghost = model->index(rowOf(model, kMains), 0);
    QCOMPARE(ghost.data(RevisionModel::GhostOfRole).toString(), QStringLiteral("main"));
    QCOMPARE(ghost.data(RevisionModel::FilePathRole).toString(), QString());
    QVERIFY(ghost.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Only on main")));
    const QModelIndex yours = model->index(rowOf(model, kYours), 0);
    QVERIFY(yours.data(RevisionModel::IsNewOnBranchRole).toBool());
    QCOMPARE(yours.data(RevisionModel::GhostOfRole).toString(), QString());
    QVERIFY(!model->index(rowOf(model, kParent), 0).data(RevisionModel::IsNewOnBranchRole).toBool());
    // The checkout's own heads banner stays quiet: the checkout has one head.
    QVERIFY(m_window->findChild<GraphPanel *>()->headsBanner()->isHidden());

    QVERIFY(banner->reparentAction()->isEnabled());
    QCOMPARE(banner->reparentAction()->text(), QStringLiteral("Re-parent onto e41a\u2026"));
    QVERIFY(!banner->mergeAction()->isEnabled());
    QVERIFY(banner->mergeAction()->toolTip().contains(QStringLiteral("git merge main")));

    // Selecting the ghost opens nothing: it is not in the checkout.
    m_window->selectRevision(kYours);
    QTRY_COMPARE(m_window->findChild<MigrationEditor *>()->path(), fx.versions() + QStringLiteral("/5c1d00000004_yours.py"));
    GraphPanel *graph = m_window->findChild<GraphPanel *>();
    const QModelIndex ghostInView = graph->proxy()->mapFromSource(model->index(rowOf(model, kMains), 0));
    QTest::mouseClick(graph->view()->viewport(), Qt::LeftButton, {}, graph->view()->visualRect(ghostInView).center());
    QCOMPARE(m_window->session()->currentRevision(), kYours);
    QCOMPARE(graph->selectedRevision(), kYours);
    QCOMPARE(m_window->findChild<MigrationEditor *>()->path(), fx.versions() + QStringLiteral("/5c1d00000004_yours.py"));

    // After `git merge main` the checkout has both heads: Merge Revision is the way out.
    fx.git({QStringLiteral("merge"), QStringLiteral("-q"), QStringLiteral("--no-edit"), QStringLiteral("main")});
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->project()->map.heads().size(), size_t(2), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(banner->mergeAction()->isEnabled(), 20000);
    QCOMPARE(model->rowCount(), 4);  // e41a is no ghost now
    QCOMPARE(model->index(rowOf(model, kMains), 0).data(RevisionModel::GhostOfRole).toString(), QString());
    QSignalSpy merge(banner, &MergeBanner::mergeRequested);
    banner->mergeAction()->trigger();
    QCOMPARE(merge.count(), 1);
    QStringList heads = merge.first().first().toStringList();
    heads.sort();
    QCOMPARE(heads, (QStringList{kYours, kMains}));
}

void tst_GitBanner::reparentEditsThenSaveLeavesOneHead()
{
    GitFixture fx;
    fx.buildFork();
    const QString file = fx.versions() + QStringLiteral("/5c1d00000004_yours.py");
    const QByteArray before = fx.read(QStringLiteral("alembic/versions/5c1d00000004_yours.py"));
    open(fx.root());
    MergeBanner *banner = m_window->findChild<MergeBanner *>();
    QTRY_COMPARE_WITH_TIMEOUT(banner->text(), kForkBanner, 20000);

    // Click the banner's button, as a person would.
    QToolButton *button = nullptr;
    for (QToolButton *b : banner->findChildren<QToolButton *>())
        if (b->defaultAction() == banner->reparentAction())
            button = b;
    QVERIFY(button && button->isVisible());
    QTest::mouseClick(button, Qt::LeftButton);

    MigrationEditor *editor = m_window->findChild<MigrationEditor *>();
    QCOMPARE(editor->path(), file);
    QVERIFY(editor->isModified());
    const QString text = editor->textEdit()->text();
    QVERIFY(text.contains(QStringLiteral("down_revision = 'e41a00000003'\n")));
    QVERIFY(text.contains(QStringLiteral("Revises: e41a00000003\n")));
    QVERIFY(!text.contains(kParent));
    QCOMPARE(fx.read(QStringLiteral("alembic/versions/5c1d00000004_yours.py")), before);  // unsaved, for review
    QVERIFY(banner->notice().contains(QStringLiteral("now revises e41a00000003 in the editor, unsaved")));
    QVERIFY(banner->notice().contains(QStringLiteral("then merge or rebase onto main")));
    // One undo step takes it back.
    editor->textEdit()->undo();
    QCOMPARE(editor->textEdit()->text().toUtf8(), before);
    editor->textEdit()->redo();

    QVERIFY(editor->save());
    QTRY_VERIFY(!editor->isModified());
    // The file on disk parses and revises main's head; the forecast is clean again.
    const QByteArray saved = fx.read(QStringLiteral("alembic/versions/5c1d00000004_yours.py"));
    const auto parsed = retort::core::parseRevisionSource(std::string_view(saved.constData(), size_t(saved.size())), file,
                                                          QStringLiteral("5c1d00000004_yours.py"), retort::core::python::NewestPython);
    QVERIFY(parsed.isUsable());
    QCOMPARE(parsed.downRevision.toTuple(), QStringList{kMains});
    QTRY_COMPARE_WITH_TIMEOUT(banner->text(), QStringLiteral("keeps 1 head \u00b7 1 new on this branch \u00b7 1 only on main"), 20000);
    // Clean to merge, but until then the checkout's own map names e41a, which it lacks: the notice says so.
    QVERIFY(banner->notice().contains(QStringLiteral("Merge or rebase onto main")));
    QVERIFY(banner->notice().contains(QStringLiteral("own revision map is broken")));
    QVERIFY(!m_window->session()->project()->map.isValid());
    QVERIFY(!banner->reparentAction()->isEnabled());

    // Alembic agrees once git has merged: one head.
    fx.commitAll(QStringLiteral("re-parent onto main"));
    fx.git({QStringLiteral("merge"), QStringLiteral("-q"), QStringLiteral("--no-edit"), QStringLiteral("main")});
    QVERIFY(!fx.failed());
    const auto heads = testsupport::alembic(fx.root(), {QStringLiteral("heads")});
    QCOMPARE(heads.exitCode, 0);
    QCOMPARE(heads.out.trimmed(), QStringLiteral("5c1d00000004 (head)"));
}

void tst_GitBanner::reparentRefusedWhenTheDatabaseAppliedIt()
{
    GitFixture fx;
    fx.buildFork();
    open(fx.root());
    MergeBanner *banner = m_window->findChild<MergeBanner *>();
    QTRY_COMPARE_WITH_TIMEOUT(banner->text(), kForkBanner, 20000);
    // Apply the branch to the project's SQLite database through Alembic, as the Run menu does.
    RunController *run = m_window->findChild<RunController *>();
    QTRY_VERIFY_WITH_TIMEOUT(run->isAlembicReady(), 30000);
    QSignalSpy finished(run, &RunController::runFinished);
    QSignalSpy position(m_window->session(), &ProjectSession::databasePositionChanged);
    QVERIFY(run->upgrade(QStringLiteral("heads")));
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.first().first().toBool());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->currentRevisions(), QStringList{kYours}, 20000);
    QTRY_VERIFY(!banner->reparentRefusal().isEmpty());

    banner->reparentAction()->trigger();
    QVERIFY2(banner->notice().startsWith(QStringLiteral("Not re-parented: sqlite:///app.db has already applied 5c1d00000004")),
             qPrintable(banner->notice()));
    QVERIFY(!m_window->findChild<MigrationEditor *>()->isModified());
    QVERIFY(banner->reparentAction()->toolTip().contains(QStringLiteral("Add a merge revision instead")));
}

void tst_GitBanner::fetchMovesTheForecast()
{
    // A clone whose branch tracks origin/main: the default target is the upstream, and a
    // fetch that brings main's new revision turns the strip yellow without any click.
    GitFixture fx;
    fx.commitBase();
    const QString clone = fx.root() + QStringLiteral("-clone");
    fx.git({QStringLiteral("clone"), QStringLiteral("-q"), fx.root(), clone});
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("topic"), QStringLiteral("--track"),
            QStringLiteral("origin/main")},
           clone);
    QFile yours(clone + QStringLiteral("/alembic/versions/5c1d00000004_yours.py"));
    QVERIFY(yours.open(QIODevice::WriteOnly));
    yours.write(GitFixture::revisionSource(kYours, kParent, QStringLiteral("yours")));
    yours.close();
    QVERIFY(!fx.failed());

    open(clone);
    MergeBanner *banner = m_window->findChild<MergeBanner *>();
    QTRY_COMPARE_WITH_TIMEOUT(banner->text(), QStringLiteral("keeps 1 head \u00b7 1 new on this branch"), 20000);
    QCOMPARE(banner->targetChooser()->currentText(), QStringLiteral("origin/main"));

    fx.addRevision(kMains, kParent, QStringLiteral("add_orders"));
    fx.commitAll(QStringLiteral("orders"));
    fx.git({QStringLiteral("fetch"), QStringLiteral("-q")}, clone);
    QTRY_COMPARE_WITH_TIMEOUT(banner->text(),
                              QStringLiteral("after merging into origin/main: 2 heads \u2014 yours 5c1d\u2026 (revises 1e0b\u2026), "
                                             "origin/main's e41a\u2026 (revises 1e0b\u2026)"),
                              20000);
    QCOMPARE(m_window->findChild<RevisionModel *>()->index(rowOf(m_window->findChild<RevisionModel *>(), kMains), 0).data(RevisionModel::GhostOfRole).toString(),
             QStringLiteral("origin/main"));
}

void tst_GitBanner::choosingATarget()
{
    GitFixture fx;
    fx.buildFork();
    fx.git({QStringLiteral("tag"), QStringLiteral("v1"), QStringLiteral("main~1")});
    open(fx.root());
    MergeBanner *banner = m_window->findChild<MergeBanner *>();
    QTRY_COMPARE_WITH_TIMEOUT(banner->text(), kForkBanner, 20000);
    QStringList items;
    for (int i = 0; i < banner->targetChooser()->count(); ++i)
        items.append(banner->targetChooser()->itemText(i));
    QCOMPARE(items, (QStringList{QStringLiteral("main"), QStringLiteral("pr1")}));

    // Type a tag and press Enter.
    QLineEdit *field = banner->targetChooser()->lineEdit();
    field->selectAll();
    QTest::keyClicks(field, QStringLiteral("v1"));
    QTest::keyClick(field, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(banner->text(), QStringLiteral("keeps 1 head \u00b7 1 new on this branch"), 20000);
    QCOMPARE(m_window->findChild<BranchForecaster *>()->target(), QStringLiteral("v1"));
    QCOMPARE(m_window->findChild<RevisionModel *>()->rowCount(), 3);  // no ghosts against v1

    field->selectAll();
    QTest::keyClicks(field, QStringLiteral("nope"));
    QTest::keyClick(field, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(banner->text().startsWith(QStringLiteral("'nope' names no branch, tag or commit")), 20000);
    QCOMPARE(m_window->findChild<RevisionModel *>()->rowCount(), 3);

    // Back to main, picked from the list.
    const int mainRow = banner->targetChooser()->findText(QStringLiteral("main"));
    QVERIFY(mainRow >= 0);
    banner->targetChooser()->setCurrentIndex(mainRow);
    emit banner->targetChooser()->activated(mainRow);
    QTRY_COMPARE_WITH_TIMEOUT(banner->text(), kForkBanner, 20000);
}

void tst_GitBanner::notUnderGitShowsNothing()
{
    QTemporaryDir tmp;
    const QString project = testsupport::copyExample(tmp);
    open(project);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->findChild<BranchForecaster *>()->state(), BranchForecaster::State::NotGit, 20000);
    QVERIFY(m_window->findChild<MergeBanner *>()->isHidden());
    QCOMPARE(m_window->findChild<RevisionModel *>()->rowCount(), 8);
}

QTEST_MAIN(tst_GitBanner)
#include "tst_gitbanner.moc"
