#include "structure.h"

namespace retort::core {

QList<Diagnostic> structuralProblems(const Project &project)
{
    QList<Diagnostic> problems = project.warnings;
    const RevisionMap &map = project.map;
    problems += map.diagnostics();
    if (!map.isValid())
        return problems;
    if (map.heads().size() > 1) {
        QStringList ids;
        for (int h : map.heads())
            ids.append(map.at(h).id);
        problems.append({Diagnostic::Severity::Warning, QStringLiteral("multiple-heads"),
                         QStringLiteral("%1 heads: %2. Merge them with `alembic merge heads`.")
                             .arg(ids.size())
                             .arg(ids.join(QStringLiteral(", "))),
                         {}, 0, {}});
    }
    for (int i = 0; i < map.size(); ++i) {
        const RevisionFile &f = map.fileOf(i);
        if (f.downgradeLine > 0 && f.downgradeEmpty && !(f.upgradeLine > 0 && f.upgradeEmpty)) {
            problems.append({Diagnostic::Severity::Warning, QStringLiteral("empty-downgrade"),
                             QStringLiteral("downgrade() of %1 does nothing while upgrade() changes the database: "
                                            "this revision cannot be undone.")
                                 .arg(map.at(i).id),
                             f.path, f.downgradeLine, map.at(i).id});
        }
    }
    return problems;
}

} // namespace retort::core
