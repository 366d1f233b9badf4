#pragma once

#include <QByteArray>
#include <QWidget>

#include <functional>
#include <optional>

class QsciScintilla;
class QLabel;
class QLineEdit;
class QToolButton;
class QFrame;
class QPushButton;

namespace retort::ui {

class MigrationLexer;

// The migration editor: one file at a time, QScintilla with Python + SQL colouring,
// line numbers, folding, find/replace and jumps to upgrade()/downgrade(). It never loses
// edits: switching files or saving over a file changed on disk asks first (Prompter).
// Find and Replace are the window's actions (ActionHandler), added to this widget, so a
// shortcut is never ambiguous and never turns into typing in the file.
// It never reads a file on the GUI thread to open it: the text comes from the content source
// (the session's snapshot, which read every revision file in the pool), and what the source
// does not hold, a reload and a check after a change on disk are read in the background pool.
class MigrationEditor : public QWidget
{
    Q_OBJECT
public:
    explicit MigrationEditor(QWidget *parent = nullptr);

    // A file's bytes as last read by someone else (the project snapshot), or nothing.
    using ContentSource = std::function<std::optional<QByteArray>(const QString &path)>;
    void setContentSource(ContentSource source) { m_contentSource = std::move(source); }

    // Opens `path` (asking first if the current file has unsaved edits): at once from the
    // content source, else read in the pool (isLoading() until then; openFailed() if it
    // cannot be read). False: the user kept the current file.
    bool openFile(const QString &path, int upgradeLine = 0, int downgradeLine = 0);
    bool isLoading() const { return m_loading; }
    void setFunctionLines(int upgradeLine, int downgradeLine);
    // Asks about unsaved edits (save / discard / cancel), then answers `then(true)` once it is
    // fine to move on: at once (nothing to save, or discarded) or when the save chosen has been
    // written; `then(false)` when the person stays (cancelled, or the save failed: the edits
    // are kept). While a save is under way it waits for that one. `then` runs on this object's
    // thread and is dropped with it.
    void maybeSave(std::function<void(bool proceed)> then);
    // Saves in the background pool: reads the file to see whether another program changed it
    // (asking then: overwrite, reload, compare), writes it, and answers with fileSaved() or
    // saveFailed() (one line; the edits stay, unsaved). Until then the text is read-only and
    // isSaving(), so nothing is typed into a half-saved state and a second save is refused.
    // False: nothing to save now (no file, still loading, or a save already under way).
    bool save();
    bool isSaving() const { return m_saving; }
    // The one-sentence notice of the last failed save or unreadable file ("" when none).
    QString notice() const;
    // Reads the current file again from disk (in the pool), dropping unsaved edits.
    bool reload();
    // Re-reads the file (in the pool) after another program changed it; keeps unsaved edits
    // and says so.
    void fileChangedOnDisk();
    // `column` is 1-based (CPython's offset); 0 puts the cursor at the line's start.
    void goToLine(int line, int column = 0);
    // Marks the line a failed run stopped at (gutter marker and a red line); 0 clears it.
    void setFailureLine(int line);
    int failureLine() const { return m_failureLine; }
    void goToUpgrade();
    void goToDowngrade();
    void showFind(bool replace = false);
    bool findNext(const QString &text, bool forward = true);
    int replaceAll(const QString &text, const QString &with);
    void clear();
    // Keys the window's actions own: the text never binds or types them (QScintilla would
    // otherwise take Ctrl+L as "cut line", Ctrl+Shift+U as "upper case", and type the "." of a
    // disabled Ctrl+.).
    void reserveShortcuts(const QList<QKeySequence> &keys);

    QString path() const { return m_path; }
    bool isModified() const;
    QString errorString() const { return m_error; }
    QsciScintilla *textEdit() const { return m_edit; }
    MigrationLexer *lexer() const { return m_lexer; }

signals:
    void fileSaved(const QString &path);
    void fileOpened(const QString &path);
    void openFailed(const QString &message);
    void savingChanged(bool saving);
    void saveFailed(const QString &message);
    void modificationChanged(bool modified);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // A file on disk as a check found it: there or not, and what it held.
    struct DiskState
    {
        bool exists = false;
        QByteArray bytes;
        bool operator==(const DiskState &) const = default;
    };

    void load(const QString &path, const QByteArray &content, int upgradeLine, int downgradeLine);
    void readInBackground(const QString &path, int upgradeLine, int downgradeLine);
    void openNow(const QString &path, int upgradeLine, int downgradeLine);
    void writeInBackground(const QString &path, const QByteArray &data);
    void finishSave(bool proceed);
    void setNotice(const QString &text);
    void updateHeader();
    void showConflict(const DiskState &disk, const QString &text);
    void hideConflict();
    void applyPalette();

    QsciScintilla *m_edit = nullptr;
    MigrationLexer *m_lexer = nullptr;
    class PathHeader *m_title = nullptr;
    QPushButton *m_upgradeButton = nullptr;
    QPushButton *m_downgradeButton = nullptr;
    QFrame *m_conflictBar = nullptr;
    QLabel *m_conflictText = nullptr;
    QLabel *m_notice = nullptr;   // a failed save, an unreadable file: one line, in red
    QFrame *m_findBar = nullptr;
    QLineEdit *m_findText = nullptr;
    QLineEdit *m_replaceText = nullptr;
    QWidget *m_replaceRow = nullptr;
    QString m_path;
    QByteArray m_diskContent;  // what the file held when opened or last saved
    // The file on disk as the conflict bar told of it, and as it was when the person chose
    // Keep My Edits: a later check (every reload of the project asks) that finds it so again
    // is no news. Cleared when the text is loaded or saved.
    std::optional<DiskState> m_conflictShown;
    std::optional<DiskState> m_keptOver;
    QString m_error;
    int m_upgradeLine = 0;
    int m_downgradeLine = 0;
    int m_failureLine = 0;
    ContentSource m_contentSource;
    bool m_loading = false;       // a read of m_path in the pool has not answered yet
    quint64 m_readGeneration = 0; // the newest read asked for; older answers are dropped
    quint64 m_openRequest = 0;    // the newest openFile(); one waiting for a save opens if still so
    int m_pendingLine = 0;        // goToLine() / setFailureLine() while loading
    int m_pendingColumn = 0;
    int m_pendingFailureLine = 0;
    QList<QKeySequence> m_reserved;
    bool m_unreadable = false;    // the notice says the file cannot be read (cleared once it can)
    bool m_saving = false;        // a save (its check or its write) has not answered yet
    QList<std::function<void(bool)>> m_afterSave;  // maybeSave() callers waiting for it
};

} // namespace retort::ui
