// Saving a revision file: in the background pool, never over edits, never twice at once.
// Real widgets offscreen, real files in temp dirs; a read-only file, a deleted folder and a
// file-size limit (what a full disk answers) make the writes fail for real.
#include "../integration/testsupport.h"
#include "fileaccess.h"
#include "actionhandler.h"
#include "editor/migrationeditor.h"
#include "graph/graphpanel.h"
#include "mainwindow.h"
#include "panels/detailsview.h"
#include "projectsession.h"
#include "prompter.h"
#include "scriptedprompter.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QApplication>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>

using namespace retort::ui;

namespace {

using testsupport::ScriptedPrompter;

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

const QString kFill = QStringLiteral("c5a8830e41f7");
const QString kMenu = QStringLiteral("9a3c5f71e8d6");

// Until destroyed, no file this process writes may grow past `bytes` (EFBIG, as a full disk
// refuses the write); SIGXFSZ is ignored so the write fails instead of killing the test.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        ::getrlimit(RLIMIT_FSIZE, &m_old);
        m_oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = m_old;
        small.rlim_cur = bytes;
        ::setrlimit(RLIMIT_FSIZE, &small);
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_oldHandler);
    }

private:
    rlimit m_old{};
    void (*m_oldHandler)(int) = nullptr;
};

} // namespace

class tst_Saving : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void savesInThePoolWithTheTextLocked();
    void failedSaveKeepsTheEdits_data();
    void failedSaveKeepsTheEdits();
    void maybeSaveAnswersOnceWritten();
    void switchingRevisionWaitsForTheSave();
    void failedSaveStaysOnTheRevision();
    void closingWaitsForTheSave();
    void openingAnotherProjectWaitsForTheSave();
    void unreadableFileIsSaidAndNothingIsLost_data();
    void unreadableFileIsSaidAndNothingIsLost();

private:
    void openWindow(const QString &project);
    QString fileOf(const QString &id) const;

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<MainWindow> m_window;
    QString m_project;
    ScriptedPrompter m_prompter;
};

void tst_Saving::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RetortTests"));
    Prompter::setInstance(&m_prompter);
}

void tst_Saving::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_prompter = ScriptedPrompter();
}

void tst_Saving::cleanup()
{
    if (m_window) {
        m_window->findChild<MigrationEditor *>()->textEdit()->setModified(false);
        m_window.reset();
    }
    m_tmp.reset();
}

void tst_Saving::openWindow(const QString &project)
{
    m_project = project;
    m_window = std::make_unique<MainWindow>();
    m_window->session()->setReloadDelay(50);
    m_window->resize(1000, 650);
    m_window->show();
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    m_window->openProject(project);
    QTRY_COMPARE(loaded.count(), 1);
}

QString tst_Saving::fileOf(const QString &id) const
{
    const auto p = m_window->session()->project();
    return p->map.fileOf(p->map.indexOf(id)).path;
}

void tst_Saving::savesInThePoolWithTheTextLocked()
{
    const QString path = m_tmp->filePath(QStringLiteral("a.py"));
    QVERIFY(writeAll(path, "a = 1\n"));
    MigrationEditor editor;
    QVERIFY(editor.openFile(path));
    QTRY_VERIFY(!editor.isLoading());
    editor.textEdit()->setCursorPosition(1, 0);
    editor.textEdit()->insert(QStringLiteral("b = 2\n"));
    QVERIFY(editor.isModified());

    QSignalSpy saving(&editor, &MigrationEditor::savingChanged);
    QSignalSpy saved(&editor, &MigrationEditor::fileSaved);
    QVERIFY(editor.save());
    // Nothing was written on this thread: the file is as it was until the pool answers.
    QCOMPARE(readAll(path), QByteArray("a = 1\n"));
    QVERIFY(editor.isSaving());
    QCOMPARE(saving.count(), 1);
    // The text cannot change under the save, and a second save is refused.
    QVERIFY(editor.textEdit()->isReadOnly());
    QVERIFY(!editor.save());
    QTRY_COMPARE(saved.count(), 1);
    QCOMPARE(saved.first().first().toString(), path);
    QCOMPARE(readAll(path), QByteArray("a = 1\nb = 2\n"));
    QVERIFY(!editor.isSaving());
    QVERIFY(!editor.isModified());
    QVERIFY(!editor.textEdit()->isReadOnly());
    QCOMPARE(saving.count(), 2);
    QCOMPARE(saving.last().first().toBool(), false);
    QVERIFY(editor.notice().isEmpty());
}

void tst_Saving::failedSaveKeepsTheEdits_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<QString>("reason");
    QTest::newRow("read-only file") << QStringLiteral("readonly") << QStringLiteral("not writable");
    QTest::newRow("folder deleted") << QStringLiteral("deleted") << QStringLiteral("No such file or directory");
    QTest::newRow("disk full") << QStringLiteral("full") << QStringLiteral("File too large");
}

void tst_Saving::failedSaveKeepsTheEdits()
{
    QFETCH(QString, how);
    QFETCH(QString, reason);
    if (how == QLatin1String("readonly") && !testsupport::permissionsApply())
        QSKIP("this process writes read-only files (root without a way to drop CAP_DAC_OVERRIDE)");
    const QString dir = m_tmp->filePath(QStringLiteral("versions"));
    QVERIFY(QDir().mkpath(dir));
    const QString path = dir + QStringLiteral("/a.py");
    QVERIFY(writeAll(path, "a = 1\n"));
    MigrationEditor editor;
    editor.resize(500, 300);
    editor.show();
    QVERIFY(editor.openFile(path));
    QTRY_VERIFY(!editor.isLoading());
    editor.textEdit()->setCursorPosition(1, 0);
    const QString mine = QStringLiteral("b = '%1'\n").arg(QString(4096, QLatin1Char('x')));
    editor.textEdit()->insert(mine);

    std::unique_ptr<FileSizeLimit> limit;
    if (how == QLatin1String("readonly"))
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    else if (how == QLatin1String("deleted"))
        QVERIFY(QDir(dir).removeRecursively());
    else
        limit = std::make_unique<FileSizeLimit>(1024);

    QSignalSpy failed(&editor, &MigrationEditor::saveFailed);
    QSignalSpy saved(&editor, &MigrationEditor::fileSaved);
    QVERIFY(editor.save());
    QTRY_COMPARE(failed.count(), 1);
    limit.reset();
    QCOMPARE(saved.count(), 0);
    // One line naming the file and the reason, shown above the text; the edits stay, unsaved,
    // and can be typed on.
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("a.py")) && message.contains(reason), qPrintable(message));
    QVERIFY(!message.contains(QLatin1Char('\n')));
    QCOMPARE(editor.notice(), message);
    QVERIFY(editor.isModified());
    QVERIFY(editor.textEdit()->text().contains(mine));
    QVERIFY(!editor.isSaving());
    QVERIFY(!editor.textEdit()->isReadOnly());
    if (how != QLatin1String("deleted"))
        QCOMPARE(readAll(path), QByteArray("a = 1\n"));
    // Once the cause is gone, the same edits save.
    if (how == QLatin1String("readonly"))
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
    else if (how == QLatin1String("deleted"))
        QVERIFY(QDir().mkpath(dir));
    QVERIFY(editor.save());
    QTRY_COMPARE(saved.count(), 1);
    QVERIFY(readAll(path).endsWith(mine.toUtf8()));
    QVERIFY(editor.notice().isEmpty());
    QVERIFY(!editor.isModified());
}

void tst_Saving::maybeSaveAnswersOnceWritten()
{
    const QString path = m_tmp->filePath(QStringLiteral("a.py"));
    QVERIFY(writeAll(path, "a = 1\n"));
    MigrationEditor editor;
    QVERIFY(editor.openFile(path));
    QTRY_VERIFY(!editor.isLoading());
    // Nothing to save: answered at once.
    QList<bool> answers;
    editor.maybeSave([&answers](bool proceed) { answers.append(proceed); });
    QCOMPARE(answers, QList<bool>{true});
    editor.textEdit()->setCursorPosition(0, 0);
    editor.textEdit()->insert(QStringLiteral("# mine\n"));
    // Cancel: answered at once, staying.
    m_prompter.answers = {Prompter::Answer::Cancel};
    editor.maybeSave([&answers](bool proceed) { answers.append(proceed); });
    QCOMPARE(answers, (QList<bool>{true, false}));
    // Save: answered when written, and a second caller meanwhile waits for the same save
    // instead of asking again.
    m_prompter.answers = {Prompter::Answer::Save};
    editor.maybeSave([&answers, &path](bool proceed) { answers.append(proceed && readAll(path).startsWith("# mine")); });
    QCOMPARE(answers.size(), 2);
    QVERIFY(editor.isSaving());
    editor.maybeSave([&answers](bool proceed) { answers.append(proceed); });
    QCOMPARE(m_prompter.asked.size(), 2);
    QTRY_COMPARE(answers.size(), 4);
    QCOMPARE(answers, (QList<bool>{true, false, true, true}));
    // Opening another file while a save is written opens it once written.
    QVERIFY(writeAll(m_tmp->filePath(QStringLiteral("b.py")), "b = 1\n"));
    editor.textEdit()->setCursorPosition(0, 0);
    editor.textEdit()->insert(QStringLiteral("# more\n"));
    QVERIFY(editor.save());
    QVERIFY(editor.openFile(m_tmp->filePath(QStringLiteral("b.py"))));
    QCOMPARE(editor.path(), path);
    QTRY_COMPARE(editor.path(), m_tmp->filePath(QStringLiteral("b.py")));
    QTRY_COMPARE(editor.textEdit()->text(), QStringLiteral("b = 1\n"));
    QVERIFY(readAll(path).startsWith("# more\n# mine\n"));
}

void tst_Saving::switchingRevisionWaitsForTheSave()
{
    openWindow(testsupport::copyExample(*m_tmp));
    QVERIFY(m_window->selectRevision(kFill));
    auto *editor = m_window->findChild<MigrationEditor *>();
    QAction *save = m_window->findChild<ActionHandler *>()->action(ActionHandler::Save);
    editor->textEdit()->setCursorPosition(0, 0);
    editor->textEdit()->insert(QStringLiteral("# reviewed\n"));
    QVERIFY(save->isEnabled());
    m_prompter.answers = {Prompter::Answer::Save};
    bool arrived = false;
    // Asked, then written in the pool: the revision is not current yet, the action waits.
    QVERIFY(!m_window->selectRevision(kMenu, [&arrived] { arrived = true; }));
    QCOMPARE(m_prompter.asked, QStringList{QStringLiteral("Unsaved Changes")});
    QVERIFY(editor->isSaving());
    QVERIFY(!save->isEnabled());
    QCOMPARE(editor->path(), fileOf(kFill));
    QTRY_COMPARE(m_window->session()->currentRevision(), kMenu);
    QVERIFY(arrived);
    QTRY_COMPARE(editor->path(), fileOf(kMenu));
    QVERIFY(readAll(fileOf(kFill)).startsWith("# reviewed\n"));
    QCOMPARE(m_window->findChild<GraphPanel *>()->selectedRevision(), kMenu);
    QVERIFY(!save->isEnabled());
}

void tst_Saving::failedSaveStaysOnTheRevision()
{
    if (!testsupport::permissionsApply())
        QSKIP("this process writes read-only files");
    openWindow(testsupport::copyExample(*m_tmp));
    QVERIFY(m_window->selectRevision(kFill));
    auto *editor = m_window->findChild<MigrationEditor *>();
    editor->textEdit()->setCursorPosition(0, 0);
    editor->textEdit()->insert(QStringLiteral("# reviewed\n"));
    const QString fill = fileOf(kFill);
    const QByteArray before = readAll(fill);
    QVERIFY(QFile::setPermissions(fill, QFile::ReadOwner));
    QSignalSpy failed(editor, &MigrationEditor::saveFailed);
    m_prompter.answers = {Prompter::Answer::Save};
    bool arrived = false;
    QVERIFY(!m_window->selectRevision(kMenu, [&arrived] { arrived = true; }));
    QTRY_COMPARE(failed.count(), 1);
    // Stayed: the session, the graph and the editor on the edited file, the edits unsaved.
    QCOMPARE(m_window->session()->currentRevision(), kFill);
    QTRY_COMPARE(m_window->findChild<GraphPanel *>()->selectedRevision(), kFill);
    QCOMPARE(editor->path(), fill);
    QVERIFY(editor->isModified());
    QVERIFY(editor->textEdit()->text().startsWith(QLatin1String("# reviewed\n")));
    QVERIFY(!arrived);
    QCOMPARE(readAll(fill), before);
    QVERIFY(editor->notice().contains(QStringLiteral("Your edits are kept")));
    QVERIFY(QFile::setPermissions(fill, QFile::ReadOwner | QFile::WriteOwner));
}

void tst_Saving::closingWaitsForTheSave()
{
    openWindow(testsupport::copyExample(*m_tmp));
    QVERIFY(m_window->selectRevision(kFill));
    auto *editor = m_window->findChild<MigrationEditor *>();
    editor->textEdit()->setCursorPosition(0, 0);
    editor->textEdit()->insert(QStringLiteral("# reviewed\n"));
    // Cancel: stays open.
    m_prompter.answers = {Prompter::Answer::Cancel};
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
    // Save: the window closes once the file is written, not before.
    m_prompter.answers = {Prompter::Answer::Save};
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
    QVERIFY(editor->isSaving());
    QTRY_VERIFY(!m_window->isVisible());
    QVERIFY(readAll(fileOf(kFill)).startsWith("# reviewed\n"));
    QCOMPARE(m_prompter.asked.size(), 2);
}

void tst_Saving::openingAnotherProjectWaitsForTheSave()
{
    openWindow(testsupport::copyExample(*m_tmp));
    QVERIFY(m_window->selectRevision(kFill));
    const QString fill = fileOf(kFill);
    auto *editor = m_window->findChild<MigrationEditor *>();
    editor->textEdit()->setCursorPosition(0, 0);
    editor->textEdit()->insert(QStringLiteral("# reviewed\n"));
    QTemporaryDir other;
    QVERIFY(testsupport::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/examples/coffee-shop"), other.filePath(QStringLiteral("shop"))));
    m_prompter.answers = {Prompter::Answer::Save};
    QSignalSpy opening(m_window->session(), &ProjectSession::projectOpening);
    QSignalSpy loaded(m_window.get(), &MainWindow::projectLoaded);
    m_window->openProject(other.filePath(QStringLiteral("shop")));
    // Not opened over the save being written.
    QCOMPARE(opening.count(), 0);
    QVERIFY(editor->isSaving());
    QTRY_COMPARE(opening.count(), 1);
    QVERIFY(readAll(fill).startsWith("# reviewed\n"));
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(m_window->session()->location(), other.filePath(QStringLiteral("shop")));
}

void tst_Saving::unreadableFileIsSaidAndNothingIsLost_data()
{
    QTest::addColumn<bool>("folder");
    QTest::addColumn<bool>("edited");
    QTest::newRow("file, unedited") << false << false;
    QTest::newRow("file, with edits") << false << true;
    QTest::newRow("folder, with edits") << true << true;
}

void tst_Saving::unreadableFileIsSaidAndNothingIsLost()
{
    QFETCH(bool, folder);
    QFETCH(bool, edited);
    if (!testsupport::permissionsApply())
        QSKIP("this process reads files whatever their mode");
    openWindow(testsupport::copyExample(*m_tmp));
    QVERIFY(m_window->selectRevision(kFill));
    auto *editor = m_window->findChild<MigrationEditor *>();
    const QString fill = fileOf(kFill);
    const QString text = editor->textEdit()->text();
    if (edited) {
        editor->textEdit()->setCursorPosition(0, 0);
        editor->textEdit()->insert(QStringLiteral("# mine\n"));
    }
    const QString target = folder ? QFileInfo(fill).absolutePath() : fill;
    const auto mode = QFile::permissions(target);
    QVERIFY(QFile::setPermissions(target, {}));
    const auto restore = qScopeGuard([&] { QFile::setPermissions(target, mode); });
    // Said plainly, above the text; the editor keeps the file and its text (and the edits).
    QTRY_VERIFY2(editor->notice().contains(QStringLiteral("cannot be read")), qPrintable(editor->notice()));
    QVERIFY(editor->notice().contains(QStringLiteral("c5a8830e41f7_fill_password_hash_not_null.py")));
    QVERIFY(editor->notice().contains(QStringLiteral("Permission denied")));
    QCOMPARE(editor->path(), fill);
    QCOMPARE(editor->isModified(), edited);
    QCOMPARE(editor->textEdit()->text(), edited ? QStringLiteral("# mine\n") + text : text);
    QCOMPARE(m_prompter.asked, QStringList());
    // The reload that followed could not read the revision: the file stays what is shown,
    // the details say why (not the newest revision instead, not a revision it no longer has).
    auto *details = m_window->findChild<DetailsView *>();
    QTRY_COMPARE(m_window->session()->currentFile(), fill);
    QCOMPARE(m_window->session()->currentRevision(), QString());
    QTRY_COMPARE(details->file(), fill);
    QVERIFY2(details->toPlainText().contains(QStringLiteral("Permission denied")), qPrintable(details->toPlainText()));
    QCOMPARE(editor->path(), fill);
    // Readable again: the notice goes, the revision is current again, the edits are still there.
    QVERIFY(QFile::setPermissions(target, mode));
    QTRY_VERIFY(editor->notice().isEmpty());
    QTRY_COMPARE(m_window->session()->currentRevision(), kFill);
    QCOMPARE(details->file(), QString());
    QCOMPARE(editor->path(), fill);
    QCOMPARE(editor->isModified(), edited);
    QCOMPARE(editor->textEdit()->text(), edited ? QStringLiteral("# mine\n") + text : text);
}

QTEST_MAIN(tst_Saving)
#include "tst_saving.moc"
