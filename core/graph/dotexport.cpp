#include "dotexport.h"

namespace retort::core {

QString toDot(const RevisionMap &map)
{
    auto esc = [](QString s) {
        return s.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\"")).replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    };
    const std::vector<int> order = map.displayOrder();
    QString dot = QStringLiteral("digraph revisions {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];\n");
    for (int r : order) {
        const Revision &rev = map.at(r);
        QString label = esc(rev.id) + QStringLiteral("\\n") + esc(map.fileOf(r).doc());
        if (!rev.branchLabels.isEmpty())
            label += QStringLiteral("\\n(") + esc(rev.branchLabels.join(QStringLiteral(", "))) + QLatin1Char(')');
        QString attrs = QStringLiteral("label=\"%1\"").arg(label);
        if (rev.isHead())
            attrs += QStringLiteral(", style=bold");
        dot += QStringLiteral("  \"%1\" [%2];\n").arg(esc(rev.id), attrs);
    }
    for (int r : order) {
        const Revision &rev = map.at(r);
        for (int d : rev.down)
            dot += QStringLiteral("  \"%1\" -> \"%2\";\n").arg(esc(map.at(d).id), esc(rev.id));
        for (int d : rev.resolvedDeps)
            dot += QStringLiteral("  \"%1\" -> \"%2\" [style=dashed];\n").arg(esc(map.at(d).id), esc(rev.id));
    }
    dot += QStringLiteral("}\n");
    return dot;
}

} // namespace retort::core
