#include "projectsession.h"

#include "background.h"
#include "db/versiontable.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QThread>

namespace retort::ui {

ProjectSession::ProjectSession(QObject *parent) : QObject(parent)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &ProjectSession::reload);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { m_debounce.start(); });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this](const QString &path) {
        emit fileChanged(path);
        m_debounce.start();
    });
}

ProjectSession::~ProjectSession() = default;

void ProjectSession::open(const QString &folderOrIni)
{
    m_location = folderOrIni;
    m_project.reset();
    m_current.clear();
    startLoad();
}

void ProjectSession::reload()
{
    if (m_location.isEmpty())
        return;
    if (m_loading) {
        m_reloadQueued = true;
        return;
    }
    startLoad();
}

void ProjectSession::startLoad()
{
    m_loading = true;
    const quint64 generation = ++m_generation;
    const QString location = m_location;
    runInBackground(this,
                    [location, previous = m_project]() -> core::Result<core::Project> {
                        auto cfg = core::ProjectConfig::open(location);
                        if (!cfg)
                            return cfg.error();
                        // unchanged files keep their parsed trees
                        return core::ScriptDirectory::load(*cfg, previous && previous->config.scriptLocation == cfg->scriptLocation ? previous.get() : nullptr);
                    },
                    [this, generation](core::Result<core::Project> result) { finishLoad(generation, result); });
}

void ProjectSession::finishLoad(quint64 generation, const core::Result<core::Project> &result)
{
    if (generation != m_generation)
        return; // a newer load (or a close) overtook this one
    m_loading = false;
    if (!result) {
        emit loadFailed(result.error().message);
    } else {
        m_project = std::make_shared<const core::Project>(*result);
        watch(*m_project);
        emit projectLoaded(m_project);
        refreshDatabase();
    }
    if (m_reloadQueued) {
        m_reloadQueued = false;
        startLoad();
    }
}

void ProjectSession::watch(const core::Project &project)
{
    QStringList paths;
    for (const QString &loc : project.config.versionLocations)
        if (QFileInfo(loc).isDir())
            paths.append(loc);
    for (const core::RevisionFile &f : project.map.files())
        paths.append(f.path);
    if (!project.config.iniPath.isEmpty())
        paths.append(project.config.iniPath);
    const QStringList watched = m_watcher.files() + m_watcher.directories();
    QStringList stale;
    for (const QString &w : watched)
        if (!paths.contains(w))
            stale.append(w);
    if (!stale.isEmpty())
        m_watcher.removePaths(stale);
    QStringList fresh;
    for (const QString &p : std::as_const(paths))
        if (!watched.contains(p))
            fresh.append(p);
    if (!fresh.isEmpty())
        m_watcher.addPaths(fresh);
}

void ProjectSession::refreshDatabase()
{
    if (!m_project)
        return;
    const core::ProjectConfig &cfg = m_project->config;
    if (cfg.sqlalchemyUrl.isEmpty()) {
        m_current.clear();
        m_databaseError = tr("No sqlalchemy.url in the project's configuration.");
        emit databasePositionChanged(m_current, m_databaseError);
        return;
    }
    core::VersionTable::Options opt;
    opt.url = cfg.sqlalchemyUrl;
    opt.workingDir = cfg.baseDir;
    opt.table = cfg.versionTable;
    opt.schema = cfg.versionTableSchema;
    const quint64 generation = ++m_dbGeneration;
    runInBackground(this, [opt]() { return core::VersionTable::read(opt); },
                    [this, generation](core::Result<core::DatabasePosition> pos) {
                        if (generation != m_dbGeneration)
                            return;
                        if (pos) {
                            m_current = pos->heads;
                            m_databaseError = pos->databaseExists ? QString() : tr("The database file does not exist yet.");
                        } else {
                            m_current.clear();
                            m_databaseError = pos.error().message;
                        }
                        emit databasePositionChanged(m_current, m_databaseError);
                    });
}

} // namespace retort::ui
