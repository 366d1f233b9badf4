#pragma once

#include <QPen>
#include "graph/painteddelegate.h"

#include <vector>

namespace retort::core { struct LaneRow; }

namespace retort::ui {

// Paints two columns of RevisionModel: the graph column (lanes, the node with heads, bases,
// merge points and the database's current revisions marked, and the revision id) and the
// message column (tags, badges, then the message, elided only when it has no room).
// Everything it paints comes from the row's data; pens are made once per palette.
class GraphDelegate : public PaintedDelegate
{
    Q_OBJECT
public:
    static constexpr int LaneWidth = 14;

    explicit GraphDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    void setPalette(const QPalette &palette);
    // When the view shows a filtered subset, lanes would lie: draw nodes only.
    void setDrawLanes(bool on) { m_drawLanes = on; }
    bool drawLanes() const { return m_drawLanes; }

    // Paints one row's lanes and node into `rect` (also used for SVG/PNG export).
    void paintGraph(QPainter *painter, const QRect &rect, const core::LaneRow &row, bool isHead, bool isBase,
                    bool isCurrent) const;
    // Paints label tags starting at x; returns the x after the last tag.
    int paintTags(QPainter *painter, int x, const QRect &rect, const QStringList &labels, bool isHead, bool isCurrent,
                  const QFont &font) const;
    // Review-finding and stairway badges; returns the x after them.
    int paintBadges(QPainter *painter, int x, const QRect &rect, int lintSeverity, int stairway, const QFont &font) const;
    // "new" (on this branch) or the target's name on a ghost row; returns the x after it.
    int paintBranchMark(QPainter *painter, int x, const QRect &rect, bool isNew, const QString &ghostOf,
                        const QFont &font) const;
    // The width of the tags and badges paint() puts before a row's message.
    int decorationWidth(const QModelIndex &index, const QFont &font) const;
    QColor laneColor(int index) const { return m_colors[size_t(index) % m_colors.size()]; }

private:
    std::vector<QColor> m_colors;
    std::vector<QPen> m_pens;
    std::vector<QPen> m_dashedPens;
    QColor m_currentColor;
    QColor m_headColor;
    QColor m_tagColor;
    QColor m_text;
    QColor m_newColor;
    bool m_drawLanes = true;
};

} // namespace retort::ui
