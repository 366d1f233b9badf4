// The workbench driven as a user would: real widgets, offscreen, on copies of the example.
#include "../integration/testsupport.h"
#include "sqlitestamp.h"
#include "databases.h"
#include "editor/diffview.h"
#include "editor/migrationeditor.h"
#include "editor/migrationlexer.h"
#include "editor/pathheader.h"
#include "graph/graphdelegate.h"
#include "graph/graphexport.h"
#include "graph/graphpanel.h"
#include "inspector/schemadock.h"
#include "actionhandler.h"
#include "mainwindow.h"
#include "models/problemsmodel.h"
#include "models/revisionmodel.h"
#include "panels/detailsview.h"
#include "projectsession.h"
#include "project/textdiff.h"
#include "prompter.h"
#include "scriptedprompter.h"
#include "background.h"
#include "run/runcontroller.h"
#include "run/runpanel.h"

#include <Qsci/qsciscintilla.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QLineEdit>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTreeView>
#include <QScrollBar>
#include <QSplitter>
#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QXmlStreamReader>
#include <QTextBlock>

#include <cmath>

using namespace retort::ui;

namespace {

using testsupport::ScriptedPrompter;

const QString kMerge = QStringLiteral("7f2e4c9b1d83");
const QString kFill = QStringLiteral("c5a8830e41f7");
const QString kMenu = QStringLiteral("9a3c5f71e8d6");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

void writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

// Two heads on the merge revision, each changing a table: aaaa11110000 adds customers.vip,
// bbbb22220000 orders.tip.
void writeTwoHeads(const QString &project)
{
    auto revision = [](const QString &id, const QString &message, const QString &body) {
        return QStringLiteral("\"\"\"%1\n\nRevision ID: %2\nRevises: %3\nCreate Date: 2026-12-01 10:00:00.000000\n\n\"\"\"\n"
                              "from alembic import op\nimport sqlalchemy as sa\n\nrevision = '%2'\ndown_revision = '%3'\n"
                              "branch_labels = None\ndepends_on = None\n\n\ndef upgrade() -> None:\n%4\n\n\n"
                              "def downgrade() -> None:\n    pass\n")
            .arg(message, id, kMerge, body)
            .toUtf8();
    };
    const QString versions = project + QStringLiteral("/alembic/versions/");
    writeAll(versions + QStringLiteral("aaaa11110000_vip.py"),
             revision(QStringLiteral("aaaa11110000"), QStringLiteral("vip customers"),
                      QStringLiteral("    op.add_column('customers', sa.Column('vip', sa.Boolean()))")));
    writeAll(versions + QStringLiteral("bbbb22220000_tips.py"),
             revision(QStringLiteral("bbbb22220000"), QStringLiteral("tips"),
                      QStringLiteral("    op.add_column('orders', sa.Column('tip', sa.Integer()))")));
}

} // namespace

class tst_Workbench : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void opensTheExample();
    void selectingARevisionShowsItsFile();
    void sqlInsideExecuteIsHighlightedAsSql();
    void editAndSaveUpdatesTheGraph();
    void externalChangesReload();
    void saveOverExternalChangeAsks();
    void switchingWithUnsavedEditsAsks();
    void problemsPanelJumpsToTheLine();
    void multipleHeadsBanner();
    void filter();
    void exportSvgAndDot();
    void badProjectShowsAMessage();
    void modelsPassTheTester();
    void schemaInspectorDock();
    void filterNeverOpensFiles();
    void windowSizeStableWhileStepping();
    void headerMinimumIndependentOfPath();
    void messageColumnTakesTheSpareWidth();
    void emptyProblemsPanelSaysSo();
    void editorShortcutsNeverEditTheFile();
    void openingAnotherProjectLeavesNothingStale();
    void appliedAndPendingAtAGlance();
    void describePlusFitsAt1600();
    void compareDiffIsColoured();
    void newRevisionAsksThePrompter();
    void mergeHeadsReadsChangesInThePool();
    void ctrlClickSelectsBothHeads();
    void narrowHeaderKeepsTheUnsavedMark();
    void keptEditsAreNotAskedAgain();
    void ctrlTabLeavesTheEditor();
    void fullMessagesAt1024x700();
    void freshWindowFitsTheScreen();
    void reloadKeepsUnsavedEdits();
    void unreachableDatabaseIsNotAllPending();
    void openingARevisionReadsNoFile();
    void editorReadsOtherFilesInThePool();

private:
    void open(const QString &dir);
    QString fileOf(const QString &id) const;

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<MainWindow> m_window;
    QString m_project;
    ScriptedPrompter m_prompter;
};

void tst_Workbench::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RetortTests"));
    Prompter::setInstance(&m_prompter);
}

void tst_Workbench::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_project = testsupport::copyExample(*m_tmp);
    QVERIFY(!m_project.isEmpty());
    m_prompter = ScriptedPrompter();
    m_window = std::make_unique<MainWindow>();
    m_window->session()->setReloadDelay(50);
    m_window->show();
}

void tst_Workbench::cleanup()
{
    m_window->findChild<MigrationEditor *>()->textEdit()->setModified(false);
    m_window.reset();
    m_tmp.reset();
}

void tst_Workbench::open(const QString &dir)
{
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    m_window->openProject(dir);
    QTRY_COMPARE(loaded.count(), 1);
}

QString tst_Workbench::fileOf(const QString &id) const
{
    const auto p = m_window->session()->project();
    return p->map.fileOf(p->map.indexOf(id)).path;
}

void tst_Workbench::opensTheExample()
{
    open(m_project);
    QCOMPARE(m_window->findChild<RevisionModel *>()->rowCount(), 8);
    QVERIFY(m_window->findChild<GraphPanel *>()->headsBanner()->isHidden());
    QCOMPARE(m_window->findChild<ProblemsModel *>()->errorCount(), 0);
    // The head is selected first, its file is in the editor.
    QCOMPARE(m_window->findChild<GraphPanel *>()->selectedRevision(), kMerge);
    QCOMPARE(m_window->findChild<MigrationEditor *>()->path(), fileOf(kMerge));
    QTRY_VERIFY(m_window->statusText().contains(QStringLiteral("8 revisions")));
    QVERIFY(m_window->statusText().contains(QStringLiteral("sqlite:///") + m_project + QStringLiteral("/coffee.db")));
    QTRY_VERIFY(m_window->statusText().contains(QStringLiteral("does not exist yet")));

    // After a real `alembic upgrade`, refreshing shows the current revision.
    QCOMPARE(testsupport::alembic(m_project, {QStringLiteral("upgrade"), QStringLiteral("1e0b7a66d2c4")}).exitCode, 0);
    m_window->session()->refreshDatabase();
    QTRY_VERIFY(m_window->statusText().contains(QStringLiteral("Current: 1e0b7a66d2c4")));
    const int row = m_window->findChild<RevisionModel *>()->rowOfRevision(QStringLiteral("1e0b7a66d2c4"));
    QVERIFY(m_window->findChild<RevisionModel *>()->index(row, 0).data(RevisionModel::IsCurrentRole).toBool());
}

void tst_Workbench::selectingARevisionShowsItsFile()
{
    open(m_project);
    QTreeView *view = m_window->findChild<GraphPanel *>()->view();
    const int row = m_window->findChild<RevisionModel *>()->rowOfRevision(kFill);
    const QModelIndex idx = m_window->findChild<GraphPanel *>()->proxy()->mapFromSource(m_window->findChild<RevisionModel *>()->index(row, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(idx).center());
    QCOMPARE(m_window->findChild<GraphPanel *>()->selectedRevision(), kFill);
    QCOMPARE(m_window->findChild<MigrationEditor *>()->path(), fileOf(kFill));
    QVERIFY(m_window->findChild<MigrationEditor *>()->textEdit()->text().contains(QStringLiteral("UPDATE employees")));
    QVERIFY(m_window->findChild<DetailsView *>()->toPlainText().contains(QStringLiteral("fill employees.password_hash")));
    QVERIFY(m_window->findChild<DetailsView *>()->toPlainText().contains(QStringLiteral("b27e6f0d9c35")));
    // Keyboard navigation moves the selection down the graph.
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Down);
    QCOMPARE(m_window->findChild<GraphPanel *>()->selectedRevision(), QStringLiteral("b27e6f0d9c35"));
    // Jump to downgrade(): the cursor lands on its line.
    m_window->findChild<MigrationEditor *>()->goToDowngrade();
    int line = 0, col = 0;
    m_window->findChild<MigrationEditor *>()->textEdit()->getCursorPosition(&line, &col);
    QVERIFY(m_window->findChild<MigrationEditor *>()->textEdit()->text(line).startsWith(QStringLiteral("def downgrade")));
}

void tst_Workbench::sqlInsideExecuteIsHighlightedAsSql()
{
    open(m_project);
    QVERIFY(m_window->selectRevision(kFill));
    QsciScintilla *edit = m_window->findChild<MigrationEditor *>()->textEdit();
    const QByteArray text = edit->text().toUtf8();
    auto styleAt = [edit](qsizetype pos) { return int(edit->SendScintilla(QsciScintillaBase::SCI_GETSTYLEAT, static_cast<unsigned long>(pos), static_cast<long>(0))); };
    const qsizetype update = text.indexOf("UPDATE employees");
    const qsizetype importKw = text.indexOf("import op");
    QVERIFY(update > 0 && importKw > 0);
    MigrationLexer *lexer = m_window->findChild<MigrationEditor *>()->lexer();
    QTRY_VERIFY(lexer->isSqlStyle(styleAt(update)));
    QVERIFY(lexer->description(styleAt(update)).startsWith(QStringLiteral("SQL: ")));
    QVERIFY(!lexer->isSqlStyle(styleAt(importKw)));
    // A string that is not SQL keeps the Python string style.
    const qsizetype plain = text.indexOf("\"employees\"");
    QVERIFY(!lexer->isSqlStyle(styleAt(plain + 1)));
    // sa.text(...) inside op.execute(...) is SQL too.
    const qsizetype viaText = text.indexOf("UPDATE employees SET password_hash = NULL");
    QVERIFY(lexer->isSqlStyle(styleAt(viaText)));
}

void tst_Workbench::editAndSaveUpdatesTheGraph()
{
    open(m_project);
    QVERIFY(m_window->selectRevision(kMenu));
    QsciScintilla *edit = m_window->findChild<MigrationEditor *>()->textEdit();
    QString text = edit->text();
    QVERIFY(text.contains(QStringLiteral("down_revision = \"1e0b7a66d2c4\"")));
    // Move the menu branch onto an older parent: the graph must follow once saved.
    text.replace(QStringLiteral("down_revision = \"1e0b7a66d2c4\""), QStringLiteral("down_revision = \"8d41e07c5a92\""));
    edit->selectAll();
    edit->replaceSelectedText(text);
    QVERIFY(m_window->findChild<MigrationEditor *>()->isModified());
    QSignalSpy saved(m_window->findChild<MigrationEditor *>(), &MigrationEditor::fileSaved);
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_S, Qt::ControlModifier);
    QTRY_COMPARE(saved.count(), 1);
    QVERIFY(!m_window->findChild<MigrationEditor *>()->isModified());
    QVERIFY(readAll(fileOf(kMenu)).contains("down_revision = \"8d41e07c5a92\""));
    QTRY_VERIFY(loaded.count() >= 1);
    const auto p = m_window->session()->project();
    const auto &rev = p->map.at(p->map.indexOf(kMenu));
    QCOMPARE(rev.downRevisions, QStringList{QStringLiteral("8d41e07c5a92")});
    QCOMPARE(m_window->findChild<GraphPanel *>()->selectedRevision(), kMenu); // selection kept
}

void tst_Workbench::externalChangesReload()
{
    open(m_project);
    QVERIFY(m_window->selectRevision(kFill));
    // Another program edits a file that is not open: the graph follows.
    const QString customers = fileOf(QStringLiteral("8d41e07c5a92"));
    QByteArray data = readAll(customers);
    data.replace("\"\"\"create customers", "\"\"\"create customers and their phones");
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    writeAll(customers, data);
    QTRY_VERIFY(loaded.count() >= 1);
    const int row = m_window->findChild<RevisionModel *>()->rowOfRevision(QStringLiteral("8d41e07c5a92"));
    QTRY_COMPARE(m_window->findChild<RevisionModel *>()->index(row, RevisionModel::MessageColumn).data().toString(),
                 QStringLiteral("create customers and their phones"));
    QCOMPARE(m_window->findChild<GraphPanel *>()->selectedRevision(), kFill);

    // ... and the open file, unmodified in the editor, is reloaded.
    QByteArray open = readAll(fileOf(kFill));
    open.replace("'!locked'", "'!reset-required'");
    writeAll(fileOf(kFill), open);
    QTRY_VERIFY(m_window->findChild<MigrationEditor *>()->textEdit()->text().contains(QStringLiteral("!reset-required")));
    QVERIFY(!m_window->findChild<MigrationEditor *>()->isModified());

    // A revision file added by `alembic revision` in a terminal appears too.
    const auto r = testsupport::alembic(m_project, {QStringLiteral("revision"), QStringLiteral("-m"), QStringLiteral("add loyalty points")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QTRY_COMPARE(m_window->findChild<RevisionModel *>()->rowCount(), 9);
}

void tst_Workbench::saveOverExternalChangeAsks()
{
    open(m_project);
    QVERIFY(m_window->selectRevision(kFill));
    QsciScintilla *edit = m_window->findChild<MigrationEditor *>()->textEdit();
    edit->append(QStringLiteral("\n# reviewed\n"));
    QVERIFY(m_window->findChild<MigrationEditor *>()->isModified());
    QByteArray disk = readAll(fileOf(kFill));
    disk.append("# changed elsewhere\n");
    writeAll(fileOf(kFill), disk);
    m_window->findChild<MigrationEditor *>()->fileChangedOnDisk();
    // The edits stay; nothing was reloaded over them.
    QVERIFY(m_window->findChild<MigrationEditor *>()->isModified());
    QVERIFY(edit->text().contains(QStringLiteral("# reviewed")));

    // Save asks; Compare shows the difference, then Cancel keeps both sides as they are.
    m_prompter.answers = {Prompter::Answer::Compare, Prompter::Answer::Cancel};
    QSignalSpy saved(m_window->findChild<MigrationEditor *>(), &MigrationEditor::fileSaved);
    // The file is read again in the pool; the question comes when it has been.
    QVERIFY(m_window->findChild<MigrationEditor *>()->save());
    QTRY_VERIFY(!m_window->findChild<MigrationEditor *>()->isSaving());
    QCOMPARE(saved.count(), 0);
    QVERIFY(m_window->findChild<MigrationEditor *>()->isModified());
    QCOMPARE(m_prompter.asked.size(), 2);
    // As a diff (coloured by the default prompter), the disk's lines before the editor's, like diff -u.
    QCOMPARE(m_prompter.shown.size(), 0);
    QCOMPARE(m_prompter.diffs.size(), 1);
    const QString diff = m_prompter.diffs.first();
    QVERIFY(diff.contains(QStringLiteral("\n-# changed elsewhere\n")));
    QVERIFY(diff.contains(QStringLiteral("\n+# reviewed\n")));
    QVERIFY(diff.indexOf(QStringLiteral("\n-# changed elsewhere")) < diff.indexOf(QStringLiteral("\n+# reviewed")));
    QVERIFY(readAll(fileOf(kFill)).contains("# changed elsewhere"));

    // Overwrite writes the editor's text.
    m_prompter.answers = {Prompter::Answer::Overwrite};
    QVERIFY(m_window->findChild<MigrationEditor *>()->save());
    QTRY_COMPARE(saved.count(), 1);
    QVERIFY(readAll(fileOf(kFill)).contains("# reviewed"));
    QVERIFY(!readAll(fileOf(kFill)).contains("# changed elsewhere"));
}

void tst_Workbench::switchingWithUnsavedEditsAsks()
{
    open(m_project);
    QVERIFY(m_window->selectRevision(kFill));
    m_window->findChild<MigrationEditor *>()->textEdit()->append(QStringLiteral("# unsaved\n"));
    m_prompter.answers = {Prompter::Answer::Cancel};
    m_window->selectRevision(kMenu);
    QCOMPARE(m_prompter.asked, QStringList{QStringLiteral("Unsaved Changes")});
    QCOMPARE(m_window->findChild<GraphPanel *>()->selectedRevision(), kFill);
    QCOMPARE(m_window->findChild<MigrationEditor *>()->path(), fileOf(kFill));
    QVERIFY(m_window->findChild<MigrationEditor *>()->isModified());

    m_prompter.answers = {Prompter::Answer::Discard};
    m_window->selectRevision(kMenu);
    QCOMPARE(m_window->findChild<MigrationEditor *>()->path(), fileOf(kMenu));
    QVERIFY(!readAll(fileOf(kFill)).contains("# unsaved"));

    // Closing the window with edits asks too; Cancel keeps it open.
    m_window->findChild<MigrationEditor *>()->textEdit()->append(QStringLiteral("# more\n"));
    m_prompter.answers = {Prompter::Answer::Cancel};
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
}

void tst_Workbench::problemsPanelJumpsToTheLine()
{
    // A revision naming a parent that no file defines.
    const QString broken = m_project + QStringLiteral("/alembic/versions/0badc0ffee00_broken.py");
    writeAll(broken, "\"\"\"broken\"\"\"\n\nrevision = '0badc0ffee00'\ndown_revision = 'deadbeef0000'\n"
                     "branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n");
    open(m_project);
    ProblemsModel *problems = m_window->findChild<ProblemsModel *>();
    QVERIFY(problems->errorCount() >= 1);
    QCOMPARE(problems->index(0, 0).data(ProblemsModel::RuleRole).toString(), QStringLiteral("missing-parent"));
    QCOMPARE(problems->index(0, 0).data(ProblemsModel::LineRole).toInt(), 4);
    QVERIFY(m_window->findChild<QDockWidget *>()->isVisible());
    // The graph still shows everything that could be read.
    QCOMPARE(m_window->findChild<RevisionModel *>()->rowCount(), 9);
    QTableView *view = m_window->findChild<QTableView *>();
    view->setCurrentIndex(problems->index(0, 0));
    emit view->activated(problems->index(0, 0));
    QCOMPARE(m_window->findChild<MigrationEditor *>()->path(), broken);
    int line = 0, col = 0;
    m_window->findChild<MigrationEditor *>()->textEdit()->getCursorPosition(&line, &col);
    QCOMPARE(line, 3);
}

void tst_Workbench::multipleHeadsBanner()
{
    const QString extra = m_project + QStringLiteral("/alembic/versions/aa11bb22cc33_side.py");
    writeAll(extra, "\"\"\"a second head\"\"\"\nrevision = 'aa11bb22cc33'\ndown_revision = '1e0b7a66d2c4'\n"
                    "def upgrade():\n    pass\ndef downgrade():\n    pass\n");
    open(m_project);
    QLabel *banner = m_window->findChild<GraphPanel *>()->headsBanner();
    QVERIFY(!banner->isHidden());
    QVERIFY(banner->text().contains(QStringLiteral("2 heads")));
    QVERIFY(banner->text().contains(QStringLiteral("aa11bb22cc33")));
    QVERIFY(banner->text().contains(kMerge));
    QVERIFY(m_window->statusText().contains(QStringLiteral("2 heads")));
}

void tst_Workbench::filter()
{
    open(m_project);
    QSortFilterProxyModel *proxy = m_window->findChild<GraphPanel *>()->proxy();
    QLineEdit *search = m_window->findChild<GraphPanel *>()->searchField();
    QTest::keyClicks(search, QStringLiteral("c5a8"));
    QCOMPARE(proxy->rowCount(), 1);
    QCOMPARE(proxy->index(0, 0).data(RevisionModel::RevisionIdRole).toString(), kFill);
    search->clear();
    QTest::keyClicks(search, QStringLiteral("MENU"));
    // the label "menu" (two revisions carry it) and the "create menu_items" message
    QCOMPARE(proxy->rowCount(), 2);
    search->clear();
    QCOMPARE(proxy->rowCount(), 8);
}

void tst_Workbench::exportSvgAndDot()
{
    open(m_project);
    const QString svg = m_tmp->filePath(QStringLiteral("graph.svg"));
    QString error;
    auto *model = m_window->findChild<RevisionModel *>();
    auto *delegate = m_window->findChild<GraphPanel *>()->delegate();
    error = exportGraph(*model, *delegate, svg);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    QString root;
    int texts = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement) {
            if (root.isEmpty())
                root = xml.name().toString();
            if (xml.name() == QLatin1String("text"))
                ++texts;
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(root, QStringLiteral("svg"));
    QVERIFY(texts >= 8);
    const QString png = m_tmp->filePath(QStringLiteral("graph.png"));
    QCOMPARE(exportGraph(*model, *delegate, png), QString());
    QVERIFY(!QImage(png).isNull());
    const QString dot = m_tmp->filePath(QStringLiteral("graph.dot"));
    QCOMPARE(exportGraph(*model, *delegate, dot), QString());
    QVERIFY(readAll(dot).contains("\"4b6d9e2f8a01\" -> \"7f2e4c9b1d83\""));
}

void tst_Workbench::badProjectShowsAMessage()
{
    QTemporaryDir empty;
    QSignalSpy failed(m_window.get(), &MainWindow::loadFailed);
    m_window->openProject(empty.path());
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("has no alembic.ini")));
    QCOMPARE(m_window->findChild<ProblemsModel *>()->rowCount(), 1);
    QVERIFY(m_window->findChild<DetailsView *>()->toPlainText().contains(QStringLiteral("has no alembic.ini")));
    // The window still works: the example opens next.
    open(m_project);
    QCOMPARE(m_window->findChild<RevisionModel *>()->rowCount(), 8);
}

void tst_Workbench::modelsPassTheTester()
{
    RevisionModel revisions;
    QAbstractItemModelTester t1(&revisions, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ProblemsModel problems;
    QAbstractItemModelTester t2(&problems, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto cfg = retort::core::ProjectConfig::open(m_project);
    QVERIFY(cfg);
    auto project = retort::core::ScriptDirectory::load(*cfg);
    QVERIFY(project);
    auto shared = std::make_shared<const retort::core::Project>(*project);
    revisions.setProject(shared);
    revisions.setDatabaseState({QStringLiteral("4b6d9e2f8a01")}, {QStringLiteral("4b6d9e2f8a01")});
    problems.setProblems({{retort::core::Diagnostic::Severity::Warning, QStringLiteral("x"), QStringLiteral("m"), {}, 0, {}}});
    QCOMPARE(revisions.rowCount(), 8);
    revisions.setProject(nullptr);
    QCOMPARE(revisions.rowCount(), 0);
}

void tst_Workbench::schemaInspectorDock()
{
    // Before the first migration there is no database: the dock says so, the rest works.
    open(m_project);
    SchemaDock *dock = m_window->findChild<SchemaDock *>();
    QTRY_VERIFY(dock->statusLabel()->text().contains(QStringLiteral("does not exist yet")));
    QVERIFY(m_window->selectRevision(kFill));

    QCOMPARE(testsupport::alembic(m_project, {QStringLiteral("upgrade"), QStringLiteral("head")}).exitCode, 0);
    QSignalSpy loaded(dock, &SchemaDock::objectsLoaded);
    dock->refresh();
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY(loaded.first().first().toInt() >= 5);
    QAbstractItemModel *tree = dock->tree()->model();
    QCOMPARE(tree->index(0, 0).data().toString(), QStringLiteral("main"));

    // Filter, then select the table: its \d text and the migrations that made it.
    QTest::keyClicks(dock->filterField(), QStringLiteral("orders"));
    const QModelIndexList hits = tree->match(tree->index(0, 0), Qt::DisplayRole, QStringLiteral("orders"), 1,
                                             Qt::MatchRecursive | Qt::MatchExactly);
    QCOMPARE(hits.size(), 1);
    QSignalSpy answered(dock, &SchemaDock::commandAnswered);
    dock->tree()->setCurrentIndex(hits.first());
    QTRY_VERIFY(answered.count() >= 1);
    QVERIFY(dock->output()->toPlainText().contains(QStringLiteral("Table \"main.orders\"")));
    QVERIFY(dock->output()->toPlainText().contains(QStringLiteral("ON DELETE SET NULL")));
    QTRY_COMPARE(dock->migrations()->count(), 1);
    QVERIFY(dock->migrations()->item(0)->text().startsWith(QStringLiteral("4b6d9e2f8a01")));
    emit dock->migrations()->itemActivated(dock->migrations()->item(0));
    QCOMPARE(m_window->findChild<GraphPanel *>()->selectedRevision(), QStringLiteral("4b6d9e2f8a01"));

    // The psql-style command line.
    dock->commandLine()->setText(QStringLiteral("\\dt"));
    QTest::keyClick(dock->commandLine(), Qt::Key_Return);
    QTRY_VERIFY(dock->output()->toPlainText().contains(QStringLiteral("List of relations")));
    QVERIFY(dock->output()->toPlainText().contains(QStringLiteral("(5 rows)")));
    QCOMPARE(dock->migrations()->count(), 0); // a list of relations is not one table
    // A typed \d of one table lists its migrations too, however the name is written.
    for (const QString &typed : {QStringLiteral("\\d+ main.\"menu_items\""), QStringLiteral("\\d menu_items")}) {
        dock->commandLine()->setText(typed);
        QTest::keyClick(dock->commandLine(), Qt::Key_Return);
        QTRY_COMPARE(dock->migrations()->count(), 1);
        QVERIFY(dock->migrations()->item(0)->text().startsWith(QStringLiteral("9a3c5f71e8d6")));
        dock->commandLine()->setText(QStringLiteral("\\dt"));
        QTest::keyClick(dock->commandLine(), Qt::Key_Return);
        QCOMPARE(dock->migrations()->count(), 0);
    }
    dock->commandLine()->setText(QStringLiteral("\\d nothing_like_this"));
    QTest::keyClick(dock->commandLine(), Qt::Key_Return);
    QTRY_VERIFY(dock->output()->toPlainText().contains(QStringLiteral("Did not find any relation named")));
    // Up recalls the previous command.
    QTest::keyClick(dock->commandLine(), Qt::Key_Up);
    QCOMPARE(dock->commandLine()->text(), QStringLiteral("\\d nothing_like_this"));

    // The project reloads (a file was added): the list stays the one of the table \d shows,
    // read from the new files, instead of going blank under the \d text.
    dock->commandLine()->setText(QStringLiteral("\\d menu_items"));
    QTest::keyClick(dock->commandLine(), Qt::Key_Return);
    QTRY_COMPARE(dock->migrations()->count(), 1);
    writeAll(m_project + QStringLiteral("/alembic/versions/cccc33330000_vegan.py"),
             "\"\"\"vegan flag\n\nRevision ID: cccc33330000\nRevises: 7f2e4c9b1d83\n\"\"\"\n"
             "from alembic import op\nimport sqlalchemy as sa\n\nrevision = 'cccc33330000'\ndown_revision = '7f2e4c9b1d83'\n"
             "branch_labels = None\ndepends_on = None\n\n\ndef upgrade() -> None:\n"
             "    op.add_column('menu_items', sa.Column('vegan', sa.Boolean()))\n\n\n"
             "def downgrade() -> None:\n    op.drop_column('menu_items', 'vegan')\n");
    QSignalSpy reloaded(m_window.get(), &MainWindow::projectLoaded);
    m_window->session()->reload();
    QTRY_VERIFY(reloaded.count() >= 1);
    QTRY_COMPARE(dock->migrations()->count(), 2);
    QVERIFY(dock->migrations()->item(1)->text().startsWith(QStringLiteral("cccc33330000")));
    QVERIFY(dock->output()->toPlainText().contains(QStringLiteral("menu_items")));

    // The version table shows its rows.
    dock->filterField()->clear();
    const QModelIndexList version = tree->match(tree->index(0, 0), Qt::DisplayRole, QStringLiteral("alembic_version"), 1,
                                                Qt::MatchRecursive | Qt::MatchExactly);
    QCOMPARE(version.size(), 1);
    dock->tree()->setCurrentIndex(version.first());
    QTRY_VERIFY(dock->output()->toPlainText().contains(QStringLiteral("Rows of the version table:\n  7f2e4c9b1d83")));
}

void tst_Workbench::filterNeverOpensFiles()
{
    open(m_project);
    auto *graph = m_window->findChild<GraphPanel *>();
    auto *editor = m_window->findChild<MigrationEditor *>();
    QCOMPARE(m_window->session()->currentRevision(), kMerge);
    QLineEdit *search = graph->searchField();
    search->setFocus();
    QTest::keyClicks(search, QStringLiteral("c5a8"));
    QCOMPARE(graph->proxy()->rowCount(), 1);
    // Filtering hides the current row; it does not pick another one nor open its file.
    QCOMPARE(m_window->session()->currentRevision(), kMerge);
    QCOMPARE(editor->path(), fileOf(kMerge));
    // Escape clears the filter.
    QTest::keyClick(search, Qt::Key_Escape);
    QCOMPARE(search->text(), QString());
    QCOMPARE(graph->proxy()->rowCount(), 8);
    QCOMPARE(m_window->session()->currentRevision(), kMerge);
    // Ids match by prefix only: the middle of c5a8830e41f7 matches nothing.
    QTest::keyClicks(search, QStringLiteral("5a883"));
    QCOMPARE(graph->proxy()->rowCount(), 0);
    QCOMPARE(editor->path(), fileOf(kMerge));
}

void tst_Workbench::windowSizeStableWhileStepping()
{
    // A project deep in a long folder: the file header must not push the layout around.
    QTemporaryDir deep;
    const QString nested = deep.filePath(QStringLiteral("a-rather-long-folder-name-for-a-project-checkout/"
                                                        "another-level-of-folders-that-people-really-have/and-one-more"));
    QVERIFY(QDir().mkpath(nested));
    QVERIFY(testsupport::copyTree(m_project, nested + QStringLiteral("/coffee-shop")));
    m_window->resize(1500, 900);
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    open(nested + QStringLiteral("/coffee-shop"));
    auto *graph = m_window->findChild<GraphPanel *>();
    auto *splitter = m_window->findChild<QSplitter *>(QStringLiteral("mainSplitter"));
    const QSize size = m_window->size();
    const QList<int> sizes = splitter->sizes();
    graph->view()->setFocus();
    for (int i = 0; i < 20; ++i) {
        QTest::keyClick(graph->view(), (i / 7) % 2 == 0 ? Qt::Key_Down : Qt::Key_Up);
        QCoreApplication::sendPostedEvents();
        QCOMPARE(m_window->size(), size);
        QCOMPARE(splitter->sizes(), sizes);
    }
    QVERIFY(m_window->session()->currentRevision() != kMerge);
}

void tst_Workbench::headerMinimumIndependentOfPath()
{
    QTemporaryDir deep;
    const QString shortFile = deep.filePath(QStringLiteral("a.py"));
    const QString longDir = deep.filePath(QString(180, QLatin1Char('d')));
    QVERIFY(QDir().mkpath(longDir));
    const QString longFile = longDir + QStringLiteral("/%1_a_migration_with_a_long_descriptive_name.py").arg(QString(40, QLatin1Char('f')));
    writeAll(shortFile, "x = 1\n");
    writeAll(longFile, "x = 1\n");
    MigrationEditor editor;
    QVERIFY(editor.openFile(shortFile));
    const int shortMin = editor.minimumSizeHint().width();
    QVERIFY(editor.openFile(longFile));
    QCOMPARE(editor.minimumSizeHint().width(), shortMin);
    QVERIFY(shortMin < 400);
}

void tst_Workbench::messageColumnTakesTheSpareWidth()
{
    m_window->resize(1500, 900);
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    open(m_project);
    QTreeView *view = m_window->findChild<GraphPanel *>()->view();
    const int message = view->columnWidth(RevisionModel::MessageColumn);
    QVERIFY2(message >= view->viewport()->width() / 3,
             qPrintable(QStringLiteral("message %1 of %2").arg(message).arg(view->viewport()->width())));
    for (int c : {int(RevisionModel::GraphColumn), int(RevisionModel::StateColumn), int(RevisionModel::DateColumn)})
        QVERIFY(message > view->columnWidth(c));
}

void tst_Workbench::emptyProblemsPanelSaysSo()
{
    open(m_project);
    auto *problems = m_window->findChild<ProblemsModel *>();
    auto *none = m_window->findChild<QLabel *>(QStringLiteral("noProblems"));
    QVERIFY(none);
    problems->setProblems({});
    QVERIFY(none->isVisibleTo(m_window.get()) || none->parentWidget()->isHidden());
    QVERIFY(m_window->findChild<QTableView *>()->isHidden());
    problems->setProblems({{retort::core::Diagnostic::Severity::Warning, QStringLiteral("x"), QStringLiteral("m"), {}, 0, {}}});
    QVERIFY(none->isHidden());
}

void tst_Workbench::editorShortcutsNeverEditTheFile()
{
    open(m_project);
    QVERIFY(m_window->selectRevision(kMenu));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    auto *editor = m_window->findChild<MigrationEditor *>();
    QsciScintilla *text = editor->textEdit();
    const QByteArray before = readAll(fileOf(kMenu));
    text->setFocus();
    QTRY_VERIFY(text->hasFocus());
    QTest::keyClick(text, Qt::Key_F, Qt::ControlModifier);
    QWidget *find = QApplication::focusWidget();
    QVERIFY2(qobject_cast<QLineEdit *>(find), find ? find->metaObject()->className() : "no focus");
    QTest::keyClicks(find, QStringLiteral("menu"));
    QVERIFY(!editor->isModified());
    QCOMPARE(readAll(fileOf(kMenu)), before);
    QTest::keyClick(find, Qt::Key_Escape);
    QTRY_VERIFY(text->hasFocus());
    QTest::keyClick(text, Qt::Key_H, Qt::ControlModifier);
    find = QApplication::focusWidget();
    QVERIFY(qobject_cast<QLineEdit *>(find));
    QTest::keyClicks(find, QStringLiteral("items"));
    QVERIFY(!editor->isModified());
    QVERIFY(!text->text().contains(QStringLiteral("menuitems")));
    QCOMPARE(readAll(fileOf(kMenu)), before);
}

void tst_Workbench::openingAnotherProjectLeavesNothingStale()
{
    open(m_project);
    auto *run = m_window->findChild<RunPanel *>();
    run->log()->appendPlainText(QStringLiteral("old project's run"));
    run->resultLabel()->setText(QStringLiteral("upgrade heads failed"));
    m_window->session()->setRunFailed(kMenu, fileOf(kMenu), 3, QStringLiteral("boom"));
    auto *schema = m_window->findChild<SchemaDock *>();
    schema->output()->setPlainText(QStringLiteral("Table \"main.old_table\""));
    QTemporaryDir other;
    const QString second = testsupport::copyExample(other);
    m_window->openProject(second);
    QVERIFY(run->log()->toPlainText().isEmpty());
    QVERIFY(run->resultLabel()->text().isEmpty());
    QVERIFY(schema->output()->toPlainText().isEmpty());
    QVERIFY(m_window->session()->runState().failedRevision.isEmpty());
    QCOMPARE(m_window->findChild<RevisionModel *>()->rowCount(), 0);
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(m_window->findChild<RevisionModel *>()->rowCount(), 8);
}

void tst_Workbench::appliedAndPendingAtAGlance()
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("glance"));
        db.setDatabaseName(m_project + QStringLiteral("/coffee.db"));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO alembic_version VALUES ('4b6d9e2f8a01')")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("glance"));
    open(m_project);
    auto *model = m_window->findChild<RevisionModel *>();
    auto state = [model](const QString &id) {
        return model->index(model->rowOfRevision(id), RevisionModel::StateColumn);
    };
    QTRY_COMPARE(state(QStringLiteral("4b6d9e2f8a01")).data().toString(), QStringLiteral("✓ applied"));
    QCOMPARE(state(QStringLiteral("3f9c1d2a7b10")).data().toString(), QStringLiteral("✓ applied"));
    QCOMPARE(state(kMenu).data().toString(), QStringLiteral("○ pending"));
    QCOMPARE(state(kMerge).data().toString(), QStringLiteral("○ pending"));
    // Applied and pending look different, and neither uses a lane colour.
    QVERIFY(state(QStringLiteral("4b6d9e2f8a01")).data(Qt::BackgroundRole) != state(kMenu).data(Qt::BackgroundRole));
    // A failed run: that revision's row turns red, and the editor marks the failing line.
    m_window->session()->setRunFailed(kMenu, fileOf(kMenu), 5, QStringLiteral("boom"));
    QCOMPARE(state(kMenu).data().toString(), QStringLiteral("✕ failed"));
    QCOMPARE(state(kMenu).data(RevisionModel::StateRole).toInt(), int(RevisionModel::State::Failed));
    const QColor red = model->index(model->rowOfRevision(kMenu), RevisionModel::MessageColumn).data(Qt::BackgroundRole).value<QColor>();
    QVERIFY(red.isValid() && red.red() > red.green() + 30);
}

void tst_Workbench::describePlusFitsAt1600()
{
    // psql's \d+ of a PostgreSQL table: nine columns, about 120 characters a line.
    const QString line = QStringLiteral(
        " placed_at   | timestamp with time zone |           | not null | CURRENT_TIMESTAMP | plain   |             |              | ");
    const QString header = QStringLiteral(
        "   Column    |           Type           | Collation | Nullable |      Default      | Storage | Compression | Stats target | Description");
    m_window->resize(1600, 1000);
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    open(m_project);
    auto *output = m_window->findChild<SchemaDock *>()->output();
    output->setPlainText(header + QLatin1Char('\n') + line);
    QTRY_VERIFY(output->isVisible());
    const int needed = output->fontMetrics().horizontalAdvance(header);
    QVERIFY2(needed <= output->viewport()->width(),
             qPrintable(QStringLiteral("%1 px needed, %2 px shown").arg(needed).arg(output->viewport()->width())));
}

// WCAG contrast ratio of two colours (1 to 21).
static double contrast(const QColor &a, const QColor &b)
{
    auto luminance = [](const QColor &c) {
        auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void tst_Workbench::compareDiffIsColoured()
{
    DiffView view;
    view.resize(600, 300);
    view.setDiff(retort::core::unifiedDiff(QStringLiteral("keep\nold\n-- sql comment\n"), QStringLiteral("keep\nnew\n-- sql comment\n"),
                                            QStringLiteral("disk"), QStringLiteral("editor")));
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::Text, Qt::black);
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    for (const QPalette &palette : {light, dark}) {
        view.setPalette(palette);
        QHash<QString, QTextBlock> line;
        for (QTextBlock b = view.document()->begin(); b.isValid(); b = b.next())
            line.insert(b.text(), b);
        QVERIFY(line.contains(QStringLiteral("-old")) && line.contains(QStringLiteral("+new")));
        auto background = [&](const QString &text) { return line.value(text).blockFormat().background().color(); };
        auto foreground = [&](const QString &text) {
            const QTextBlock b = line.value(text);
            return b.begin().fragment().charFormat().foreground().color();
        };
        // Removed red, added green, context on the palette's own base; all readable.
        const QColor removed = background(QStringLiteral("-old")), added = background(QStringLiteral("+new"));
        QVERIFY2(removed.hslHue() <= 15 || removed.hslHue() >= 345, qPrintable(removed.name()));
        QVERIFY2(added.hslHue() >= 90 && added.hslHue() <= 160, qPrintable(added.name()));
        QVERIFY(!line.value(QStringLiteral(" keep")).blockFormat().hasProperty(QTextFormat::BackgroundBrush));
        QVERIFY(!line.value(QStringLiteral(" -- sql comment")).blockFormat().hasProperty(QTextFormat::BackgroundBrush));
        for (const QString &text : {QStringLiteral("-old"), QStringLiteral("+new"), QStringLiteral("@@ -1,3 +1,3 @@")})
            QVERIFY2(contrast(foreground(text), background(text)) >= 4.5,
                     qPrintable(QStringLiteral("%1: %2 on %3").arg(text, foreground(text).name(), background(text).name())));
        QVERIFY(contrast(foreground(QStringLiteral(" keep")), palette.color(QPalette::Base)) >= 4.5);
        // The removed line comes before the added one, as diff -u prints a change.
        QVERIFY(line.value(QStringLiteral("-old")).blockNumber() < line.value(QStringLiteral("+new")).blockNumber());
    }
    QVERIFY(DiffView::colours(DiffView::LineKind::Removed, light).background != DiffView::colours(DiffView::LineKind::Removed, dark).background);
}

void tst_Workbench::newRevisionAsksThePrompter()
{
    auto *run = m_window->findChild<RunController *>();
    auto *panel = m_window->findChild<RunPanel *>();
    QSignalSpy located(run, &RunController::alembicLocated);
    open(m_project);
    QTRY_COMPARE_WITH_TIMEOUT(located.count(), 1, 60000);
    QVERIFY2(located.first().first().toBool(), qPrintable(run->alembicDescription()));
    QAction *newRevision = nullptr;
    for (QAction *a : m_window->findChildren<QAction *>())
        if (a->text() == QStringLiteral("&New Revision…"))
            newRevision = a;
    QVERIFY(newRevision);
    // Cancelled: nothing runs.
    newRevision->trigger();
    QCOMPARE(m_prompter.asked, QStringList{QStringLiteral("New Revision from head")});
    QVERIFY(!run->isRunning());
    // Answered: `alembic revision` makes the file and the graph shows it.
    NewRevisionRequest request;
    request.message = QStringLiteral("add loyalty points");
    m_prompter.newRevisions = {request};
    QSignalSpy finished(run, &RunController::runFinished);
    newRevision->trigger();
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.first().first().toBool());
    auto *model = m_window->findChild<RevisionModel *>();
    QTRY_COMPARE(model->rowCount(), 9);
    QStringList messages;
    for (int r = 0; r < model->rowCount(); ++r)
        messages.append(model->index(r, RevisionModel::MessageColumn).data().toString());
    QVERIFY2(messages.contains(QStringLiteral("add loyalty points")), qPrintable(messages.join(QLatin1Char('|'))));
}

void tst_Workbench::mergeHeadsReadsChangesInThePool()
{
    writeTwoHeads(m_project);
    open(m_project);
    QCOMPARE(m_window->session()->project()->map.heads().size(), size_t(2));
    auto *run = m_window->findChild<RunController *>();
    auto *panel = m_window->findChild<RunPanel *>();
    const QStringList heads{QStringLiteral("aaaa11110000"), QStringLiteral("bbbb22220000")};

    // The request returns at once; the branches are read in the pool and the dialog comes after.
    QVERIFY(run->mergeHeads(heads));
    QVERIFY(!m_prompter.asked.contains(QStringLiteral("Merge Heads")));
    QVERIFY(run->isMergePreviewPending());
    QVERIFY(panel->resultLabel()->text().contains(QStringLiteral("Reading what each branch changes")));
    QTRY_COMPARE(m_prompter.asked.count(QStringLiteral("Merge Heads")), 1);
    QVERIFY(!run->isMergePreviewPending());
    const QString view = m_prompter.html.last();
    QVERIFY(view.contains(QStringLiteral("customers.vip")));
    QVERIFY(view.contains(QStringLiteral("orders.tip")));
    QVERIFY(view.contains(QStringLiteral("The branches change different things")));
    QVERIFY(!run->isRunning()); // the dialog was cancelled: no merge

    // Cancelled while reading: the dialog never shows.
    QVERIFY(run->mergeHeads(heads));
    run->cancel();
    QVERIFY(!run->isMergePreviewPending());
    backgroundPool().waitForDone();
    QCoreApplication::sendPostedEvents();
    QCOMPARE(m_prompter.asked.count(QStringLiteral("Merge Heads")), 1);
    QCOMPARE(panel->resultLabel()->text(), QStringLiteral("Merge cancelled."));
}

void tst_Workbench::ctrlClickSelectsBothHeads()
{
    // Click one head, Ctrl+click the other: both stay selected and Merge Selected Heads is
    // there for them (the session answering the click must not take the selection back).
    writeTwoHeads(m_project);
    open(m_project);
    auto *graph = m_window->findChild<GraphPanel *>();
    auto *model = m_window->findChild<RevisionModel *>();
    QTreeView *view = graph->view();
    const auto rectOf = [&](const QString &id) {
        return view->visualRect(graph->proxy()->mapFromSource(model->index(model->rowOfRevision(id), 0)));
    };
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rectOf(QStringLiteral("aaaa11110000")).center());
    QCOMPARE(m_window->session()->currentRevision(), QStringLiteral("aaaa11110000"));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::ControlModifier, rectOf(QStringLiteral("bbbb22220000")).center());
    QCOMPARE(m_window->session()->currentRevision(), QStringLiteral("bbbb22220000"));
    QStringList selected = graph->selectedRevisions();
    selected.sort();
    QCOMPARE(selected, (QStringList{QStringLiteral("aaaa11110000"), QStringLiteral("bbbb22220000")}));
    QTRY_VERIFY(m_window->findChild<ActionHandler *>()->action(ActionHandler::MergeSelected)->isEnabled()); // once Alembic is found
    // Ctrl+click on a selected head takes it out again; a plain click selects one row.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::ControlModifier, rectOf(QStringLiteral("aaaa11110000")).center());
    QCOMPARE(graph->selectedRevisions(), QStringList{QStringLiteral("bbbb22220000")});
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rectOf(kFill).center());
    QCOMPARE(graph->selectedRevisions(), QStringList{kFill});
    QCOMPARE(m_window->session()->currentRevision(), kFill);
}

void tst_Workbench::narrowHeaderKeepsTheUnsavedMark()
{
    // At 1024x700 the editor's pane is ~400 px: a long file name is elided, but the mark of
    // unsaved edits (and "saving…") after it is not.
    const QString path = QStringLiteral("/p/alembic/versions/c5a8830e41f7_fill_password_hash_not_null.py");
    MigrationEditor editor;
    editor.setContentSource([](const QString &) -> std::optional<QByteArray> { return QByteArray("x = 1\n"); });
    editor.resize(260, 300);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QVERIFY(editor.openFile(path));
    auto *header = editor.findChild<PathHeader *>(QStringLiteral("pathHeader"));
    QVERIFY(header);
    QVERIFY(header->width() < 260);
    QVERIFY2(header->shownName().endsWith(QStringLiteral("…")), qPrintable(header->shownName()));
    editor.textEdit()->setFocus();
    QTest::keyClick(editor.textEdit(), Qt::Key_A);
    QVERIFY(editor.isModified());
    QVERIFY2(header->shownName().endsWith(QStringLiteral("… ●")), qPrintable(header->shownName()));
    // Wide enough: the whole name and the mark.
    editor.resize(900, 300);
    QTRY_COMPARE(header->shownName(), QStringLiteral("c5a8830e41f7_fill_password_hash_not_null.py ●"));
}

void tst_Workbench::keptEditsAreNotAskedAgain()
{
    // The file changes on disk under unsaved edits; the person keeps the edits. Every later
    // reload of the project checks the open file again: the same disk text is no news, a
    // newer one is (and so is the file's deletion).
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.py"));
    writeAll(path, "a = 1\n");
    MigrationEditor editor;
    editor.show();
    QVERIFY(editor.openFile(path));
    QTRY_VERIFY(!editor.isLoading());
    editor.textEdit()->setFocus();
    QTest::keyClick(editor.textEdit(), Qt::Key_B);
    QVERIFY(editor.isModified());
    const auto conflict = [&] {
        for (QLabel *l : editor.findChildren<QLabel *>())
            if (l->isVisible() && l->text().contains(QStringLiteral("on disk")))
                return l->text();
        return QString();
    };
    const auto checked = [&] {
        editor.fileChangedOnDisk();
        backgroundPool().waitForDone();
        QCoreApplication::sendPostedEvents();
    };
    writeAll(path, "a = 2\n");
    checked();
    QVERIFY(conflict().contains(QStringLiteral("changed on disk")));
    QPushButton *keep = nullptr;
    for (QPushButton *b : editor.findChildren<QPushButton *>())
        if (b->text() == QStringLiteral("Keep My Edits"))
            keep = b;
    QVERIFY(keep);
    QTest::mouseClick(keep, Qt::LeftButton);
    QVERIFY(conflict().isEmpty());
    checked(); // another file changed: the project reloads and asks again
    QVERIFY2(conflict().isEmpty(), qPrintable(conflict()));
    QVERIFY(editor.isModified());
    writeAll(path, "a = 3\n");
    checked();
    QVERIFY(conflict().contains(QStringLiteral("changed on disk")));
    QTest::mouseClick(keep, Qt::LeftButton);
    QVERIFY(QFile::remove(path));
    checked();
    QVERIFY(conflict().contains(QStringLiteral("deleted on disk")));
    QTest::mouseClick(keep, Qt::LeftButton);
    checked();
    QVERIFY(conflict().isEmpty());
    QCOMPARE(editor.textEdit()->text(), QStringLiteral("a = 1\nb")); // the edits, never the disk text
}

void tst_Workbench::ctrlTabLeavesTheEditor()
{
    // Tab indents in the editor, so Tab alone never leaves it; Ctrl+Tab and Ctrl+Shift+Tab
    // move the focus on and back (the convention of widgets that take Tab), typing nothing.
    open(m_project);
    auto *editor = m_window->findChild<MigrationEditor *>();
    QTRY_VERIFY(!editor->isLoading() && !editor->path().isEmpty());
    QsciScintilla *text = editor->textEdit();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    text->setFocus();
    QTRY_VERIFY(text->hasFocus());
    const QString before = text->text();
    QTest::keyClick(text, Qt::Key_Tab, Qt::ControlModifier);
    QVERIFY(!text->hasFocus());
    QVERIFY(!editor->isModified());
    text->setFocus();
    QTRY_VERIFY(text->hasFocus());
    QTest::keyClick(text, Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(!text->hasFocus());
    QCOMPARE(text->text(), before);
    // Tab itself still indents.
    text->setFocus();
    QTest::keyClick(text, Qt::Key_Tab);
    QVERIFY(text->hasFocus());
    QVERIFY(editor->isModified());
    text->setModified(false);
}

QTEST_MAIN(tst_Workbench)
#include "tst_workbench.moc"

void tst_Workbench::freshWindowFitsTheScreen()
{
    // No saved layout: the first window is 1500x900 or, on a smaller screen (offscreen's is
    // 800x600), the screen's available size, never wider or taller than the screen.
    m_window.reset();
    QSettings().remove(QStringLiteral("window"));
    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    const QRect available = m_window->screen()->availableGeometry();
    QVERIFY2(m_window->width() <= available.width() && m_window->height() <= available.height(),
             qPrintable(QStringLiteral("%1x%2 on %3x%4").arg(m_window->width()).arg(m_window->height())
                            .arg(available.width()).arg(available.height())));
    open(m_project);
    QVERIFY(m_window->width() <= available.width());
}

void tst_Workbench::fullMessagesAt1024x700()
{
    // A fresh window shown at 1024x700 (no saved layout): every message of the example whole
    // in its column, the selected one's details and its file beside the graph, not under it.
    m_window.reset();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1024, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    open(m_project);
    QVERIFY(m_window->selectRevision(kMenu));
    auto *graph = m_window->findChild<GraphPanel *>();
    QTreeView *view = graph->view();
    QTRY_VERIFY(view->columnWidth(RevisionModel::MessageColumn) > 0);
    QCoreApplication::sendPostedEvents();
    const int column = view->columnWidth(RevisionModel::MessageColumn);
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex idx = view->model()->index(row, RevisionModel::MessageColumn);
        QFont font = view->font();
        if (idx.data(Qt::FontRole).canConvert<QFont>())
            font = idx.data(Qt::FontRole).value<QFont>().resolve(view->font());
        const QString message = idx.data().toString();
        const int needed = graph->delegate()->decorationWidth(idx, font) + QFontMetrics(font).horizontalAdvance(message) + 2;
        QVERIFY2(needed <= column, qPrintable(QStringLiteral("'%1' needs %2 px, its column has %3").arg(message).arg(needed).arg(column)));
    }
    // The details: the message and its table readable without scrolling sideways, and tall
    // enough for more than the heading; the editor keeps most of the height.
    auto *details = m_window->findChild<DetailsView *>();
    QVERIFY(details->toPlainText().startsWith(QStringLiteral("create menu_items")));
    QVERIFY(!details->horizontalScrollBar()->isVisible());
    QVERIFY2(details->viewport()->height() >= 110, qPrintable(QString::number(details->viewport()->height())));
    auto *editor = m_window->findChild<MigrationEditor *>();
    QVERIFY2(editor->height() >= 180, qPrintable(QString::number(editor->height())));
    const QRect graphRect(view->mapTo(m_window.get(), QPoint()), view->size());
    for (QWidget *w : {static_cast<QWidget *>(details), static_cast<QWidget *>(editor)}) {
        const QRect r(w->mapTo(m_window.get(), QPoint()), w->size());
        QVERIFY(!graphRect.intersects(r));
    }
}

void tst_Workbench::openingARevisionReadsNoFile()
{
    // The snapshot read every revision file: selecting one shows its text at once, from
    // there (the file is gone from disk and the window has not heard of it yet).
    open(m_project);
    const QString path = fileOf(kMenu);
    const QByteArray content = readAll(path);
    QVERIFY(QFile::remove(path));
    QVERIFY(m_window->selectRevision(kMenu));
    auto *editor = m_window->findChild<MigrationEditor *>();
    QCOMPARE(editor->path(), path);
    QVERIFY(!editor->isLoading());
    QCOMPARE(editor->textEdit()->text().toUtf8(), content);
    QVERIFY(!editor->isModified());
}

void tst_Workbench::editorReadsOtherFilesInThePool()
{
    // A file the snapshot does not hold (no source set): read in the pool, lines asked for
    // meanwhile applied when it is there; an unreadable one says why, once.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.py"));
    writeAll(path, "a = 1\r\nb = 2\r\nc = 3\r\n");
    MigrationEditor editor;
    QVERIFY(editor.openFile(path));
    QVERIFY(editor.isLoading());
    QVERIFY(editor.textEdit()->text().isEmpty());
    QCOMPARE(editor.path(), path);
    editor.goToLine(3);
    QTRY_VERIFY(!editor.isLoading());
    QCOMPARE(editor.textEdit()->text(), QStringLiteral("a = 1\r\nb = 2\r\nc = 3\r\n"));
    int line = 0, index = 0;
    editor.textEdit()->getCursorPosition(&line, &index);
    QCOMPARE(line, 2);
    // Gone from disk: the check runs in the pool and says so.
    editor.show();
    QVERIFY(QFile::remove(path));
    editor.fileChangedOnDisk();
    auto saysDeleted = [&] {
        for (QLabel *l : editor.findChildren<QLabel *>())
            if (l->isVisible() && l->text().contains(QStringLiteral("was deleted on disk")))
                return true;
        return false;
    };
    QVERIFY(!saysDeleted());
    QTRY_VERIFY(saysDeleted());
    // A content source answers at once.
    editor.setContentSource([](const QString &p) -> std::optional<QByteArray> {
        if (p.endsWith(QStringLiteral("b.py")))
            return QByteArray("b = 1\n");
        return std::nullopt;
    });
    QVERIFY(editor.openFile(dir.filePath(QStringLiteral("b.py"))));
    QVERIFY(!editor.isLoading());
    QCOMPARE(editor.textEdit()->text(), QStringLiteral("b = 1\n"));
    QSignalSpy failed(&editor, &MigrationEditor::openFailed);
    QVERIFY(editor.openFile(dir.filePath(QStringLiteral("missing.py"))));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("missing.py")));
    QVERIFY(editor.path().isEmpty());
    QVERIFY(!editor.save());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("missing.py"))));
}

void tst_Workbench::unreachableDatabaseIsNotAllPending()
{
    // A PostgreSQL server that refuses: the State column says it could not read the
    // position, instead of calling every (maybe applied) revision pending.
    stampDatabase(m_project + QStringLiteral("/coffee.db"), {kMenu});
    open(m_project);
    auto *model = m_window->findChild<RevisionModel *>();
    const auto stateOf = [model](const QString &id) {
        return model->index(model->rowOfRevision(id), RevisionModel::StateColumn).data().toString();
    };
    QTRY_VERIFY(stateOf(kMenu).contains(QStringLiteral("applied")));
    QVERIFY(stateOf(kMerge).contains(QStringLiteral("pending")));
    Databases *dbs = m_window->session()->databases();
    QCOMPARE(dbs->add({QStringLiteral("dead"), QStringLiteral("postgresql://app@127.0.0.1:1/shop"), {}, false, false}), QString());
    QSignalSpy position(m_window->session(), &ProjectSession::databasePositionChanged);
    QVERIFY(dbs->setActive(QStringLiteral("dead")));
    QTRY_VERIFY(!position.isEmpty() && !position.last().at(1).toString().isEmpty());
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString state = model->index(row, RevisionModel::StateColumn).data().toString();
        QVERIFY2(state.contains(QStringLiteral("not read")), qPrintable(state));
    }
    // The driver's long message does not squeeze the project's name out of the status bar.
    m_window->resize(1024, 700);
    QCoreApplication::sendPostedEvents();
    auto *project = m_window->findChild<QLabel *>(QStringLiteral("projectLabel"));
    QTRY_VERIFY2(project->width() >= project->sizeHint().width(),
                 qPrintable(QStringLiteral("%1 of %2").arg(project->width()).arg(project->sizeHint().width())));
    // Back on the readable one: applied and pending again.
    QVERIFY(dbs->setActive(dbs->connections().first().name));
    QTRY_VERIFY(stateOf(kMenu).contains(QStringLiteral("applied")));
    QVERIFY(stateOf(kMerge).contains(QStringLiteral("pending")));
}

void tst_Workbench::reloadKeepsUnsavedEdits()
{
    // Every reload re-shows the current revision: that must never read the file over the
    // user's unsaved edits, whether another file or the open one changed on disk.
    open(m_project);
    QVERIFY(m_window->selectRevision(kFill));
    auto *editor = m_window->findChild<MigrationEditor *>();
    editor->textEdit()->insertAt(QStringLiteral("# mine\n"), 0, 0);
    QVERIFY(editor->isModified());
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    const QString customers = fileOf(QStringLiteral("8d41e07c5a92"));
    writeAll(customers, readAll(customers).replace("\"\"\"create customers", "\"\"\"create customers and phones"));
    QTRY_VERIFY(loaded.count() >= 1);
    QVERIFY(editor->isModified());
    QVERIFY(editor->textEdit()->text().startsWith(QStringLiteral("# mine\n")));

    loaded.clear();
    // The banner wraps inside the pane; it never widens the editor (the splitter moved and the
    // graph's messages were elided when it named the file in a 3-line label).
    const int narrowest = editor->minimumSizeHint().width();
    writeAll(fileOf(kFill), readAll(fileOf(kFill)) + "# changed elsewhere\n");
    QTRY_VERIFY(loaded.count() >= 1);
    auto saysChanged = [&] {
        for (QLabel *l : editor->findChildren<QLabel *>())
            if (l->isVisible() && l->text().contains(QStringLiteral("changed on disk while you were editing")))
                return true;
        return false;
    };
    QTRY_VERIFY(saysChanged());
    QVERIFY2(editor->minimumSizeHint().width() <= narrowest,
             qPrintable(QStringLiteral("%1 > %2").arg(editor->minimumSizeHint().width()).arg(narrowest)));
    QVERIFY(editor->isModified());
    QVERIFY(editor->textEdit()->text().startsWith(QStringLiteral("# mine\n")));
    QVERIFY(!editor->textEdit()->text().contains(QStringLiteral("# changed elsewhere")));
}
