#pragma once

#include "project/scriptdirectory.h"
#include "run/alembiclocator.h"

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
    QString diff;         // unified diff of the schema (\d text) before upgrade vs after downgrade
    QString log;          // Alembic's output for this revision's three runs
};

// Runs the round trip the migration guide asks for, for every revision in order, on a
// scratch database (a new SQLite file, or a PostgreSQL database created and dropped on the
// project's server): upgrade one step, snapshot the schema (psql \d text), downgrade that
// step, compare with the snapshot from before, upgrade again. Blocking: run it off the GUI
// thread. The scratch database is always removed.
class Stairway
{
public:
    using Progress = std::function<void(int done, int total, const QString &revision)>;

    Stairway(const Project &project, AlembicCommand alembic);
    // Overrides the database to derive the scratch one from (default: sqlalchemy.url).
    void setBaseUrl(const QString &url) { m_baseUrl = url; }
    void setProgress(Progress p) { m_progress = std::move(p); }
    void setCancelFlag(const std::atomic<bool> *flag) { m_cancel = flag; }

    Result<QList<StairwayStep>> run();
    QString scratchDescription() const { return m_scratchDescription; }

private:
    struct Scratch;
    Result<QString> snapshot(const QString &url);

    const Project &m_project;
    AlembicCommand m_alembic;
    QString m_baseUrl;
    Progress m_progress;
    const std::atomic<bool> *m_cancel = nullptr;
    QString m_scratchDescription;
};

} // namespace retort::core
