#include "graphdelegate.h"

#include "graph/lanes.h"
#include "models/revisionmodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace retort::ui {

GraphDelegate::GraphDelegate(QObject *parent) : PaintedDelegate(parent)
{
    setPalette(QApplication::palette());
}

void GraphDelegate::setPalette(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    static const char *light[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};
    static const char *darkSet[] = {"#6cb6ff", "#ff7b72", "#7ee787", "#d2a8ff", "#ffa657", "#56d4dd", "#e3b341", "#f778ba"};
    m_colors.clear();
    m_pens.clear();
    m_dashedPens.clear();
    for (const char *c : dark ? darkSet : light) {
        m_colors.emplace_back(QColor::fromString(QLatin1String(c)));
        QPen pen(m_colors.back(), 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        m_pens.push_back(pen);
        pen.setStyle(Qt::DashLine);
        pen.setWidthF(1.5);
        m_dashedPens.push_back(pen);
    }
    m_currentColor = dark ? QColor(0x3f, 0xb9, 0x50) : QColor(0x1a, 0x7f, 0x37);
    m_headColor = palette.color(QPalette::Text);
    m_tagColor = dark ? QColor(0x38, 0x3d, 0x45) : QColor(0xe8, 0xec, 0xf1);
    m_text = palette.color(QPalette::Text);
    m_newColor = dark ? QColor(0x3d, 0x8b, 0xfd) : QColor(0x1f, 0x6f, 0xd1);
}

QSize GraphDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setHeight(std::max(s.height(), option.fontMetrics.height() + 8));
    if (index.column() == RevisionModel::GraphColumn)
        s.setWidth(s.width() + (m_drawLanes ? index.data(RevisionModel::MaxLanesRole).toInt() : 1) * LaneWidth + 10);
    else
        s.setWidth(s.width() + decorationWidth(index, option.font));
    return s;
}

void GraphDelegate::paintGraph(QPainter *p, const QRect &rect, const core::LaneRow &row, bool isHead, bool isBase,
                               bool isCurrent) const
{
    const qreal top = rect.top();
    const qreal bottom = rect.bottom() + 1;
    const qreal cy = rect.top() + rect.height() / 2.0;
    auto x = [&rect](int col) { return rect.left() + LaneWidth / 2.0 + col * LaneWidth + 2; };
    p->setRenderHint(QPainter::Antialiasing, true);
    const int nodeColumn = m_drawLanes ? row.column : 0;
    if (m_drawLanes) {
        for (const core::LaneSegment &s : row.segments) {
            const QPen &pen = s.dashed ? m_dashedPens[size_t(s.color) % m_dashedPens.size()] : m_pens[size_t(s.color) % m_pens.size()];
            p->setPen(pen);
            QPainterPath path;
            switch (s.kind) {
            case core::LaneSegment::Kind::Through:
                path.moveTo(x(s.fromColumn), top);
                path.lineTo(x(s.toColumn), bottom);
                break;
            case core::LaneSegment::Kind::IntoNode:
                path.moveTo(x(s.fromColumn), top);
                if (s.fromColumn == s.toColumn)
                    path.lineTo(x(s.toColumn), cy);
                else
                    path.cubicTo(x(s.fromColumn), cy, x(s.fromColumn), cy, x(s.toColumn), cy);
                break;
            case core::LaneSegment::Kind::OutOfNode:
                path.moveTo(x(s.fromColumn), cy);
                if (s.fromColumn == s.toColumn)
                    path.lineTo(x(s.toColumn), bottom);
                else
                    path.cubicTo(x(s.toColumn), cy, x(s.toColumn), cy, x(s.toColumn), bottom);
                break;
            }
            p->drawPath(path);
        }
    }
    const QPointF c(x(nodeColumn), cy);
    const QColor lane = laneColor(row.color);
    if (isCurrent) {
        p->setPen(QPen(m_currentColor, 2.5));
        p->setBrush(Qt::NoBrush);
        p->drawEllipse(c, 7.5, 7.5);
    }
    p->setPen(QPen(lane.darker(130), 1.2));
    p->setBrush(isCurrent ? m_currentColor : lane);
    if (isBase && !isHead) {
        p->drawRect(QRectF(c.x() - 4, c.y() - 4, 8, 8));
    } else if (isHead) {
        p->setBrush(Qt::white);
        p->setPen(QPen(isCurrent ? m_currentColor : lane, 2.5));
        p->drawEllipse(c, 5, 5);
    } else {
        p->drawEllipse(c, 4, 4);
    }
}

int GraphDelegate::paintTags(QPainter *p, int x, const QRect &rect, const QStringList &labels, bool isHead,
                             bool isCurrent, const QFont &font) const
{
    QFont small = font;
    small.setPointSizeF(std::max(6.0, font.pointSizeF() * 0.85));
    const QFontMetrics fm(small);
    p->setFont(small);
    auto tag = [&](const QString &text, const QColor &bg, const QColor &fg) {
        const int w = fm.horizontalAdvance(text) + 10;
        const QRectF r(x, rect.top() + (rect.height() - fm.height() - 2) / 2.0, w, fm.height() + 2);
        p->setPen(Qt::NoPen);
        p->setBrush(bg);
        p->drawRoundedRect(r, 4, 4);
        p->setPen(fg);
        p->drawText(r, Qt::AlignCenter, text);
        x += w + 4;
    };
    if (isCurrent)
        tag(tr("current"), m_currentColor, Qt::white);
    if (isHead)
        tag(tr("head"), m_headColor, m_headColor.lightness() < 128 ? Qt::white : Qt::black);
    for (const QString &l : labels)
        tag(l, m_tagColor, m_text);
    p->setFont(font);
    return x;
}

int GraphDelegate::paintBadges(QPainter *p, int x, const QRect &rect, int lintSeverity, int stairway, const QFont &font) const
{
    QFont bold = font;
    bold.setBold(true);
    bold.setPointSizeF(std::max(6.0, font.pointSizeF() * 0.85));
    p->setFont(bold);
    const int d = std::min(rect.height() - 6, 14);
    auto badge = [&](const QColor &bg, const QString &glyph) {
        const QRectF r(x, rect.top() + (rect.height() - d) / 2.0, d, d);
        p->setPen(Qt::NoPen);
        p->setBrush(bg);
        p->drawEllipse(r);
        p->setPen(Qt::white);
        p->drawText(r, Qt::AlignCenter, glyph);
        x += d + 4;
    };
    // Diagnostic::Severity: 0 info, 1 warning, 2 error
    if (lintSeverity == 2)
        badge(QColor(0xc0, 0x1c, 0x28), QStringLiteral("!"));
    else if (lintSeverity == 1)
        badge(QColor(0xd9, 0x7a, 0x00), QStringLiteral("!"));
    else if (lintSeverity == 0)
        badge(QColor(0x35, 0x84, 0xe4), QStringLiteral("i"));
    if (stairway == 1)
        badge(m_currentColor, QStringLiteral("\u2713"));
    else if (stairway == 2)
        badge(QColor(0xc0, 0x1c, 0x28), QStringLiteral("\u2717"));
    p->setFont(font);
    return x;
}

int GraphDelegate::paintBranchMark(QPainter *p, int x, const QRect &rect, bool isNew, const QString &ghostOf,
                                   const QFont &font) const
{
    if (!isNew && ghostOf.isEmpty())
        return x;
    QFont small = font;
    small.setPointSizeF(std::max(6.0, font.pointSizeF() * 0.85));
    const QFontMetrics fm(small);
    const QString text = isNew ? tr("new") : tr("only on %1").arg(ghostOf);
    const int w = fm.horizontalAdvance(text) + 10;
    const QRectF r(x, rect.top() + (rect.height() - fm.height() - 2) / 2.0, w, fm.height() + 2);
    p->setFont(small);
    if (isNew) {
        p->setPen(Qt::NoPen);
        p->setBrush(m_newColor);
        p->drawRoundedRect(r, 4, 4);
        p->setPen(Qt::white);
    } else {
        p->setPen(QPen(m_text, 1, Qt::DashLine));
        p->setBrush(Qt::NoBrush);
        p->drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    }
    p->drawText(r, Qt::AlignCenter, text);
    p->setFont(font);
    return x + w + 4;
}

void GraphDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    const QString text = paintCellBackground(painter, opt, index);

    const auto *row = static_cast<const core::LaneRow *>(index.data(RevisionModel::LaneRowRole).value<const void *>());
    if (!row)
        return;
    const bool isHead = index.data(RevisionModel::IsHeadRole).toBool();
    const bool isCurrent = index.data(RevisionModel::IsCurrentRole).toBool();
    const QString ghostOf = index.data(RevisionModel::GhostOfRole).toString();
    painter->save();
    painter->setClipRect(opt.rect);
    if (!ghostOf.isEmpty() && index.column() == RevisionModel::GraphColumn)
        painter->setOpacity(0.55);  // a revision only the merge target has (its message is grey)
    int x = opt.rect.left();
    if (index.column() == RevisionModel::GraphColumn) {
        // Lanes and the id: as narrow as the graph is wide.
        const int lanes = m_drawLanes ? row->width : 1;
        const QRect graphRect(opt.rect.left(), opt.rect.top(), lanes * LaneWidth + 4, opt.rect.height());
        paintGraph(painter, graphRect, *row, isHead, index.data(RevisionModel::IsBaseRole).toBool(), isCurrent);
        x = graphRect.right() + 6;
    } else {
        // The message, after the row's tags and badges (as `git log --decorate` puts refs
        // before the subject): rows without tags give all the width to the text.
        x = paintTags(painter, x + 4, opt.rect, index.data(RevisionModel::BranchLabelsRole).toStringList(), isHead, isCurrent,
                      opt.font);
        x = paintBadges(painter, x, opt.rect, index.data(RevisionModel::LintSeverityRole).toInt(),
                        index.data(RevisionModel::StairwayRole).toInt(), opt.font);
        x = paintBranchMark(painter, x, opt.rect, index.data(RevisionModel::IsNewOnBranchRole).toBool(), ghostOf, opt.font);
    }
    QColor pen = opt.state & QStyle::State_Selected ? opt.palette.color(QPalette::HighlightedText)
                                                     : opt.palette.color(QPalette::Text);
    if (!(opt.state & QStyle::State_Selected) && index.data(Qt::ForegroundRole).canConvert<QBrush>())
        pen = index.data(Qt::ForegroundRole).value<QBrush>().color();
    painter->setPen(pen);
    painter->setFont(opt.font);
    const QRect textRect(x, opt.rect.top(), opt.rect.right() - x - 2, opt.rect.height());
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
                      QFontMetrics(opt.font).elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

int GraphDelegate::decorationWidth(const QModelIndex &index, const QFont &font) const
{
    const QFont small = [&] {
        QFont f = font;
        f.setPointSizeF(std::max(6.0, font.pointSizeF() * 0.85));
        return f;
    }();
    const QFontMetrics fm(small);
    int w = 4;
    auto tag = [&](const QString &t) { w += fm.horizontalAdvance(t) + 14; };
    if (index.data(RevisionModel::IsCurrentRole).toBool())
        tag(tr("current"));
    if (index.data(RevisionModel::IsHeadRole).toBool())
        tag(tr("head"));
    for (const QString &l : index.data(RevisionModel::BranchLabelsRole).toStringList())
        tag(l);
    const int lint = index.data(RevisionModel::LintSeverityRole).toInt();
    if (lint >= 0 && lint <= 2)
        w += 18;
    if (index.data(RevisionModel::StairwayRole).toInt() > 0)
        w += 18;
    if (index.data(RevisionModel::IsNewOnBranchRole).toBool())
        tag(tr("new"));
    else if (const QString ghost = index.data(RevisionModel::GhostOfRole).toString(); !ghost.isEmpty())
        tag(tr("only on %1").arg(ghost));
    return w;
}

} // namespace retort::ui
