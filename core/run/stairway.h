#pragma once

#include "project/scriptdirectory.h"
#include "run/alembiclocator.h"
#include "schema/schemasnapshot.h"

#include <QList>
#include <QString>

#include <atomic>
#include <functional>

namespace retort::core {

// The result for one revision of a stairway test.
struct StairwayStep
{
    enum class Status { Passed, Failed, Skipped };
    QString revision;
    QString message;      // the revision's message
    Status status = Status::Skipped;
    QString reason;       // why it failed or was skipped
    QList<SchemaChange> changes; // what the downgrade left different from before the upgrade
    QString diff;         // the same, one change per line ("+ column employees.nickname VARCHAR(40)")
    QString log;          // Alembic's output for this revision's steps
    qint64 elapsedMs = 0;
};

// Runs the round trip the migration guide asks for, for every revision in order, on a
// scratch database (a new SQLite file, or a PostgreSQL database created and dropped on the
// project's server): upgrade one step, snapshot the schema, downgrade that step, compare
// with the snapshot from before, upgrade again and compare with the first upgrade. Every
// step goes through the project's own Alembic, driven by one long-lived AlembicDriver.
// Blocking: run it off the GUI thread. The scratch database is always removed.
class Stairway
{
public:
    using Progress = std::function<void(int done, int total, const QString &revision)>;

    Stairway(const Project &project, AlembicCommand alembic);
    // Overrides the database to derive the scratch one from (default: sqlalchemy.url).
    void setBaseUrl(const QString &url) { m_baseUrl = url; }
    // The user's -x key=value arguments, for env.py (context.get_x_argument).
    void setXArguments(const QStringList &args) { m_xArgs = args; }
    void setProgress(Progress p) { m_progress = std::move(p); }
    void setCancelFlag(const std::atomic<bool> *flag) { m_cancel = flag; }

    Result<QList<StairwayStep>> run();
    QString scratchDescription() const { return m_scratchDescription; }
    // How many times the driver had to be started again after dying.
    int driverRestarts() const { return m_restarts; }

private:
    const Project &m_project;
    AlembicCommand m_alembic;
    QString m_baseUrl;
    QStringList m_xArgs;
    Progress m_progress;
    const std::atomic<bool> *m_cancel = nullptr;
    QString m_scratchDescription;
    int m_restarts = 0;
};

} // namespace retort::core
