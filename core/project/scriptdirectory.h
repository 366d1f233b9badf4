#pragma once

#include "graph/revisionmap.h"
#include "project/projectconfig.h"
#include "result.h"

#include <QList>

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
};

} // namespace retort::core
