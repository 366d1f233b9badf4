#include "diffview.h"

#include <QEvent>
#include <QFontDatabase>
#include <QTextBlock>
#include <QTextCursor>

namespace retort::ui {

DiffView::DiffView(QWidget *parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
}

void DiffView::setDiff(const QString &diff)
{
    setPlainText(diff.endsWith(QLatin1Char('\n')) ? diff.chopped(1) : diff);
    recolour();
}

DiffView::LineKind DiffView::kindOf(const QString &line, int lineNumber)
{
    // "--- a" and "+++ b" only as the first two lines: after them a removed "-- x" is a line.
    if (lineNumber < 2 && (line.startsWith(QLatin1String("--- ")) || line.startsWith(QLatin1String("+++ "))))
        return LineKind::Header;
    if (line.startsWith(QLatin1String("@@")))
        return LineKind::Hunk;
    if (line.startsWith(QLatin1Char('-')))
        return LineKind::Removed;
    if (line.startsWith(QLatin1Char('+')))
        return LineKind::Added;
    if (line.startsWith(QLatin1Char('\\')))
        return LineKind::Note;
    return LineKind::Context;
}

DiffView::Colours DiffView::colours(LineKind kind, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    // Pale fills with dark text on a light base; deep fills with pale text on a dark one.
    const bool dark = base.lightnessF() < 0.5;
    switch (kind) {
    case LineKind::Removed:
        return dark ? Colours{QColor(0x5c, 0x1a, 0x1b), QColor(0xff, 0xd7, 0xd5)} : Colours{QColor(0xff, 0xeb, 0xe9), QColor(0x82, 0x07, 0x1e)};
    case LineKind::Added:
        return dark ? Colours{QColor(0x1a, 0x45, 0x28), QColor(0xcc, 0xff, 0xd8)} : Colours{QColor(0xda, 0xfb, 0xe1), QColor(0x11, 0x63, 0x29)};
    case LineKind::Hunk:
        return dark ? Colours{QColor(0x12, 0x2d, 0x4a), QColor(0xa5, 0xd6, 0xff)} : Colours{QColor(0xdd, 0xf4, 0xff), QColor(0x05, 0x50, 0xae)};
    case LineKind::Header:
    case LineKind::Note:
    case LineKind::Context:
        break;
    }
    return {base, text};
}

void DiffView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        recolour();
}

void DiffView::recolour()
{
    QTextCursor cursor(document());
    cursor.beginEditBlock();
    int number = 0;
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next(), ++number) {
        const LineKind kind = kindOf(block.text(), number);
        const Colours c = colours(kind, palette());
        QTextBlockFormat bf;
        if (kind != LineKind::Context)
            bf.setBackground(c.background);
        else
            bf.clearBackground();
        QTextCharFormat cf;
        cf.setForeground(c.foreground);
        cf.setFontWeight(kind == LineKind::Header ? QFont::Bold : QFont::Normal);
        cf.setFontItalic(kind == LineKind::Note);
        cursor.setPosition(block.position());
        cursor.setPosition(block.position() + block.length() - 1, QTextCursor::KeepAnchor);
        cursor.setBlockFormat(bf);
        cursor.setCharFormat(cf);
    }
    cursor.endEditBlock();
}

} // namespace retort::ui
