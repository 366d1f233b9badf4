#pragma once

#include "graph/revisionmap.h"
#include "python/source.h"
#include "result.h"

#include <QString>
#include <QStringList>

namespace retort::core {

// Rewrites a revision file's source so it revises `newParent` instead of `oldParent`: the
// down_revision value and the docstring's "Revises:" line change, nothing else. The result is
// read again (as `version` parses) and must name the new parent; otherwise the edit is
// refused with a reason.
Result<QString> reparentSource(const QString &source, const QString &path, const QString &oldParent,
                               const QString &newParent, python::PythonVersion version);

// Why `revision` must not be re-parented, or an empty string: a database whose heads already
// include it (or a descendant) recorded it on top of its old parent.
QString reparentRefusal(const RevisionMap &map, const QString &revision, const QString &databaseName,
                        const QStringList &databaseHeads);

} // namespace retort::core
