#pragma once

#include "db/sqlurl.h"
#include "project/scriptdirectory.h"
#include "result.h"

#include <QString>

namespace retort::core {

// MySQL and MariaDB commit every DDL statement as it runs (an implicit commit Alembic's
// transaction cannot undo), so a migration step that fails midway keeps the statements
// that ran before the failure while the version table still names the revision before it.
// PostgreSQL and SQLite roll the whole step back.
bool commitsDdlImmediately(const SqlUrl &url);
// "MySQL" or "MariaDB" (as the URL names it) for such a database, empty for the others.
QString ddlCommittingServer(const SqlUrl &url);

// What a failed step left on such a database, for the window to show.
struct FailedStepReport
{
    QString summary;     // one paragraph for people
    QStringList tables;  // the tables the step's operations name that the database has now
    QString leftovers;   // their \d text, psql's layout
};

// Reads the database after `revision`'s upgrade (or downgrade) failed. Blocking: call it
// off the GUI thread. An empty report (no summary) when the database rolls DDL back.
Result<FailedStepReport> failedStepReport(const Project &project, const QString &revision, bool upgrade, const QString &url,
                                          const QString &password = {});

} // namespace retort::core
