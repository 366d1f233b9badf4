#pragma once

#include "db/sqlurl.h"
#include "result.h"

#include <QString>
#include <QStringList>

namespace retort::core {

// Where the database stands: the rows of its version table.
struct DatabasePosition
{
    bool databaseExists = true;   // false: a SQLite file that is not there yet
    bool tableExists = false;
    QStringList heads;            // version_num values, in table order
};

// Reads Alembic's version table through Qt Sql, read-only. Safe to call from any thread
// (each call opens and closes its own connection).
class VersionTable
{
public:
    struct Options
    {
        QString url;              // SQLAlchemy URL
        QString workingDir;       // relative SQLite paths resolve here
        QString table = QStringLiteral("alembic_version");
        QString schema;
        QString password;         // overrides the URL's password when set
        int connectTimeoutSeconds = 5;
    };
    static Result<DatabasePosition> read(const Options &options);
};

} // namespace retort::core
