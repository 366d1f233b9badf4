#include "projectconfig.h"

#include "inifile.h"
#include "nativefile.h"
#include "tomlreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace retort::core {

namespace {

// posixpath.normpath
QString pyNormPath(const QString &path)
{
    if (path.isEmpty())
        return QStringLiteral(".");
    const bool absolute = path.startsWith(QLatin1Char('/'));
    const bool twoSlashes = path.startsWith(QStringLiteral("//")) && !path.startsWith(QStringLiteral("///"));
    QStringList out;
    for (const QString &part : path.split(QLatin1Char('/'))) {
        if (part.isEmpty() || part == QLatin1String("."))
            continue;
        if (part == QLatin1String("..")) {
            if (!out.isEmpty() && out.last() != QLatin1String(".."))
                out.removeLast();
            else if (!absolute)
                out.append(part);
            continue;
        }
        out.append(part);
    }
    QString joined = out.join(QLatin1Char('/'));
    if (absolute)
        joined.prepend(twoSlashes ? QStringLiteral("//") : QStringLiteral("/"));
    return joined.isEmpty() ? QStringLiteral(".") : joined;
}

QStringList splitLegacy(const QString &s)
{
    // alembic's _split_on_space_comma = r", *|(?: +)"
    static const QRegularExpression re(QStringLiteral(", *| +"));
    return s.split(re);
}

// `newline`: the separator Alembic 1.16 added (with path_separator); 1.13 refuses it.
Result<QStringList> splitLocations(const QString &value, const std::optional<QString> &separator, bool legacyAllowed,
                                   bool newline = true)
{
    if (!separator) {
        if (legacyAllowed)
            return splitLegacy(value);
        return QStringList{value};
    }
    QString sep;
    const QString s = *separator;
    if (s == QLatin1String("space"))
        sep = QStringLiteral(" ");
    else if (s == QLatin1String("os"))
        sep = QStringLiteral(":");
    else if (s == QLatin1String("newline") && newline)
        sep = QStringLiteral("\n");
    else if (s == QLatin1String(":") || s == QLatin1String(";"))
        sep = s;
    else {
        // ScriptDirectory.from_config's ValueError escapes Alembic's command line.
        Error e = makeError(Error::Code::Config,
                            QStringLiteral("'%1' is not a valid value for version_path_separator; expected 'space', %2'os', "
                                           "':', ';'")
                                .arg(s, newline ? QStringLiteral("'newline', ") : QString()));
        e.exception = QStringLiteral("ValueError");
        return e;
    }
    QStringList out;
    for (const QString &part : value.split(sep))
        if (!part.isEmpty())
            out.append(sep == QLatin1String("\n") ? part.trimmed() : part);
    out.removeAll(QString());
    return out;
}

// `package.module:path` resource locations: the package's folder, searched where Python would
// find it for this project (working directory, PYTHONPATH, around the configuration file).
QString resolveResource(const QString &location, const QStringList &roots)
{
    static const QRegularExpression pkg(QStringLiteral("^([A-Za-z_][\\w.]*):(.+)$"));
    const auto m = pkg.match(location);
    if (!m.hasMatch())
        return location;
    const QString dir = m.captured(1).replace(QLatin1Char('.'), QLatin1Char('/'));
    for (const QString &root : roots) {
        const QString candidate = QDir(root).filePath(dir + QLatin1Char('/') + m.captured(2));
        if (QFileInfo::exists(candidate))
            return candidate;
    }
    return location;
}

bool asBool(const QString &v)
{
    const QString s = v.trimmed().toLower();
    return s == QLatin1String("true") || s == QLatin1String("yes") || s == QLatin1String("on") || s == QLatin1String("1");
}

void readEnvPyHints(ProjectConfig &cfg)
{
    QFile env;
    if (!openForReading(env, QDir(cfg.scriptLocation).filePath(QStringLiteral("env.py"))))
        return;
    const QString text = QString::fromUtf8(env.readAll());
    static const QRegularExpression table(QStringLiteral("\\bversion_table\\s*=\\s*['\"]([^'\"]+)['\"]"));
    static const QRegularExpression schema(QStringLiteral("\\bversion_table_schema\\s*=\\s*['\"]([^'\"]+)['\"]"));
    if (const auto m = table.match(text); m.hasMatch())
        cfg.versionTable = m.captured(1);
    if (const auto m = schema.match(text); m.hasMatch())
        cfg.versionTableSchema = m.captured(1);
}

} // namespace

QString pyAbsPath(const QString &path, const QString &cwd)
{
    if (path.startsWith(QLatin1Char('/')))
        return pyNormPath(path);
    return pyNormPath(cwd + QLatin1Char('/') + path);
}

Result<ProjectConfig> ProjectConfig::load(const QString &iniPathIn, const QString &section, const QString &baseDirIn)
{
    ProjectConfig cfg;
    cfg.baseDir = baseDirIn.isEmpty() ? QDir::currentPath() : baseDirIn;
    cfg.section = section;
    const QString iniPath = iniPathIn.isEmpty() ? QStringLiteral("alembic.ini") : iniPathIn;
    const QString iniAbs = pyAbsPath(iniPath, cfg.baseDir);

    std::optional<IniFile> ini;
    if (QFileInfo(iniAbs).isFile()) {
        cfg.here = QFileInfo(iniAbs).absolutePath();
        auto loaded = IniFile::load(iniAbs, {{QStringLiteral("here"), cfg.here}}, iniPath);
        if (!loaded)
            return loaded.error();
        ini = *loaded;
        cfg.iniPath = iniAbs;
    }

    // The project's Alembic decides which files and options it reads.
    cfg.flavor = AlembicFlavor::forProject(cfg.here.isEmpty() ? cfg.baseDir : cfg.here);

    // pyproject.toml [tool.alembic] (Alembic 1.16+; older ones never open it): beside the
    // ini file, or in the working directory.
    TomlTable tool;
    for (const QString &dir : {cfg.here, cfg.baseDir}) {
        if (dir.isEmpty() || !cfg.flavor.readsPyproject())
            continue;
        const QString candidate = QDir(dir).filePath(QStringLiteral("pyproject.toml"));
        if (!QFileInfo(candidate).isFile())
            continue;
        auto table = readTomlTable(candidate, QStringLiteral("tool.alembic"));
        if (!table)
            return table.error();
        if (!table->isEmpty()) {
            tool = *table;
            cfg.tomlPath = candidate;
            if (cfg.here.isEmpty())
                cfg.here = QFileInfo(candidate).absolutePath();
        }
        break;
    }

    const bool iniHasSection = ini && ini->hasSection(section);
    if (!iniHasSection && tool.isEmpty()) {
        return makeError(Error::Code::Config,
                         QStringLiteral("No config file '%1' found, or file has no '[%2]' section").arg(iniPath, section),
                         iniAbs);
    }

    // The first interpolation error configparser would raise on the options read below.
    Error optionError;
    auto option = [&](const QString &name) -> std::optional<QString> {
        if (tool.contains(name)) {
            QString v = tool.string(name);
            v.replace(QStringLiteral("%(here)s"), cfg.here);
            return v;
        }
        if (iniHasSection) {
            auto v = ini->get(section, name);
            if (v)
                return *v;
            if (!optionError.isValid())
                optionError = v.error();
        }
        return std::nullopt;
    };

    const std::optional<QString> scriptLocation = option(QStringLiteral("script_location"));
    if (optionError.isValid())
        return optionError;
    if (!scriptLocation) {
        return makeError(Error::Code::Config, QStringLiteral("No 'script_location' key found in configuration."),
                         cfg.iniPath.isEmpty() ? cfg.tomlPath : cfg.iniPath);
    }
    QStringList roots{cfg.baseDir};
    for (const QString &p : qEnvironmentVariable("PYTHONPATH").split(QLatin1Char(':'), Qt::SkipEmptyParts))
        roots.append(pyAbsPath(p, cfg.baseDir));
    if (const auto sysPath = option(QStringLiteral("prepend_sys_path")))
        for (const QString &p : sysPath->split(QRegularExpression(QStringLiteral(", *| +|:")), Qt::SkipEmptyParts))
            roots.append(pyAbsPath(p, cfg.baseDir));
    if (!cfg.here.isEmpty()) {
        roots.append(cfg.here);
        roots.append(QFileInfo(cfg.here).absolutePath());
    }
    cfg.scriptLocation = pyAbsPath(resolveResource(*scriptLocation, roots), cfg.baseDir);
    if (!QFileInfo::exists(cfg.scriptLocation)) {
        return makeError(Error::Code::Config,
                         QStringLiteral("Path doesn't exist: '%1'.  Please use the 'init' command to create a new "
                                        "scripts folder.")
                             .arg(cfg.scriptLocation));
    }

    QStringList locations;
    if (tool.contains(QStringLiteral("version_locations")) && tool.isList(QStringLiteral("version_locations"))) {
        for (QString v : tool.list(QStringLiteral("version_locations"))) {
            v.replace(QStringLiteral("%(here)s"), cfg.here);
            locations.append(v);
        }
    } else if (const auto v = option(QStringLiteral("version_locations")); v && !v->isEmpty()) {
        // path_separator (Alembic 1.16) wins over version_path_separator; neither: legacy space/comma split.
        const bool has116 = cfg.flavor.readsPathSeparator();
        std::optional<QString> sep = has116 ? option(QStringLiteral("path_separator")) : std::nullopt;
        if (!sep)
            sep = option(QStringLiteral("version_path_separator"));
        auto split = splitLocations(*v, sep, true, has116);
        if (!split)
            return split.error();
        locations = *split;
    }
    if (!locations.isEmpty()) {
        cfg.explicitVersionLocations = true;
        for (const QString &loc : std::as_const(locations))
            cfg.versionLocations.append(pyAbsPath(resolveResource(loc, roots), cfg.baseDir));
    } else {
        cfg.versionLocations = {pyAbsPath(cfg.scriptLocation + QStringLiteral("/versions"), cfg.baseDir)};
    }

    if (const auto v = option(QStringLiteral("prepend_sys_path")); v && !v->isEmpty()) {
        std::optional<QString> sep = cfg.flavor.readsPathSeparator() ? option(QStringLiteral("path_separator")) : std::nullopt;
        static const QRegularExpression legacy(QStringLiteral(", *| +|:"));
        QStringList parts = v->split(legacy, Qt::SkipEmptyParts);
        if (sep) {
            auto split = splitLocations(*v, sep, false);
            if (split)
                parts = *split;
        }
        for (const QString &part : parts)
            cfg.prependSysPath.append(pyAbsPath(part, cfg.baseDir));
    }
    if (const auto v = option(QStringLiteral("recursive_version_locations")))
        cfg.recursiveVersionLocations = asBool(*v);
    if (tool.isBool(QStringLiteral("recursive_version_locations")))
        cfg.recursiveVersionLocations = tool.boolean(QStringLiteral("recursive_version_locations"));
    if (const auto v = option(QStringLiteral("sourceless")))
        cfg.sourceless = v->trimmed() == QLatin1String("true");
    if (const auto v = option(QStringLiteral("file_template")))
        cfg.fileTemplate = *v;
    if (optionError.isValid())
        return optionError;
    // ScriptDirectory.from_config reads the whole [post_write_hooks] section, [DEFAULT] and
    // `here` included: a value configparser cannot interpolate (a '%' in the project's path)
    // fails every command there.
    if (ini && ini->hasSection(QStringLiteral("post_write_hooks"))) {
        auto hooks = ini->items(QStringLiteral("post_write_hooks"));
        if (!hooks)
            return hooks.error();
    }
    if (iniHasSection) {
        // Alembic reads the URL only when it connects: an interpolation error in it fails
        // the commands that connect, not `heads` or `history`.
        auto url = ini->get(section, QStringLiteral("sqlalchemy.url"));
        if (!url)
            cfg.sqlalchemyUrlError = url.error();
        else if (*url)
            cfg.sqlalchemyUrl = **url;
    }
    readEnvPyHints(cfg);
    if (iniHasSection) {
        if (const auto v = ini->value(section, QStringLiteral("retort.version_table")))
            cfg.versionTable = *v;
        if (const auto v = ini->value(section, QStringLiteral("retort.version_table_schema")))
            cfg.versionTableSchema = *v;
    }
    return cfg;
}

Result<ProjectConfig> ProjectConfig::open(const QString &folderOrIni)
{
    const QFileInfo fi(folderOrIni);
    if (fi.isDir()) {
        const QDir dir(fi.absoluteFilePath());
        if (QFileInfo(dir.filePath(QStringLiteral("alembic.ini"))).isFile())
            return loadAnySection(dir.filePath(QStringLiteral("alembic.ini")), dir.absolutePath());
        if (QFileInfo(dir.filePath(QStringLiteral("pyproject.toml"))).isFile())
            return load(dir.filePath(QStringLiteral("alembic.ini")), QStringLiteral("alembic"), dir.absolutePath());
        return makeError(Error::Code::Config,
                         QStringLiteral("%1 has no alembic.ini (or pyproject.toml with [tool.alembic]). Open the "
                                        "folder that holds the project's alembic.ini, or the file itself.")
                             .arg(QDir::toNativeSeparators(dir.absolutePath())),
                         dir.absolutePath());
    }
    if (!fi.exists())
        return makeError(Error::Code::Config, QStringLiteral("%1 does not exist.").arg(folderOrIni), folderOrIni);
    return loadAnySection(fi.absoluteFilePath(), fi.absolutePath());
}

Result<ProjectConfig> ProjectConfig::loadAnySection(const QString &iniPath, const QString &baseDir)
{
    auto cfg = load(iniPath, QStringLiteral("alembic"), baseDir);
    if (cfg || cfg.error().message.startsWith(QStringLiteral("Path doesn't exist")))
        return cfg;
    // Multi-database projects keep their settings in named sections ([core], [tenant], ...):
    // open the first one that says where its scripts are.
    auto ini = IniFile::load(iniPath, {{QStringLiteral("here"), QFileInfo(iniPath).absolutePath()}});
    if (!ini)
        return cfg;
    for (const QString &section : ini->sections()) {
        if (section == QLatin1String("alembic") || !ini->rawValue(section, QStringLiteral("script_location")))
            continue;
        auto other = load(iniPath, section, baseDir);
        if (other)
            return other;
    }
    return cfg;
}

QString ProjectConfig::displayName() const
{
    const QString anchor = iniPath.isEmpty() ? tomlPath : iniPath;
    const QString name = QFileInfo(QFileInfo(anchor).absolutePath()).fileName();
    return section == QLatin1String("alembic") ? name : QStringLiteral("%1 [%2]").arg(name, section);
}

} // namespace retort::core
