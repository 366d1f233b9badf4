#include "lanes.h"

#include <QHash>

#include <algorithm>

namespace retort::core {

namespace {

struct Slot
{
    int waitFor = -1;
    bool dashed = false;
    qint16 color = 0;
};

int findSlot(const std::vector<Slot> &lanes, int rev, int skip = -1)
{
    for (size_t i = 0; i < lanes.size(); ++i)
        if (lanes[i].waitFor == rev && int(i) != skip)
            return int(i);
    return -1;
}

int firstFree(std::vector<Slot> &lanes, int avoid = -1)
{
    for (size_t i = 0; i < lanes.size(); ++i)
        if (lanes[i].waitFor < 0 && int(i) != avoid)
            return int(i);
    lanes.push_back({});
    return int(lanes.size() - 1);
}

// Colours that survive reloads: a colour numbered by order of appearance would shift for
// everything below a new revision or branch. Instead each revision belongs to a first-parent
// chain — it continues its first parent's chain when it is that parent's oldest child
// (create date, then id), else it starts one — and the chain is named by its oldest
// revision, which new work on top never changes.
std::vector<int> chainRoots(const RevisionMap &map, const std::vector<int> &order)
{
    std::vector<int> root(size_t(map.size()), -1);
    std::vector<int> chainChild(size_t(map.size()), -1);
    auto older = [&map](int a, int b) {
        const QString da = map.fileOf(a).createDate(), db = map.fileOf(b).createDate();
        return da != db ? da < db : map.at(a).id < map.at(b).id;
    };
    for (int r = 0; r < map.size(); ++r) {
        const Revision &rev = map.at(r);
        if (rev.down.empty())
            continue;
        int &child = chainChild[size_t(rev.down.front())];
        if (child < 0 || older(r, child))
            child = r;
    }
    // Parents before children: the display order reversed.
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const int r = *it;
        const Revision &rev = map.at(r);
        const int parent = rev.down.empty() ? -1 : rev.down.front();
        root[size_t(r)] = parent >= 0 && chainChild[size_t(parent)] == r && root[size_t(parent)] >= 0 ? root[size_t(parent)] : r;
    }
    return root;
}

} // namespace

std::vector<LaneRow> computeLanes(const RevisionMap &map, const std::vector<int> &order)
{
    std::vector<LaneRow> rows;
    rows.reserve(order.size());
    std::vector<Slot> lanes;
    const std::vector<int> roots = chainRoots(map, order);
    auto colourOf = [&](int rev) {
        const int root = roots[size_t(rev)] >= 0 ? roots[size_t(rev)] : rev;
        return qint16(qHash(map.at(root).id) & 0x7fff);
    };
    for (int rev : order) {
        LaneRow row;
        row.revision = rev;
        const std::vector<Slot> before = lanes;

        int col = findSlot(lanes, rev);
        if (col < 0) {
            col = firstFree(lanes);
            lanes[size_t(col)] = {rev, false, colourOf(rev)};
        }
        row.column = col;
        row.color = colourOf(rev);

        for (size_t i = 0; i < before.size(); ++i) {
            const Slot &s = before[i];
            if (s.waitFor < 0)
                continue;
            if (s.waitFor == rev)
                row.segments.push_back({LaneSegment::Kind::IntoNode, qint16(i), qint16(col), s.dashed, s.color});
            else
                row.segments.push_back({LaneSegment::Kind::Through, qint16(i), qint16(i), s.dashed, s.color});
        }
        for (Slot &s : lanes)
            if (s.waitFor == rev)
                s = {};

        // Parents: versioned down revisions, then depends_on (dashed).
        const Revision &r = map.at(rev);
        std::vector<std::pair<int, bool>> parents;
        for (int d : r.down)
            parents.emplace_back(d, false);
        for (int d : r.normalizedDeps)
            if (std::find(r.down.begin(), r.down.end(), d) == r.down.end())
                parents.emplace_back(d, true);

        bool first = true;
        for (const auto &[parent, dashed] : parents) {
            // The first parent's edge has this revision's colour; a merge's other parents
            // (and depends_on) have the parent's.
            const qint16 edgeColour = first ? row.color : colourOf(parent);
            int target = findSlot(lanes, parent);
            if (target < 0) {
                if (first && lanes[size_t(col)].waitFor < 0) {
                    target = col;
                    lanes[size_t(col)] = {parent, dashed, edgeColour};
                } else {
                    target = firstFree(lanes, col);
                    lanes[size_t(target)] = {parent, dashed, edgeColour};
                }
            } else {
                if (!dashed && lanes[size_t(target)].dashed)
                    lanes[size_t(target)].dashed = false; // a solid edge wins the shared lane
                // The parent's own chain takes over the shared lane from here down.
                if (first && !dashed && roots[size_t(rev)] == roots[size_t(parent)])
                    lanes[size_t(target)].color = edgeColour;
            }
            row.segments.push_back({LaneSegment::Kind::OutOfNode, qint16(col), qint16(target), dashed,
                                    target == col ? row.color : lanes[size_t(target)].color});
            first = false;
        }
        while (!lanes.empty() && lanes.back().waitFor < 0)
            lanes.pop_back();
        row.width = int(std::max(before.size(), lanes.size()));
        row.width = std::max(row.width, col + 1);
        rows.push_back(std::move(row));
    }
    return rows;
}

QString renderAsciiGraph(const RevisionMap &map, const std::vector<LaneRow> &rows,
                         const std::function<QString(int)> &label)
{
    Q_UNUSED(map);
    QString out;
    auto trimRight = [](QString s) {
        while (s.endsWith(QLatin1Char(' ')))
            s.chop(1);
        return s;
    };
    for (const LaneRow &row : rows) {
        const int width = row.width;
        // Connector above the node: lanes converging into it.
        QString join(width * 2, QLatin1Char(' '));
        bool needJoin = false;
        for (const LaneSegment &s : row.segments) {
            if (s.kind == LaneSegment::Kind::Through)
                join[s.fromColumn * 2] = QLatin1Char('|');
            if (s.kind == LaneSegment::Kind::IntoNode) {
                if (s.fromColumn == s.toColumn) {
                    join[s.fromColumn * 2] = QLatin1Char('|');
                } else {
                    needJoin = true;
                    const int a = std::min<int>(s.fromColumn, s.toColumn), b = std::max<int>(s.fromColumn, s.toColumn);
                    join[s.fromColumn > s.toColumn ? s.fromColumn * 2 - 1 : s.fromColumn * 2 + 1] =
                        s.fromColumn > s.toColumn ? QLatin1Char('/') : QLatin1Char('\\');
                    for (int c = a * 2 + 2; c < b * 2 - 1; ++c)
                        if (join[c] == QLatin1Char(' '))
                            join[c] = QLatin1Char('_');
                }
            }
        }
        if (needJoin)
            out += trimRight(join) + QLatin1Char('\n');

        QString line(width * 2, QLatin1Char(' '));
        for (const LaneSegment &s : row.segments)
            if (s.kind == LaneSegment::Kind::Through)
                line[s.fromColumn * 2] = QLatin1Char('|');
        line[row.column * 2] = QLatin1Char('*');
        out += trimRight(line) + label(row.revision) + QLatin1Char('\n');

        // Connector below: lanes leaving for down revisions in other columns.
        QString split(width * 2, QLatin1Char(' '));
        bool needSplit = false;
        for (const LaneSegment &s : row.segments) {
            if (s.kind == LaneSegment::Kind::Through)
                split[s.toColumn * 2] = QLatin1Char('|');
            if (s.kind == LaneSegment::Kind::OutOfNode) {
                if (s.toColumn == s.fromColumn) {
                    split[s.toColumn * 2] = s.dashed ? QLatin1Char(':') : QLatin1Char('|');
                } else {
                    needSplit = true;
                    const int a = std::min<int>(s.fromColumn, s.toColumn), b = std::max<int>(s.fromColumn, s.toColumn);
                    const QChar glyph = s.toColumn > s.fromColumn ? QLatin1Char('\\') : QLatin1Char('/');
                    split[s.toColumn > s.fromColumn ? s.toColumn * 2 - 1 : s.toColumn * 2 + 1] =
                        s.dashed ? QLatin1Char('.') : glyph;
                    for (int c = a * 2 + 2; c < b * 2 - 1; ++c)
                        if (split[c] == QLatin1Char(' '))
                            split[c] = s.dashed ? QLatin1Char('.') : QLatin1Char('-');
                }
            }
        }
        if (needSplit)
            out += trimRight(split) + QLatin1Char('\n');
    }
    return out;
}

} // namespace retort::core
