#pragma once

#include "graph/revisionmap.h"

#include <QList>
#include <QPair>
#include <QStringList>

namespace retort::core {

// What `alembic stamp TARGET` does to the version table, row by row, and the rows it
// leaves. Computed the way Alembic does it (ScriptDirectory._stamp_revs, then
// HeadMaintainer.update_to_step per StampStep), so a confirmation can show the exact
// result: stamping one branch of a database at two heads leaves two rows.
struct StampResult
{
    QStringList rows;                          // the version table afterwards, in Alembic's order
    QStringList inserted;
    QStringList deleted;
    QList<QPair<QString, QString>> updated;    // from -> to
    bool changes() const { return !inserted.isEmpty() || !deleted.isEmpty() || !updated.isEmpty(); }
};

// `currentHeads` is the version table now. `purge` is `stamp --purge` (the table is
// emptied first). Errors are Alembic's (a target that names nothing, several heads).
// Pure; any thread.
Result<StampResult> stampResult(const RevisionMap &map, const QString &target, const QStringList &currentHeads,
                                bool purge = false);

} // namespace retort::core
