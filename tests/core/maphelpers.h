#pragma once
// Builds revision maps from compact specs: "id:down1,down2[:labels[:depends]]", one per entry.
#include "graph/revisionmap.h"

#include <QStringList>

inline retort::core::RevisionMap mapFromSpec(const QStringList &spec)
{
    using namespace retort::core;
    QList<RevisionFile> files;
    int line = 1;
    for (const QString &entry : spec) {
        const QStringList parts = entry.split(QLatin1Char(':'));
        RevisionFile f;
        f.fileName = parts[0] + QStringLiteral("_x.py");
        f.path = QStringLiteral("/p/versions/") + f.fileName;
        f.hasRevision = true;
        f.revision = parts[0];
        f.revisionLine = line;
        f.hasDownRevision = true;
        f.downRevisionLine = line + 1;
        const QStringList downs = parts.value(1).split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (downs.size() == 1) {
            f.downRevision.kind = PyValue::Kind::String;
            f.downRevision.string = downs.first();
        } else if (downs.size() > 1) {
            f.downRevision.kind = PyValue::Kind::Sequence;
            f.downRevision.items = downs;
        }
        const QStringList labels = parts.value(2).split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (!labels.isEmpty()) {
            f.branchLabels.kind = PyValue::Kind::Sequence;
            f.branchLabels.items = labels;
            f.branchLabelsLine = line + 2;
        }
        const QStringList deps = parts.value(3).split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (!deps.isEmpty()) {
            f.dependsOn.kind = PyValue::Kind::Sequence;
            f.dependsOn.items = deps;
            f.dependsOnLine = line + 3;
        }
        f.longDoc = QStringLiteral("message of ") + parts[0];
        f.upgradeLine = line + 5;
        f.upgradeEndLine = line + 6;
        f.downgradeLine = line + 8;
        f.downgradeEndLine = line + 9;
        files.append(f);
    }
    return RevisionMap::build(files);
}

inline QStringList ids(const retort::core::RevisionMap &map, std::span<const int> revs)
{
    QStringList out;
    for (int r : revs)
        out.append(r >= 0 ? map.at(r).id : r == retort::core::RevisionMap::Base ? QStringLiteral("<base>") : QStringLiteral("<none>"));
    return out;
}
