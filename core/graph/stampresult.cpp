#include "stampresult.h"

#include <QSet>

#include <algorithm>

namespace retort::core {

namespace {

// RevisionMap.filter_for_lineage's `shares`: the revisions a target names for the check
// (its branch label's revision and its ids); empty means "everything shares".
Result<std::vector<int>> lineageShares(const RevisionMap &map, const QString &target)
{
    std::vector<int> shares;
    QString idPart = target;
    if (const qsizetype at = target.indexOf(QLatin1Char('@')); at >= 0) {
        const QString label = target.left(at);
        idPart = target.mid(at + 1);
        auto labelRev = map.resolveOne(label);
        if (!labelRev)
            return labelRev.error();
        if (*labelRev >= 0)
            shares.push_back(*labelRev);
        if (idPart == QLatin1String("base"))
            return shares;
        if (idPart != QLatin1String("heads") && idPart != QLatin1String("head")) {
            auto ids = map.resolve(idPart);
            if (!ids)
                return ids.error();
            for (int i : *ids)
                if (i >= 0)
                    shares.push_back(i);
            return shares;
        }
    } else if (target == QLatin1String("base") || target.isEmpty()) {
        return shares;
    }
    auto ids = map.resolve(target);
    if (!ids)
        return ids.error();
    for (int i : *ids)
        if (i >= 0)
            shares.push_back(i);
    return shares;
}

} // namespace

Result<StampResult> stampResult(const RevisionMap &map, const QString &target, const QStringList &currentHeads, bool purge)
{
    StampResult out;
    // The heads as Alembic's HeadMaintainer holds them (a set; rows keep table order here).
    QStringList heads = purge ? QStringList() : currentHeads;
    if (purge)
        out.deleted = currentHeads;

    std::vector<int> headRevs;
    for (const QString &h : std::as_const(heads)) {
        const int i = map.indexOf(h);
        if (i < 0)
            return makeError(Error::Code::Resolution,
                             QStringLiteral("The version table names %1, which no revision file defines; stamp with --purge "
                                            "to replace it.")
                                 .arg(h));
        headRevs.push_back(i);
    }
    const QString revision = target.isEmpty() ? QStringLiteral("base") : target;

    // filtered_heads: the current heads that share lineage with the target.
    auto shares = lineageShares(map, revision);
    if (!shares)
        return shares.error();
    std::vector<int> filtered;
    for (int h : headRevs) {
        bool share = shares->empty();
        if (!share) {
            const auto up = map.ancestors(h, true);
            const auto down = map.descendants(h, true);
            for (int s : *shares)
                share = share || std::find(up.begin(), up.end(), s) != up.end() || std::find(down.begin(), down.end(), s) != down.end();
        }
        if (share && std::find(filtered.begin(), filtered.end(), h) == filtered.end())
            filtered.push_back(h);
    }

    auto destsResult = revision == QLatin1String("base") ? Result<std::vector<int>>(std::vector<int>{}) : map.resolve(revision);
    if (!destsResult)
        return destsResult.error();
    std::vector<int> dests;
    for (int d : *destsResult)
        dests.push_back(d >= 0 ? d : RevisionMap::None);
    if (dests.empty())
        dests.push_back(RevisionMap::None);

    auto remove = [&](const QString &id) -> bool {
        if (!heads.removeOne(id))
            return false;
        out.deleted.append(id);
        return true;
    };
    auto update = [&](const QString &from, const QString &to) -> bool {
        const qsizetype i = heads.indexOf(from);
        if (i < 0 || heads.contains(to))
            return false;
        heads[i] = to;
        out.updated.append({from, to});
        return true;
    };
    auto insert = [&](const QString &id) {
        heads.append(id);
        out.inserted.append(id);
    };
    auto inconsistent = [&]() {
        return makeError(Error::Code::Range,
                         QStringLiteral("Stamping %1 from %2 would not leave a consistent version table.")
                             .arg(revision, currentHeads.isEmpty() ? QStringLiteral("base") : currentHeads.join(QStringLiteral(", "))));
    };

    QStringList filteredIds;
    for (int h : filtered)
        filteredIds.append(map.at(h).id);

    for (int dest : dests) {
        if (dest == RevisionMap::None) {
            // To base: a "delete branch" step for every head of the lineage.
            for (const QString &h : std::as_const(filteredIds))
                if (!remove(h))
                    return inconsistent();
            continue;
        }
        if (std::find(filtered.begin(), filtered.end(), dest) != filtered.end())
            continue; // already in the version table
        const auto below = map.ancestors(dest, true);
        const auto above = map.descendants(dest, true);
        auto meets = [&](const std::vector<int> &nodes) {
            return std::any_of(filtered.begin(), filtered.end(),
                               [&](int h) { return std::find(nodes.begin(), nodes.end(), h) != nodes.end(); });
        };
        const QString to = map.at(dest).id;
        const bool downgrade = meets(above);
        const bool upgrade = !downgrade && meets(below);
        if (downgrade || upgrade) {
            // One step from every lineage head to the target: a merge deletes all but the
            // last and updates that one (HeadMaintainer.update_to_step).
            const bool create = upgrade && !std::all_of(filteredIds.cbegin(), filteredIds.cend(),
                                                        [&](const QString &f) { return heads.contains(f); })
                                && !heads.contains(to);
            if (create) {
                insert(to);
                continue;
            }
            for (qsizetype i = 0; i + 1 < filteredIds.size(); ++i)
                if (!remove(filteredIds[i]))
                    return inconsistent();
            if (!update(filteredIds.last(), to))
                return inconsistent();
            continue;
        }
        // A branch the table does not have yet: a new row.
        if (!heads.contains(to))
            insert(to);
    }
    out.rows = heads;
    return out;
}

} // namespace retort::core
