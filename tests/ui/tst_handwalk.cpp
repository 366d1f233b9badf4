// What walking the workbench by hand found, each kept as a test: real widgets, offscreen,
// on real project folders in temp dirs.
#include "../integration/testsupport.h"
#include "sqlitestamp.h"
#include "editor/migrationeditor.h"
#include "graph/graphpanel.h"
#include "databases.h"
#include "db/connection.h"
#include "inspector/schemadock.h"
#include "mainwindow.h"
#include "models/revisionmodel.h"
#include "models/problemsmodel.h"
#include "panels/detailsview.h"
#include "projectsession.h"
#include "prompter.h"
#include "scriptedprompter.h"

#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QComboBox>
#include <QScopeGuard>
#include <QLabel>
#include <QPushButton>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace retort::ui;

namespace {

using testsupport::ScriptedPrompter;

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

// A straight line of `count` revisions r0000 (base) … r<count-1> (head): message "change N".
QString revisionId(int i) { return QStringLiteral("r%1").arg(i, 4, 10, QLatin1Char('0')); }

void writeLine(const QString &root, int count)
{
    QDir().mkpath(root + QStringLiteral("/alembic/versions"));
    writeFile(root + QStringLiteral("/alembic.ini"),
              "[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = sqlite:///%(here)s/line.db\n");
    for (int i = 0; i < count; ++i) {
        const QString down = i == 0 ? QStringLiteral("None") : QStringLiteral("'%1'").arg(revisionId(i - 1));
        writeFile(QStringLiteral("%1/alembic/versions/%2_change.py").arg(root, revisionId(i)),
                  QStringLiteral("\"\"\"change %1\n\nRevision ID: %2\n\"\"\"\nfrom alembic import op\n\n"
                                 "revision = '%2'\ndown_revision = %3\nbranch_labels = None\ndepends_on = None\n\n\n"
                                 "def upgrade():\n    op.execute(\"SELECT %1\")\n\n\ndef downgrade():\n    pass\n")
                      .arg(i).arg(revisionId(i), down).toUtf8());
    }
}

} // namespace

class tst_HandWalk : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void clearingTheFilterShowsTheCurrentRevisionAgain();
    void anotherFileStartsAtTheLeftEdge();
    void syntaxErrorJumpsToItsColumnAndGoesWhenFixed();
    void reloadWithAnUnreachableDatabaseNeverShowsAllPending();
    void reloadsNeverAskAboutUnsavedEditsOfAGoneRevision();
    void aServerThatNeverAnswersIsSaidAndCanBeCancelled();

private:
    void open(const QString &dir);

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<MainWindow> m_window;
    ScriptedPrompter m_prompter;
};

void tst_HandWalk::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RetortTests"));
    Prompter::setInstance(&m_prompter);
}

void tst_HandWalk::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_prompter = ScriptedPrompter();
    m_window = std::make_unique<MainWindow>();
    m_window->session()->setReloadDelay(50);
    m_window->resize(1000, 650);
    m_window->show();
}

void tst_HandWalk::cleanup()
{
    m_window->findChild<MigrationEditor *>()->textEdit()->setModified(false);
    m_window.reset();
    m_tmp.reset();
}

void tst_HandWalk::open(const QString &dir)
{
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    m_window->openProject(dir);
    QTRY_COMPARE(loaded.count(), 1);
}

void tst_HandWalk::clearingTheFilterShowsTheCurrentRevisionAgain()
{
    // Found at 1024x700 on 2,000 revisions: the base selected (End), a filter that hides it
    // typed and cleared; the graph came back scrolled to the top with no row selected, the
    // details still on the base. While the filter hid it, the view's current row had moved
    // to a neighbour, and the next keystroke selected that neighbour.
    const QString root = m_tmp->path() + QStringLiteral("/line");
    writeLine(root, 300);
    open(root);
    auto *graph = m_window->findChild<GraphPanel *>();
    QTreeView *view = graph->view();
    view->setFocus();
    QTest::keyClick(view, Qt::Key_End);
    QTRY_COMPARE(m_window->session()->currentRevision(), revisionId(0));
    const QString base = revisionId(0);

    QLineEdit *search = graph->searchField();
    search->setFocus();
    QTest::keyClicks(search, QStringLiteral("change 10"));
    QVERIFY(graph->proxy()->rowCount() > 1);
    QVERIFY(!graph->isVisibleRevision(base));
    // No other row looks picked while the session's revision is hidden.
    QVERIFY(view->selectionModel()->selectedRows().isEmpty());
    QTest::keyClicks(search, QStringLiteral("0"));
    QVERIFY(view->selectionModel()->selectedRows().isEmpty());
    QCOMPARE(m_window->session()->currentRevision(), base);

    QTest::keyClick(search, Qt::Key_Escape);
    QCOMPARE(graph->proxy()->rowCount(), 300);
    QCOMPARE(m_window->session()->currentRevision(), base);
    QCOMPARE(graph->selectedRevision(), base);
    QCOMPARE(graph->selectedRevisions(), QStringList{base});
    const QModelIndex shown = view->currentIndex();
    QVERIFY(view->viewport()->rect().intersects(view->visualRect(shown)));
}

void tst_HandWalk::anotherFileStartsAtTheLeftEdge()
{
    // Found at 1024x700: an edit at the end of a long line scrolled the editor sideways;
    // after switching project (or revision) the new file showed from its 12th column on.
    const QString project = testsupport::copyExample(*m_tmp);
    open(project);
    auto *editor = m_window->findChild<MigrationEditor *>();
    QsciScintilla *edit = editor->textEdit();
    const QString first = editor->path();
    QVERIFY(!first.isEmpty());
    edit->setFocus();
    edit->setCursorPosition(4, 0);
    QTest::keyClick(edit, Qt::Key_End);
    QTest::keyClicks(edit, QString(120, QLatin1Char('x')));
    QTRY_VERIFY(edit->SendScintilla(QsciScintillaBase::SCI_GETXOFFSET) > 0);
    const QString other = QStringLiteral("3f9c1d2a7b10");
    m_prompter.answers = {Prompter::Answer::Discard};
    QVERIFY(m_window->selectRevision(other));
    QTRY_VERIFY(editor->path() != first);
    QTRY_COMPARE(int(edit->SendScintilla(QsciScintillaBase::SCI_GETXOFFSET)), 0);
    QCOMPARE(m_prompter.asked.size(), 1);
    // The same file read again (Reload) keeps where it was scrolled to.
    edit->SendScintilla(QsciScintillaBase::SCI_SETXOFFSET, 40);
    QSignalSpy opened(editor, &MigrationEditor::fileOpened);
    QVERIFY(editor->reload());
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(int(edit->SendScintilla(QsciScintillaBase::SCI_GETXOFFSET)), 40);
}

void tst_HandWalk::syntaxErrorJumpsToItsColumnAndGoesWhenFixed()
{
    // def upgrade(:): in one revision file: the rest of the graph shows, the problem names
    // file:line:col (CPython's: line 21, offset 13), activating it puts the cursor on the
    // ':', and fixing it in the editor and saving makes it go.
    const QString project = testsupport::copyExample(*m_tmp);
    const QString broken = project + QStringLiteral("/alembic/versions/c5a8830e41f7_fill_password_hash_not_null.py");
    QFile f(broken);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    f.close();
    QVERIFY(good.contains("def upgrade() -> None:\n"));
    QByteArray bad = good;
    bad.replace("def upgrade() -> None:\n", "def upgrade(:):\n");
    writeFile(broken, bad);
    const int line = bad.left(bad.indexOf("def upgrade(:)")).count('\n') + 1;
    open(project);
    QCOMPARE(m_window->session()->project()->map.size(), 7);
    auto *problems = m_window->findChild<ProblemsModel *>();
    QVERIFY(problems);
    int row = -1;
    for (int r = 0; r < problems->rowCount(); ++r)
        if (problems->index(r, 0).data(ProblemsModel::RuleRole).toString() == QLatin1String("parse-error"))
            row = r;
    QVERIFY(row >= 0);
    QCOMPARE(problems->index(row, ProblemsModel::LocationColumn).data().toString(),
             QStringLiteral("c5a8830e41f7_fill_password_hash_not_null.py:%1:13").arg(line));
    QCOMPARE(problems->index(row, 0).data(ProblemsModel::ColumnRole).toInt(), 13);

    QTableView *view = nullptr;
    for (auto *v : m_window->findChildren<QTableView *>())
        if (v->model() == problems)
            view = v;
    QVERIFY(view);
    view->show();
    const QModelIndex cell = view->model()->index(row, ProblemsModel::MessageColumn);
    view->setCurrentIndex(cell);
    emit view->activated(cell);
    auto *editor = m_window->findChild<MigrationEditor *>();
    QTRY_COMPARE(editor->path(), broken);
    int l = -1, c = -1;
    QTRY_VERIFY((editor->textEdit()->getCursorPosition(&l, &c), l == line - 1 && c == 12));
    QCOMPARE(editor->textEdit()->text(l).mid(c, 1), QStringLiteral(":"));
    // Found at 1024x700: the details went on describing the revision picked before while the
    // editor showed the broken file. They agree now: no revision is current, the details
    // name the file and its problem, the graph selects nothing.
    auto *details = m_window->findChild<DetailsView *>();
    QCOMPARE(m_window->session()->currentRevision(), QString());
    QCOMPARE(m_window->session()->currentFile(), broken);
    QCOMPARE(details->file(), broken);
    QCOMPARE(details->revision(), -1);
    QVERIFY(details->toPlainText().contains(QStringLiteral("c5a8830e41f7_fill_password_hash_not_null.py is not a revision")));
    QVERIFY(details->toPlainText().contains(QStringLiteral("line %1:").arg(line)));
    QCOMPARE(m_window->findChild<GraphPanel *>()->selectedRevision(), QString());
    // A reload meanwhile (another file touched) leaves it so: not the newest revision.
    writeFile(project + QStringLiteral("/alembic/versions/zz_notes.py"), "# not a revision\n");
    QSignalSpy reloaded(m_window->session(), &ProjectSession::projectLoaded);
    QTRY_VERIFY(!reloaded.isEmpty());
    QCOMPARE(m_window->session()->currentFile(), broken);
    QCOMPARE(editor->path(), broken);
    QCOMPARE(details->file(), broken);

    // Fixed in the editor and saved: the problem goes, the revision is back in the graph.
    QsciScintilla *edit = editor->textEdit();
    edit->setSelection(line - 1, 0, line, 0);
    edit->replaceSelectedText(QStringLiteral("def upgrade() -> None:\n"));
    QVERIFY(editor->save());
    QTRY_VERIFY(!editor->isModified());
    QTRY_COMPARE(m_window->session()->project()->map.size(), 8);
    for (int r = 0; r < problems->rowCount(); ++r)
        QVERIFY(problems->index(r, 0).data(ProblemsModel::RuleRole).toString() != QLatin1String("parse-error"));
    // ... and current again, in the details, the graph and the editor alike.
    QTRY_COMPARE(m_window->session()->currentRevision(), QStringLiteral("c5a8830e41f7"));
    QCOMPARE(m_window->session()->currentFile(), QString());
    QCOMPARE(details->file(), QString());
    QCOMPARE(details->revision(), m_window->session()->project()->map.indexOf(QStringLiteral("c5a8830e41f7")));
    QCOMPARE(m_window->findChild<GraphPanel *>()->selectedRevision(), QStringLiteral("c5a8830e41f7"));
    QCOMPARE(editor->path(), broken);
}

void tst_HandWalk::reloadWithAnUnreachableDatabaseNeverShowsAllPending()
{
    // Found at 1024x700 with a dead PostgreSQL active: a revision file deleted on disk
    // reloaded the project, and every row said "pending" until the refused connect came
    // back again ("? not read" before and after).
    const QString project = testsupport::copyExample(*m_tmp);
    open(project);
    auto *model = m_window->findChild<RevisionModel *>();
    Databases *dbs = m_window->session()->databases();
    QCOMPARE(dbs->add({QStringLiteral("dead"), QStringLiteral("postgresql://app@127.0.0.1:1/shop"), {}, false, false}), QString());
    QSignalSpy position(m_window->session(), &ProjectSession::databasePositionChanged);
    QVERIFY(dbs->setActive(QStringLiteral("dead")));
    QTRY_VERIFY(!position.isEmpty() && !position.last().at(1).toString().isEmpty());
    const auto allNotRead = [model] {
        for (int row = 0; row < model->rowCount(); ++row)
            if (model->index(row, RevisionModel::StateColumn).data(RevisionModel::StateRole).toInt()
                != int(RevisionModel::State::Unknown))
                return false;
        return model->rowCount() > 0;
    };
    QVERIFY(allNotRead());
    // Every state the rows pass through while the project reloads is "not read".
    bool everKnown = false;
    connect(model, &QAbstractItemModel::dataChanged, this, [&] { everKnown = everKnown || !allNotRead(); });
    connect(model, &QAbstractItemModel::modelReset, this, [&] { everKnown = everKnown || !allNotRead(); });
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    QVERIFY(QFile::remove(project + QStringLiteral("/alembic/versions/7f2e4c9b1d83_merge_orders_and_menu.py")));
    QTRY_COMPARE(m_window->session()->project()->map.size(), 7);
    QTRY_VERIFY(!loaded.isEmpty());
    QVERIFY(allNotRead());
    QVERIFY(!everKnown);
}

void tst_HandWalk::reloadsNeverAskAboutUnsavedEditsOfAGoneRevision()
{
    // Found at 1024x700: the open file, with unsaved edits, deleted on disk. The reload
    // moved the session to another revision and asked "Save them before moving on?"; after
    // Cancel every later reload (any file touched) asked again, a dialog popping up by
    // itself. The edits stay in the editor without a question; a revision picked by hand
    // still asks.
    const QString project = testsupport::copyExample(*m_tmp);
    open(project);
    auto *editor = m_window->findChild<MigrationEditor *>();
    const QString merge = editor->path();
    QVERIFY(merge.endsWith(QLatin1String("7f2e4c9b1d83_merge_orders_and_menu.py")));
    editor->textEdit()->setCursorPosition(0, 0);
    editor->textEdit()->insert(QStringLiteral("# mine\n"));
    QVERIFY(editor->isModified());
    QVERIFY(QFile::remove(merge));
    QTRY_COMPARE(m_window->session()->project()->map.size(), 7);
    QTRY_VERIFY(m_window->session()->currentRevision() != QLatin1String("7f2e4c9b1d83"));
    // Another change on disk, another reload.
    writeFile(project + QStringLiteral("/alembic/versions/zz_notes.py"), "# not a revision\n");
    QSignalSpy loaded(m_window->session(), &ProjectSession::projectLoaded);
    QTRY_VERIFY(!loaded.isEmpty());
    QCOMPARE(m_prompter.asked, QStringList());
    QCOMPARE(editor->path(), merge);
    QVERIFY(editor->isModified());
    QVERIFY(editor->textEdit()->text().startsWith(QLatin1String("# mine\n")));
    // Picked by hand: asked, and Cancel stays.
    m_prompter.answers = {Prompter::Answer::Cancel};
    QVERIFY(!m_window->selectRevision(QStringLiteral("3f9c1d2a7b10")));
    QCOMPARE(m_prompter.asked.size(), 1);
    QCOMPARE(editor->path(), merge);
    // Saved (in the pool): the file is back and so is its revision.
    QVERIFY(editor->save());
    QTRY_VERIFY(!editor->isModified());
    QTRY_COMPARE(m_window->session()->project()->map.size(), 8);
}

void tst_HandWalk::aServerThatNeverAnswersIsSaidAndCanBeCancelled()
{
    // Found with a server that takes the TCP connection and never answers (a SIGSTOPped
    // PostgreSQL; here a socket that listens and never reads: the kernel accepts for it):
    // while the connect waited, the State column went on showing the ini database's
    // "applied" under the new name and the status bar said "at base"; then "unreachable",
    // with libpq's "timeout expired". Now: not read while connecting, "not answering" after
    // the connect timeout, Cancel and Retry beside the status line.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(listener >= 0);
    const auto closeListener = qScopeGuard([listener] { ::close(listener); });
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    QCOMPARE(::listen(listener, 16), 0);
    socklen_t len = sizeof addr;
    QCOMPARE(::getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len), 0);
    const int port = ntohs(addr.sin_port);

    const QString project = testsupport::copyExample(*m_tmp);
    stampDatabase(project + QStringLiteral("/coffee.db"), {QStringLiteral("9a3c5f71e8d6")});
    open(project);
    auto *model = m_window->findChild<RevisionModel *>();
    Databases *dbs = m_window->session()->databases();
    QTRY_VERIFY(dbs->activeStatus().read);
    const auto states = [model] {
        QSet<int> out;
        for (int row = 0; row < model->rowCount(); ++row)
            out.insert(model->index(row, RevisionModel::StateColumn).data(RevisionModel::StateRole).toInt());
        return out;
    };
    QTRY_VERIFY(states().contains(int(RevisionModel::State::Applied)));

    QCOMPARE(dbs->add({QStringLiteral("hung"), QStringLiteral("postgresql://app@127.0.0.1:%1/shop").arg(port), {}, false, false}),
             QString());
    QVERIFY(dbs->setActive(QStringLiteral("hung")));
    // Asked, not answered: nothing of the other database's position under this name.
    QVERIFY(dbs->activeStatus().reading);
    QTRY_COMPARE(states(), QSet<int>{int(RevisionModel::State::Unknown)});
    QVERIFY2(m_window->statusText().contains(QStringLiteral("Database: connecting")), qPrintable(m_window->statusText()));
    auto *button = m_window->findChild<QPushButton *>(QStringLiteral("connectButton"));
    QVERIFY(button);
    QTRY_VERIFY(button->isVisible());
    QCOMPARE(button->text(), QStringLiteral("Cancel"));

    // The connect timeout passes (libpq's, in the pool): "not answering", and Retry.
    QSignalSpy status(dbs, &Databases::statusChanged);
    QTRY_VERIFY_WITH_TIMEOUT(!dbs->activeStatus().reading, 30000);
    QVERIFY(retort::core::isNotAnswering(dbs->activeStatus().error));
    QVERIFY2(dbs->activeStatus().error.message.contains(QStringLiteral("not answering")), qPrintable(dbs->activeStatus().error.message));
    QVERIFY(dbs->activeStatus().error.message.contains(QStringLiteral("127.0.0.1:%1").arg(port)));
    auto *schema = m_window->findChild<SchemaDock *>();
    auto *combo = schema->findChild<QComboBox *>();
    QTRY_VERIFY(combo->currentText().contains(QStringLiteral("not answering")));
    QCOMPARE(button->text(), QStringLiteral("Retry"));
    QCOMPARE(states(), QSet<int>{int(RevisionModel::State::Unknown)});

    // Retry asks again; Cancel gives up at once, and says so.
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(dbs->activeStatus().reading);
    QCOMPARE(button->text(), QStringLiteral("Cancel"));
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(!dbs->activeStatus().reading);
    QVERIFY(retort::core::isNotAnswering(dbs->activeStatus().error));
    QCOMPARE(button->text(), QStringLiteral("Retry"));
    QVERIFY(schema->statusLabel()->text().contains(QStringLiteral("given up")));
    // Back to the ini's database: its position, read again.
    QVERIFY(dbs->setActive(dbs->connections().first().name));
    QTRY_VERIFY(states().contains(int(RevisionModel::State::Applied)));
    QTRY_VERIFY(button->isHidden());
}

QTEST_MAIN(tst_HandWalk)
#include "tst_handwalk.moc"
