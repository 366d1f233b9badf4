#pragma once

#include "graph/revisionmap.h"

#include <QJsonObject>
#include <QString>

namespace retort::core {

// Alembic's Script text renderings (alembic/script/base.py), byte for byte.
struct FormatOptions
{
    bool verbose = false;
    bool includeBranches = false;
    bool includeDoc = false;
    bool includeParents = false;
    bool treeIndicators = true;
    bool current = false;   // _db_current_indicator
};

QString formatDownRevision(const Revision &r);
QString sortedLabels(const Revision &r);                 // ", "-joined, sorted
QStringList nextRevisionIds(const RevisionMap &map, int rev); // nextrev, sorted           // _format_down_revision
QString headOnly(const RevisionMap &map, int rev, const FormatOptions &o);
QString logEntry(const RevisionMap &map, int rev, bool current = false);
QString cmdFormat(const RevisionMap &map, int rev, const FormatOptions &o);

// A revision as a JSON object for `--json` output.
QJsonObject revisionJson(const RevisionMap &map, int rev);

} // namespace retort::core
