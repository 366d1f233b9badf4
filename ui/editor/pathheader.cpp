#include "pathheader.h"

#include <QPainter>

namespace retort::ui {

namespace {

QFont boldOf(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}

} // namespace

PathHeader::PathHeader(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

void PathHeader::setPath(const QString &name, const QString &folder, State state)
{
    m_name = name;
    m_folder = folder;
    m_state = state;
    setToolTip(folder.isEmpty() ? QString() : folder + QLatin1Char('/') + name);
    update();
}

QString PathHeader::suffix() const
{
    switch (m_state) {
    case State::Clean: return QString();
    case State::Modified: return QStringLiteral(" ●");
    case State::Saving: return tr(" (saving…)");
    }
    return QString();
}

QString PathHeader::shownName() const
{
    const QFontMetrics bm(boldOf(font()));
    const QString state = suffix();
    const int room = std::max(0, width() - bm.horizontalAdvance(state));
    return bm.elidedText(m_name, Qt::ElideRight, room) + state;
}

QSize PathHeader::sizeHint() const
{
    return {200, fontMetrics().height() + 4};
}

QSize PathHeader::minimumSizeHint() const
{
    return {40, fontMetrics().height() + 4};
}

void PathHeader::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QFont bold = boldOf(font());
    const QString name = shownName();
    p.setFont(bold);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(rect(), Qt::AlignLeft | Qt::AlignVCenter, name);
    const int used = QFontMetrics(bold).horizontalAdvance(name) + fontMetrics().horizontalAdvance(QLatin1Char(' '));
    if (used >= width() || m_folder.isEmpty())
        return;
    p.setFont(font());
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(rect().adjusted(used, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
               fontMetrics().elidedText(m_folder, Qt::ElideMiddle, width() - used));
}

} // namespace retort::ui
