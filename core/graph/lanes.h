#pragma once

#include "graph/revisionmap.h"

#include <QString>

#include <functional>

#include <vector>

namespace retort::core {

// One stroke of a graph row. Columns are lane indices; a row is painted in three
// heights: top (where lanes enter), middle (the node), bottom (where lanes leave).
struct LaneSegment
{
    enum class Kind : quint8 {
        Through,   // top of fromColumn straight down to bottom of toColumn
        IntoNode,  // top of fromColumn into the node (a child above)
        OutOfNode, // node down to bottom of toColumn (a down revision below)
    };
    Kind kind = Kind::Through;
    qint16 fromColumn = 0;
    qint16 toColumn = 0;
    bool dashed = false;   // a depends_on edge
    qint16 color = 0;      // lane colour index
};

struct LaneRow
{
    int revision = -1;
    int column = 0;        // the node's lane
    int width = 0;         // lanes used by this row (max of top and bottom)
    qint16 color = 0;      // the node's lane colour
    std::vector<LaneSegment> segments;
};

// Lanes for a list of revisions in display order (newest first, every revision before
// its down revisions), like a git history graph. Pure function; cost rows x lanes.
std::vector<LaneRow> computeLanes(const RevisionMap &map, const std::vector<int> &order);

// `git log --graph`-style text: one line per revision (prefixed by its lanes), with
// connector lines where lanes branch or merge. `label(rev)` gives the text after the lanes.
QString renderAsciiGraph(const RevisionMap &map, const std::vector<LaneRow> &rows,
                         const std::function<QString(int)> &label);

} // namespace retort::core
