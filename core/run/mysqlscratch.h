#pragma once

#include "db/sqlurl.h"
#include "result.h"

#include <QString>

#include <functional>

namespace retort::core {

// A scratch database for a run that must not touch the project's own: created on the
// same MySQL/MariaDB server as `base`, with the base database's character set and
// collation, and dropped again by `drop` (safe to call more than once).
struct MysqlScratch
{
    QString url;          // the SQLAlchemy URL Alembic is given, password included
    QString description;  // for people: names the database, password masked
    std::function<void()> drop;
};

// `baseText` is the URL as written (the password in it is kept for Alembic); `purpose`
// names the database ("retort_drift_123456789").
Result<MysqlScratch> createMysqlScratchDatabase(const SqlUrl &base, const QString &baseText, const QString &workingDir,
                                                const QString &purpose);

} // namespace retort::core
