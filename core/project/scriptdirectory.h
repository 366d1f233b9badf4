#pragma once

#include "graph/revisionmap.h"
#include "project/projectconfig.h"
#include "result.h"

#include <QByteArray>
#include <QList>

#include <optional>

#include <utility>

namespace retort::core {

// A project as loaded from disk: its configuration, its files and its revision map.
// Immutable once built; views share it through std::shared_ptr.
struct Project
{
    ProjectConfig config;
    RevisionMap map;
    QList<Diagnostic> warnings;  // listing problems (files loaded twice, missing folders)
    // Every revision file is held parsed (RevisionFile::tree, keyed by its content hash):
    // lints, the operations index, merge previews and the editor read the trees, not files
    // (unless loaded with LoadOptions::keepSyntaxTrees off).
    int reparsed = 0;            // files this load parsed (the rest came from `previous` or the cache)
    int fromCache = 0;           // files whose facts came from the parse cache (ParseCache)
    int unread = 0;              // of those, files not even read: their stamp was the recorded one
};

struct LoadOptions
{
    // Keep each file's syntax tree in the snapshot. A command that only reads the revision
    // map (heads, history) turns this off: the tree is freed as soon as the identifiers are
    // read (less memory, and the allocator reuses it for the next file), and each file's
    // facts come from the parse cache (ParseCache) when its bytes are unchanged -- known
    // from its settled stamp without reading it, or else read and hashed -- so only the rest
    // is parsed. A syntax error anywhere still fails the load as in Alembic (the cache keeps
    // each file's problems).
    bool keepSyntaxTrees = true;
};

// Lists and reads the revision files of a project the way Alembic's ScriptDirectory does:
// each version location in order, its entries sorted (Alembic 1.10+) or in directory order, `*.py` files that do not
// start with `.#` or `__init__`. Files are read on all cores.
class ScriptDirectory
{
public:
    // The file names Alembic would load from one folder, in Alembic's order (sorted: 1.10+).
    static QStringList listRevisionFiles(const QString &folder, bool recursive, bool sorted = true);
    // `previous` (the project as loaded before, if any) lends its parsed files: a file whose
    // bytes are unchanged is not parsed again.
    static Result<Project> load(const ProjectConfig &config, const Project *previous = nullptr, LoadOptions options = {});
    // `previous` lends its parse when the bytes are unchanged and it was parsed as `version`.
    static RevisionFile readRevisionFile(const QString &path, const QString &fileName, python::PythonVersion version,
                                         const RevisionFile *previous = nullptr);
    // `previous` again after the files at `changedPaths` changed in place (the folders did
    // not change: no file was added, removed or renamed). Reads only those files; the map is
    // built again only when one of them changes its shape (RevisionMap::withFiles). Empty when
    // that cannot answer like load() would: a path the project did not load, or a file that
    // is gone or unreadable now; then load() it.
    static std::optional<Project> reloadFiles(const Project &previous, const QStringList &changedPaths);

    // A project from file contents held in memory (a git tree, a merge result) instead of the
    // folders on disk: (path, bytes) pairs in load order, paths as Alembic would print them.
    // Parsed and resolved exactly as load() does; nothing on disk is listed.
    static Project loadFromContents(const ProjectConfig &config, const QList<std::pair<QString, QByteArray>> &files);
};

} // namespace retort::core
