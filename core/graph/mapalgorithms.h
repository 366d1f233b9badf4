#pragma once

// Internal to the revision map: a line-by-line port of the semantics of
// alembic.script.revision (Alembic 1.8) onto index-based data. Errors travel as
// RevisionMapError exceptions inside this layer only; RevisionMap's public calls
// catch them and return Result values, converting them the way
// ScriptDirectory._catch_revision_errors does.

#include "revisionmap.h"

#include <optional>
#include <utility>

namespace retort::core {

struct RevisionMapError
{
    enum class Kind { Revision, Resolution, MultipleHeads, RangeNotAncestor };
    Kind kind = Kind::Revision;
    QString message;
    QString argument;     // Resolution / MultipleHeads
    QStringList heads;    // MultipleHeads
    QString lower, upper; // RangeNotAncestor, already rendered as Python's %s would
    // Not a RevisionError: the exception Alembic raises instead (an assert, a None it
    // dereferences), which no _catch_revision_errors converts.
    QString exception;
};

// A Python-like argument: None, a string, or a tuple of strings.
struct Ident
{
    enum class Kind { None, String, Tuple };
    Kind kind = Kind::None;
    QString string;
    QStringList items;

    static Ident none() { return {}; }
    static Ident str(const QString &s) { return {Kind::String, s, {}}; }
    static Ident tuple(const QStringList &l) { return {Kind::Tuple, {}, l}; }
    // Python's "%s" rendering of the argument.
    QString repr() const;
};

class MapAlgorithms
{
public:
    explicit MapAlgorithms(const RevisionMap &map) : m(map) {}

    // --- lookups -------------------------------------------------------------
    std::pair<QStringList, std::optional<QString>> resolveRevisionNumber(const Ident &id) const;
    std::vector<int> getRevisions(const Ident &id) const;
    std::vector<int> getRevisionsOf(const QStringList &ids) const;
    int getRevision(const Ident &id) const;
    int revisionForIdent(const QString *resolvedId, const std::optional<QString> &checkBranch) const;
    int resolveBranch(const QString &label) const;
    std::optional<int> currentHead(const std::optional<QString> &branchLabel) const;

    // --- lineage -------------------------------------------------------------
    QStringList filterForLineage(const QStringList &targets, const QString &checkAgainst,
                                 bool includeDependencies = false) const;
    std::vector<int> filterForLineage(const std::vector<int> &targets, const QString &checkAgainst,
                                      bool includeDependencies = false) const;
    bool sharesLineage(int target, const std::vector<int> &against, bool includeDependencies) const;
    std::vector<int> lineageAgainst(const QString &checkAgainst) const;

    enum class Edge { Versioned, NormalizedDown, AllDown, Next, AllNext };
    std::vector<int> related(Edge edge, const std::vector<int> &targets, bool check = false) const;
    std::vector<int> ancestorNodes(const std::vector<int> &targets, bool includeDependencies = true,
                                   bool check = false) const;
    std::vector<int> descendantNodes(const std::vector<int> &targets, bool includeDependencies = true,
                                     bool check = false) const;

    // --- walking and plans -----------------------------------------------------
    int walk(int start, int steps, const std::optional<QString> &branchLabel, bool noOverwalk) const;
    int walkFrom(const QString &start, int steps, const std::optional<QString> &branchLabel, bool noOverwalk) const;
    std::pair<std::optional<QString>, int> parseDowngradeTarget(const Ident &current, const Ident &target,
                                                                bool assertRelativeLength) const;
    std::vector<int> parseUpgradeTarget(const Ident &current, const Ident &target, bool assertRelativeLength) const;
    std::pair<std::vector<int>, std::vector<int>> collectDowngrade(const Ident &upper, const Ident &target,
                                                                   bool inclusive, bool implicitBase,
                                                                   bool assertRelativeLength) const;
    std::pair<std::vector<int>, std::vector<int>> collectUpgrade(const Ident &upper, const Ident &lower,
                                                                 bool inclusive, bool implicitBase,
                                                                 bool assertRelativeLength) const;
    std::vector<int> iterateRevisions(const Ident &upper, const Ident &lower, bool implicitBase, bool inclusive,
                                      bool assertRelativeLength, bool selectForDowngrade) const;
    // The refusals _parse_upgrade_target / _parse_downgrade_target make from the target's text
    // (and an empty current state) alone, before anything reads the map: an upgrade to "-n" or
    // "+0", a downgrade to "+n", a downgrade to "-n" from no revision. Alembic makes them even
    // when its map cannot be built. Throws as iterateRevisions would; returns when none applies.
    static void refuseBeforeReading(const Ident &upper, const Ident &lower, bool selectForDowngrade);
    std::vector<int> topologicalSort(const std::vector<int> &revisions, const std::vector<int> &heads) const;
    std::vector<int> allCurrent(const QStringList &ids) const;

    [[noreturn]] static void fail(RevisionMapError::Kind kind, const QString &message, const QString &argument = {});
    // Where Alembic raises something other than a RevisionError (e.g. "AssertionError").
    [[noreturn]] static void crash(const QString &exception, const QString &message);

private:
    const RevisionMap &m;
};

// Python's int() acceptance for the relative-number checks in get_revisions.
std::optional<long long> pyInt(const QString &s);

} // namespace retort::core
