#pragma once

#include "alembicflavor.h"
#include "result.h"

#include <QString>
#include <QStringList>

namespace retort::core {

// Where an Alembic project keeps its revisions and database, resolved the way
// `alembic -c INI -n SECTION` resolves them when run from baseDir.
// Plain value type; built once per load.
struct ProjectConfig
{
    QString iniPath;          // absolute; empty when only pyproject.toml configures Alembic
    QString tomlPath;         // pyproject.toml with a [tool.alembic] table, if any
    QString section = QStringLiteral("alembic");
    QString here;             // directory of the configuration file (%(here)s)
    QString baseDir;          // working directory that relative paths resolve against

    QString scriptLocation;   // absolute
    QStringList versionLocations; // absolute, in configured order
    bool explicitVersionLocations = false;
    bool recursiveVersionLocations = false;
    bool sourceless = false;
    QString fileTemplate = QStringLiteral("%%(rev)s_%%(slug)s");
    QStringList prependSysPath; // absolute; where Alembic looks for the application's modules
    QString sqlalchemyUrl;    // as configured (may hold a password; never print it unmasked)
    Error sqlalchemyUrlError; // set when configparser could not interpolate sqlalchemy.url
    QString versionTable = QStringLiteral("alembic_version");
    QString versionTableSchema;
    // The Alembic / Python / SQLAlchemy the project runs on, for the answers that differ.
    AlembicFlavor flavor = AlembicFlavor::newest();

    // Loads `iniPath` (relative to baseDir) like alembic's Config + ScriptDirectory.from_config.
    static Result<ProjectConfig> load(const QString &iniPath, const QString &section = QStringLiteral("alembic"),
                                      const QString &baseDir = QString());
    // For the workbench: a folder (its alembic.ini or pyproject.toml) or an .ini file.
    // Relative paths in it resolve against the folder holding the configuration.
    static Result<ProjectConfig> open(const QString &folderOrIni);
    // [alembic], or else the first section with a script_location (multi-database projects).
    static Result<ProjectConfig> loadAnySection(const QString &iniPath, const QString &baseDir);

    QString displayName() const;
};

// Python's os.path.abspath against an explicit working directory.
QString pyAbsPath(const QString &path, const QString &cwd);

} // namespace retort::core
