#include "problemsmodel.h"

#include <QApplication>
#include <QFileInfo>
#include <QStyle>

#include <algorithm>

namespace retort::ui {

ProblemsModel::ProblemsModel(QObject *parent) : QAbstractTableModel(parent) {}

void ProblemsModel::setProblems(QList<core::Diagnostic> problems)
{
    std::stable_sort(problems.begin(), problems.end(), [](const core::Diagnostic &a, const core::Diagnostic &b) {
        return int(a.severity) > int(b.severity);
    });
    beginResetModel();
    m_problems = std::move(problems);
    endResetModel();
}

int ProblemsModel::errorCount() const
{
    return int(std::count_if(m_problems.begin(), m_problems.end(),
                             [](const core::Diagnostic &d) { return d.severity == core::Diagnostic::Severity::Error; }));
}

int ProblemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_problems.size());
}

int ProblemsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const core::Diagnostic &d = m_problems[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return d.severity == core::Diagnostic::Severity::Error ? tr("Error")
                   : d.severity == core::Diagnostic::Severity::Warning ? tr("Warning") : tr("Info");
        case MessageColumn: return d.message;
        case LocationColumn:
            if (d.file.isEmpty())
                return QString();
            if (d.line <= 0)
                return QFileInfo(d.file).fileName();
            if (d.column > 0)
                return QStringLiteral("%1:%2:%3").arg(QFileInfo(d.file).fileName(), QString::number(d.line), QString::number(d.column));
            return QStringLiteral("%1:%2").arg(QFileInfo(d.file).fileName(), QString::number(d.line));
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() != SeverityColumn)
            return {};
        return QApplication::style()->standardIcon(d.severity == core::Diagnostic::Severity::Error ? QStyle::SP_MessageBoxCritical
                                                   : d.severity == core::Diagnostic::Severity::Warning ? QStyle::SP_MessageBoxWarning
                                                                                                        : QStyle::SP_MessageBoxInformation);
    case Qt::ToolTipRole: return QStringLiteral("[%1] %2").arg(d.rule, d.message);
    case FileRole: return d.file;
    case LineRole: return d.line;
    case ColumnRole: return d.column;
    case RevisionRole: return d.revision;
    case RuleRole: return d.rule;
    case SeverityRole: return int(d.severity);
    }
    return {};
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn: return tr("Severity");
    case MessageColumn: return tr("Problem");
    case LocationColumn: return tr("Location");
    }
    return {};
}

} // namespace retort::ui
