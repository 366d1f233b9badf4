#pragma once

#include "graph/revisionmap.h"

#include <QString>

namespace retort::core {

// The revision graph as Graphviz DOT: bases at the bottom, depends_on dashed, heads bold.
QString toDot(const RevisionMap &map);

} // namespace retort::core
