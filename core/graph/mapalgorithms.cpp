#include "mapalgorithms.h"

#include <QRegularExpression>

#include <algorithm>
#include <limits>

namespace retort::core {

namespace {

void appendUnique(std::vector<int> &v, int x)
{
    if (std::find(v.begin(), v.end(), x) == v.end())
        v.push_back(x);
}

bool contains(const std::vector<int> &v, int x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

// Alembic's _relative_destination = r"(?:(.+?)@)?(\w+)?((?:\+|-)\d+)", used with re.match.
struct RelativeMatch
{
    std::optional<QString> branch;
    std::optional<QString> symbol;
    QString relative;  // as written: "+2", "-007"
    QString magnitude; // Python's abs(int(relative)): digits without leading zeros
    bool negative = false;
    // int(relative), clamped to +-INT_MAX. Python's int has no bound, but a walk stops at the
    // first step that finds nothing, so no walk takes more steps than the map has revisions
    // plus two: any count beyond that walks exactly like the count as written.
    int steps = 0;

    // str(int(relative)): how Alembic prints the number when it formats the int itself.
    QString pyInt() const { return negative ? QLatin1Char('-') + magnitude : magnitude; }
};

std::optional<RelativeMatch> matchRelative(const QString &target)
{
    static const QRegularExpression re(QStringLiteral("(?:(.+?)@)?(\\w+)?((?:\\+|-)\\d+)"),
                                       QRegularExpression::UseUnicodePropertiesOption);
    const auto mt = re.match(target, 0, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
    if (!mt.hasMatch())
        return std::nullopt;
    RelativeMatch r;
    if (mt.capturedStart(1) >= 0)
        r.branch = mt.captured(1);
    if (mt.capturedStart(2) >= 0)
        r.symbol = mt.captured(2);
    r.relative = mt.captured(3);
    // \d, like Python's, matches any Unicode decimal digit; int() reads each by its value.
    long long magnitude = 0;
    for (qsizetype i = 1; i < r.relative.size(); ++i) {
        const int d = r.relative.at(i).digitValue();
        if (r.magnitude.isEmpty() && d == 0)
            continue;
        r.magnitude += QChar(u'0' + d);
        magnitude = std::min<long long>(magnitude * 10 + d, std::numeric_limits<int>::max());
    }
    if (r.magnitude.isEmpty())
        r.magnitude = QStringLiteral("0");
    r.negative = r.relative.startsWith(QLatin1Char('-')) && magnitude != 0;
    r.steps = int(r.negative ? -magnitude : magnitude);
    return r;
}

QString pyTupleRepr(const QStringList &items)
{
    QStringList quoted;
    for (const QString &s : items)
        quoted.append(QLatin1Char('\'') + s + QLatin1Char('\''));
    if (items.size() == 1)
        return QLatin1Char('(') + quoted.first() + QStringLiteral(",)");
    return QLatin1Char('(') + quoted.join(QStringLiteral(", ")) + QLatin1Char(')');
}

} // namespace

std::optional<long long> pyInt(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^\\s*[+-]?\\d+(?:_\\d+)*\\s*$"));
    if (!re.match(s).hasMatch())
        return std::nullopt;
    QString t = s.trimmed();
    t.remove(QLatin1Char('_'));
    bool ok = false;
    const long long v = t.toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    return v;
}

QString Ident::repr() const
{
    switch (kind) {
    case Kind::None: return QStringLiteral("None");
    case Kind::String: return string;
    case Kind::Tuple: return pyTupleRepr(items);
    }
    return {};
}

void MapAlgorithms::fail(RevisionMapError::Kind kind, const QString &message, const QString &argument)
{
    RevisionMapError e;
    e.kind = kind;
    e.message = message;
    e.argument = argument;
    throw e;
}

void MapAlgorithms::crash(const QString &exception, const QString &message)
{
    RevisionMapError e;
    e.message = message;
    e.exception = exception;
    throw e;
}

// ---------------------------------------------------------------------------
// Lookups

std::optional<int> MapAlgorithms::currentHead(const std::optional<QString> &branchLabel) const
{
    std::vector<int> current = m.m_heads;
    if (branchLabel && !branchLabel->isEmpty())
        current = filterForLineage(current, *branchLabel);
    if (current.size() > 1) {
        RevisionMapError e;
        e.kind = RevisionMapError::Kind::MultipleHeads;
        for (int h : current)
            e.heads.append(m.at(h).id);
        e.argument = branchLabel && !branchLabel->isEmpty() ? *branchLabel + QStringLiteral("@head")
                                                            : QStringLiteral("head");
        e.message = QStringLiteral("Multiple heads are present for given argument '%1'; %2")
                        .arg(e.argument, e.heads.join(QStringLiteral(", ")));
        throw e;
    }
    if (current.empty())
        return std::nullopt;
    return current.front();
}

std::pair<QStringList, std::optional<QString>> MapAlgorithms::resolveRevisionNumber(const Ident &idIn) const
{
    Ident id = idIn;
    std::optional<QString> branchLabel;
    if (id.kind == Ident::Kind::String && id.string.contains(QLatin1Char('@'))) {
        const qsizetype at = id.string.indexOf(QLatin1Char('@'));
        branchLabel = id.string.left(at);
        id.string = id.string.mid(at + 1);
    }
    if (id.kind == Ident::Kind::String && id.string == QLatin1String("heads")) {
        if (branchLabel && !branchLabel->isEmpty()) {
            QStringList ids;
            for (int h : filterForLineage(m.m_heads, *branchLabel))
                ids.append(m.at(h).id);
            return {ids, branchLabel};
        }
        QStringList ids;
        for (int h : m.m_realHeads)
            ids.append(m.at(h).id);
        return {ids, branchLabel};
    }
    if (id.kind == Ident::Kind::String && id.string == QLatin1String("head")) {
        const std::optional<int> head = currentHead(branchLabel);
        if (head)
            return {QStringList{m.at(*head).id}, branchLabel};
        return {QStringList{}, branchLabel};
    }
    if (id.kind == Ident::Kind::None || (id.kind == Ident::Kind::String && id.string == QLatin1String("base")))
        return {QStringList{}, branchLabel};
    if (id.kind == Ident::Kind::String)
        return {QStringList{id.string}, branchLabel};
    return {id.items, branchLabel};
}

int MapAlgorithms::resolveBranch(const QString &label) const
{
    if (const int l = m.labelTarget(label); l != RevisionMap::None)
        return l;
    if (const int r = m.indexOf(label); r != RevisionMap::None)
        return r;
    try {
        return revisionForIdent(&label, std::nullopt);
    } catch (const RevisionMapError &e) {
        if (e.kind != RevisionMapError::Kind::Resolution)
            throw;
        fail(RevisionMapError::Kind::Resolution, QStringLiteral("No such branch: '%1'").arg(label), label);
    }
}

int MapAlgorithms::revisionForIdent(const QString *resolvedId, const std::optional<QString> &checkBranch) const
{
    int branchRev = RevisionMap::None;
    const bool hasBranch = checkBranch && !checkBranch->isEmpty();
    if (hasBranch)
        branchRev = resolveBranch(*checkBranch);

    // resolvedId == nullptr stands for Python's () key, which maps to None.
    if (!resolvedId)
        return RevisionMap::None;

    int revision = m.indexOf(*resolvedId);
    if (revision == RevisionMap::None)
        revision = m.labelTarget(*resolvedId);
    // An empty id no file defines: Alembic's `assert resolved_id` before the partial lookup.
    if (revision == RevisionMap::None && resolvedId->isEmpty())
        crash(QStringLiteral("AssertionError"), QStringLiteral("an empty revision identifier names no revision"));
    if (revision == RevisionMap::None) {
        // Partial lookup over every key of Alembic's map: ids and branch labels alike.
        QStringList revs;
        for (const QString &key : m.m_keyOrder)
            if (key.size() > 3 && key.startsWith(*resolvedId))
                revs.append(key);
        if (branchRev != RevisionMap::None)
            revs = filterForLineage(revs, *checkBranch);
        if (revs.isEmpty()) {
            fail(RevisionMapError::Kind::Resolution,
                 QStringLiteral("No such revision or branch '%1'%2")
                     .arg(*resolvedId,
                          resolvedId->size() < 4 ? QStringLiteral("; please ensure at least four characters are "
                                                                  "present for partial revision identifier matches")
                                                 : QString()),
                 *resolvedId);
        }
        if (revs.size() > 1) {
            QStringList shown;
            for (qsizetype i = 0; i < std::min<qsizetype>(3, revs.size()); ++i)
                shown.append(QLatin1Char('\'') + revs[i] + QLatin1Char('\''));
            fail(RevisionMapError::Kind::Resolution,
                 QStringLiteral("Multiple revisions start with '%1': %2...").arg(*resolvedId, shown.join(QStringLiteral(", "))),
                 *resolvedId);
        }
        revision = m.indexOf(revs.first());
        if (revision == RevisionMap::None)
            revision = m.labelTarget(revs.first());
    }
    if (hasBranch && revision != RevisionMap::None) {
        if (!sharesLineage(revision, {branchRev}, false)) {
            fail(RevisionMapError::Kind::Resolution,
                 QStringLiteral("Revision %1 is not a member of branch '%2'").arg(m.at(revision).id, *checkBranch),
                 *resolvedId);
        }
    }
    return revision;
}

std::vector<int> MapAlgorithms::getRevisionsOf(const QStringList &ids) const
{
    std::vector<int> out;
    for (const QString &id : ids) {
        const std::vector<int> part = getRevisions(Ident::str(id));
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

std::vector<int> MapAlgorithms::getRevisions(const Ident &id) const
{
    if (id.kind == Ident::Kind::Tuple)
        return getRevisionsOf(id.items);
    const auto [resolved, branchLabel] = resolveRevisionNumber(id);
    if (resolved.size() == 1) {
        if (const std::optional<long long> rint = pyInt(resolved.first()); rint && *rint < 0) {
            std::vector<int> selectHeads = getRevisions(Ident::str(QStringLiteral("heads")));
            if (branchLabel) {
                std::vector<int> filtered;
                for (int h : selectHeads)
                    if (m.at(h).branchLabels.contains(*branchLabel))
                        filtered.push_back(h);
                selectHeads = filtered;
            }
            std::vector<int> out;
            for (int h : selectHeads)
                out.push_back(walk(h, int(*rint), std::nullopt, true));
            return out;
        }
    }
    std::vector<int> out;
    for (const QString &r : resolved)
        out.push_back(revisionForIdent(&r, branchLabel));
    return out;
}

int MapAlgorithms::getRevision(const Ident &id) const
{
    const auto [resolved, branchLabel] = resolveRevisionNumber(id);
    if (resolved.size() > 1) {
        RevisionMapError e;
        e.kind = RevisionMapError::Kind::MultipleHeads;
        e.heads = resolved;
        e.argument = id.repr();
        e.message = QStringLiteral("Multiple heads are present for given argument '%1'; %2")
                        .arg(e.argument, resolved.join(QStringLiteral(", ")));
        throw e;
    }
    if (resolved.isEmpty())
        return revisionForIdent(nullptr, branchLabel);
    return revisionForIdent(&resolved.first(), branchLabel);
}

// ---------------------------------------------------------------------------
// Lineage

std::vector<int> MapAlgorithms::related(Edge edge, const std::vector<int> &targets, bool check) const
{
    const size_t n = m.m_revs.size();
    std::vector<char> seen(n, 0);
    std::vector<int> out;
    std::vector<int> todo;
    for (int target : targets) {
        if (target < 0)
            crash(QStringLiteral("AssertionError"), QStringLiteral("Dependency resolution failed; broken map"));
        todo.push_back(target);
        std::vector<int> perTarget;
        while (!todo.empty()) {
            const int rev = todo.back();
            todo.pop_back();
            if (check)
                perTarget.push_back(rev);
            if (seen[size_t(rev)])
                continue;
            seen[size_t(rev)] = 1;
            const Revision &r = m.m_revs[size_t(rev)];
            const SmallInts *edges = nullptr;
            switch (edge) {
            case Edge::Versioned: edges = &r.down; break;
            case Edge::NormalizedDown: edges = &r.normalizedDown; break;
            case Edge::AllDown: edges = &r.allDown; break;
            case Edge::Next: edges = &r.next; break;
            case Edge::AllNext: edges = &r.allNext; break;
            }
            todo.insert(todo.end(), edges->begin(), edges->end());
            out.push_back(rev);
        }
        if (check) {
            QStringList overlaps;
            for (int t : targets)
                if (t != target && contains(perTarget, t) && !overlaps.contains(m.at(t).id))
                    overlaps.append(m.at(t).id);
            if (!overlaps.isEmpty()) {
                overlaps.sort(); // a Python set in Alembic: no stable order to follow
                fail(RevisionMapError::Kind::Revision,
                     QStringLiteral("Requested revision %1 overlaps with other requested revisions %2")
                         .arg(m.at(target).id, overlaps.join(QStringLiteral(", "))));
            }
        }
    }
    return out;
}

std::vector<int> MapAlgorithms::ancestorNodes(const std::vector<int> &targets, bool includeDependencies, bool check) const
{
    return related(includeDependencies ? Edge::NormalizedDown : Edge::Versioned, targets, check);
}

std::vector<int> MapAlgorithms::descendantNodes(const std::vector<int> &targets, bool includeDependencies, bool check) const
{
    return related(includeDependencies ? Edge::AllNext : Edge::Next, targets, check);
}

bool MapAlgorithms::sharesLineage(int target, const std::vector<int> &against, bool includeDependencies) const
{
    if (against.empty())
        return true;
    if (target < 0)
        return false;
    const std::vector<int> down = ancestorNodes({target}, includeDependencies);
    const std::vector<int> up = descendantNodes({target}, includeDependencies);
    for (int a : against) {
        if (contains(down, a) || contains(up, a))
            return true;
    }
    return false;
}

std::vector<int> MapAlgorithms::lineageAgainst(const QString &checkAgainst) const
{
    const auto [ids, branchLabel] = resolveRevisionNumber(Ident::str(checkAgainst));
    QStringList shares;
    if (branchLabel && !branchLabel->isEmpty())
        shares.append(*branchLabel);
    shares.append(ids);
    std::vector<int> against;
    for (const QString &s : shares)
        against.push_back(revisionForIdent(&s, std::nullopt));
    return against;
}

std::vector<int> MapAlgorithms::filterForLineage(const std::vector<int> &targets, const QString &checkAgainst,
                                                 bool includeDependencies) const
{
    const std::vector<int> against = lineageAgainst(checkAgainst);
    std::vector<int> out;
    for (int t : targets)
        if (sharesLineage(t, against, includeDependencies))
            out.push_back(t);
    return out;
}

QStringList MapAlgorithms::filterForLineage(const QStringList &targets, const QString &checkAgainst,
                                            bool includeDependencies) const
{
    const std::vector<int> against = lineageAgainst(checkAgainst);
    QStringList out;
    for (const QString &t : targets) {
        const int rev = revisionForIdent(&t, std::nullopt);
        if (sharesLineage(rev, against, includeDependencies))
            out.append(t);
    }
    return out;
}

// ---------------------------------------------------------------------------
// Walking

int MapAlgorithms::walkFrom(const QString &start, int steps, const std::optional<QString> &branchLabel,
                            bool noOverwalk) const
{
    return walk(getRevision(Ident::str(start)), steps, branchLabel, noOverwalk);
}

int MapAlgorithms::walk(int initial, int steps, const std::optional<QString> &branchLabel, bool noOverwalk) const
{
    for (int i = 0; i < std::abs(steps); ++i) {
        std::vector<int> children;
        if (steps > 0) {
            std::vector<int> walkUp;
            if (initial == RevisionMap::None) {
                QStringList ids;
                for (int b : m.m_bases)
                    ids.append(m.at(b).id);
                walkUp = getRevisionsOf(ids);
            } else {
                QStringList ids;
                for (int n : m.at(initial).next)
                    ids.append(m.at(n).id);
                walkUp = getRevisionsOf(ids);
            }
            children = branchLabel && !branchLabel->isEmpty() ? filterForLineage(walkUp, *branchLabel) : walkUp;
        } else {
            if (initial == RevisionMap::Base) {
                children.clear();
            } else {
                if (initial == RevisionMap::None) {
                    QStringList ids;
                    for (int h : m.m_heads)
                        ids.append(m.at(h).id);
                    children = getRevisionsOf(ids);
                } else {
                    const QStringList &down = m.at(initial).downRevisions;
                    children = down.isEmpty() ? std::vector<int>{}
                               : down.size() == 1 ? getRevisions(Ident::str(down.first()))
                                                  : getRevisions(Ident::tuple(down));
                }
                if (children.empty())
                    children = {RevisionMap::Base};
            }
        }
        if (children.empty())
            return noOverwalk ? RevisionMap::None : initial;
        if (children.size() > 1)
            fail(RevisionMapError::Kind::Revision, QStringLiteral("Ambiguous walk"));
        initial = children.front();
    }
    return initial;
}

void MapAlgorithms::refuseBeforeReading(const Ident &upper, const Ident &lower, bool selectForDowngrade)
{
    // iterate_revisions parses the upgrade target `upper` against `lower`, or the downgrade
    // target `lower` against `upper`.
    const Ident &target = selectForDowngrade ? lower : upper;
    if (target.kind != Ident::Kind::String)
        return;
    const std::optional<RelativeMatch> match = matchRelative(target.string);
    if (!match || match->symbol)
        return;
    if (!selectForDowngrade) {
        if (match->steps <= 0)
            fail(RevisionMapError::Kind::Revision,
                 QStringLiteral("Relative revision %1 didn't produce %2 migrations").arg(match->pyInt(), match->magnitude));
        return;
    }
    const bool noCurrent = upper.kind == Ident::Kind::None || (upper.kind == Ident::Kind::Tuple && upper.items.isEmpty())
                           || (upper.kind == Ident::Kind::String && upper.string.isEmpty());
    if (match->steps >= 0 || (!match->branch && noCurrent))
        fail(RevisionMapError::Kind::Revision,
             QStringLiteral("Relative revision %1 didn't produce %2 migrations").arg(match->relative, match->magnitude));
}

std::pair<std::optional<QString>, int> MapAlgorithms::parseDowngradeTarget(const Ident &current, const Ident &target,
                                                                           bool assertRelativeLength) const
{
    if (target.kind == Ident::Kind::None)
        return {std::nullopt, RevisionMap::None};
    const QString t = target.string;
    if (const std::optional<RelativeMatch> match = matchRelative(t)) {
        std::optional<QString> branchLabel = match->branch;
        std::optional<QString> symbol = match->symbol;
        const int relInt = match->steps;
        if (relInt >= 0) {
            if (!symbol) {
                fail(RevisionMapError::Kind::Revision,
                     QStringLiteral("Relative revision %1 didn't produce %2 migrations").arg(match->relative, match->magnitude));
            }
            const int rev = walkFrom(*symbol, relInt, branchLabel, assertRelativeLength);
            if (rev == RevisionMap::None)
                fail(RevisionMapError::Kind::Revision, QStringLiteral("Walked too far"));
            return {branchLabel, rev};
        }
        const bool relativeRevision = !symbol;
        if (relativeRevision) {
            if (branchLabel) {
                const QStringList cr = current.kind == Ident::Kind::Tuple ? current.items
                                       : current.kind == Ident::Kind::String ? QStringList{current.string}
                                                                             : QStringList{};
                QStringList symbolList = filterForLineage(cr, *branchLabel);
                if (symbolList.isEmpty()) {
                    const std::vector<int> all = allCurrent(cr);
                    for (int r : filterForLineage(all, *branchLabel))
                        symbolList.append(m.at(r).id);
                }
                if (symbolList.size() != 1) {
                    // Alembic asserts len(symbol_list) == 1.
                    crash(QStringLiteral("AssertionError"),
                          QStringLiteral("Relative revision %1 didn't produce %2 migrations").arg(match->relative, match->magnitude));
                }
                symbol = symbolList.first();
            } else {
                const QStringList cr = current.kind == Ident::Kind::Tuple ? current.items
                                       : current.kind == Ident::Kind::String ? QStringList{current.string}
                                                                             : QStringList{};
                if (cr.isEmpty()) {
                    fail(RevisionMapError::Kind::Revision,
                         QStringLiteral("Relative revision %1 didn't produce %2 migrations").arg(match->relative, match->magnitude));
                }
                symbol = cr.first();
                branchLabel = symbol;
            }
        }
        const int start = !branchLabel ? getRevision(Ident::str(*symbol))
                                       : getRevision(Ident::str(*branchLabel + QLatin1Char('@') + *symbol));
        const int rev = walk(start, relInt, std::nullopt, assertRelativeLength);
        if (rev == RevisionMap::None) {
            if (relativeRevision) {
                fail(RevisionMapError::Kind::Revision,
                     QStringLiteral("Relative revision %1 didn't produce %2 migrations").arg(match->relative, match->magnitude));
            }
            fail(RevisionMapError::Kind::Revision, QStringLiteral("Walked too far"));
        }
        return {branchLabel, rev};
    }
    // Absolute: branch@symbol or symbol (rpartition on the last '@').
    const qsizetype at = t.lastIndexOf(QLatin1Char('@'));
    std::optional<QString> branchLabel;
    if (at > 0)
        branchLabel = t.left(at);
    const QString symbol = at >= 0 ? t.mid(at + 1) : t;
    return {branchLabel, getRevision(Ident::str(symbol))};
}

std::vector<int> MapAlgorithms::parseUpgradeTarget(const Ident &current, const Ident &target,
                                                   bool assertRelativeLength) const
{
    std::optional<RelativeMatch> match;
    if (target.kind == Ident::Kind::String)
        match = matchRelative(target.string);
    if (!match)
        return getRevisions(target);

    QStringList currentRevs = current.kind == Ident::Kind::Tuple ? current.items
                              : current.kind == Ident::Kind::String ? QStringList{current.string}
                                                                    : QStringList{};
    const std::optional<QString> branchLabel = match->branch;
    const std::optional<QString> symbol = match->symbol;
    const int relative = match->steps;
    if (relative > 0) {
        if (!symbol) {
            // start_revs as revision indices; None stands for "no current revision".
            std::vector<int> startRevs;
            if (currentRevs.isEmpty()) {
                startRevs = {RevisionMap::None};
            } else if (!branchLabel) {
                for (const QString &c : currentRevs)
                    startRevs.push_back(getRevision(Ident::str(c)));
            }
            if (branchLabel) {
                const std::vector<int> currentIdx = currentRevs.isEmpty() ? std::vector<int>{} : getRevisionsOf(currentRevs);
                std::vector<int> valid;
                for (int c : currentIdx)
                    if (c >= 0)
                        valid.push_back(c);
                startRevs = filterForLineage(valid, *branchLabel);
                if (startRevs.empty()) {
                    const std::vector<int> activeOnBranch = filterForLineage(ancestorNodes(valid), *branchLabel);
                    std::vector<int> downs;
                    for (int r : activeOnBranch)
                        for (int d : m.at(r).normalizedDown)
                            appendUnique(downs, d);
                    for (int r : activeOnBranch)
                        if (!contains(downs, r))
                            appendUnique(startRevs, r);
                    if (startRevs.empty())
                        startRevs = {RevisionMap::None};
                }
            }
            if (startRevs.size() > 1)
                fail(RevisionMapError::Kind::Revision, QStringLiteral("Ambiguous upgrade from multiple current revisions"));
            const int rev = walk(startRevs.front(), relative, branchLabel, assertRelativeLength);
            if (rev == RevisionMap::None) {
                fail(RevisionMapError::Kind::Revision,
                     QStringLiteral("Relative revision %1 didn't produce %2 migrations").arg(match->relative, match->magnitude));
            }
            return {rev};
        }
        return {walk(getRevision(Ident::str(*symbol)), relative, branchLabel, assertRelativeLength)};
    }
    if (!symbol) {
        fail(RevisionMapError::Kind::Revision,
             QStringLiteral("Relative revision %1 didn't produce %2 migrations").arg(match->pyInt(), match->magnitude));
    }
    const int start = !branchLabel ? getRevision(Ident::str(*symbol))
                                   : getRevision(Ident::str(*branchLabel + QLatin1Char('@') + *symbol));
    return {walk(start, relative, std::nullopt, assertRelativeLength)};
}

std::pair<std::vector<int>, std::vector<int>> MapAlgorithms::collectDowngrade(const Ident &upper, const Ident &target,
                                                                              bool inclusive, bool implicitBase,
                                                                              bool assertRelativeLength) const
{
    auto [branchLabel, targetRevision] = parseDowngradeTarget(upper, target, assertRelativeLength);
    if (targetRevision == RevisionMap::Base)
        targetRevision = RevisionMap::None;

    std::vector<int> roots;
    if (targetRevision == RevisionMap::None) {
        for (int i = 0; i < m.size(); ++i)
            if (m.at(i).downRevisions.isEmpty())
                roots.push_back(i);
    } else if (inclusive) {
        roots = {targetRevision};
    } else {
        QStringList ids;
        for (int n : m.at(targetRevision).next)
            ids.append(m.at(n).id);
        roots = getRevisionsOf(ids);
    }

    if (branchLabel && roots.size() > 1) {
        const std::vector<int> anc = ancestorNodes({resolveBranch(*branchLabel)}, false);
        std::vector<int> kept;
        for (int r : roots)
            if (contains(anc, r))
                kept.push_back(r);
        QStringList ids;
        for (int r : kept)
            ids.append(m.at(r).id);
        roots = getRevisionsOf(ids);
        if (roots.empty())
            fail(RevisionMapError::Kind::Revision, QStringLiteral("Not a valid downgrade target from current heads"));
    }

    const std::vector<int> heads = getRevisions(upper);
    std::vector<int> downgrade = descendantNodes(roots, true);
    std::vector<int> validHeads;
    for (int h : heads)
        if (h >= 0)
            validHeads.push_back(h);
    const std::vector<int> active = ancestorNodes(validHeads, true);
    std::vector<int> result;
    for (int d : downgrade)
        if (contains(active, d))
            appendUnique(result, d);
    if (implicitBase) {
        const std::vector<int> rootAnc = ancestorNodes(roots);
        for (int a : active)
            if (!contains(rootAnc, a))
                appendUnique(result, a);
    }
    if (targetRevision != RevisionMap::None && result.empty() && !contains(heads, targetRevision)) {
        RevisionMapError e;
        e.kind = RevisionMapError::Kind::RangeNotAncestor;
        e.lower = QStringLiteral("Nothing to drop");
        e.upper = upper.kind == Ident::Kind::None ? QStringLiteral("base") : upper.repr();
        e.message = QStringLiteral("Revision %1 is not an ancestor of revision %2").arg(e.lower, e.upper);
        throw e;
    }
    return {result, heads};
}

std::pair<std::vector<int>, std::vector<int>> MapAlgorithms::collectUpgrade(const Ident &upper, const Ident &lowerIn,
                                                                            bool inclusive, bool implicitBase,
                                                                            bool assertRelativeLength) const
{
    Ident lower = lowerIn;
    std::vector<int> targets = parseUpgradeTarget(lower, upper, assertRelativeLength);
    for (int t : targets)
        if (t < 0)
            crash(QStringLiteral("AssertionError"), QStringLiteral("Dependency resolution failed; broken map"));

    if (lower.kind == Ident::Kind::String && lower.string.contains(QLatin1Char('@'))) {
        QString branch = lower.string.left(lower.string.indexOf(QLatin1Char('@')));
        const int branchRev = getRevision(Ident::str(branch));
        if (branchRev >= 0 && m.at(branchRev).id == branch) {
            if (m.at(branchRev).branchLabels.size() != 1)
                crash(QStringLiteral("AssertionError"), QStringLiteral("Revision %1 carries no single branch label").arg(branch));
            branch = m.at(branchRev).branchLabels.first();
        }
        std::vector<int> kept;
        for (int t : targets)
            if (m.at(t).branchLabels.contains(branch))
                kept.push_back(t);
        targets = kept;
    }

    std::vector<int> required = ancestorNodes(targets, true, true);
    for (int t : targets)
        appendUnique(required, t);

    std::vector<int> current = getRevisions(lower);
    if (!implicitBase) {
        for (int c : current) {
            // Alembic skips None here but not the "base" a relative walk can end on.
            if (c != RevisionMap::None && (c == RevisionMap::Base || !contains(required, c))) {
                RevisionMapError e;
                e.kind = RevisionMapError::Kind::RangeNotAncestor;
                e.lower = lower.kind == Ident::Kind::None ? QStringLiteral("base") : lower.repr();
                e.upper = upper.kind == Ident::Kind::None ? QStringLiteral("base") : upper.repr();
                e.message = QStringLiteral("Revision %1 is not an ancestor of revision %2").arg(e.lower, e.upper);
                throw e;
            }
        }
    }
    if (!current.empty() && current.front() == RevisionMap::None) {
        const auto parsed = parseDowngradeTarget(upper, lower, assertRelativeLength);
        const int rev = parsed.second;
        if (rev == RevisionMap::Base) {
            current.clear();
            lower = Ident::none();
        } else {
            current = {rev};
            lower = Ident::str(m.at(rev).id);
        }
    }
    std::vector<int> validCurrent;
    for (int c : current)
        if (c >= 0)
            validCurrent.push_back(c);
    std::vector<int> currentSet = ancestorNodes(validCurrent, true, true);
    for (int c : validCurrent)
        appendUnique(currentSet, c);

    std::vector<char> inCurrent(size_t(m.size()), 0);
    for (int c : currentSet)
        inCurrent[size_t(c)] = 1;
    std::vector<int> needs;
    for (int r : required)
        if (!inCurrent[size_t(r)])
            needs.push_back(r);
    if (inclusive) {
        for (int r : getRevisions(lower))
            if (r >= 0)
                appendUnique(needs, r);
    }
    if (!validCurrent.empty() && !implicitBase) {
        const std::vector<int> lowerDesc = descendantNodes(validCurrent, false, true);
        std::vector<char> inDesc(size_t(m.size()), 0);
        for (int d : lowerDesc)
            inDesc[size_t(d)] = 1;
        std::vector<int> kept;
        for (int r : needs)
            if (inDesc[size_t(r)])
                kept.push_back(r);
        needs = kept;
    }
    return {needs, targets};
}

std::vector<int> MapAlgorithms::iterateRevisions(const Ident &upper, const Ident &lower, bool implicitBase,
                                                 bool inclusive, bool assertRelativeLength,
                                                 bool selectForDowngrade) const
{
    const auto [revisions, heads] = selectForDowngrade
        ? collectDowngrade(upper, lower, inclusive, implicitBase, assertRelativeLength)
        : collectUpgrade(upper, lower, inclusive, implicitBase, assertRelativeLength);
    return topologicalSort(revisions, heads);
}

std::vector<int> MapAlgorithms::topologicalSort(const std::vector<int> &revisions, const std::vector<int> &headsIn) const
{
    // Alembic's _topological_sort, step for step. Alembic materialises the ancestor set of
    // every current head; here each set is explored lazily, only as deep as the candidates
    // asked about, which keeps `history` on a 10,000-revision project linear in practice.
    const size_t n = size_t(m.size());
    const size_t words = (n + 63) / 64;

    // Flattened _normalized_down_revisions edges and each revision's level (longest path
    // down to a base): a revision can only be an ancestor of revisions above its level.
    std::vector<int> edgeStart(n + 1, 0);
    for (size_t i = 0; i < n; ++i)
        edgeStart[i + 1] = edgeStart[i] + int(m.at(int(i)).normalizedDown.size());
    std::vector<int> edges(static_cast<size_t>(edgeStart[n]));
    for (size_t i = 0; i < n; ++i)
        std::copy(m.at(int(i)).normalizedDown.begin(), m.at(int(i)).normalizedDown.end(),
                  edges.begin() + edgeStart[i]);
    std::vector<int> level(n, -1);
    {
        std::vector<std::pair<int, int>> stack; // (node, next edge)
        for (size_t root = 0; root < n; ++root) {
            if (level[root] >= 0)
                continue;
            stack.push_back({int(root), edgeStart[root]});
            while (!stack.empty()) {
                auto &[node, e] = stack.back();
                if (e < edgeStart[size_t(node) + 1]) {
                    const int d = edges[size_t(e++)];
                    if (level[size_t(d)] < 0) {
                        level[size_t(d)] = -2; // on the stack: a cycle cannot reach here (map is checked)
                        stack.push_back({d, edgeStart[size_t(d)]});
                    }
                    continue;
                }
                int lv = 0;
                for (int k = edgeStart[size_t(node)]; k < edgeStart[size_t(node) + 1]; ++k)
                    lv = std::max(lv, level[size_t(edges[size_t(k)])] + 1);
                level[size_t(node)] = lv;
                stack.pop_back();
            }
        }
    }

    struct Ancestors
    {
        std::vector<quint64> seen;
        std::vector<int> pending; // max-heap by level: discovered, parents not yet looked at
    };
    auto byLevel = [&level](int a, int b) { return level[size_t(a)] < level[size_t(b)]; };
    auto ancestorsOf = [&](int root) {
        Ancestors a;
        a.seen.assign(words, 0);
        a.seen[size_t(root) >> 6] |= quint64(1) << (root & 63);
        a.pending.push_back(root);
        return a;
    };
    auto isAncestor = [&](Ancestors &a, int candidate) {
        const int threshold = level[size_t(candidate)];
        while (!a.pending.empty() && level[size_t(a.pending.front())] > threshold) {
            std::pop_heap(a.pending.begin(), a.pending.end(), byLevel);
            const int x = a.pending.back();
            a.pending.pop_back();
            for (int e = edgeStart[size_t(x)]; e < edgeStart[size_t(x) + 1]; ++e) {
                const int d = edges[size_t(e)];
                quint64 &word = a.seen[size_t(d) >> 6];
                const quint64 bit = quint64(1) << (d & 63);
                if (!(word & bit)) {
                    word |= bit;
                    a.pending.push_back(d);
                    std::push_heap(a.pending.begin(), a.pending.end(), byLevel);
                }
            }
        }
        return ((a.seen[size_t(candidate) >> 6] >> (candidate & 63)) & 1u) != 0;
    };

    std::vector<char> todo(n, 0);
    size_t todoCount = 0;
    for (int r : revisions) {
        if (r >= 0 && !todo[size_t(r)]) {
            todo[size_t(r)] = 1;
            ++todoCount;
        }
    }

    // Revision indices follow the key order of Alembic's map, so sorting by index
    // is sorting by inserted_order.index.
    std::vector<int> currentHeads;
    for (int h : headsIn)
        if (h >= 0 && todo[size_t(h)])
            appendUnique(currentHeads, h);
    std::sort(currentHeads.begin(), currentHeads.end());
    std::vector<Ancestors> ancestorsByIdx;
    ancestorsByIdx.reserve(currentHeads.size());
    for (int h : currentHeads)
        ancestorsByIdx.push_back(ancestorsOf(h));

    std::vector<int> output;
    output.reserve(todoCount);
    size_t candidateIdx = 0;
    while (!currentHeads.empty()) {
        const int candidate = currentHeads[candidateIdx];
        bool blocked = false;
        for (size_t check = 0; check < ancestorsByIdx.size(); ++check) {
            if (check != candidateIdx && isAncestor(ancestorsByIdx[check], candidate)) {
                candidateIdx = check;
                blocked = true;
                break;
            }
        }
        if (blocked)
            continue;
        if (todo[size_t(candidate)]) {
            output.push_back(candidate);
            todo[size_t(candidate)] = 0;
            --todoCount;
        }
        const Revision &rev = m.at(candidate);
        std::vector<int> headsToAdd;
        for (int r : rev.normalizedDown)
            if (todo[size_t(r)] && !contains(currentHeads, r))
                headsToAdd.push_back(r);
        if (headsToAdd.empty()) {
            currentHeads.erase(currentHeads.begin() + std::ptrdiff_t(candidateIdx));
            ancestorsByIdx.erase(ancestorsByIdx.begin() + std::ptrdiff_t(candidateIdx));
            candidateIdx = candidateIdx > 0 ? candidateIdx - 1 : 0;
        } else if (rev.normalizedDeps.empty() && rev.down.size() == 1) {
            // Alembic drops the emitted candidate from this head's set, which leaves exactly
            // the ancestors of the new head; the emitted revision is never asked about again.
            currentHeads[candidateIdx] = headsToAdd.front();
        } else {
            currentHeads[candidateIdx] = headsToAdd.front();
            ancestorsByIdx[candidateIdx] = ancestorsOf(headsToAdd.front());
            for (size_t k = 1; k < headsToAdd.size(); ++k) {
                currentHeads.push_back(headsToAdd[k]);
                ancestorsByIdx.push_back(ancestorsOf(headsToAdd[k]));
            }
        }
    }
    if (todoCount != 0) {
        // Alembic asserts here; a map that passed cycle detection never gets here.
        crash(QStringLiteral("AssertionError"), QStringLiteral("Dependency resolution failed; broken map"));
    }
    return output;
}

std::vector<int> MapAlgorithms::allCurrent(const QStringList &ids) const
{
    std::vector<int> top;
    for (int r : getRevisionsOf(ids))
        if (r >= 0)
            appendUnique(top, r);
    for (int a : ancestorNodes(top, true))
        appendUnique(top, a);
    // _filter_into_branch_heads: drop every revision with a descendant in the set.
    std::vector<char> in(size_t(m.size()), 0);
    for (int t : top)
        in[size_t(t)] = 1;
    std::vector<int> out;
    for (int t : top) {
        bool covered = false;
        for (int d : descendantNodes({t}, false)) {
            if (d != t && in[size_t(d)]) {
                covered = true;
                break;
            }
        }
        if (!covered)
            out.push_back(t);
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace retort::core
