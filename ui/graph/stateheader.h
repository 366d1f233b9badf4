#pragma once

#include <QHeaderView>

namespace retort::ui {

class StateDelegate;

// The graph's header. The State section is painted by StateDelegate::paintHeader, in the
// strip's layout: the active database's drift mark and each other connected database's name
// over its column, on yellow where it drifted; a click on a mark asks for that database's
// differences (driftClicked). Every other section is a plain header section.
class StateHeader : public QHeaderView
{
    Q_OBJECT
public:
    StateHeader(const StateDelegate *delegate, int section, QWidget *parent = nullptr);

    // The database whose drift mark is at `pos` (header coordinates); empty when none.
    QString driftAt(const QPoint &pos) const;

signals:
    void driftClicked(const QString &database);

protected:
    void paintSection(QPainter *painter, const QRect &rect, int logicalIndex) const override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    const StateDelegate *m_delegate;
    int m_section;
};

} // namespace retort::ui
