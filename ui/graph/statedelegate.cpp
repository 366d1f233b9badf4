#include "statedelegate.h"

#include "databases.h"
#include "models/revisionmodel.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>

namespace retort::ui {

namespace {

QFont smallFont(const QFont &font)
{
    QFont f = font;
    f.setPointSizeF(std::max(6.0, font.pointSizeF() * 0.8));
    return f;
}

QString driftText(int differences)
{
    return QStringLiteral("\u2260 %1").arg(differences);
}

} // namespace

StateDelegate::StateDelegate(QObject *parent) : PaintedDelegate(parent)
{
    setPalette(QApplication::palette());
}

void StateDelegate::setPalette(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    // Slate and a yellow: neither is a lane colour, a lint colour or the stairway's green/red.
    m_applied = dark ? QColor(0x9a, 0xa6, 0xb4) : QColor(0x4d, 0x5a, 0x6a);
    m_appliedText = dark ? QColor(0x10, 0x14, 0x18) : QColor(Qt::white);
    m_pending = dark ? QColor(0x6e, 0x76, 0x81) : QColor(0xa0, 0xa8, 0xb2);
    m_drift = QColor(0xf5, 0xc8, 0x11);
    m_driftText = QColor(0x20, 0x1a, 0x00);
    m_frame = palette.color(QPalette::Text);
}

int StateDelegate::textWidth(const QFont &font) const
{
    const QFontMetrics fm(font);
    QFont bold = font;
    bold.setBold(true); // the database's current revision is bold
    const QFontMetrics fb(bold);
    return std::max({fb.horizontalAdvance(tr("✓ applied")), fm.horizontalAdvance(tr("○ pending")),
                     fm.horizontalAdvance(tr("▶ running")), fm.horizontalAdvance(tr("✕ failed"))})
        + 6;
}

int StateDelegate::cellWidth(const QFont &font, const QList<DatabaseMark> &marks) const
{
    QStringList names;
    for (const DatabaseMark &m : marks)
        names.append(m.shortName);
    QFont bold = smallFont(font);
    bold.setBold(true);
    const QFontMetrics fm(bold);
    int w = fm.horizontalAdvance(QStringLiteral("\u2260") + QStringLiteral("ab"));
    for (const QString &n : names)
        w = std::max(w, fm.horizontalAdvance(n));
    return w + 8;
}

int StateDelegate::driftWidth(const QFont &font) const
{
    return QFontMetrics(smallFont(font)).horizontalAdvance(driftText(99)) + 10;
}

int StateDelegate::columnWidth(const QFont &font, const QStringList &others, bool activeDrift) const
{
    QList<DatabaseMark> marks;
    for (const QString &n : others)
        marks.append(DatabaseMark{n, n});
    return textWidth(font) + (activeDrift ? driftWidth(font) + 4 : 0) + int(others.size()) * (cellWidth(font, marks) + 3) + 8;
}

StateDelegate::Layout StateDelegate::layout(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return layout(option.rect, option.font, index.data(RevisionModel::ActiveDriftRole).toBool(),
                  index.data(RevisionModel::DriftRole).toInt(),
                  index.data(RevisionModel::DatabasesRole).value<QList<DatabaseMark>>());
}

StateDelegate::Layout StateDelegate::layout(const QRect &rect, const QFont &font, bool activeDriftRoom, int activeDifferences,
                                            const QList<DatabaseMark> &marks) const
{
    Layout l;
    const QRect r = rect.adjusted(4, 0, -2, 0);
    const int tw = textWidth(font);
    l.text = QRect(r.left(), r.top(), tw, r.height());
    const QFontMetrics small(smallFont(font));
    const int h = std::min(r.height() - 4, small.height() + 4);
    const int top = r.top() + (r.height() - h) / 2;
    int x = r.left() + tw;
    if (activeDriftRoom) {
        // Room for the mark on every row, so the strip's cells line up.
        if (activeDifferences > 0)
            l.activeDrift = QRect(x, top, small.horizontalAdvance(driftText(activeDifferences)) + 10, h);
        x += driftWidth(font) + 4;
    }
    const int cw = cellWidth(font, marks);
    for (qsizetype i = 0; i < marks.size(); ++i) {
        l.cells.append(QRect(x, top, cw, h));
        x += cw + 3;
    }
    return l;
}

QSize StateDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    QStringList names;
    for (const DatabaseMark &m : index.data(RevisionModel::DatabasesRole).value<QList<DatabaseMark>>())
        names.append(m.shortName);
    s.setWidth(columnWidth(option.font, names, index.data(RevisionModel::ActiveDriftRole).toBool()));
    return s;
}

void StateDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    const QString text = paintCellBackground(painter, opt, index);

    const Layout l = layout(option, index);
    painter->save();
    painter->setClipRect(option.rect);
    const QVariant fg = index.data(Qt::ForegroundRole);
    painter->setPen(opt.state & QStyle::State_Selected ? opt.palette.color(QPalette::HighlightedText)
                    : fg.isValid()                     ? fg.value<QColor>()
                                                       : opt.palette.color(QPalette::Text));
    painter->setFont(opt.font);
    painter->drawText(l.text, Qt::AlignVCenter | Qt::AlignLeft, text);

    const QFont small = smallFont(opt.font);
    painter->setFont(small);
    painter->setRenderHint(QPainter::Antialiasing, true);
    if (!l.activeDrift.isEmpty()) {
        painter->setPen(QPen(m_driftText, 1));
        painter->setBrush(m_drift);
        painter->drawRoundedRect(QRectF(l.activeDrift).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
        painter->drawText(l.activeDrift, Qt::AlignCenter, driftText(index.data(RevisionModel::DriftRole).toInt()));
    }
    const auto marks = index.data(RevisionModel::DatabasesRole).value<QList<DatabaseMark>>();
    for (qsizetype i = 0; i < marks.size() && i < l.cells.size(); ++i) {
        const DatabaseMark &m = marks[i];
        const QRectF cell = QRectF(l.cells[i]).adjusted(0.5, 0.5, -0.5, -0.5);
        QColor textColor;
        if (m.drift) {
            painter->setPen(QPen(m_driftText, 1.5));
            painter->setBrush(m_drift);
            textColor = m_driftText;
        } else if (m.applied) {
            painter->setPen(m.current ? QPen(m_frame, 2) : Qt::NoPen);
            painter->setBrush(m_applied);
            textColor = m_appliedText;
        } else {
            painter->setPen(QPen(m_pending, 1, Qt::DotLine));
            painter->setBrush(Qt::NoBrush);
            textColor = m_pending;
        }
        painter->drawRoundedRect(cell, 3, 3);
        QFont f = small;
        f.setBold(m.current);
        painter->setFont(f);
        painter->setPen(textColor);
        painter->drawText(l.cells[i], Qt::AlignCenter, m.drift ? QStringLiteral("\u2260") + m.shortName.left(2) : m.shortName);
    }
    painter->restore();
}

QString StateDelegate::driftAt(const QStyleOptionViewItem &option, const QModelIndex &index, const QPoint &pos) const
{
    const Layout l = layout(option, index);
    if (l.activeDrift.contains(pos))
        return index.data(RevisionModel::ActiveDatabaseRole).toString();
    const auto marks = index.data(RevisionModel::DatabasesRole).value<QList<DatabaseMark>>();
    for (qsizetype i = 0; i < marks.size() && i < l.cells.size(); ++i)
        if (marks[i].drift && l.cells[i].contains(pos))
            return marks[i].name;
    return {};
}

void StateDelegate::paintHeader(QPainter *painter, const QRect &rect, const QFont &font, const QPalette &palette,
                                const QAbstractItemModel *model, int section) const
{
    const auto marks = model->headerData(section, Qt::Horizontal, RevisionModel::DatabasesRole).value<QList<DatabaseMark>>();
    const int differences = model->headerData(section, Qt::Horizontal, RevisionModel::DriftRole).toInt();
    const Layout l = layout(rect, font, model->headerData(section, Qt::Horizontal, RevisionModel::ActiveDriftRole).toBool(),
                            differences, marks);
    painter->save();
    painter->setClipRect(rect);
    painter->setFont(font);
    painter->setPen(palette.color(QPalette::ButtonText));
    const QString active = model->headerData(section, Qt::Horizontal, RevisionModel::ActiveDatabaseRole).toString();
    const QString title = active.isEmpty() ? tr("State") : tr("State: %1").arg(Databases::shortName(active));
    painter->drawText(l.text, Qt::AlignVCenter | Qt::AlignLeft, QFontMetrics(font).elidedText(title, Qt::ElideRight, l.text.width()));
    const QFont small = smallFont(font);
    painter->setRenderHint(QPainter::Antialiasing, true);
    if (!l.activeDrift.isEmpty()) {
        painter->setFont(small);
        painter->setPen(QPen(m_driftText, 1));
        painter->setBrush(m_drift);
        painter->drawRoundedRect(QRectF(l.activeDrift).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
        painter->drawText(l.activeDrift, Qt::AlignCenter, driftText(differences));
    }
    for (qsizetype i = 0; i < marks.size() && i < l.cells.size(); ++i) {
        const DatabaseMark &m = marks[i];
        QFont f = small;
        f.setBold(m.drift);
        painter->setFont(f);
        if (m.drift) {
            painter->setPen(QPen(m_driftText, 1.5));
            painter->setBrush(m_drift);
            painter->drawRoundedRect(QRectF(l.cells[i]).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
            painter->setPen(m_driftText);
        } else {
            painter->setPen(palette.color(QPalette::ButtonText));
        }
        painter->drawText(l.cells[i], Qt::AlignCenter, m.shortName);
    }
    painter->restore();
}

QString StateDelegate::headerDriftAt(const QRect &rect, const QFont &font, const QAbstractItemModel *model, int section,
                                     const QPoint &pos) const
{
    const auto marks = model->headerData(section, Qt::Horizontal, RevisionModel::DatabasesRole).value<QList<DatabaseMark>>();
    const Layout l = layout(rect, font, model->headerData(section, Qt::Horizontal, RevisionModel::ActiveDriftRole).toBool(),
                            model->headerData(section, Qt::Horizontal, RevisionModel::DriftRole).toInt(), marks);
    if (l.activeDrift.contains(pos))
        return model->headerData(section, Qt::Horizontal, RevisionModel::ActiveDatabaseRole).toString();
    for (qsizetype i = 0; i < marks.size() && i < l.cells.size(); ++i)
        if (marks[i].drift && l.cells[i].contains(pos))
            return marks[i].name;
    return {};
}

bool StateDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                                const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        const auto *me = static_cast<QMouseEvent *>(event);
        if (me->button() == Qt::LeftButton) {
            const QString name = driftAt(option, index, me->position().toPoint());
            if (!name.isEmpty()) {
                emit driftClicked(name);
                return true;
            }
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

} // namespace retort::ui
