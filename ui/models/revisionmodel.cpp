#include "revisionmodel.h"

#include "databases.h"

#include <QColor>
#include <QFont>

namespace retort::ui {

RevisionModel::RevisionModel(QObject *parent) : QAbstractTableModel(parent) {}

void RevisionModel::setDatabases(const Databases *databases)
{
    if (m_databases)
        disconnect(m_databases, nullptr, this, nullptr);
    m_databases = databases;
    if (databases) {
        connect(databases, &Databases::connectionsChanged, this, &RevisionModel::databasesChanged);
        connect(databases, &Databases::activeChanged, this, &RevisionModel::databasesChanged);
        connect(databases, &Databases::statusChanged, this, &RevisionModel::databasesChanged);
        connect(databases, &Databases::driftChanged, this, &RevisionModel::databasesChanged);
    }
    databasesChanged();
}

void RevisionModel::databasesChanged()
{
    emit headerDataChanged(Qt::Horizontal, StateColumn, StateColumn);
    repaintAll();
}

void RevisionModel::repaintAll()
{
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int RevisionModel::otherDatabaseCount() const
{
    return int(otherDatabaseNames().size());
}

QStringList RevisionModel::otherDatabaseNames() const
{
    QStringList names;
    if (!m_databases)
        return names;
    for (const DatabaseConnection &c : m_databases->connections())
        if (c.name != m_databases->active() && m_databases->status(c.name).isConnected())
            names.append(Databases::shortName(c.name));
    return names;
}

bool RevisionModel::activeHasDrift() const
{
    return m_databases && m_databases->activeStatus().drift.state == DriftResult::State::Drift;
}

int RevisionModel::activeDifferences() const
{
    return activeHasDrift() ? m_databases->activeStatus().drift.differences : 0;
}

QList<DatabaseMark> RevisionModel::databaseMarks(const QString &revisionId) const
{
    QList<DatabaseMark> marks;
    if (!m_databases)
        return marks;
    const bool header = revisionId.isEmpty();
    for (const DatabaseConnection &c : m_databases->connections()) {
        const DatabaseStatus &st = m_databases->status(c.name);
        if (c.name == m_databases->active() || !st.isConnected())
            continue;
        DatabaseMark m;
        m.name = c.name;
        m.shortName = Databases::shortName(c.name);
        m.applied = !header && st.applied.contains(revisionId);
        m.current = !header && st.heads.contains(revisionId);
        m.drift = (header || m.current) && st.drift.state == DriftResult::State::Drift;
        m.differences = m.drift ? st.drift.differences : 0;
        marks.append(m);
    }
    return marks;
}

void RevisionModel::setProject(std::shared_ptr<const core::Project> project)
{
    // The same revisions, edges and order with some texts changed (a file edited in place):
    // rows and lanes hold, the view keeps its selection and scroll, and only the rows whose
    // file changed repaint.
    if (m_project && project && m_ghostIds.isEmpty() && project->map.shape() == m_project->map.shape()) {
        const std::shared_ptr<const core::Project> old = std::exchange(m_project, std::move(project));
        m_display = m_project;
        for (size_t r = 0; r < m_rows.size(); ++r) {
            const int rev = m_rows[r].revision;
            if (old->map.fileOf(rev).tree != m_project->map.fileOf(rev).tree)
                emit dataChanged(index(int(r), 0), index(int(r), ColumnCount - 1));
        }
        return;
    }
    beginResetModel();
    m_project = std::move(project);
    rebuild();
    endResetModel();
}

void RevisionModel::setBranchOverlay(const QString &target, const QSet<QString> &newOnBranch,
                                     const QList<core::RevisionFile> &ghosts)
{
    // A re-read that changes nothing must not reset the view (and its selection).
    auto same = [&] {
        if (target != m_target || newOnBranch != m_newOnBranch || ghosts.size() != m_ghosts.size())
            return false;
        for (qsizetype i = 0; i < ghosts.size(); ++i) {
            const core::RevisionFile &a = ghosts[i], &b = m_ghosts[i];
            if (a.revision != b.revision || a.path != b.path || a.longDoc != b.longDoc
                || a.downRevision.toTuple() != b.downRevision.toTuple())
                return false;
        }
        return true;
    };
    if (same())
        return;
    beginResetModel();
    m_target = target;
    m_newOnBranch = newOnBranch;
    m_ghosts = ghosts;
    rebuild();
    endResetModel();
}

void RevisionModel::rebuild()
{
    m_rows.clear();
    m_rowOf.clear();
    m_ghostIds.clear();
    m_maxLanes = 1;
    m_display = m_project;
    if (m_project && !m_ghosts.isEmpty()) {
        // A ghost the checkout has meanwhile (after a git merge) is no ghost any more.
        QList<core::RevisionFile> files = m_project->map.files();
        for (const core::RevisionFile &g : std::as_const(m_ghosts)) {
            if (m_project->map.indexOf(g.revision) == core::RevisionMap::None) {
                files.append(g);
                m_ghostIds.insert(g.revision);
            }
        }
        if (!m_ghostIds.isEmpty()) {
            auto display = std::make_shared<core::Project>();
            display->config = m_project->config;
            display->map = core::RevisionMap::build(std::move(files));
            m_display = display;
        }
    }
    if (m_display) {
        const core::RevisionMap &map = m_display->map;
        m_rows = core::computeLanes(map, map.displayOrder());
        for (size_t i = 0; i < m_rows.size(); ++i) {
            m_rowOf.insert(map.at(m_rows[i].revision).id, int(i));
            m_maxLanes = std::max(m_maxLanes, m_rows[i].width);
        }
    }
    m_currentRevs.clear();
    for (const QString &id : std::as_const(m_current))
        if (m_rowOf.contains(id))
            m_currentRevs.insert(m_rows[size_t(m_rowOf.value(id))].revision);
}

void RevisionModel::setDatabaseState(const QStringList &ids, const QSet<QString> &applied, bool known)
{
    // Told again after every reload: the same state repaints nothing (usually the same set, shared).
    if (ids == m_current && applied == m_applied && known == m_positionKnown)
        return;
    m_positionKnown = known;
    m_current = ids;
    m_applied = applied;
    m_currentRevs.clear();
    for (const QString &id : ids)
        if (m_rowOf.contains(id))
            m_currentRevs.insert(m_rows[size_t(m_rowOf.value(id))].revision);
    repaintAll();
}

void RevisionModel::setRunState(const RunState &state)
{
    const bool changed = m_running != state.runningRevision || m_failed != state.failedRevision || m_stairway != state.stairway;
    if (!changed)
        return;
    m_running = state.runningRevision;
    m_failed = state.failedRevision;
    m_stairway = state.stairway;
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void RevisionModel::setFindings(const QHash<QString, QStringList> &messages, const QHash<QString, int> &severity)
{
    m_findings = messages;
    m_findingSeverity = severity;
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

RevisionModel::State RevisionModel::state(const QString &id) const
{
    if (!m_running.isEmpty() && id == m_running)
        return State::Running;
    if (!m_failed.isEmpty() && id == m_failed)
        return State::Failed;
    if (!m_positionKnown)
        return State::Unknown;
    return m_applied.contains(id) ? State::Applied : State::Pending;
}

int RevisionModel::rowOfRevision(const QString &id) const
{
    return m_rowOf.value(id, -1);
}

int RevisionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RevisionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RevisionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_display)
        return {};
    const core::LaneRow &row = m_rows[size_t(index.row())];
    const core::RevisionMap &map = m_display->map;
    const core::Revision &rev = map.at(row.revision);
    const core::RevisionFile &file = map.fileOf(row.revision);
    const bool ghost = !m_ghostIds.isEmpty() && m_ghostIds.contains(rev.id);
    if (ghost) {
        switch (role) {
        case Qt::ToolTipRole:
            return tr("%1\n%2\nOnly on %3: this checkout does not have it yet.").arg(rev.id, file.longDoc, m_target);
        case Qt::ForegroundRole: return QColor(0x80, 0x80, 0x80);
        case Qt::FontRole: {
            QFont f(index.column() == MessageColumn ? QString() : QStringLiteral("monospace"));
            f.setStyleHint(index.column() == MessageColumn ? QFont::AnyStyle : QFont::Monospace);
            f.setItalic(true);
            return f;
        }
        case Qt::DisplayRole:
            if (index.column() == StateColumn)
                return tr("only on %1").arg(m_target);
            break;
        case Qt::BackgroundRole: return {};
        case FilePathRole: return QString();  // not in the checkout: nothing to open
        case GhostOfRole: return m_target;
        default: break;
        }
    }
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case GraphColumn: return rev.id;
        case StateColumn:
            switch (state(rev.id)) {
            case State::Applied: return tr("✓ applied");
            case State::Pending: return tr("○ pending");
            case State::Running: return tr("▶ running");
            case State::Failed: return tr("✕ failed");
            case State::Unknown: return tr("? not read");
            }
            return {};
        case MessageColumn: return file.doc().section(QLatin1Char('\n'), 0, 0);
        case DateColumn: return file.createDate().section(QLatin1Char('.'), 0, 0); // to the second
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("%1\n%2").arg(rev.id, file.longDoc);
        if (index.column() == StateColumn && m_databases) {
            for (const DatabaseConnection &c : m_databases->connections()) {
                const DatabaseStatus &st = m_databases->status(c.name);
                if (!st.isConnected())
                    continue;
                QString line = tr("\n%1%2: %3").arg(c.name, c.name == m_databases->active() ? tr(" (active)") : QString(),
                                                    st.applied.contains(rev.id) ? tr("applied") : tr("pending"));
                if (st.heads.contains(rev.id)) {
                    line += tr(", recorded at this revision");
                    if (st.drift.state == DriftResult::State::Drift)
                        line += tr("; drift: %n difference(s), click the mark to see them", nullptr, st.drift.differences);
                    else if (st.drift.state == DriftResult::State::NoDrift)
                        line += tr("; no drift");
                }
                tip += line;
            }
        }
        for (const QString &m : m_findings.value(rev.id))
            tip += QStringLiteral("\n• ") + m;
        if (m_newOnBranch.contains(rev.id))
            tip += tr("\nNew on this branch: %1 does not have it.").arg(m_target);
        if (m_stairway.contains(rev.id))
            tip += m_stairway.value(rev.id) ? tr("\nStairway test: passed") : tr("\nStairway test: FAILED");
        return tip;
    }
    case Qt::FontRole:
        if (index.column() == GraphColumn || index.column() == DateColumn) {
            QFont f(QStringLiteral("monospace"));
            f.setStyleHint(QFont::Monospace);
            if (m_currentRevs.contains(row.revision))
                f.setBold(true);
            return f;
        }
        if (m_currentRevs.contains(row.revision)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case RevisionIdRole: return rev.id;
    case RevisionIndexRole: return row.revision;
    case LaneRowRole: return QVariant::fromValue(static_cast<const void *>(&row));
    case MaxLanesRole: return m_maxLanes;
    case IsHeadRole: return rev.isHead();
    case IsBaseRole: return rev.isBase();
    case IsCurrentRole: return m_currentRevs.contains(row.revision);
    case IsRunningRole: return !m_running.isEmpty() && rev.id == m_running;
    case LintSeverityRole: return m_findingSeverity.value(rev.id, -1);
    case StairwayRole: return m_stairway.contains(rev.id) ? (m_stairway.value(rev.id) ? 1 : 2) : 0;
    case StateRole: return int(state(rev.id));
    case Qt::BackgroundRole:
        // Row fills, not stroke colours: never mistaken for a lane or a stairway badge.
        switch (state(rev.id)) {
        case State::Running: return QColor(0xff, 0xd5, 0x80);
        case State::Failed: return QColor(0xf6, 0xc6, 0xc9);
        case State::Applied: return index.column() == StateColumn ? QVariant(QColor(0xd8, 0xee, 0xdc)) : QVariant();
        case State::Pending:
        case State::Unknown: return {};
        }
        return {};
    case Qt::ForegroundRole:
        switch (state(rev.id)) {
        case State::Failed: return QColor(0x8b, 0x0e, 0x17);
        case State::Running: return QColor(Qt::black);
        case State::Applied: return index.column() == StateColumn ? QVariant(QColor(0x1b, 0x4d, 0x2a)) : QVariant();
        case State::Pending: return index.column() == StateColumn ? QVariant(QColor(0x70, 0x70, 0x70)) : QVariant();
        case State::Unknown: return index.column() == StateColumn ? QVariant(QColor(0x9a, 0x9a, 0x9a)) : QVariant();
        }
        return {};
    case DatabasesRole: return QVariant::fromValue(databaseMarks(rev.id));
    case DriftRole: return m_currentRevs.contains(row.revision) ? activeDifferences() : 0;
    case ActiveDatabaseRole: return m_databases ? m_databases->active() : QString();
    case ActiveDriftRole: return activeHasDrift();
    case IsNewOnBranchRole: return m_newOnBranch.contains(rev.id);
    case GhostOfRole: return QString();
    case BranchLabelsRole: return rev.branchLabels;
    case FilePathRole: return file.path;
    case SearchTextRole:
        // Not the id: ids match by prefix only (the filter does that).
        return QStringList{file.doc(), rev.branchLabels.join(QLatin1Char(' '))}.join(QLatin1Char('\n'));
    }
    return {};
}

QVariant RevisionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (section == StateColumn && m_databases && !m_databases->active().isEmpty()) {
        if (role == Qt::ToolTipRole) {
            QStringList others;
            for (const DatabaseConnection &c : m_databases->connections())
                if (c.name != m_databases->active() && m_databases->status(c.name).isConnected())
                    others.append(QStringLiteral("%1 = %2").arg(Databases::shortName(c.name), c.name));
            QString tip = tr("State on %1, the active database (runs and the Schema dock follow it).").arg(m_databases->active());
            if (!others.isEmpty())
                tip += tr("\nBeside it, the other connected databases (%1): filled = applied, outlined = pending, "
                          "framed = recorded there, yellow = drift (click it for the differences).")
                           .arg(others.join(QStringLiteral(", ")));
            return tip;
        }
        if (role == Qt::DisplayRole)
            return otherDatabaseCount() > 0 ? tr("State: %1 | others").arg(Databases::shortName(m_databases->active()))
                                            : tr("State: %1").arg(Databases::shortName(m_databases->active()));
    }
    if (section == StateColumn) {
        switch (role) {
        case DatabasesRole: return QVariant::fromValue(databaseMarks(QString()));
        case DriftRole: return activeDifferences();
        case ActiveDatabaseRole: return m_databases ? m_databases->active() : QString();
        case ActiveDriftRole: return activeHasDrift();
        default: break;
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case GraphColumn: return tr("Revision");
    case StateColumn: return tr("State");
    case MessageColumn: return tr("Message");
    case DateColumn: return tr("Created");
    }
    return {};
}

} // namespace retort::ui
