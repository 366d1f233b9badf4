#pragma once

#include <QString>
#include <QStringList>

namespace retort::core {

// psql's patternToSQLRegex: a \d pattern ("public.emp*", "\"Mixed\".x?") split on unquoted dots
// into at most `maxParts` anchored POSIX regexes ("^(...)$"), the name last. Unquoted letters
// fold to lower case, `*` and `?` are wildcards, quoted text is literal.
struct PatternParts
{
    QStringList parts;
    QString dbLiteral; // the first part as written, for psql's cross-database check
    int dots = 0;
};

PatternParts patternToRegex(const QString &pattern, int maxParts);

} // namespace retort::core
