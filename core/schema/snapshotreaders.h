#pragma once
// The dialect readers behind SchemaSnapshot::read (private to core/schema).

#include "schema/schemasnapshot.h"

#include <QSqlDatabase>

namespace retort::core {

Result<SchemaSnapshot> readSqliteSnapshot(const QSqlDatabase &db, const SchemaSnapshot::ReadOptions &options);
Result<SchemaSnapshot> readPgSnapshot(const QSqlDatabase &db, const SchemaSnapshot::ReadOptions &options);

// Runs one read-only query; every row as a list of values.
Result<QList<QVariantList>> snapshotQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &params = {});

} // namespace retort::core
