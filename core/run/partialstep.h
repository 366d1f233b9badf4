#pragma once

#include "db/sqlurl.h"
#include "project/scriptdirectory.h"
#include "result.h"
#include "run/alembicdriver.h"

#include <QString>

#include <optional>

namespace retort::core {

// What a database keeps of a migration step that failed (or was cancelled) midway, while
// the version table still names the revision before it:
// - PostgreSQL: nothing; DDL is transactional and Alembic rolls the step back.
// - MySQL and MariaDB commit every DDL statement as it runs (an implicit commit Alembic's
//   transaction cannot undo): the statements before the failure stay.
// - SQLite: Alembic's SQLite support has no transactional DDL, and pysqlite (Python's
//   sqlite3, legacy transaction control) opens a transaction only before a data change.
//   So the step's DDL before its first INSERT/UPDATE/DELETE is committed as it runs and
//   stays; from the first data change on, everything (DDL included) is rolled back.
//   Measured with Debian's Alembic 1.13 / SQLAlchemy 2.0 / Python 3.13: CREATE TABLE a;
//   INSERT INTO a; CREATE TABLE b; CREATE INDEX; failing UPDATE leaves table a, empty,
//   and no b, no index (tests/ui/tst_runcontroller.cpp keeps this true).
bool commitsDdlImmediately(const SqlUrl &url);
// "MySQL" or "MariaDB" (as the URL names it) for such a database, empty for the others.
QString ddlCommittingServer(const SqlUrl &url);
bool keepsDdlBeforeFirstDataChange(const SqlUrl &url);

// What a failed step left on such a database, for the window to show.
struct FailedStepReport
{
    QString summary;         // one paragraph for people
    QStringList kept;        // the statements of the step the database kept (when known)
    QStringList rolledBack;  // those it rolled back (when known)
    QStringList tables;      // the tables the kept statements (or the step's operations) name that the database has now
    QStringList dropped;     // tables a kept statement dropped that are gone now
    QString leftovers;       // the \d text of `tables`, psql's layout
    bool isEmpty() const { return summary.isEmpty(); }
};

// Reads the database after `revision`'s upgrade (or downgrade) failed. Blocking: call it
// off the GUI thread. `statements`: the failed step's statements as the driver saw them
// run (AlembicDriver's DriverOutcome::unfinishedStep), which say exactly what SQLite kept;
// without them the report names the tables the step's operations touch. An empty report
// (no summary) when the database rolls the whole step back.
Result<FailedStepReport> failedStepReport(const Project &project, const QString &revision, bool upgrade, const QString &url,
                                          const QString &password = {},
                                          const std::optional<QList<ExecutedStatement>> &statements = std::nullopt);

} // namespace retort::core
