#include "structure.h"

#include "lint/lints.h"

namespace retort::core {

QList<Diagnostic> structuralProblems(const Project &project)
{
    QList<Diagnostic> problems = project.warnings;
    const RevisionMap &map = project.map;
    problems += map.diagnostics();
    if (!map.isValid())
        return problems;
    if (map.heads().size() > 1 && !disabledRules(project.config).contains(QStringLiteral("multiple-heads"))) {
        QStringList ids;
        for (int h : map.heads())
            ids.append(map.at(h).id);
        problems.append({Diagnostic::Severity::Warning, QStringLiteral("multiple-heads"),
                         QStringLiteral("%1 heads: %2. Merge them with `alembic merge heads`.")
                             .arg(ids.size())
                             .arg(ids.join(QStringLiteral(", "))),
                         {}, 0, {}});
    }
    return problems;
}

} // namespace retort::core
