#pragma once

#include <QString>
#include <QStringList>

namespace retort::core {

// A unified diff of two texts, line by line ("--- a", "+++ b", "@@" hunks with
// `context` lines around each change). Empty when the texts are equal.
QString unifiedDiff(const QString &before, const QString &after, const QString &beforeName,
                    const QString &afterName, int context = 3);

} // namespace retort::core
