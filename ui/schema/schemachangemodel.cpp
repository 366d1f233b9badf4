#include "schemachangemodel.h"

#include <QBrush>
#include <QColor>

namespace retort::ui {

void SchemaChangeModel::setChanges(const QList<core::SchemaChange> &upgrade, const QList<core::SchemaChange> &leftovers)
{
    beginResetModel();
    m_rows.clear();
    for (const core::SchemaChange &c : upgrade)
        m_rows.append({false, c});
    for (const core::SchemaChange &c : leftovers)
        m_rows.append({true, c});
    endResetModel();
}

int SchemaChangeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SchemaChangeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SchemaChangeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    const core::SchemaChange &c = r.change;
    if (role == ChangeTextRole)
        return c.text();
    if (role == ActionRole)
        return int(c.action);
    if (role == Qt::ToolTipRole)
        return c.text();
    if (role == Qt::ForegroundRole && index.column() == StepColumn && r.downgrade)
        return QBrush(QColor(0xb0, 0x30, 0x20));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case StepColumn:
        return r.downgrade ? tr("downgrade leaves") : tr("upgrade");
    case ObjectColumn: {
        const QString sign = c.action == core::SchemaChange::Action::Added ? QStringLiteral("+")
                             : c.action == core::SchemaChange::Action::Removed ? QStringLiteral("−")
                                                                                 : QStringLiteral("~");
        const bool part = c.objectKind == QLatin1String("index") || c.objectKind == QLatin1String("constraint")
                          || c.objectKind == QLatin1String("trigger");
        QString what = QStringLiteral("%1 %2 %3").arg(sign, c.objectKind, part ? c.name + tr(" on ") + c.table : c.path());
        if (!c.attribute.isEmpty())
            what += QStringLiteral(" (%1)").arg(c.attribute);
        return what;
    }
    case BeforeColumn:
        return c.before;
    case AfterColumn:
        return c.after;
    }
    return {};
}

QVariant SchemaChangeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StepColumn: return tr("Step");
    case ObjectColumn: return tr("Change");
    case BeforeColumn: return tr("Before");
    case AfterColumn: return tr("After");
    }
    return {};
}

} // namespace retort::ui
