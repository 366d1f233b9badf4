#pragma once

#include <QList>
#include <QStringView>

namespace retort::core {

// Where a migration's Python source carries SQL: the bodies of string literals passed to
// op.execute(...), sa.text(...), text(...) or <connection>.execute(...). Offsets are in
// UTF-16 code units of the text, bodies exclude quotes and prefixes.
struct SqlRegion
{
    qsizetype start = 0;
    qsizetype length = 0;
    int line = 0;   // 1-based line of the literal's opening quote
};

QList<SqlRegion> findSqlRegions(QStringView source);

} // namespace retort::core
