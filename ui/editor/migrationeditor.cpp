#include "migrationeditor.h"

#include "background.h"
#include "editor/migrationlexer.h"
#include "editor/pathheader.h"
#include "prompter.h"
#include "project/nativefile.h"
#include "project/textdiff.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QToolButton>
#include <QVBoxLayout>

#include <cerrno>
#include <cstring>
#include <unistd.h>
#include <sys/stat.h>

namespace retort::ui {

namespace {
constexpr int FailureMarker = 1;
constexpr int FailureLineMarker = 2;
}

namespace {

// A file as the pool read it.
struct DiskRead
{
    bool exists = false;
    bool ok = false;
    QByteArray bytes;
    QString error;
};

DiskRead readDisk(const QString &path)
{
    DiskRead r;
    // A file in a folder that cannot be searched (chmod 000) is there, only unreadable.
    struct stat st;
    r.exists = ::stat(QFile::encodeName(path).constData(), &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
    QFile f(path);
    if (!core::openForReading(f, path, &r.error))
        return r;
    r.bytes = f.readAll();
    r.ok = f.error() == QFile::NoError;
    if (!r.ok)
        r.error = f.errorString();
    return r;
}

} // namespace

MigrationEditor::MigrationEditor(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    auto *header = new QHBoxLayout;
    header->setContentsMargins(6, 3, 6, 3);
    m_title = new PathHeader(this);
    m_title->setObjectName(QStringLiteral("pathHeader"));
    header->addWidget(m_title, 1);
    m_upgradeButton = new QPushButton(tr("upgrade()"), this);
    m_upgradeButton->setToolTip(tr("Go to upgrade() (Ctrl+U)"));
    m_upgradeButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    m_downgradeButton = new QPushButton(tr("downgrade()"), this);
    m_downgradeButton->setToolTip(tr("Go to downgrade() (Ctrl+D)"));
    m_downgradeButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    header->addWidget(m_upgradeButton);
    header->addWidget(m_downgradeButton);
    layout->addLayout(header);
    connect(m_upgradeButton, &QPushButton::clicked, this, &MigrationEditor::goToUpgrade);
    connect(m_downgradeButton, &QPushButton::clicked, this, &MigrationEditor::goToDowngrade);

    m_conflictBar = new QFrame(this);
    m_conflictBar->setAutoFillBackground(true);
    m_conflictBar->setFrameShape(QFrame::StyledPanel);
    // The text above its buttons and the bar's width ignored: shown, it never widens the
    // editor's pane (the splitter moved and the graph's messages were elided).
    m_conflictBar->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *conflict = new QVBoxLayout(m_conflictBar);
    conflict->setContentsMargins(6, 3, 6, 3);
    m_conflictText = new QLabel(m_conflictBar);
    m_conflictText->setWordWrap(true);
    conflict->addWidget(m_conflictText);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    auto *reload = new QPushButton(tr("Reload from Disk"), m_conflictBar);
    auto *keep = new QPushButton(tr("Keep My Edits"), m_conflictBar);
    buttons->addWidget(reload);
    buttons->addWidget(keep);
    conflict->addLayout(buttons);
    m_conflictBar->hide();
    layout->addWidget(m_conflictBar);
    connect(reload, &QPushButton::clicked, this, &MigrationEditor::reload);
    connect(keep, &QPushButton::clicked, this, [this] {
        m_keptOver = m_conflictShown;
        m_conflictBar->hide();
    });

    // One sentence, wrapped (an elided one lost its reason at 1024x700); its width is
    // ignored, so it never widens the pane.
    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("editorNotice"));
    m_notice->setAutoFillBackground(true);
    m_notice->setMargin(4);
    m_notice->setWordWrap(true);
    m_notice->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->hide();
    layout->addWidget(m_notice);

    m_edit = new QsciScintilla(this);
    m_edit->setObjectName(QStringLiteral("editorText"));
    m_lexer = new MigrationLexer(m_edit);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_lexer->setDefaultFont(mono);
    m_edit->setLexer(m_lexer);
    m_edit->setUtf8(true);
    m_edit->setMarginType(0, QsciScintilla::NumberMargin);
    m_edit->setMarginLineNumbers(0, true);
    m_edit->setMarginWidth(0, QStringLiteral("00000"));
    m_edit->setMarginsFont(mono);
    m_edit->setFolding(QsciScintilla::BoxedTreeFoldStyle, 2);
    m_edit->setCaretLineVisible(true);
    m_edit->setIndentationsUseTabs(false);
    m_edit->setIndentationWidth(4);
    m_edit->setAutoIndent(true);
    m_edit->setBraceMatching(QsciScintilla::SloppyBraceMatch);
    m_edit->setEdgeMode(QsciScintilla::EdgeLine);
    m_edit->setEdgeColumn(100);
    m_edit->setReadOnly(true);
    // Where a failed run stopped: a marker in the gutter and the line in red.
    m_edit->setMarginType(1, QsciScintilla::SymbolMargin);
    m_edit->setMarginWidth(1, 14);
    m_edit->setMarginMarkerMask(1, 1 << FailureMarker);
    m_edit->markerDefine(QsciScintilla::RightTriangle, FailureMarker);
    m_edit->setMarkerBackgroundColor(QColor(0xc0, 0x1c, 0x28), FailureMarker);
    m_edit->setMarkerForegroundColor(QColor(0x8b, 0x0e, 0x17), FailureMarker);
    m_edit->markerDefine(QsciScintilla::Background, FailureLineMarker);
    m_edit->setMarkerBackgroundColor(QColor(0xf6, 0xc6, 0xc9), FailureLineMarker);
    layout->addWidget(m_edit, 1);
    m_edit->installEventFilter(this);
    reserveShortcuts({m_upgradeButton->shortcut(), m_downgradeButton->shortcut()});
    connect(m_edit, &QsciScintilla::modificationChanged, this, [this](bool m) {
        updateHeader();
        emit modificationChanged(m);
    });

    m_findBar = new QFrame(this);
    auto *findLayout = new QVBoxLayout(m_findBar);
    findLayout->setContentsMargins(6, 3, 6, 3);
    auto *findRow = new QHBoxLayout;
    m_findText = new QLineEdit(m_findBar);
    m_findText->setPlaceholderText(tr("Find"));
    m_findText->setClearButtonEnabled(true);
    auto *prev = new QToolButton(m_findBar);
    prev->setText(tr("Previous"));
    auto *next = new QToolButton(m_findBar);
    next->setText(tr("Next"));
    auto *close = new QToolButton(m_findBar);
    close->setText(tr("Close"));
    findRow->addWidget(m_findText, 1);
    findRow->addWidget(prev);
    findRow->addWidget(next);
    findRow->addWidget(close);
    findLayout->addLayout(findRow);
    m_replaceRow = new QWidget(m_findBar);
    auto *replaceRow = new QHBoxLayout(m_replaceRow);
    replaceRow->setContentsMargins(0, 0, 0, 0);
    m_replaceText = new QLineEdit(m_replaceRow);
    m_replaceText->setPlaceholderText(tr("Replace with"));
    auto *replaceOne = new QToolButton(m_replaceRow);
    replaceOne->setText(tr("Replace"));
    auto *replaceAllButton = new QToolButton(m_replaceRow);
    replaceAllButton->setText(tr("Replace All"));
    replaceRow->addWidget(m_replaceText, 1);
    replaceRow->addWidget(replaceOne);
    replaceRow->addWidget(replaceAllButton);
    findLayout->addWidget(m_replaceRow);
    m_findBar->hide();
    layout->addWidget(m_findBar);
    connect(m_findText, &QLineEdit::returnPressed, this, [this] { findNext(m_findText->text(), true); });
    connect(next, &QToolButton::clicked, this, [this] { findNext(m_findText->text(), true); });
    connect(prev, &QToolButton::clicked, this, [this] { findNext(m_findText->text(), false); });
    connect(close, &QToolButton::clicked, this, [this] {
        m_findBar->hide();
        m_edit->setFocus();
    });
    connect(replaceOne, &QToolButton::clicked, this, [this] {
        if (m_edit->hasSelectedText() && !m_edit->isReadOnly())
            m_edit->replace(m_replaceText->text());
        findNext(m_findText->text(), true);
    });
    connect(replaceAllButton, &QToolButton::clicked, this,
            [this] { replaceAll(m_findText->text(), m_replaceText->text()); });

    // Escape in the find bar closes it and gives the file the focus back.
    auto *closeFind = new QAction(m_findBar);
    closeFind->setShortcut(QKeySequence(Qt::Key_Escape));
    closeFind->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(closeFind, &QAction::triggered, close, &QToolButton::click);
    m_findBar->addAction(closeFind);

    applyPalette();
    updateHeader();
}

bool MigrationEditor::isModified() const
{
    return m_edit->isModified();
}

void MigrationEditor::reserveShortcuts(const QList<QKeySequence> &keys)
{
    for (const QKeySequence &key : keys)
        if (!key.isEmpty() && !m_reserved.contains(key))
            m_reserved.append(key);
}

bool MigrationEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const QKeySequence pressed(QKeyCombination(key->modifiers() & ~Qt::KeypadModifier, Qt::Key(key->key())));
        // Unaccepted, the override lets the shortcut fire; a key press of a reserved shortcut
        // (its action disabled) is dropped instead of typed.
        if (m_reserved.contains(pressed))
            return true;
        // Tab indents here, so the keyboard leaves with Ctrl+Tab / Ctrl+Shift+Tab, as it
        // leaves every widget that takes Tab (QScintilla swallowed them).
        const bool ctrlTab = (key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab)
            && (key->modifiers() & Qt::ControlModifier) && !(key->modifiers() & Qt::AltModifier);
        if (ctrlTab) {
            if (event->type() == QEvent::KeyPress)
                focusNextPrevChild(key->key() == Qt::Key_Tab && !(key->modifiers() & Qt::ShiftModifier));
            else
                event->accept(); // the override: no shortcut takes it, the press comes here
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void MigrationEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

void MigrationEditor::applyPalette()
{
    m_lexer->setPalette(palette());
    const auto theme = m_lexer->theme();
    using KSyntaxHighlighting::Theme;
    m_edit->setCaretLineBackgroundColor(QColor::fromRgba(theme.editorColor(Theme::CurrentLine)));
    m_edit->setMarginsBackgroundColor(QColor::fromRgba(theme.editorColor(Theme::IconBorder)));
    m_edit->setMarginsForegroundColor(QColor::fromRgba(theme.editorColor(Theme::LineNumbers)));
    m_edit->setFoldMarginColors(QColor::fromRgba(theme.editorColor(Theme::IconBorder)),
                                QColor::fromRgba(theme.editorColor(Theme::IconBorder)));
    m_edit->setCaretForegroundColor(QColor::fromRgba(theme.textColor(Theme::Normal)));
    m_edit->setSelectionBackgroundColor(QColor::fromRgba(theme.editorColor(Theme::TextSelection)));
    m_edit->setEdgeColor(QColor::fromRgba(theme.editorColor(Theme::WordWrapMarker)));
    QPalette warn = m_conflictBar->palette();
    warn.setColor(QPalette::Window, QColor(0xfc, 0xe9, 0x94));
    warn.setColor(QPalette::WindowText, Qt::black);
    m_conflictBar->setPalette(warn);
    QPalette error = m_notice->palette();
    error.setColor(QPalette::Window, QColor(0xf6, 0xc6, 0xc9));
    error.setColor(QPalette::WindowText, Qt::black);
    m_notice->setPalette(error);
}

QString MigrationEditor::notice() const
{
    return m_notice->isHidden() ? QString() : m_notice->toolTip();
}

void MigrationEditor::setNotice(const QString &text)
{
    if (text.isEmpty())
        m_unreadable = false;
    m_notice->setToolTip(text);
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

void MigrationEditor::updateHeader()
{
    if (m_path.isEmpty())
        m_title->setPath(tr("No revision selected"), QString(), PathHeader::State::Clean);
    else
        m_title->setPath(QFileInfo(m_path).fileName(), QFileInfo(m_path).absolutePath(),
                         m_saving                 ? PathHeader::State::Saving
                             : m_edit->isModified() ? PathHeader::State::Modified
                                                    : PathHeader::State::Clean);
    m_upgradeButton->setEnabled(m_upgradeLine > 0);
    m_downgradeButton->setEnabled(m_downgradeLine > 0);
}

void MigrationEditor::maybeSave(std::function<void(bool proceed)> then)
{
    if (m_saving) {
        m_afterSave.append(std::move(then));
        return;
    }
    if (!isModified()) {
        then(true);
        return;
    }
    const auto answer = Prompter::instance()->ask(
        this, tr("Unsaved Changes"),
        tr("%1 has unsaved changes. Save them before moving on?").arg(QFileInfo(m_path).fileName()),
        {Prompter::Answer::Save, Prompter::Answer::Discard, Prompter::Answer::Cancel});
    if (answer == Prompter::Answer::Save) {
        if (save())
            m_afterSave.append(std::move(then));
        else
            then(false);
        return;
    }
    if (answer == Prompter::Answer::Discard) {
        m_edit->setModified(false);
        then(true);
        return;
    }
    then(false);
}

bool MigrationEditor::openFile(const QString &path, int upgradeLine, int downgradeLine)
{
    if (path == m_path && !m_path.isEmpty()) {
        // The same file again (every reload re-shows the current revision): unsaved edits,
        // a read under way and a conflict notice all stay. Unedited text follows a newer
        // snapshot of the file.
        if (!isModified() && !m_loading && m_conflictBar->isHidden() && m_contentSource) {
            if (const auto content = m_contentSource(path); content && *content != m_diskContent) {
                ++m_readGeneration;
                load(path, *content, upgradeLine, downgradeLine);
                return true;
            }
        }
        setFunctionLines(upgradeLine, downgradeLine);
        return true;
    }
    if (isModified() || m_saving) {
        // Opened once the edits are saved or discarded; the window asked for it, so a later
        // answer still opens it unless another file was asked for meanwhile.
        const quint64 asked = ++m_openRequest;
        const auto stayed = std::make_shared<bool>(false);
        maybeSave([this, path, upgradeLine, downgradeLine, asked, stayed](bool proceed) {
            if (!proceed)
                *stayed = true;
            else if (asked == m_openRequest)
                openNow(path, upgradeLine, downgradeLine);
        });
        return !*stayed;
    }
    ++m_openRequest;
    openNow(path, upgradeLine, downgradeLine);
    return true;
}

void MigrationEditor::openNow(const QString &path, int upgradeLine, int downgradeLine)
{
    if (m_contentSource) {
        if (const auto content = m_contentSource(path)) {
            ++m_readGeneration;  // an older read's answer must not replace this text
            load(path, *content, upgradeLine, downgradeLine);
            return;
        }
    }
    readInBackground(path, upgradeLine, downgradeLine);
}

bool MigrationEditor::reload()
{
    if (m_path.isEmpty() || m_saving)
        return false;
    readInBackground(m_path, m_upgradeLine, m_downgradeLine);
    return true;
}

void MigrationEditor::readInBackground(const QString &path, int upgradeLine, int downgradeLine)
{
    const quint64 generation = ++m_readGeneration;
    if (path != m_path) {
        // Not the old file's text under the new file's name while the new one is read.
        m_path = path;
        m_diskContent.clear();
        m_edit->setText(QString());
        m_edit->setModified(false);
        m_edit->setReadOnly(true);
        m_edit->markerDeleteAll(FailureMarker);
        m_edit->markerDeleteAll(FailureLineMarker);
        m_failureLine = m_pendingLine = m_pendingColumn = m_pendingFailureLine = 0;
    }
    m_loading = true;
    m_error.clear();
    setFunctionLines(upgradeLine, downgradeLine);
    runInBackground(this, [path] { return readDisk(path); },
                    [this, generation, path, upgradeLine, downgradeLine](const DiskRead &r) {
                        if (generation != m_readGeneration)
                            return;
                        m_loading = false;
                        if (!r.ok) {
                            // Nothing to save over: an empty editor, not an empty file.
                            clear();
                            m_error = tr("Cannot open %1: %2").arg(path, r.error);
                            emit openFailed(m_error);
                            return;
                        }
                        load(path, r.bytes, upgradeLine, downgradeLine);
                    });
}

void MigrationEditor::load(const QString &path, const QByteArray &content, int upgradeLine, int downgradeLine)
{
    m_loading = false;
    // The same file read again keeps its place; another file starts at its top left (the
    // horizontal scroll stays with the widget otherwise, and cut every line's start).
    const bool same = path == m_path;
    const int line = same ? m_edit->SendScintilla(QsciScintillaBase::SCI_GETFIRSTVISIBLELINE) : 0;
    const int xOffset = same ? m_edit->SendScintilla(QsciScintillaBase::SCI_GETXOFFSET) : 0;
    m_diskContent = content;
    m_path = path;
    m_edit->setReadOnly(false);
    m_edit->setText(QString::fromUtf8(m_diskContent));
    m_edit->setModified(false);
    m_edit->SendScintilla(QsciScintillaBase::SCI_EMPTYUNDOBUFFER);
    m_edit->setFirstVisibleLine(line);
    m_edit->SendScintilla(QsciScintillaBase::SCI_SETXOFFSET, xOffset);
    hideConflict();
    setNotice(QString());
    m_error.clear();
    setFunctionLines(upgradeLine, downgradeLine);
    m_failureLine = 0;
    updateHeader();
    emit fileOpened(path);
    // Asked for while the text was being read.
    if (const int failure = std::exchange(m_pendingFailureLine, 0); failure > 0)
        setFailureLine(failure);
    if (const int line = std::exchange(m_pendingLine, 0); line > 0)
        goToLine(line, std::exchange(m_pendingColumn, 0));
}

void MigrationEditor::setFunctionLines(int upgradeLine, int downgradeLine)
{
    m_upgradeLine = upgradeLine;
    m_downgradeLine = downgradeLine;
    updateHeader();
}

void MigrationEditor::clear()
{
    ++m_readGeneration;
    m_loading = false;
    m_pendingLine = m_pendingColumn = m_pendingFailureLine = 0;
    m_path.clear();
    m_diskContent.clear();
    m_edit->setText(QString());
    m_edit->setModified(false);
    m_edit->setReadOnly(true);
    m_upgradeLine = m_downgradeLine = 0;
    m_failureLine = 0;
    hideConflict();
    setNotice(QString());
    updateHeader();
    emit fileOpened(QString());
}

bool MigrationEditor::save()
{
    if (m_path.isEmpty() || m_loading || m_saving)
        return false;
    m_saving = true;
    m_edit->setReadOnly(true);
    updateHeader();
    emit savingChanged(true);
    const QString path = m_path;
    runInBackground(this, [path] { return readDisk(path); }, [this, path](const DiskRead &r) {
        if (path != m_path) {
            finishSave(false);
            return;
        }
        // A file that cannot be read (gone, its folder gone) is written as it is in the editor;
        // one another program changed is not, without asking.
        const QByteArray mine = m_edit->text().toUtf8();
        while (r.ok && r.bytes != m_diskContent && r.bytes != mine) {
            const auto answer = Prompter::instance()->ask(
                this, tr("File Changed on Disk"),
                tr("%1 was changed by another program since you opened it. Overwrite those changes with "
                   "yours, reload it from disk (losing your edits), or compare the two first?")
                    .arg(QFileInfo(path).fileName()),
                {Prompter::Answer::Overwrite, Prompter::Answer::Reload, Prompter::Answer::Compare,
                 Prompter::Answer::Cancel});
            if (answer == Prompter::Answer::Compare) {
                Prompter::instance()->showDiff(
                    this, tr("Disk vs. Editor"),
                    core::unifiedDiff(QString::fromUtf8(r.bytes), m_edit->text(), tr("%1 (on disk)").arg(path),
                                      tr("%1 (in the editor)").arg(path)));
                continue;
            }
            if (answer == Prompter::Answer::Reload) {
                ++m_readGeneration;
                load(path, r.bytes, m_upgradeLine, m_downgradeLine);
                finishSave(true);
                return;
            }
            if (answer != Prompter::Answer::Overwrite) {
                finishSave(false);
                return;
            }
            break;
        }
        writeInBackground(path, mine);
    });
    return true;
}

namespace {

struct DiskWrite
{
    bool ok = false;
    QString error;
};

DiskWrite writeDisk(const QString &path, const QByteArray &data)
{
    DiskWrite w;
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly)) {
        w.error = out.errorString();
        return w;
    }
    // Written to the temporary file's descriptor here, so a full disk's refusal (ENOSPC,
    // EFBIG) comes with its reason; QIODevice's buffer reported a short write as "Unknown error".
    for (qint64 done = 0; done < data.size();) {
        const ssize_t n = ::write(out.handle(), data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            w.error = QString::fromLocal8Bit(std::strerror(n < 0 ? errno : EIO));
            out.cancelWriting();
            return w;
        }
        done += n;
    }
    w.ok = out.commit();
    if (!w.ok)
        w.error = out.errorString();
    return w;
}

} // namespace

void MigrationEditor::writeInBackground(const QString &path, const QByteArray &data)
{
    runInBackground(this, [path, data] { return writeDisk(path, data); }, [this, path, data](const DiskWrite &w) {
        if (!w.ok) {
            // The text stays as typed and unsaved; the line says what to fix.
            m_error = tr("Cannot save %1: %2. Your edits are kept, unsaved.").arg(QFileInfo(path).fileName(), w.error);
            setNotice(m_error);
            finishSave(false);
            emit saveFailed(m_error);
            return;
        }
        if (path == m_path) {
            m_diskContent = data;
            m_edit->setModified(false);
            hideConflict();
            setNotice(QString());
            m_error.clear();
        }
        finishSave(true);
        emit fileSaved(path);
    });
}

void MigrationEditor::finishSave(bool proceed)
{
    m_saving = false;
    m_edit->setReadOnly(m_path.isEmpty() || m_loading);
    updateHeader();
    emit savingChanged(false);
    for (const auto &then : std::exchange(m_afterSave, {}))
        then(proceed);
}

void MigrationEditor::fileChangedOnDisk()
{
    if (m_path.isEmpty())
        return;
    const QString path = m_path;
    const quint64 generation = m_readGeneration;
    runInBackground(this, [path] { return readDisk(path); }, [this, path, generation](const DiskRead &r) {
        // Another file opened, or a newer read asked for, meanwhile: that one answers.
        // Our own save's write is not another program's change.
        if (path != m_path || generation != m_readGeneration || m_loading || m_saving)
            return;
        if (!r.exists) {
            showConflict({false, {}}, tr("The file was deleted on disk. Save to write it again."));
            return;
        }
        if (!r.ok) {
            // chmod 000 on the file or its folder: said plainly; the text (and any edits) stay.
            m_unreadable = true;
            setNotice(tr("%1 cannot be read any more: %2. The editor keeps the text it had%3.")
                          .arg(QFileInfo(path).fileName(), r.error,
                               isModified() ? tr(", with your unsaved edits") : QString()));
            return;
        }
        if (std::exchange(m_unreadable, false))
            setNotice(QString());
        if (r.bytes == m_diskContent)
            return;
        if (!isModified()) {
            load(path, r.bytes, m_upgradeLine, m_downgradeLine);
            return;
        }
        // The header above names the file; a name here is one long word the label cannot wrap.
        showConflict({true, r.bytes}, tr("The file changed on disk while you were editing it. Your edits are kept; "
                                          "saving asks before overwriting."));
    });
}

void MigrationEditor::showConflict(const DiskState &disk, const QString &text)
{
    if (m_conflictBar->isHidden() && m_keptOver == disk)
        return; // the person kept the edits over this very file already
    m_conflictShown = disk;
    m_conflictText->setText(text);
    m_conflictBar->show();
}

void MigrationEditor::hideConflict()
{
    m_conflictBar->hide();
    m_conflictShown.reset();
    m_keptOver.reset();
}

void MigrationEditor::goToLine(int line, int column)
{
    if (line <= 0)
        return;
    if (m_loading) {
        m_pendingLine = line;
        m_pendingColumn = column;
        return;
    }
    m_edit->setCursorPosition(line - 1, std::max(column - 1, 0));
    m_edit->ensureLineVisible(line - 1);
    m_edit->setFirstVisibleLine(std::max(0, line - 4));
    m_edit->setFocus();
}

void MigrationEditor::setFailureLine(int line)
{
    if (m_loading) {
        m_pendingFailureLine = line;
        return;
    }
    m_edit->markerDeleteAll(FailureMarker);
    m_edit->markerDeleteAll(FailureLineMarker);
    m_failureLine = line > 0 && line <= m_edit->lines() ? line : 0;
    if (m_failureLine > 0) {
        m_edit->markerAdd(m_failureLine - 1, FailureMarker);
        m_edit->markerAdd(m_failureLine - 1, FailureLineMarker);
    }
}

void MigrationEditor::goToUpgrade()
{
    goToLine(m_upgradeLine);
}

void MigrationEditor::goToDowngrade()
{
    goToLine(m_downgradeLine);
}

void MigrationEditor::showFind(bool replace)
{
    m_findBar->show();
    m_replaceRow->setVisible(replace && !m_edit->isReadOnly());
    if (m_edit->hasSelectedText())
        m_findText->setText(m_edit->selectedText());
    m_findText->setFocus();
    m_findText->selectAll();
}

bool MigrationEditor::findNext(const QString &text, bool forward)
{
    if (text.isEmpty())
        return false;
    int line = 0, index = 0;
    m_edit->getCursorPosition(&line, &index);
    if (!forward && m_edit->hasSelectedText()) {
        int l1, i1, l2, i2;
        m_edit->getSelection(&l1, &i1, &l2, &i2);
        line = l1;
        index = i1;
    }
    return m_edit->findFirst(text, false, false, false, true, forward, line, index);
}

int MigrationEditor::replaceAll(const QString &text, const QString &with)
{
    if (text.isEmpty() || m_edit->isReadOnly())
        return 0;
    int count = 0;
    m_edit->beginUndoAction();
    if (m_edit->findFirst(text, false, false, false, false, true, 0, 0)) {
        do {
            m_edit->replace(with);
            ++count;
        } while (m_edit->findNext());
    }
    m_edit->endUndoAction();
    return count;
}

} // namespace retort::ui
