#pragma once

#include "project/revisionfile.h"

#include <QAbstractTableModel>

namespace retort::ui {

// The diagnostics of the open project (parse errors, missing parents, duplicate ids,
// cycles, multiple heads, empty downgrades), most severe first.
class ProblemsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeverityColumn, MessageColumn, LocationColumn, ColumnCount };
    enum Role { FileRole = Qt::UserRole + 1, LineRole, RevisionRole, RuleRole, SeverityRole, ColumnRole };

    explicit ProblemsModel(QObject *parent = nullptr);
    void setProblems(QList<core::Diagnostic> problems);
    const QList<core::Diagnostic> &problems() const { return m_problems; }
    int errorCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<core::Diagnostic> m_problems;
};

} // namespace retort::ui
