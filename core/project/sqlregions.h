#pragma once

#include "python/source.h"

#include <QList>
#include <QString>
#include <QStringView>

#include <vector>

namespace retort::core {

namespace python {
class SyntaxTree;
}

// Where a migration's Python source carries SQL: the bodies of str literals passed first to
// op.execute(...), sa.text(...), text(...) or <connection>.execute(...). Offsets are in
// UTF-16 code units of the text, bodies exclude quotes and prefixes.
struct SqlRegion
{
    qsizetype start = 0;
    qsizetype length = 0;
    int line = 0;   // 1-based line of the literal's opening quote
};

// For the editor: parses `source` as `version` does (a file being edited may not parse; then
// the tokens up to the first error are used).
QList<SqlRegion> findSqlRegions(QStringView source, python::PythonVersion version);

// The same from a parsed file, within the subtree at `within` (-1: the whole module).
// Offsets are bytes of tree.text().
struct SqlLiteral
{
    uint32_t start = 0;
    uint32_t length = 0;
    int line = 0;
    QString text() const;
    QString sql;     // the literal's body as written (escapes not applied)
};
std::vector<SqlLiteral> findSqlLiterals(const python::SyntaxTree &tree, int within = -1);

// Whether a callee (dotted, last part with what comes before it) takes SQL.
bool takesSql(QStringView dotted);

} // namespace retort::core
