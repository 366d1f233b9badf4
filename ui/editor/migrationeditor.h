#pragma once

#include <QByteArray>
#include <QWidget>

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
class MigrationEditor : public QWidget
{
    Q_OBJECT
public:
    explicit MigrationEditor(QWidget *parent = nullptr);

    // Opens `path` (asking first if the current file has unsaved edits). False: the user
    // kept the current file, or the file cannot be read (see errorString()).
    bool openFile(const QString &path, int upgradeLine = 0, int downgradeLine = 0);
    void setFunctionLines(int upgradeLine, int downgradeLine);
    // Asks about unsaved edits (save / discard / cancel); true when it is fine to move on.
    bool maybeSave();
    bool save();
    // Reads the current file again from disk, dropping unsaved edits.
    bool reload();
    // Re-reads the file after another program changed it; keeps unsaved edits and says so.
    void fileChangedOnDisk();
    void goToLine(int line);
    // Marks the line a failed run stopped at (gutter marker and a red line); 0 clears it.
    void setFailureLine(int line);
    int failureLine() const { return m_failureLine; }
    void goToUpgrade();
    void goToDowngrade();
    void showFind(bool replace = false);
    bool findNext(const QString &text, bool forward = true);
    int replaceAll(const QString &text, const QString &with);
    void clear();

    QString path() const { return m_path; }
    bool isModified() const;
    QString errorString() const { return m_error; }
    QsciScintilla *textEdit() const { return m_edit; }
    MigrationLexer *lexer() const { return m_lexer; }

signals:
    void fileSaved(const QString &path);
    void fileOpened(const QString &path);
    void modificationChanged(bool modified);

protected:
    void changeEvent(QEvent *event) override;

private:
    bool load(const QString &path, int upgradeLine, int downgradeLine);
    bool writeFile();
    void updateHeader();
    void applyPalette();

    QsciScintilla *m_edit = nullptr;
    MigrationLexer *m_lexer = nullptr;
    class PathHeader *m_title = nullptr;
    QPushButton *m_upgradeButton = nullptr;
    QPushButton *m_downgradeButton = nullptr;
    QFrame *m_conflictBar = nullptr;
    QLabel *m_conflictText = nullptr;
    QFrame *m_findBar = nullptr;
    QLineEdit *m_findText = nullptr;
    QLineEdit *m_replaceText = nullptr;
    QWidget *m_replaceRow = nullptr;
    QString m_path;
    QByteArray m_diskContent;  // what the file held when opened or last saved
    QString m_error;
    int m_upgradeLine = 0;
    int m_downgradeLine = 0;
    int m_failureLine = 0;
};

} // namespace retort::ui
