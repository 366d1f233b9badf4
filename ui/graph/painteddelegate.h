#pragma once

#include <QApplication>
#include <QStyledItemDelegate>

namespace retort::ui {

// A delegate that paints a cell's content itself: the style draws the background, selection
// and focus of the cell without its text, and the delegate draws the rest.
class PaintedDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    // Fills `opt` for `index`, draws the cell without its text and returns that text.
    QString paintCellBackground(QPainter *painter, QStyleOptionViewItem &opt, const QModelIndex &index) const
    {
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        return text;
    }
};

} // namespace retort::ui
