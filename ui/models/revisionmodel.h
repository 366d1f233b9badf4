#pragma once

#include "graph/lanes.h"
#include "project/scriptdirectory.h"
#include "projectsession.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QSet>

#include <memory>

namespace retort::ui {

class Databases;

// One other database's mark in a row's state strip (DatabasesRole).
struct DatabaseMark
{
    QString name;
    QString shortName;
    bool applied = false;
    bool current = false;  // the database's version table names this revision
    bool drift = false;    // ... and its schema is not the one the migrations give there
    int differences = 0;
};

// Every revision of a loaded project, newest first, with its graph lanes and its state on
// the database (applied / pending / running / failed).
// A view over an immutable core::Project snapshot; setProject() swaps the snapshot.
class RevisionModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { GraphColumn, StateColumn, MessageColumn, DateColumn, ColumnCount };
    // Where a revision stands on the database, told apart at a glance (StateRole).
    // Unknown: the active database could not be read (unreachable, refused): nothing is
    // shown as pending that may well be applied.
    enum class State { Pending, Applied, Running, Failed, Unknown };
    enum Role {
        RevisionIdRole = Qt::UserRole + 1,
        RevisionIndexRole,   // index into the project's RevisionMap
        LaneRowRole,         // const core::LaneRow * (valid while the snapshot lives)
        MaxLanesRole,
        IsHeadRole,
        IsBaseRole,
        IsCurrentRole,
        BranchLabelsRole,
        FilePathRole,
        SearchTextRole,
        IsRunningRole,       // the revision a running migration is applying
        LintSeverityRole,    // -1 none, else the most severe finding (Diagnostic::Severity)
        StairwayRole,        // 0 not run, 1 passed, 2 failed
        StateRole,           // int(State)
        IsNewOnBranchRole,   // the merge target lacks it ("new on this branch")
        GhostOfRole,         // the target's name when only the target has it (a ghost row), else empty
        DatabasesRole,       // QList<DatabaseMark>: every other connected database, in the list's order
        DriftRole,           // the active database's drift differences at its current revision, 0 when none
        ActiveDatabaseRole,  // the active database's name
        ActiveDriftRole,     // bool, every row: the active database has drift (the strip makes room for its mark)
        // The State column's header answers DatabasesRole (each other connected database, drift
        // wherever it is recorded), DriftRole, ActiveDatabaseRole and ActiveDriftRole too: the
        // drift marks stay in sight when the recorded rows are scrolled away.
    };

    explicit RevisionModel(QObject *parent = nullptr);

    void setProject(std::shared_ptr<const core::Project> project);
    std::shared_ptr<const core::Project> project() const { return m_project; }
    // The database's heads and every revision applied under them (ProjectSession's).
    void setDatabaseState(const QStringList &currentHeads, const QSet<QString> &applied, bool known = true);
    QStringList currentRevisions() const { return m_current; }
    // The project's databases: the others' marks beside the State column and each one's drift.
    void setDatabases(const Databases *databases);
    int otherDatabaseCount() const;
    // The short names of the other connected databases, in the strip's order.
    QStringList otherDatabaseNames() const;
    bool activeHasDrift() const;
    // Running step, failure and stairway results (ProjectSession's RunState).
    void setRunState(const RunState &state);
    // Review findings per revision id: shown as badges and in tooltips.
    void setFindings(const QHash<QString, QStringList> &messages, const QHash<QString, int> &severity);
    // What git says about the merge target (core::MergeForecast): revisions new on this branch
    // are marked; `ghosts`, the revision files only `target` has, join the graph as ghost rows.
    void setBranchOverlay(const QString &target, const QSet<QString> &newOnBranch, const QList<core::RevisionFile> &ghosts);

    int rowOfRevision(const QString &id) const;
    int maxLanes() const { return m_maxLanes; }
    State state(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void rebuild();
    void databasesChanged();
    void repaintAll();
    // The other connected databases' marks for the row of `revisionId`; empty id: the header's.
    QList<DatabaseMark> databaseMarks(const QString &revisionId) const;
    int activeDifferences() const;

    std::shared_ptr<const core::Project> m_project;
    // What the rows show: the project, or the project plus the target's ghost revisions.
    std::shared_ptr<const core::Project> m_display;
    QString m_target;
    QSet<QString> m_newOnBranch;
    QList<core::RevisionFile> m_ghosts;
    QSet<QString> m_ghostIds;
    std::vector<core::LaneRow> m_rows;
    QHash<QString, int> m_rowOf;
    QStringList m_current;
    QSet<int> m_currentRevs;
    int m_maxLanes = 1;
    QSet<QString> m_applied;
    bool m_positionKnown = true;  // false: the active database could not be read
    QString m_running;
    QString m_failed;
    QHash<QString, QStringList> m_findings;
    QHash<QString, int> m_findingSeverity;
    QHash<QString, bool> m_stairway;
    QPointer<const Databases> m_databases;
};

} // namespace retort::ui

Q_DECLARE_METATYPE(retort::ui::DatabaseMark)
