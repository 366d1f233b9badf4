#pragma once

#include "schema/schemasnapshot.h"

#include <QAbstractTableModel>

namespace retort::ui {

// The schema changes of one revision, side by side: what its upgrade changes, then what its
// downgrade leaves different from before the upgrade. One row per change; columns name the
// step, the object, and the value before and after. Immutable once set (setChanges resets).
class SchemaChangeModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StepColumn, ObjectColumn, BeforeColumn, AfterColumn, ColumnCount };
    enum Role { ChangeTextRole = Qt::UserRole + 1, ActionRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setChanges(const QList<core::SchemaChange> &upgrade, const QList<core::SchemaChange> &downgradeLeftovers);
    void clear() { setChanges({}, {}); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        bool downgrade = false;
        core::SchemaChange change;
    };
    QList<Row> m_rows;
};

} // namespace retort::ui
