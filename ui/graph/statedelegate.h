#pragma once

#include "graph/painteddelegate.h"

namespace retort::ui {

struct DatabaseMark;

// Paints RevisionModel's State column: the active database's state (applied / pending /
// running / failed) and, where it is recorded with drift, a yellow "≠ n" mark; then a strip
// with one small cell per other connected database (filled: applied, outlined: pending,
// framed: recorded at this revision, yellow: drift there). Fills and shapes, not strokes:
// never mistaken for a lane, a lint or a stairway badge. A click on a drift mark asks for
// that database's differences (driftClicked). The header (StateHeader) is painted here too,
// so its marks sit over the strip's cells. Colours are made once per palette.
class StateDelegate : public PaintedDelegate
{
    Q_OBJECT
public:
    explicit StateDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setPalette(const QPalette &palette);

    // The width the column needs for strip cells named `others`, in `font`, with room for the
    // active database's drift mark when it has drift.
    int columnWidth(const QFont &font, const QStringList &others, bool activeDrift) const;
    // The database whose drift mark is at `pos` in the cell `rect` of `index`; empty when none.
    QString driftAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos) const;

    // The State column's header, in the same layout as the rows below it: "State: <active>",
    // the active database's "≠ n" when it has drift, then each other database's name over its
    // strip cell, on yellow where it drifted. `model` answers the header roles of RevisionModel.
    void paintHeader(QPainter *painter, const QRect &rect, const QFont &font, const QPalette &palette,
                     const QAbstractItemModel *model, int section) const;
    // The database whose header drift mark is at `pos`; empty when none.
    QString headerDriftAt(const QRect &rect, const QFont &font, const QAbstractItemModel *model, int section,
                          const QPoint &pos) const;

signals:
    void driftClicked(const QString &database);

protected:
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

private:
    struct Layout
    {
        QRect text;
        QRect activeDrift;          // empty when the active database has no drift here
        QList<QRect> cells;
    };
    Layout layout(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    Layout layout(const QRect &rect, const QFont &font, bool activeDriftRoom, int activeDifferences,
                  const QList<DatabaseMark> &marks) const;
    int textWidth(const QFont &font) const;
    int cellWidth(const QFont &font, const QList<DatabaseMark> &marks) const;
    int driftWidth(const QFont &font) const;

    QColor m_applied;
    QColor m_appliedText;
    QColor m_pending;
    QColor m_drift;
    QColor m_driftText;
    QColor m_frame;
};

} // namespace retort::ui
