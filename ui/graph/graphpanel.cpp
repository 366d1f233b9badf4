#include "graphpanel.h"

#include "graph/graphdelegate.h"
#include "graph/statedelegate.h"
#include "graph/stateheader.h"
#include "models/revisionmodel.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScopedValueRollback>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace retort::ui {

namespace {

// Matches the search text against id prefixes, messages and labels (case-insensitive).
class RevisionFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setText(const QString &text)
    {
        m_text = text.trimmed();
        invalidateRowsFilter();
    }
    bool isActive() const { return !m_text.isEmpty(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (m_text.isEmpty())
            return true;
        const QModelIndex idx = sourceModel()->index(row, 0, parent);
        // Ids match by prefix, as Alembic resolves them; messages and labels by substring.
        if (idx.data(RevisionModel::RevisionIdRole).toString().startsWith(m_text, Qt::CaseInsensitive))
            return true;
        return idx.data(RevisionModel::SearchTextRole).toString().contains(m_text, Qt::CaseInsensitive);
    }

private:
    QString m_text;
};

} // namespace

GraphPanel::GraphPanel(RevisionModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Filter by id prefix, message or branch label (Ctrl+L)"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    layout->addWidget(m_search);
    m_banner = new QLabel(this);
    m_banner->setWordWrap(true);
    m_banner->setAutoFillBackground(true);
    m_banner->setMargin(6);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    QPalette warn = m_banner->palette();
    warn.setColor(QPalette::Window, QColor(0xfc, 0xe9, 0x94));
    warn.setColor(QPalette::WindowText, Qt::black);
    m_banner->setPalette(warn);
    m_banner->hide();
    layout->addWidget(m_banner);

    m_proxy = new RevisionFilter(this);
    m_proxy->setSourceModel(model);
    m_view = new QTreeView(this);
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection); // several heads for a merge
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_delegate = new GraphDelegate(this);
    m_view->setItemDelegateForColumn(RevisionModel::GraphColumn, m_delegate);
    m_view->setItemDelegateForColumn(RevisionModel::MessageColumn, m_delegate);
    m_stateDelegate = new StateDelegate(this);
    m_view->setItemDelegateForColumn(RevisionModel::StateColumn, m_stateDelegate);
    connect(m_stateDelegate, &StateDelegate::driftClicked, this, &GraphPanel::driftRequested);
    // The header keeps every database's drift mark in sight, whichever rows are scrolled to.
    auto *header = new StateHeader(m_stateDelegate, RevisionModel::StateColumn, m_view);
    header->setSectionsMovable(true); // as QTreeView's own header
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->setHeader(header);
    connect(header, &StateHeader::driftClicked, this, &GraphPanel::driftRequested);
    // Another database connected or gone: the strip beside the State column grows or shrinks.
    connect(model, &QAbstractItemModel::headerDataChanged, this, &GraphPanel::fitStateColumn);
    // The Message column takes the spare width; the others are as wide as their content.
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->header()->setSectionResizeMode(RevisionModel::MessageColumn, QHeaderView::Stretch);
    m_view->header()->setMinimumSectionSize(40);
    m_view->setColumnWidth(RevisionModel::GraphColumn, 200);
    fitStateColumn();
    // Alembic's Create Date to the second (the microseconds are in the details).
    QFont date(QStringLiteral("monospace"));
    date.setStyleHint(QFont::Monospace);
    date.setBold(true);
    m_view->setColumnWidth(RevisionModel::DateColumn, QFontMetrics(date).horizontalAdvance(QStringLiteral("2024-01-01 00:00:00")) + 16);
    setMinimumWidth(240);
    layout->addWidget(m_view, 1);

    connect(m_search, &QLineEdit::textChanged, this, &GraphPanel::setFilter);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (current.isValid() && !m_syncing) {
            const QScopedValueRollback picking(m_picking, true);
            emit revisionSelected(current.data(RevisionModel::RevisionIdRole).toString());
        }
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { emit selectionChanged(selectedRevisions()); });
    connect(m_banner, &QLabel::linkActivated, this, [this] { emit mergeRequested(); });
    connect(m_view, &QTreeView::customContextMenuRequested, this, &GraphPanel::showContextMenu);
    connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex &idx) {
        emit openFileRequested(idx.data(RevisionModel::RevisionIdRole).toString());
    });
    connect(model, &QAbstractItemModel::modelReset, this, &GraphPanel::updateBanner);
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        // Lanes plus a 12-character id; tags and badges go before the message, so the rest
        // of the width is the messages'.
        QFont mono(QStringLiteral("monospace"));
        mono.setStyleHint(QFont::Monospace);
        mono.setBold(true);  // the current revision's id
        const int id = QFontMetrics(mono).horizontalAdvance(QStringLiteral("000000000000")) + 14;
        const int width = std::min(320, m_model->maxLanes() * GraphDelegate::LaneWidth + 4 + id);
        m_view->setColumnWidth(RevisionModel::GraphColumn, width);
    });
}

void GraphPanel::fitStateColumn()
{
    const int width = m_stateDelegate->columnWidth(m_view->font(), m_model->otherDatabaseNames(), m_model->activeHasDrift());
    if (m_view->columnWidth(RevisionModel::StateColumn) != width)
        m_view->setColumnWidth(RevisionModel::StateColumn, width);
}

void GraphPanel::resizeEvent(QResizeEvent *event)
{
    // A narrow graph gives the Created column's width to the messages (the selected
    // revision's date is in its details).
    m_view->header()->setSectionHidden(RevisionModel::DateColumn, width() < 720);
    QWidget::resizeEvent(event);
}

void GraphPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_delegate->setPalette(palette());
        m_stateDelegate->setPalette(palette());
        m_view->viewport()->update();
    }
    QWidget::changeEvent(event);
}

bool GraphPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape && !m_search->text().isEmpty()) {
        m_search->clear();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void GraphPanel::setFilter(const QString &text)
{
    // The highlighted row only: a current row the filter moved off a hidden one is no
    // revision anybody picked.
    const QModelIndex current = m_view->currentIndex();
    const QString selected = current.isValid() && m_view->selectionModel()->isRowSelected(current.row(), {})
        ? selectedRevision() : QString();
    const bool was = m_syncing;
    m_syncing = true;
    if (m_search->text() != text)
        m_search->setText(text);
    auto *filter = static_cast<RevisionFilter *>(m_proxy);
    filter->setText(text);
    m_delegate->setDrawLanes(!filter->isActive());
    if (!selected.isEmpty())
        showRevision(selected);
    m_syncing = was;
    m_view->viewport()->update();
    emit filterChanged(text);
}

QString GraphPanel::selectedRevision() const
{
    const QModelIndex idx = m_view->currentIndex();
    return idx.isValid() ? idx.data(RevisionModel::RevisionIdRole).toString() : QString();
}

QStringList GraphPanel::selectedRevisions() const
{
    QStringList ids;
    for (const QModelIndex &idx : m_view->selectionModel()->selectedRows())
        ids.append(idx.data(RevisionModel::RevisionIdRole).toString());
    const QString current = selectedRevision();
    if (ids.isEmpty() && !current.isEmpty())
        ids.append(current);
    return ids;
}

bool GraphPanel::isVisibleRevision(const QString &id) const
{
    const int row = m_model->rowOfRevision(id);
    return row >= 0 && m_proxy->mapFromSource(m_model->index(row, 0)).isValid();
}

bool GraphPanel::showRevision(const QString &id)
{
    const int row = m_model->rowOfRevision(id);
    const QModelIndex idx = row < 0 ? QModelIndex() : m_proxy->mapFromSource(m_model->index(row, 0));
    const bool was = m_syncing;
    m_syncing = true;
    if (!idx.isValid()) {
        if (id.isEmpty())
            m_view->selectionModel()->clear();
    } else if (m_picking && m_view->currentIndex().row() == idx.row()) {
        // The row the person just picked: the view's own selection command follows.
    } else if (m_view->currentIndex().row() != idx.row() || !m_view->selectionModel()->isRowSelected(idx.row(), {})) {
        // Keep a multi-selection that contains the row (several heads for a merge).
        if (m_view->selectionModel()->isRowSelected(idx.row(), {}))
            m_view->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::NoUpdate);
        else
            m_view->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    // Also when the row already was current: the filter that hid it was cleared and the
    // rows around it came back, or it was scrolled away.
    if (idx.isValid())
        m_view->scrollTo(idx);
    m_syncing = was;
    return idx.isValid();
}

void GraphPanel::updateBanner()
{
    const auto project = m_model->project();
    if (!project || project->map.heads().size() < 2) {
        m_banner->hide();
        return;
    }
    QStringList ids;
    for (int h : project->map.heads())
        ids.append(project->map.at(h).id);
    m_banner->setText(tr("<b>%1 heads:</b> %2 — <a href='merge'>merge them</a> into one before they drift further apart.")
                          .arg(ids.size())
                          .arg(ids.join(QStringLiteral(", ")).toHtmlEscaped()));
    m_banner->show();
}

void GraphPanel::showContextMenu(const QPoint &pos)
{
    const QModelIndex idx = m_view->indexAt(pos);
    if (!idx.isValid())
        return;
    const QString id = idx.data(RevisionModel::RevisionIdRole).toString();
    const QString path = idx.data(RevisionModel::FilePathRole).toString();
    QMenu menu(this);
    menu.addAction(tr("Copy Revision ID"), this, [id] { QApplication::clipboard()->setText(id); });
    menu.addAction(tr("Open File"), this, [this, id] { emit openFileRequested(id); });
    menu.addAction(tr("Show in Folder"), this, [path] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
    });
    if (!m_extraActions.isEmpty()) {
        menu.addSeparator();
        menu.addActions(m_extraActions);
    }
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace retort::ui
