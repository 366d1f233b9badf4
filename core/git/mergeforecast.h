#pragma once

#include "git/gitrepository.h"
#include "project/scriptdirectory.h"
#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace retort::core {

// One head of the revision map git's merge would leave.
struct ForecastHead
{
    QString revision;
    QString file;
    QStringList downRevisions;
    bool yours = false;   // new on this branch (the target does not have it)
};

// Why merging would break `alembic upgrade head`, naming the revision, its file and parent.
struct ForecastProblem
{
    QString rule;         // more-heads, forks-old-revision, merge-conflict, merged-map-broken
    QString message;
    QString revision;
    QString file;
    int line = 0;
    QString parent;       // forks-old-revision: the down revision that is no longer a head
    QStringList suggestedParents;  // forks-old-revision: the target's heads to re-parent onto
};

// What merging the checkout (or a commit) into a target branch does to the revision map,
// before anything is merged: the target's map, ours, git's pre-merged map and what is wrong
// with it. An immutable value; build it on any thread.
class MergeForecast
{
public:
    // Reads `config`'s version locations from git: `target` (any rev-parse spec) and ours —
    // the commit `ours`, or the working tree when it is empty — merged the way git would.
    static Result<MergeForecast> compute(const ProjectConfig &config, const QString &target, const QString &ours = {});
    // The same from files already read (the part that does not touch git).
    static MergeForecast fromFiles(const ProjectConfig &config, const GitMergeFiles &files);

    const QString &target() const { return m_target; }
    const QString &targetCommit() const { return m_targetCommit; }
    const QString &baseCommit() const { return m_baseCommit; }
    bool oursIsWorktree() const { return m_oursIsWorktree; }
    const Project &targetProject() const { return *m_targetProject; }
    const Project &oursProject() const { return *m_oursProject; }
    const Project &mergedProject() const { return *m_mergedProject; }

    const QList<GitConflict> &conflicts() const { return m_conflicts; }
    // Revision ids ours has and the target lacks ("new on this branch"), in ours' display order.
    const QStringList &newRevisions() const { return m_newRevisions; }
    // Revision ids the target has and ours lacks (ghost rows), in the target's display order.
    const QStringList &targetOnly() const { return m_targetOnly; }
    const QStringList &targetHeads() const { return m_targetHeads; }
    // The merged map's heads: ours first, then the target's.
    const QList<ForecastHead> &mergedHeads() const { return m_mergedHeads; }
    const QList<ForecastProblem> &problems() const { return m_problems; }
    const QList<Diagnostic> &warnings() const { return m_warnings; }

    bool isClean() const { return m_problems.isEmpty(); }
    bool addsHeads() const { return m_mergedHeads.size() > m_targetHeads.size(); }
    // One line for a banner: "after merging into main: 2 heads — yours 5c1d… (revises 1e0b…),
    // main's e41a… (revises 1e0b…)"; empty when the merge is clean.
    QString banner() const;
    // The forks-old-revision problem a re-parent would fix: exactly one of the target's heads
    // to move onto. Empty when there is none or the choice is not one head.
    std::optional<ForecastProblem> reparentCandidate() const;

    // "5c1d…": the first four characters, the way the banner names revisions.
    static QString shortId(const QString &id);

private:
    QString m_target, m_targetCommit, m_baseCommit;
    bool m_oursIsWorktree = true;
    std::shared_ptr<const Project> m_targetProject, m_oursProject, m_mergedProject;
    QList<GitConflict> m_conflicts;
    QStringList m_newRevisions, m_targetOnly, m_targetHeads;
    QList<ForecastHead> m_mergedHeads;
    QList<ForecastProblem> m_problems;
    QList<Diagnostic> m_warnings;
};

} // namespace retort::core
