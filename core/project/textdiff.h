#pragma once

#include <QString>
#include <QStringList>

namespace retort::core {

// A unified diff of two texts, line by line, as `diff -u` prints it: "--- a", "+++ b", then
// "@@" hunks with `context` lines around each change, a change's removed lines before its
// added ones, and "\ No newline at end of file" under a last line without one.
// Empty when the texts are equal.
QString unifiedDiff(const QString &before, const QString &after, const QString &beforeName,
                    const QString &afterName, int context = 3);

} // namespace retort::core
