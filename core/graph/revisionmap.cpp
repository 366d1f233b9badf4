#include "revisionmap.h"

#include "mapalgorithms.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <atomic>
#include <numeric>
#include <unordered_map>

namespace retort::core {

namespace {

template<typename Ints>
void appendUnique(Ints &v, int x)
{
    if (std::find(v.begin(), v.end(), x) == v.end())
        v.push_back(x);
}

QString locate(const RevisionFile &f, int line)
{
    return line > 0 ? QStringLiteral("%1:%2").arg(f.path, QString::number(line)) : f.path;
}

Diagnostic diag(Diagnostic::Severity sev, const QString &rule, const QString &message, const RevisionFile &f, int line,
                const QString &revision = {})
{
    return {sev, rule, message, f.path, line, revision};
}

// ScriptDirectory._catch_revision_errors, for the call sites that pass no custom texts.
struct CatchTexts
{
    QString ancestor;       // with %(start)s / %(end)s
    QString multipleHeads;  // with %(head_arg)s
    QString start, end;
    bool hasStart = false, hasEnd = false;
};

Error convert(const RevisionMapError &e, const CatchTexts &texts)
{
    switch (e.kind) {
    case RevisionMapError::Kind::RangeNotAncestor: {
        const QString start = texts.hasStart ? texts.start : e.lower;
        const QString end = texts.hasEnd ? texts.end : e.upper;
        QString msg = texts.ancestor.isEmpty()
            ? QStringLiteral("Requested range %(start)s:%(end)s does not refer to ancestor/descendant revisions along "
                             "the same branch")
            : texts.ancestor;
        msg.replace(QStringLiteral("%(start)s"), start).replace(QStringLiteral("%(end)s"), end);
        return makeError(Error::Code::Range, msg);
    }
    case RevisionMapError::Kind::MultipleHeads: {
        QString msg = texts.multipleHeads.isEmpty()
            ? QStringLiteral("Multiple head revisions are present for given argument '%(head_arg)s'; please specify a "
                             "specific target revision, '<branchname>@%(head_arg)s' to narrow to a specific head, or "
                             "'heads' for all heads")
            : texts.multipleHeads;
        msg.replace(QStringLiteral("%(head_arg)s"), texts.hasEnd ? texts.end : e.argument);
        return makeError(Error::Code::MultipleHeads, msg);
    }
    case RevisionMapError::Kind::Resolution:
        return makeError(Error::Code::Resolution, QStringLiteral("Can't locate revision identified by '%1'").arg(e.argument));
    case RevisionMapError::Kind::Revision: {
        Error out = makeError(Error::Code::Revision, e.message);
        out.exception = e.exception;
        return out;
    }
    }
    return makeError(Error::Code::Revision, e.message);
}

} // namespace

QString PlanStep::text() const
{
    QString s = QStringLiteral("%1 %2 -> %3")
                    .arg(upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                         from.join(QStringLiteral(", ")), to.join(QStringLiteral(", ")));
    if (!doc.isEmpty())
        s += QStringLiteral(", ") + doc;
    return s;
}

bool RevisionMap::sameShape(const RevisionFile &a, const RevisionFile &b)
{
    // A file with problems, or one whose identifiers still name other modules, takes the full build.
    if (!a.isUsable() || !b.isUsable() || a.hasReferences || b.hasReferences)
        return false;
    return a.path == b.path && a.fileName == b.fileName && a.hasRevision == b.hasRevision && a.revision == b.revision
           && a.revisionLine == b.revisionLine && a.hasDownRevision == b.hasDownRevision
           && a.downRevisionLine == b.downRevisionLine && a.downRevision.toTuple() == b.downRevision.toTuple()
           && a.dependsOnLine == b.dependsOnLine && a.dependsOn.toTuple() == b.dependsOn.toTuple()
           && a.branchLabelsLine == b.branchLabelsLine && a.branchLabels.toTuple() == b.branchLabels.toTuple()
           && a.createDate() == b.createDate();
}

RevisionMap RevisionMap::withFiles(const RevisionMap &previous, const QHash<int, RevisionFile> &replacements)
{
    bool same = true;
    for (auto it = replacements.cbegin(); same && it != replacements.cend(); ++it)
        same = it.key() >= 0 && it.key() < previous.m_files.size() && sameShape(previous.m_files[it.key()], it.value());
    if (same) {
        RevisionMap map = previous;
        for (auto it = replacements.cbegin(); it != replacements.cend(); ++it)
            map.m_files[it.key()] = it.value();
        return map;
    }
    QList<RevisionFile> files = previous.m_files;
    for (auto it = replacements.cbegin(); it != replacements.cend(); ++it)
        if (it.key() >= 0 && it.key() < files.size())
            files[it.key()] = it.value();
    return build(std::move(files));
}

namespace {

// What Python raises for a file Retort could not take into the map: the compiler's class for
// a syntax error, an OSError for a file that cannot be read; nothing (a CommandError-like
// refusal) for what Retort cannot read without running Python.
const char *fileException(const Diagnostic &d)
{
    if (d.rule == QLatin1String("parse-error")) {
        for (const char *cls : {"IndentationError", "TabError", "SyntaxError"})
            if (d.message.startsWith(QLatin1String(cls)))
                return cls;
        return "SyntaxError";
    }
    if (d.rule == QLatin1String("unreadable-file")) {
        // A listed name with no file behind it (a dangling link, a file gone since the
        // listing): Alembic's load_python_file raises ImportError ("Can't find Python file");
        // open() itself raises PermissionError for a file it may not read.
        if (d.message.endsWith(QString::fromLocal8Bit(strerror(ENOENT))))
            return "ImportError";
        if (d.message.endsWith(QString::fromLocal8Bit(strerror(EACCES))))
            return "PermissionError";
        return "OSError";
    }
    return "";
}

} // namespace

RevisionMap RevisionMap::build(QList<RevisionFile> files)
{
    static std::atomic<quint64> shapes{0};
    RevisionMap map;
    map.m_shape = ++shapes;
    map.m_files = std::move(files);
    // `exception`: what Alembic raises while it builds its map (see Error::exception).
    auto fatal = [&map](Error e, const char *exception) {
        if (!map.m_loadError.isValid()) {
            e.exception = QLatin1String(exception);
            map.m_loadError = std::move(e);
        }
    };

    // `node`: a shadowed revision with branch labels stays a node of its own (see below).
    struct Shadowed { int file; int winner; bool base; bool realBase; QString id; QStringList labels; Revision rev; int node = -1; };
    std::vector<Shadowed> shadowed;
    // 1. Revisions, in load order. Problems in a file keep it out of the map.
    map.m_revs.reserve(size_t(map.m_files.size()));
    map.m_index.reserve(map.m_files.size());
    map.m_keyOrder.reserve(map.m_files.size() + 16);
    for (int fi = 0; fi < map.m_files.size(); ++fi) {
        const RevisionFile &f = map.m_files[fi];
        if (!f.isUsable()) {
            for (const Diagnostic &d : f.problems) {
                map.m_diagnostics.append(d);
                if (d.severity == Diagnostic::Severity::Error)
                    fatal(makeError(Error::Code::Parse, QStringLiteral("%1: %2").arg(locate(f, d.line), d.message), f.path, d.line), fileException(d));
            }
            continue;
        }
        if (!f.hasRevision) {
            const QString msg = QStringLiteral("Could not determine revision id from filename %1. Be sure the 'revision' "
                                               "variable is declared inside the script (please see 'Upgrading from "
                                               "Alembic 0.1 to 0.2' in the documentation).")
                                    .arg(f.fileName);
            map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("no-revision"), msg, f, 1));
            fatal(makeError(Error::Code::Parse, msg, f.path, 1), "");
            continue;
        }
        if (!f.hasDownRevision) {
            const QString msg = QStringLiteral("%1: revision %2 has no down_revision; Alembic needs it (None for a base).")
                                    .arg(locate(f, f.revisionLine), f.revision);
            map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("no-down-revision"), msg, f,
                                          f.revisionLine, f.revision));
            fatal(makeError(Error::Code::Parse, msg, f.path, f.revisionLine), "AttributeError");
            continue;
        }
        Revision r;
        r.id = f.revision;
        r.file = fi;
        r.downRevisions = f.downRevision.toTuple();
        r.dependencies = f.dependsOn.toTuple();
        r.ownBranchLabels = f.branchLabels.toTuple();
        // Revision.__init__ keeps down_revision = "" as the id "" (to_tuple gives ("",)), which no
        // file defines: Alembic's map raises KeyError for it. depends_on = "" is falsy, so
        // _add_depends_on resolves nothing, but it is not None (not a real base).
        if (r.dependencies.size() == 1 && r.dependencies.first().isEmpty()) {
            r.dependencies.clear();
            r.dependsOnEmptyString = true;
        }
        if (r.downRevisions.contains(r.id)) {
            const QString msg = QStringLiteral("Self-loop is detected in revisions (%1)").arg(r.id);
            map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("cycle"), msg, f, f.downRevisionLine, r.id));
            fatal(makeError(Error::Code::Revision, msg, f.path, f.downRevisionLine), "LoopDetected");
            continue;
        }
        if (r.dependencies.contains(r.id)) {
            const QString msg = QStringLiteral("Dependency self-loop is detected in revisions (%1)").arg(r.id);
            map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("cycle"), msg, f, f.dependsOnLine, r.id));
            fatal(makeError(Error::Code::Revision, msg, f.path, f.dependsOnLine), "DependencyLoopDetected");
            continue;
        }
        QStringList illegal;
        for (const char c : {'+', '-', '@'})
            if (r.id.contains(QLatin1Char(c)))
                illegal.append(QString(QLatin1Char(c)));
        if (!illegal.isEmpty()) {
            std::sort(illegal.begin(), illegal.end());
            const QString msg = QStringLiteral("Character(s) '%1' not allowed in revision identifier '%2'")
                                    .arg(illegal.join(QStringLiteral(", ")), r.id);
            map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("bad-revision-id"), msg, f, f.revisionLine, r.id));
            fatal(makeError(Error::Code::Revision, msg, f.path, f.revisionLine), "RevisionError");
            continue;
        }
        r.branchLabels = r.ownBranchLabels;
        if (r.branchLabels.size() > 1)
            r.branchLabels.removeDuplicates();
        if (const auto it = map.m_index.constFind(r.id); it != map.m_index.constEnd()) {
            // Alembic warns and lets the later file win while keeping the first one's place.
            const RevisionFile &first = map.m_files[map.m_revs[size_t(*it)].file];
            const QString msg = QStringLiteral("Revision %1 is present more than once (%2 and %3)")
                                    .arg(r.id, locate(first, first.revisionLine), locate(f, f.revisionLine));
            map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("duplicate-revision"), msg, f,
                                          f.revisionLine, r.id));
            // Alembic's heads and bases are ordered sets of the revision objects: the shadowed
            // one is never discarded, so its id stays among the heads (and the bases).
            const Revision &old = map.m_revs[size_t(*it)];
            shadowed.push_back({old.file, *it, old.isBase(), old.isRealBase(), old.id, old.ownBranchLabels, old});
            map.m_revs[size_t(*it)] = r;
            continue;
        }
        map.m_index.insert(r.id, int(map.m_revs.size()));
        map.m_keyOrder.append(r.id);
        map.m_revs.push_back(std::move(r));
    }
    const int nReal = int(map.m_revs.size());
    // A shadowed revision with branch labels is still reachable in Alembic: its labels map
    // to its own Revision object, which takes part in the edges (the map's values include
    // it through its label keys: its down revisions get its id, which names the winner, as
    // a next revision) and in the label walks. It becomes a node that no id names: aliasOf
    // gives the revision its id resolves to (itself for every other node).
    std::vector<int> aliasOf(static_cast<size_t>(nReal));
    std::iota(aliasOf.begin(), aliasOf.end(), 0);
    for (Shadowed &d : shadowed) {
        if (d.labels.isEmpty())
            continue;
        d.node = int(map.m_revs.size());
        aliasOf.push_back(d.winner);
        map.m_revs.push_back(d.rev);
    }
    const int n = int(map.m_revs.size());

    // 2. Branch labels join the key space.
    for (int i = 0; i < nReal; ++i) {
        const Revision &r = map.m_revs[size_t(i)];
        for (const QString &label : r.ownBranchLabels) {
            int other = map.m_index.value(label, None);
            if (other == None)
                other = map.m_labels.value(label, None);
            if (other != None) {
                const RevisionFile &f = map.m_files[r.file];
                const QString msg = QStringLiteral("Branch name '%1' in revision %2 already used by revision %3")
                                        .arg(label, r.id, map.m_revs[size_t(other)].id);
                map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("duplicate-branch-label"), msg, f,
                                              f.branchLabelsLine, r.id));
                fatal(makeError(Error::Code::Revision, msg, f.path, f.branchLabelsLine), "RevisionError");
                continue;
            }
            map.m_labels.insert(label, i);
            map.m_keyOrder.append(label);
        }
    }

    // A shadowed revision keeps its place among the ones whose labels Alembic maps
    // (has_branch_labels), so its labels clash like any other's: with a label of the
    // revision that replaced it, above all.
    for (const Shadowed &d : shadowed) {
        QStringList seen;
        for (const QString &label : d.labels) {
            int other = map.m_index.value(label, None);
            if (other == None)
                other = map.m_labels.value(label, None);
            if (other == None && !seen.contains(label)) {
                seen.append(label);
                map.m_labels.insert(label, d.node);
                map.m_keyOrder.append(label);
                continue;
            }
            const RevisionFile &f = map.m_files[d.file];
            const QString msg = QStringLiteral("Branch name '%1' in revision %2 already used by revision %3")
                                    .arg(label, d.id, other == None ? d.id : map.m_revs[size_t(other)].id);
            map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("duplicate-branch-label"), msg, f,
                                          f.branchLabelsLine, d.id));
            fatal(makeError(Error::Code::Revision, msg, f.path, f.branchLabelsLine), "RevisionError");
        }
    }

    auto lookup = [&map](const QString &key) {
        const int i = map.m_index.value(key, None);
        return i != None ? i : map.m_labels.value(key, None);
    };

    // 3. depends_on names (ids or labels) to revisions.
    for (int i = 0; i < n; ++i) {
        Revision &r = map.m_revs[size_t(i)];
        const RevisionFile &f = map.m_files[r.file];
        for (const QString &dep : std::as_const(r.dependencies)) {
            const int d = lookup(dep);
            if (d == None) {
                const QString msg = QStringLiteral("Revision %1 (%2) depends on '%3', which no revision or branch label "
                                                   "in this project defines.")
                                        .arg(r.id, locate(f, f.dependsOnLine), dep);
                map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("missing-dependency"), msg, f,
                                              f.dependsOnLine, r.id));
                fatal(makeError(Error::Code::Revision, msg, f.path, f.dependsOnLine), "KeyError");
                continue;
            }
            r.resolvedDeps.push_back(d);
        }
    }

    // 4. Down revisions, next revisions, heads. Alembic looks a down revision up in the map
    // that holds the branch labels too, so a label there links its holder below (and it is
    // no head any more); the walks that follow fail on it (below), each in its own way.
    std::vector<char> notHead(size_t(n), 0), notRealHead(size_t(n), 0);
    std::vector<QString> labelDown(static_cast<size_t>(n));    // the first branch label a revision names as a down revision
    bool anyLabelDown = false;
    for (int i = 0; i < n; ++i) {
        Revision &r = map.m_revs[size_t(i)];
        const RevisionFile &f = map.m_files[r.file];
        for (const QString &down : std::as_const(r.downRevisions)) {
            int d = map.m_index.value(down, None);
            if (d == None && (d = map.m_labels.value(down, None)) != None) {
                const QString msg = QStringLiteral("Revision %1 (%2) names down_revision '%3', a branch label of revision "
                                                   "%4; a down_revision must be a revision id.")
                                        .arg(r.id, locate(f, f.downRevisionLine), down, map.m_revs[size_t(d)].id);
                map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("label-as-parent"), msg, f,
                                              f.downRevisionLine, r.id));
                if (labelDown[size_t(i)].isEmpty())
                    labelDown[size_t(i)] = down;
                anyLabelDown = true;
            }
            if (d == None) {
                const QString msg = QStringLiteral("Revision %1 (%2) names down_revision '%3', which no file defines.")
                                        .arg(r.id, locate(f, f.downRevisionLine), down);
                map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("missing-parent"), msg, f,
                                              f.downRevisionLine, r.id));
                fatal(makeError(Error::Code::Revision, msg, f.path, f.downRevisionLine), "KeyError");
                continue;
            }
            appendUnique(r.down, d);
        }
        for (int d : r.down)
            appendUnique(r.allDown, d);
        for (int d : r.resolvedDeps)
            appendUnique(r.allDown, d);
    }
    for (int i = 0; i < n; ++i) {
        const Revision &r = map.m_revs[size_t(i)];
        for (int d : r.allDown) {
            Revision &parent = map.m_revs[size_t(d)];
            appendUnique(parent.allNext, aliasOf[size_t(i)]);
            if (std::find(r.down.begin(), r.down.end(), d) != r.down.end()) {
                appendUnique(parent.next, aliasOf[size_t(i)]);
                notHead[size_t(d)] = 1;
            }
            notRealHead[size_t(d)] = 1;
        }
    }
    for (Revision &r : map.m_revs) {
        std::sort(r.next.begin(), r.next.end());
        std::sort(r.allNext.begin(), r.allNext.end());
    }

    // 5. Normalized dependencies: drop those an ancestor already depends on. Alembic walks
    // the ancestors in the map with the labels, where a label found as a down revision
    // names a revision of another id: "broken map".
    MapAlgorithms algo(map);
    for (int i = 0; i < n; ++i) {
        Revision &r = map.m_revs[size_t(i)];
        if (r.resolvedDeps.empty())
            continue;
        SmallInts normalized = r.resolvedDeps;
        for (int a : algo.related(MapAlgorithms::Edge::Versioned, {i})) {
            if (anyLabelDown && !labelDown[size_t(a)].isEmpty()) {
                const RevisionFile &f = map.m_files[map.m_revs[size_t(a)].file];
                fatal(makeError(Error::Code::Revision, QStringLiteral("Dependency resolution failed; broken map"), f.path,
                                f.downRevisionLine),
                      "RevisionError");
            }
            if (a == i)
                continue;
            for (int dep : map.m_revs[size_t(a)].resolvedDeps)
                normalized.erase(std::remove(normalized.begin(), normalized.end(), dep), normalized.end());
        }
        SmallInts dedup;
        for (int d : normalized)
            appendUnique(dedup, d);
        r.normalizedDeps = std::move(dedup);
    }
    for (Revision &r : map.m_revs) {
        r.normalizedDown = r.down;
        for (int d : r.normalizedDeps)
            appendUnique(r.normalizedDown, d);
    }

    // In load order of the revision objects, shadowed duplicates included.
    std::vector<std::pair<int, int>> heads, realHeads, bases, realBases;   // (file, revision)
    for (int i = 0; i < nReal; ++i) {
        const Revision &r = map.m_revs[size_t(i)];
        if (!notHead[size_t(i)])
            heads.emplace_back(r.file, i);
        if (!notRealHead[size_t(i)])
            realHeads.emplace_back(r.file, i);
        if (r.isBase())
            bases.emplace_back(r.file, i);
        if (r.isRealBase())
            realBases.emplace_back(r.file, i);
    }
    for (const Shadowed &d : shadowed) {
        heads.emplace_back(d.file, d.winner);
        realHeads.emplace_back(d.file, d.winner);
        if (d.base)
            bases.emplace_back(d.file, d.winner);
        if (d.realBase)
            realBases.emplace_back(d.file, d.winner);
    }
    for (auto [list, out] : {std::pair{&heads, &map.m_heads}, std::pair{&realHeads, &map.m_realHeads},
                             std::pair{&bases, &map.m_bases}, std::pair{&realBases, &map.m_realBases}}) {
        std::stable_sort(list->begin(), list->end());
        for (const auto &[file, rev] : *list)
            out->push_back(rev);
    }

    // 6. Cycles (only meaningful once every edge resolved).
    if (n > 0 && !map.m_loadError.isValid()) {
        // Whether the walks below can find anything: only when the edges hold a cycle, or a
        // revision with no edge down is not among `bases` (depends_on = "" is no real base).
        // A topological pass answers that in one look at each edge; the walks (which name
        // what is involved) run only then.
        auto mayInvolve = [&](const std::vector<int> &bases, bool withDependencies) {
            std::vector<char> isBase(size_t(n), 0);
            for (int b : bases)
                isBase[size_t(b)] = 1;
            std::vector<int> children(size_t(n), 0);
            for (const Revision &r : map.m_revs)
                for (int d : withDependencies ? r.allDown : r.down)
                    ++children[size_t(d)];
            std::vector<int> ready;
            for (int i = 0; i < n; ++i)
                if (children[size_t(i)] == 0)
                    ready.push_back(i);
            int done = 0;
            while (!ready.empty()) {
                const int u = ready.back();
                ready.pop_back();
                ++done;
                const SmallInts &down = withDependencies ? map.m_revs[size_t(u)].allDown : map.m_revs[size_t(u)].down;
                if (down.empty() && !isBase[size_t(u)])
                    return true;
                for (int d : down)
                    if (--children[size_t(d)] == 0)
                        ready.push_back(d);
            }
            return done != n;
        };
        auto detect = [&](const std::vector<int> &heads, const std::vector<int> &bases, MapAlgorithms::Edge downEdge,
                          MapAlgorithms::Edge upEdge, const QString &kind) -> bool {
            if (!anyLabelDown && !mayInvolve(bases, downEdge == MapAlgorithms::Edge::AllDown))
                return false;
            QStringList involved;
            if (heads.empty() || bases.empty()) {
                for (const Revision &r : map.m_revs)
                    involved.append(r.id);
            } else {
                std::vector<char> fromHeads(size_t(n), 0), fromBases(size_t(n), 0);
                for (int r : algo.related(downEdge, heads)) {
                    fromHeads[size_t(r)] = 1;
                    // Alembic walks down from the heads in the map without labels: a label
                    // as a down revision is a KeyError there.
                    if (anyLabelDown && !labelDown[size_t(r)].isEmpty()) {
                        const RevisionFile &f = map.m_files[map.m_revs[size_t(r)].file];
                        fatal(makeError(Error::Code::Revision,
                                        QStringLiteral("Revision %1 (%2) names down_revision '%3', a branch label; a "
                                                       "down_revision must be a revision id.")
                                            .arg(map.m_revs[size_t(r)].id, locate(f, f.downRevisionLine), labelDown[size_t(r)]),
                                        f.path, f.downRevisionLine),
                              "KeyError");
                        return true;
                    }
                }
                for (int r : algo.related(upEdge, bases))
                    fromBases[size_t(r)] = 1;
                for (int i = 0; i < nReal; ++i)
                    if (!(fromHeads[size_t(i)] && fromBases[size_t(i)]))
                        involved.append(map.m_revs[size_t(i)].id);
                std::sort(involved.begin(), involved.end());
            }
            if (involved.isEmpty())
                return false;
            const QString msg = QStringLiteral("%1 is detected in revisions (%2)").arg(kind, involved.join(QStringLiteral(", ")));
            const int first = map.m_index.value(involved.first());
            const RevisionFile &f = map.m_files[map.m_revs[size_t(first)].file];
            map.m_diagnostics.append(diag(Diagnostic::Severity::Error, QStringLiteral("cycle"), msg, f, f.downRevisionLine,
                                          involved.first()));
            fatal(makeError(Error::Code::Revision, msg, f.path, f.downRevisionLine),
                  kind == QLatin1String("Cycle") ? "CycleDetected" : "DependencyCycleDetected");
            return true;
        };
        // Alembic walks from its sets of head and base objects, which hold the shadowed
        // revisions' own objects too (a node of their own here when they carry labels).
        std::vector<int> cycleHeads = map.m_heads, cycleRealHeads = map.m_realHeads;
        std::vector<int> cycleBases = map.m_bases, cycleRealBases = map.m_realBases;
        for (const Shadowed &d : shadowed) {
            if (d.node < 0)
                continue;
            cycleHeads.push_back(d.node);
            cycleRealHeads.push_back(d.node);
            if (d.base)
                cycleBases.push_back(d.node);
            if (d.realBase)
                cycleRealBases.push_back(d.node);
        }
        if (!detect(cycleHeads, cycleBases, MapAlgorithms::Edge::Versioned, MapAlgorithms::Edge::Next,
                    QStringLiteral("Cycle"))) {
            detect(cycleRealHeads, cycleRealBases, MapAlgorithms::Edge::AllDown, MapAlgorithms::Edge::AllNext,
                   QStringLiteral("Dependency cycle"));
        }
    }

    // 7. Branch labels spread to descendants, and down to the branch point below.
    if (map.m_loadError.isValid())
        return map;
    // Labels are unique in a map that got this far (step 2), so a revision's labels are the
    // union of the own labels of the revisions whose walks reach it ("owners"). Each revision
    // keeps the id of its set of owners; owners are walked in increasing order, so a set
    // grows by appending, and a set that is reached from the same set by the same owner is
    // the same set: most revisions (a long line below a label) share a few sets, and each
    // set's sorted labels are built once and implicitly shared.
    std::vector<std::vector<int>> ownerSets(1);           // id 0: no owner
    std::unordered_map<quint64, int> grown;               // (set id, owner) -> set id
    std::vector<int> setOf(size_t(n), 0);
    std::vector<int> reachedBy(size_t(n), -1);            // the owner whose walk got here last
    auto reach = [&](int rev, int owner) {
        if (reachedBy[size_t(rev)] == owner)
            return;
        reachedBy[size_t(rev)] = owner;
        const quint64 key = (quint64(quint32(setOf[size_t(rev)])) << 32) | quint32(owner);
        auto it = grown.find(key);
        if (it == grown.end()) {
            std::vector<int> owners = ownerSets[size_t(setOf[size_t(rev)])];
            owners.push_back(owner);
            ownerSets.push_back(std::move(owners));
            it = grown.emplace(key, int(ownerSets.size() - 1)).first;
        }
        setOf[size_t(rev)] = it->second;
    };
    for (int i = 0; i < n; ++i) {
        if (map.m_revs[size_t(i)].ownBranchLabels.isEmpty())
            continue;
        const std::vector<int> desc = algo.related(MapAlgorithms::Edge::Next, {i});
        for (int d : desc)
            reach(d, i);
        // Alembic walks down from the last descendant it visited (its `node` after the loop).
        int parent = desc.back();
        while (parent != None) {
            const Revision &p = map.m_revs[size_t(parent)];
            if (p.isRealBranchPoint() || p.isMergePoint())
                break;
            reach(parent, i);
            parent = p.down.empty() ? None : p.down.front();
        }
    }
    std::vector<QStringList> labelsOf(ownerSets.size());
    std::vector<char> built(ownerSets.size(), 0);
    for (int i = 0; i < n; ++i) {
        const int set = setOf[size_t(i)];
        if (set == 0)
            continue;
        if (!built[size_t(set)]) {
            QStringList labels;
            for (int o : ownerSets[size_t(set)])
                labels.append(map.m_revs[size_t(o)].ownBranchLabels);
            labels.removeDuplicates();  // a file may name a label twice
            // Alembic keeps labels in a set and prints them in hash order; Retort sorts them.
            labels.sort();
            labelsOf[size_t(set)] = std::move(labels);
            built[size_t(set)] = 1;
        }
        map.m_revs[size_t(i)].branchLabels = labelsOf[size_t(set)];
    }
    return map;
}

// ---------------------------------------------------------------------------
// Public queries

Result<std::vector<int>> RevisionMap::walkRevisions(const QString &base, const QString &head) const
{
    CatchTexts texts;
    texts.start = base;
    texts.end = head;
    texts.hasStart = texts.hasEnd = true;
    try {
        if (m_loadError.isValid()) {
            MapAlgorithms::refuseBeforeReading(Ident::str(head), Ident::str(base), false);
            return m_loadError;
        }
        return MapAlgorithms(*this).iterateRevisions(Ident::str(head), Ident::str(base), false, true, false, false);
    } catch (const RevisionMapError &e) {
        return convert(e, texts);
    }
}

Result<std::vector<int>> RevisionMap::walkRevisions(const QStringList &base, const QStringList &head) const
{
    auto ident = [](const QStringList &l) {
        return l.size() == 1 ? Ident::str(l.first()) : l.isEmpty() ? Ident::none() : Ident::tuple(l);
    };
    CatchTexts texts;
    texts.start = ident(base).kind == Ident::Kind::None ? QStringLiteral("base") : ident(base).repr();
    texts.end = ident(head).kind == Ident::Kind::None ? QStringLiteral("heads") : ident(head).repr();
    texts.hasStart = texts.hasEnd = true;
    try {
        const Ident upper = head.isEmpty() ? Ident::str(QStringLiteral("heads")) : ident(head);
        const Ident lower = base.isEmpty() ? Ident::str(QStringLiteral("base")) : ident(base);
        if (m_loadError.isValid()) {
            MapAlgorithms::refuseBeforeReading(upper, lower, false);
            return m_loadError;
        }
        return MapAlgorithms(*this).iterateRevisions(upper, lower, false, true, false, false);
    } catch (const RevisionMapError &e) {
        return convert(e, texts);
    }
}

Result<std::vector<int>> RevisionMap::resolve(const QString &target) const
{
    try {
        return MapAlgorithms(*this).getRevisions(Ident::str(target));
    } catch (const RevisionMapError &e) {
        return convert(e, {});
    }
}

Result<int> RevisionMap::resolveOne(const QString &target) const
{
    try {
        return MapAlgorithms(*this).getRevision(Ident::str(target));
    } catch (const RevisionMapError &e) {
        return convert(e, {});
    }
}

namespace {

Ident currentIdent(const QStringList &heads)
{
    if (heads.isEmpty())
        return Ident::tuple({});
    return Ident::tuple(heads);
}

} // namespace

std::optional<Error> RevisionMap::missingFunction(const QList<PlanStep> &steps, bool upgrade) const
{
    // Alembic builds every step from the module's upgrade/downgrade attribute before running
    // anything, so a file without the function fails the whole plan.
    for (const PlanStep &s : steps) {
        const RevisionFile &f = fileOf(s.revision);
        if ((upgrade ? f.upgradeLine : f.downgradeLine) > 0)
            continue;
        QString module = f.fileName;
        module.replace(QRegularExpression(QStringLiteral("\\W")), QStringLiteral("_"));
        Error e = makeError(Error::Code::Revision, QStringLiteral("module '%1' has no attribute '%2'")
                                                       .arg(module, upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade")),
                            f.path, 0);
        e.detail = QStringLiteral("%1 defines no %2() function.").arg(f.path, upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"));
        return e;
    }
    return std::nullopt;
}

Result<QList<StampStep>> RevisionMap::stampSteps(const QString &target, const QStringList &currentHeads) const
{
    if (m_loadError.isValid())
        return m_loadError;
    CatchTexts texts;
    texts.multipleHeads = QStringLiteral("Multiple heads are present; please specify a single target revision");
    try {
        const MapAlgorithms algo(*this);
        // `alembic stamp` passes its revisions as a tuple: "" is one of them, not "base".
        const std::vector<int> headRevs = algo.getRevisionsOf(currentHeads);
        std::vector<int> filtered;
        if (!target.isEmpty()) {
            for (int h : algo.filterForLineage(headRevs, target, true))
                if (std::find(filtered.begin(), filtered.end(), h) == filtered.end())
                    filtered.push_back(h);
        }
        std::vector<int> dests = algo.getRevisionsOf({target});
        if (dests.empty())
            dests.push_back(None);
        QStringList filteredIds;
        for (int h : filtered)
            filteredIds.append(at(h).id);
        QList<StampStep> steps;
        for (int dest : dests) {
            if (dest < 0) {
                // to base: a "delete branch" step for every head of the lineage
                for (const QString &h : std::as_const(filteredIds))
                    steps.append({{h}, {}, false, true});
                continue;
            }
            if (std::find(filtered.begin(), filtered.end(), dest) != filtered.end())
                continue;   // already in the version table
            const std::vector<int> descendants = algo.descendantNodes({dest});
            const std::vector<int> ancestors = algo.ancestorNodes({dest});
            auto meets = [&filtered](const std::vector<int> &nodes) {
                return std::any_of(filtered.begin(), filtered.end(),
                                   [&nodes](int h) { return std::find(nodes.begin(), nodes.end(), h) != nodes.end(); });
            };
            if (meets(descendants)) {
                // heads above the target: a downgrade, one "merge" step
                if (meets(ancestors))
                    MapAlgorithms::crash(QStringLiteral("AssertionError"),
                                         QStringLiteral("Stamping %1: the version table has revisions both above and below "
                                                        "it (Alembic's _stamp_revs asserts there are none below)")
                                             .arg(at(dest).id));
                steps.append({filteredIds, {at(dest).id}, false, false});
            } else if (meets(ancestors)) {
                steps.append({filteredIds, {at(dest).id}, true, false});
            } else {
                steps.append({{}, {at(dest).id}, true, true});   // a branch the table does not have yet
            }
        }
        return steps;
    } catch (const RevisionMapError &e) {
        return convert(e, texts);
    }
}

Result<QList<PlanStep>> RevisionMap::upgradePlan(const QString &target, const QStringList &currentHeads) const
{
    CatchTexts texts;
    texts.ancestor = QStringLiteral("Destination %(end)s is not a valid upgrade target from current head(s)");
    texts.end = target;
    texts.hasEnd = true;
    try {
        if (m_loadError.isValid()) {
            MapAlgorithms::refuseBeforeReading(Ident::str(target), currentIdent(currentHeads), false);
            return m_loadError;
        }
        const std::vector<int> revs = MapAlgorithms(*this).iterateRevisions(Ident::str(target), currentIdent(currentHeads),
                                                                            true, false, true, false);
        QList<PlanStep> steps;
        for (auto it = revs.rbegin(); it != revs.rend(); ++it) {
            const Revision &r = at(*it);
            steps.append({true, *it, r.downRevisions, {r.id}, fileOf(*it).doc()});
        }
        if (auto missing = missingFunction(steps, true))
            return *missing;
        return steps;
    } catch (const RevisionMapError &e) {
        return convert(e, texts);
    }
}

Result<QList<PlanStep>> RevisionMap::downgradePlan(const QString &target, const QStringList &currentHeads) const
{
    CatchTexts texts;
    texts.ancestor = QStringLiteral("Destination %(end)s is not a valid downgrade target from current head(s)");
    texts.end = target;
    texts.hasEnd = true;
    try {
        if (m_loadError.isValid()) {
            MapAlgorithms::refuseBeforeReading(currentIdent(currentHeads), Ident::str(target), true);
            return m_loadError;
        }
        const std::vector<int> revs = MapAlgorithms(*this).iterateRevisions(currentIdent(currentHeads), Ident::str(target),
                                                                            false, false, true, true);
        QList<PlanStep> steps;
        for (int i : revs) {
            const Revision &r = at(i);
            steps.append({false, i, {r.id}, r.downRevisions, fileOf(i).doc()});
        }
        if (auto missing = missingFunction(steps, false))
            return *missing;
        return steps;
    } catch (const RevisionMapError &e) {
        return convert(e, texts);
    }
}

Result<std::vector<int>> RevisionMap::allCurrent(const QStringList &currentHeads) const
{
    try {
        return MapAlgorithms(*this).allCurrent(currentHeads);
    } catch (const RevisionMapError &e) {
        return convert(e, {});
    }
}

std::vector<int> RevisionMap::ancestors(int rev, bool includeDependencies) const
{
    return MapAlgorithms(*this).ancestorNodes({rev}, includeDependencies);
}

std::vector<int> RevisionMap::descendants(int rev, bool includeDependencies) const
{
    return MapAlgorithms(*this).descendantNodes({rev}, includeDependencies);
}

std::vector<int> RevisionMap::displayOrder() const
{
    // Newest first: every revision before its down revisions (Kahn's algorithm from the
    // heads, ties to the newest position in the map). Tolerates cycles by appending the rest.
    const int n = size();
    std::vector<int> pending(size_t(n), 0);
    for (int i = 0; i < n; ++i)
        pending[size_t(i)] = int(at(i).allNext.size());
    std::vector<int> ready;
    for (int i = 0; i < n; ++i)
        if (pending[size_t(i)] == 0)
            ready.push_back(i);
    std::vector<int> out;
    out.reserve(size_t(n));
    std::vector<char> done(size_t(n), 0);
    // A stack keeps a branch together until it meets a merge, like a history viewer.
    std::sort(ready.begin(), ready.end());
    while (!ready.empty()) {
        const int r = ready.back();
        ready.pop_back();
        if (done[size_t(r)])
            continue;
        done[size_t(r)] = 1;
        out.push_back(r);
        const SmallInts &down = at(r).allDown;
        for (auto it = down.rbegin(); it != down.rend(); ++it) {
            if (--pending[size_t(*it)] == 0)
                ready.push_back(*it);
        }
    }
    for (int i = 0; i < n; ++i)
        if (!done[size_t(i)])
            out.push_back(i);
    return out;
}

} // namespace retort::core
