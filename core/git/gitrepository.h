#pragma once

#include "project/projectconfig.h"
#include "project/revisionfile.h"
#include "result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <utility>

namespace retort::core {

// What a person chooses a merge target from, read in one go (cheap: refs only).
struct GitInfo
{
    QString workdir;         // the checkout's top folder, absolute, no trailing slash
    QString gitDir;
    QString currentBranch;   // short name; empty when HEAD is detached or unborn
    QString upstream;        // the current branch's upstream ("origin/main"), or empty
    QString defaultTarget;   // upstream, else main / master (local, then origin/)
    QStringList branches;    // local then remote-tracking short names
    QString fingerprint;     // changes whenever HEAD or any ref moves (a commit, a fetch)
    QStringList watchPaths;  // folders whose changes may move a ref

    bool isValid() const { return !workdir.isEmpty(); }
};

// The revision files of a project's version locations as one tree holds them.
// Paths are where the file sits in the checkout (<version location>/<name>), so a revision
// read from git and the same revision read from disk carry the same path.
struct GitVersionFiles
{
    QString commit;          // full hex id; empty for "the working tree"
    QList<std::pair<QString, QByteArray>> files;
    QList<Diagnostic> warnings;
};

// A revision file both sides changed in ways git cannot merge by itself.
struct GitConflict
{
    QString path;            // in the checkout (ours, else theirs, else the ancestor's path)
    QString ancestorPath, ourPath, theirPath;  // empty where that side has no file
    QString message;
};

// Target, ours and what git's merge of ours into the target leaves in the version locations.
struct GitMergeFiles
{
    QString targetName;      // as the user named it
    QString baseCommit;      // the merge base; empty when the histories are unrelated
    bool oursIsWorktree = true;
    GitVersionFiles target, ours, merged;
    QList<GitConflict> conflicts;
};

// Read access to the git repository a project lives in, through libgit2, without touching
// the checkout, the index or the object database: merge results are built in memory.
// Move-only; use one instance from one thread at a time (libgit2 repositories are not shared).
class GitRepository
{
public:
    // The repository holding `path` (searched upwards). Fails with Error::Code::Io when
    // `path` is not under git, or for a bare repository (there is no checkout to compare).
    static Result<GitRepository> open(const QString &path);

    GitRepository(GitRepository &&) noexcept;
    GitRepository &operator=(GitRepository &&) noexcept;
    ~GitRepository();

    GitInfo info() const;
    // The commit `spec` names (branch, tag, remote branch, hash, `HEAD~2`...), as full hex.
    Result<QString> resolveCommit(const QString &spec) const;
    // The version locations of `config` as the commit `spec` holds them.
    Result<GitVersionFiles> versionFiles(const ProjectConfig &config, const QString &spec) const;
    // Merging ours into `target`: ours is the commit `ours`, or with an empty `ours` the working
    // tree's version locations (uncommitted and untracked revision files included) on top of HEAD.
    Result<GitMergeFiles> mergeFiles(const ProjectConfig &config, const QString &target, const QString &ours = {}) const;

private:
    struct Private;
    explicit GitRepository(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

} // namespace retort::core
