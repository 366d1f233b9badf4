#pragma once

#include "graph/revisionmap.h"
#include "project/projectconfig.h"
#include "result.h"

#include <QByteArray>
#include <QList>

#include <utility>

namespace retort::core {

// A project as loaded from disk: its configuration, its files and its revision map.
// Immutable once built; views share it through std::shared_ptr.
struct Project
{
    ProjectConfig config;
    RevisionMap map;
    QList<Diagnostic> warnings;  // listing problems (files loaded twice, missing folders)
};

// Lists and reads the revision files of a project the way Alembic's ScriptDirectory does:
// each version location in order, its entries in directory order, `*.py` files that do not
// start with `.#` or `__init__`. Files are read on all cores.
class ScriptDirectory
{
public:
    // The file names Alembic would load from one folder, in Alembic's order.
    static QStringList listRevisionFiles(const QString &folder, bool recursive);
    static Result<Project> load(const ProjectConfig &config);
    static RevisionFile readRevisionFile(const QString &path, const QString &fileName);

    // A project from file contents held in memory (a git tree, a merge result) instead of the
    // folders on disk: (path, bytes) pairs in load order, paths as Alembic would print them.
    // Parsed and resolved exactly as load() does; nothing on disk is listed.
    static Project loadFromContents(const ProjectConfig &config, const QList<std::pair<QString, QByteArray>> &files);
};

} // namespace retort::core
