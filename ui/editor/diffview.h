#pragma once

#include <QColor>
#include <QPlainTextEdit>

namespace retort::ui {

// A unified diff (core::unifiedDiff) shown read-only in a fixed font, each line coloured by
// what it is: removed lines red, added lines green, hunk headers blue, over the whole width.
// The colours follow the palette (light or dark) so the text stays readable on both, and are
// recomputed when the palette changes.
class DiffView : public QPlainTextEdit
{
    Q_OBJECT
public:
    enum class LineKind { Context, Removed, Added, Hunk, Header, Note };
    struct Colours
    {
        QColor background;
        QColor foreground;
    };

    explicit DiffView(QWidget *parent = nullptr);
    void setDiff(const QString &diff);
    // The colours a kind of line gets under `palette` (Context: the palette's own).
    static Colours colours(LineKind kind, const QPalette &palette);
    static LineKind kindOf(const QString &line, int lineNumber);

protected:
    void changeEvent(QEvent *event) override;

private:
    void recolour();
};

} // namespace retort::ui
