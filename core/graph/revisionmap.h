#pragma once

#include "graph/smallints.h"
#include "project/revisionfile.h"
#include "result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace retort::core {

// One node of the revision graph. Indices refer to RevisionMap::at().
struct Revision
{
    QString id;
    QStringList downRevisions;     // _versioned_down_revisions
    QStringList dependencies;      // depends_on as written (ids or labels)
    QStringList branchLabels;      // after Alembic's propagation, in a stable order
    QStringList ownBranchLabels;   // as written in this file
    int file = -1;                 // index into RevisionMap::files()

    bool dependsOnEmptyString = false; // depends_on = "": no dependency, yet not None
    SmallInts down;             // versioned down revisions
    SmallInts resolvedDeps;     // _resolved_dependencies
    SmallInts normalizedDeps;   // _normalized_resolved_dependencies
    SmallInts allDown;          // _all_down_revisions
    SmallInts normalizedDown;   // _normalized_down_revisions
    SmallInts next;             // nextrev
    SmallInts allNext;          // _all_nextrev

    bool isHead() const { return next.empty(); }
    bool isRealHead() const { return allNext.empty(); }
    bool isBase() const { return downRevisions.isEmpty(); }
    bool isRealBase() const { return downRevisions.isEmpty() && dependencies.isEmpty() && !dependsOnEmptyString; }
    bool isBranchPoint() const { return next.size() > 1; }
    bool isRealBranchPoint() const { return allNext.size() > 1; }
    bool isMergePoint() const { return downRevisions.size() > 1; }
};

// One step of an upgrade or downgrade plan, as Alembic's RevisionStep.
struct PlanStep
{
    bool upgrade = true;
    int revision = -1;
    QStringList from;  // from_revisions_no_deps
    QStringList to;    // to_revisions_no_deps
    QString doc;
    // The text Alembic logs after "Running ": "upgrade a -> b, message".
    QString text() const;
};

// One step of ScriptDirectory._stamp_revs (Alembic's StampStep): the version table rows
// `from` become `to`; `branchMove` adds or removes a row instead.
struct StampStep
{
    QStringList from;
    QStringList to;
    bool upgrade = true;
    bool branchMove = false;
};

// The revision map of a project: an immutable snapshot built from parsed revision
// files, answering every read question the way alembic.script.revision.RevisionMap does.
// Build it on any thread; share it read-only afterwards.
class RevisionMap
{
public:
    // Sentinels used where Alembic returns None or the string "base".
    static constexpr int None = -1;
    static constexpr int Base = -2;

    RevisionMap() = default;
    static RevisionMap build(QList<RevisionFile> files);
    // `previous` with some of its files (by index into files()) replaced by new versions of
    // themselves. When none of them changes what the map is made of (sameShape), the
    // revisions, heads, labels and diagnostics are the previous map's and only the files
    // differ; otherwise the map is built again from the files. Same answers as build().
    static RevisionMap withFiles(const RevisionMap &previous, const QHash<int, RevisionFile> &replacements);
    // Whether two versions of a file give the map the same revision, edges, labels, the same
    // lines in its messages and the same create date (lanes order siblings by it).
    static bool sameShape(const RevisionFile &a, const RevisionFile &b);
    // Equal for two maps with the same revisions, edges and order (the files' texts may
    // differ): lanes and rows computed for one hold for the other.
    quint64 shape() const { return m_shape; }

    // The error Alembic would raise while loading this project (invalid when it loads).
    const Error &loadError() const { return m_loadError; }
    bool isValid() const { return !m_loadError.isValid(); }
    // Every problem found, including ones Alembic only warns about.
    const QList<Diagnostic> &diagnostics() const { return m_diagnostics; }

    const QList<RevisionFile> &files() const { return m_files; }
    int size() const { return int(m_revs.size()); }
    const Revision &at(int i) const { return m_revs[size_t(i)]; }
    const RevisionFile &fileOf(int i) const { return m_files[m_revs[size_t(i)].file]; }
    int indexOf(const QString &id) const { return m_index.value(id, None); }
    // Revision a branch label names, or None.
    int labelTarget(const QString &label) const { return m_labels.value(label, None); }

    const std::vector<int> &heads() const { return m_heads; }         // versioned heads (alembic heads)
    const std::vector<int> &realHeads() const { return m_realHeads; } // heads counting depends_on
    const std::vector<int> &bases() const { return m_bases; }
    const std::vector<int> &realBases() const { return m_realBases; }

    // ScriptDirectory.walk_revisions(base, head): what `alembic history -r base:head` lists, in order.
    Result<std::vector<int>> walkRevisions(const QString &base = QStringLiteral("base"),
                                           const QString &head = QStringLiteral("heads")) const;
    // walk_revisions with the database's current heads standing for "current".
    Result<std::vector<int>> walkRevisions(const QStringList &base, const QStringList &head) const;
    // ScriptDirectory.get_revisions(target): `alembic show`. Entries may be None/Base.
    Result<std::vector<int>> resolve(const QString &target) const;
    // ScriptDirectory.get_revision(target): a single revision (None for base).
    Result<int> resolveOne(const QString &target) const;
    // The steps `alembic upgrade TARGET` / `alembic downgrade TARGET` run from `currentHeads`.
    Result<QList<PlanStep>> upgradePlan(const QString &target, const QStringList &currentHeads) const;
    Result<QList<PlanStep>> downgradePlan(const QString &target, const QStringList &currentHeads) const;
    // ScriptDirectory._stamp_revs((target,), heads): what `alembic stamp TARGET` does over the
    // version table `currentHeads` (applied by stampResult()).
    Result<QList<StampStep>> stampSteps(const QString &target, const QStringList &currentHeads) const;
    // ScriptDirectory.get_all_current(heads): what `alembic current` prints.
    Result<std::vector<int>> allCurrent(const QStringList &currentHeads) const;

    // Ancestors (following down revisions and depends_on) of `rev`, including itself.
    std::vector<int> ancestors(int rev, bool includeDependencies = true) const;
    std::vector<int> descendants(int rev, bool includeDependencies = true) const;
    // A stable newest-first order of every revision that tolerates broken maps (for views).
    std::vector<int> displayOrder() const;

private:
    friend class MapAlgorithms;
    std::optional<Error> missingFunction(const QList<PlanStep> &steps, bool upgrade) const;
    QList<RevisionFile> m_files;
    QList<Revision> m_revs;  // implicitly shared: a map that only swaps files copies none
    QHash<QString, int> m_index;
    QHash<QString, int> m_labels;
    QStringList m_keyOrder;   // revision ids then labels: the key order of Alembic's map
    std::vector<int> m_heads, m_realHeads, m_bases, m_realBases;
    Error m_loadError;
    quint64 m_shape = 0;
    QList<Diagnostic> m_diagnostics;
};

} // namespace retort::core
