#include "stateheader.h"

#include "graph/statedelegate.h"

#include <QMouseEvent>
#include <QPainter>
#include <QStyleOptionHeader>

namespace retort::ui {

StateHeader::StateHeader(const StateDelegate *delegate, int section, QWidget *parent)
    : QHeaderView(Qt::Horizontal, parent), m_delegate(delegate), m_section(section)
{
}

void StateHeader::paintSection(QPainter *painter, const QRect &rect, int logicalIndex) const
{
    if (logicalIndex != m_section || !model()) {
        QHeaderView::paintSection(painter, rect, logicalIndex);
        return;
    }
    // The section's background and frame as the style draws them, then the marks.
    QStyleOptionHeader opt;
    initStyleOptionForIndex(&opt, logicalIndex);
    opt.rect = rect;
    opt.text.clear();
    style()->drawControl(QStyle::CE_Header, &opt, painter, this);
    m_delegate->paintHeader(painter, rect, font(), palette(), model(), logicalIndex);
}

QString StateHeader::driftAt(const QPoint &pos) const
{
    if (!model() || logicalIndexAt(pos) != m_section)
        return {};
    const QRect rect(sectionViewportPosition(m_section), 0, sectionSize(m_section), height());
    return m_delegate->headerDriftAt(rect, font(), model(), m_section, pos);
}

void StateHeader::mouseReleaseEvent(QMouseEvent *event)
{
    QHeaderView::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton)
        return;
    if (const QString name = driftAt(event->position().toPoint()); !name.isEmpty())
        emit driftClicked(name);
}

} // namespace retort::ui
