#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;
class QMenu;

namespace retort::ui {

class GraphDelegate;
class StateDelegate;
class RevisionModel;

// The revision graph: a search box (id prefix, message, label), the multiple-heads banner,
// and the graph itself (a QTreeView over RevisionModel painted by GraphDelegate).
class GraphPanel : public QWidget
{
    Q_OBJECT
public:
    explicit GraphPanel(RevisionModel *model, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    QLineEdit *searchField() const { return m_search; }
    QLabel *headsBanner() const { return m_banner; }
    GraphDelegate *delegate() const { return m_delegate; }
    StateDelegate *stateDelegate() const { return m_stateDelegate; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }

    // The row under the cursor in the view (what the session was last told).
    QString selectedRevision() const;
    QStringList selectedRevisions() const;
    // Shows `id` as the current row, scrolled into view, without emitting revisionSelected:
    // the session's revision, mirrored. Empty or hidden by the filter: no current row.
    bool showRevision(const QString &id);
    bool isVisibleRevision(const QString &id) const;
    // Filtering never changes the current revision (nor opens a file); filterChanged
    // follows, for the owner of the current revision to show it again.
    void setFilter(const QString &text);
    // Extra entries for the context menu (the run actions add theirs here).
    void setContextActions(const QList<QAction *> &actions) { m_extraActions = actions; }

signals:
    // The person picked a row (click, keys); never emitted by showRevision() or filtering.
    void revisionSelected(const QString &id);
    void selectionChanged(const QStringList &ids);
    // The filter's text changed; the rows shown changed with it.
    void filterChanged(const QString &text);
    void mergeRequested();
    void openFileRequested(const QString &id);
    // A click on a database's drift mark (the State column, its strip cell, or the header).
    void driftRequested(const QString &database);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateBanner();
    void showContextMenu(const QPoint &pos);
    void fitStateColumn();

    RevisionModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTreeView *m_view;
    GraphDelegate *m_delegate;
    StateDelegate *m_stateDelegate;
    QLineEdit *m_search;
    QLabel *m_banner;
    QList<QAction *> m_extraActions;
    bool m_syncing = false; // set while the view is made to show the session's state
    // Set while the view tells the session of the row the person made current: the session's
    // answer (show that revision) leaves the selection to the view, whose click or key applies
    // its own selection command after the current row moved (Ctrl+click adds to it).
    bool m_picking = false;
};

} // namespace retort::ui
