#include "projectsession.h"

#include "python/syntaxtree.h"
#include "project/contenthash.h"

#include "background.h"
#include "db/versiontable.h"
#include "lint/lints.h"
#include "lint/structure.h"

#include <QDir>
#include <QFileInfo>

namespace retort::ui {

ProjectSession::ProjectSession(QObject *parent) : QObject(parent), m_databases(new Databases(this))
{
    connect(m_databases, &Databases::statusChanged, this, &ProjectSession::onDatabaseStatus);
    connect(m_databases, &Databases::activeChanged, this, &ProjectSession::onDatabaseStatus);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &ProjectSession::reloadChanges);
    // A folder event means files came, went or were renamed (an editor's atomic save too):
    // the folders are listed again. A file event alone is a change in place.
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        m_fullReload = true;
        m_debounce.start();
    });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this](const QString &path) {
        m_changedFiles.insert(path);
        emit fileChanged(path);
        m_debounce.start();
    });
}

// A load's answer, with what is computed from it off the GUI thread.
struct ProjectSession::Loaded
{
    core::Result<core::Project> result = core::makeError(core::Error::Code::Io, QString());
    QList<core::Diagnostic> structural;
    LoadKind kind = LoadKind::Full;
    QStringList changed;  // the files read again, for a ChangedFiles load
};

ProjectSession::~ProjectSession() = default;

std::optional<QByteArray> ProjectSession::fileContent(const QString &path) const
{
    if (!m_project)
        return std::nullopt;
    const core::RevisionMap &map = m_project->map;
    for (int i = 0; i < map.size(); ++i) {
        const core::RevisionFile &f = map.fileOf(i);
        if (f.path != path)
            continue;
        // The parse keeps the decoded text; it is the file's bytes when their hashes agree.
        if (!f.tree || core::hashContent(f.tree->text()).a != f.contentHash)
            return std::nullopt;
        return QByteArray(f.tree->text().data(), qsizetype(f.tree->text().size()));
    }
    return std::nullopt;
}

void ProjectSession::open(const QString &folderOrIni)
{
    m_location = folderOrIni;
    m_project.reset();
    m_databases->setProject(nullptr);
    m_problems.clear();
    m_structural.clear();
    m_lints.clear();
    m_lintCache.reset();
    m_changedFiles.clear();
    m_fullReload = false;
    m_run = RunState();
    m_selection.clear();
    const bool hadRevision = !m_currentRevision.isEmpty() || !m_currentFile.isEmpty();
    m_currentRevision.clear();
    m_currentFile.clear();
    emit projectOpening(folderOrIni);
    if (hadRevision)
        emit currentRevisionChanged(QString());
    emit runStateChanged();
    startLoad();
}

void ProjectSession::reload()
{
    m_fullReload = true;
    reloadChanges();
}

void ProjectSession::reloadChanges()
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
    const auto previous = m_project;
    // Only revision files changed in place: read just those. Anything else lists the project.
    QStringList changed;
    if (previous && !m_fullReload && !m_changedFiles.contains(previous->config.iniPath)
        && !m_changedFiles.contains(previous->config.tomlPath))
        changed = m_changedFiles.values();
    m_changedFiles.clear();
    m_fullReload = false;
    runInBackground(this,
                    [location, previous, changed]() -> Loaded {
                        Loaded out;
                        if (!changed.isEmpty()) {
                            if (auto p = core::ScriptDirectory::reloadFiles(*previous, changed)) {
                                out.result = std::move(*p);
                                out.kind = LoadKind::ChangedFiles;
                                out.changed = changed;
                            }
                        }
                        if (out.kind == LoadKind::Full) {
                            auto cfg = core::ProjectConfig::open(location);
                            if (!cfg) {
                                out.result = cfg.error();
                                return out;
                            }
                            // unchanged files keep their parsed trees
                            out.result = core::ScriptDirectory::load(
                                *cfg, previous && previous->config.scriptLocation == cfg->scriptLocation ? previous.get() : nullptr);
                        }
                        if (out.result)
                            out.structural = core::structuralProblems(*out.result); // reads retort.toml / the ini
                        return out;
                    },
                    [this, generation](Loaded loaded) { finishLoad(generation, std::move(loaded)); });
}

namespace {

bool sameProblems(const QList<core::Diagnostic> &a, const QList<core::Diagnostic> &b)
{
    return std::equal(a.cbegin(), a.cend(), b.cbegin(), b.cend(), [](const core::Diagnostic &x, const core::Diagnostic &y) {
        return x.severity == y.severity && x.line == y.line && x.rule == y.rule && x.message == y.message && x.file == y.file
               && x.revision == y.revision;
    });
}

} // namespace

void ProjectSession::setProblems(QList<core::Diagnostic> problems, bool announceUnchanged)
{
    // A file changed in place that changes no finding repaints nothing.
    if (!announceUnchanged && sameProblems(problems, m_problems))
        return;
    m_problems = std::move(problems);
    emit problemsChanged(m_problems);
}

void ProjectSession::finishLoad(quint64 generation, Loaded loaded)
{
    if (generation != m_generation)
        return; // a newer load (or a close) overtook this one
    m_loading = false;
    const core::Result<core::Project> &result = loaded.result;
    if (!result) {
        m_problems = {{core::Diagnostic::Severity::Error, QStringLiteral("project"), result.error().message, m_location, 0, {}}};
        m_structural.clear();
        emit loadFailed(result.error().message);
        emit problemsChanged(m_problems);
    } else {
        // The file the current revision was read from: if the new snapshot has no revision
        // there but a problem with it (it no longer parses, it cannot be read), that file stays
        // what is shown instead of the newest revision.
        QString shownFile = m_currentFile;
        if (shownFile.isEmpty() && m_project && !m_currentRevision.isEmpty())
            if (const int i = m_project->map.indexOf(m_currentRevision); i >= 0)
                shownFile = m_project->map.fileOf(i).path;
        m_project = std::make_shared<const core::Project>(std::move(*loaded.result));
        m_lastLoadKind = loaded.kind;
        if (loaded.kind == LoadKind::Full) {
            watch(*m_project);
        } else {
            // The same files as before; one replaced rather than rewritten may have lost its watch.
            const QStringList watched = m_watcher.files();
            QStringList lost;
            for (const QString &path : std::as_const(loaded.changed))
                if (!watched.contains(path))
                    lost.append(path);
            if (!lost.isEmpty())
                m_watcher.addPaths(lost);
        }
        // Each database's applied set, against the new snapshot.
        m_databases->setProject(m_project);
        m_structural = std::move(loaded.structural);
        // Until the lints answer, the last run's lint findings stay (a change in place keeps
        // most of them); a full load shows the structural problems alone.
        QList<core::Diagnostic> problems = m_structural;
        if (loaded.kind == LoadKind::ChangedFiles)
            problems += m_lints;
        else
            m_lints.clear();
        // The current revision survives a reload when the snapshot still has it; otherwise
        // the newest revision becomes current.
        const core::RevisionMap &map = m_project->map;
        QString next = m_currentRevision;
        if (!shownFile.isEmpty() && (next.isEmpty() || map.indexOf(next) < 0 || !m_currentFile.isEmpty())) {
            // A file shown without a revision (or whose revision went): its revision once it
            // has one; none while it has a problem; else (deleted) the newest revision.
            next.clear();
            for (int i = 0; i < map.size(); ++i)
                if (map.fileOf(i).path == shownFile)
                    next = map.at(i).id;
            const bool troubled = std::any_of(m_structural.cbegin(), m_structural.cend(), [&shownFile](const core::Diagnostic &d) {
                return core::concernsFile(d, shownFile);
            });
            m_currentFile = next.isEmpty() && troubled ? shownFile : QString();
            if (next.isEmpty() && !troubled) {
                const auto order = map.displayOrder();
                next = order.empty() ? QString() : map.at(order.front()).id;
            }
        } else if (next.isEmpty() || map.indexOf(next) < 0) {
            const auto order = map.displayOrder();
            next = order.empty() ? QString() : map.at(order.front()).id;
        }
        QStringList kept;
        for (const QString &id : std::as_const(m_selection))
            if (map.indexOf(id) >= 0)
                kept.append(id);
        m_selection = kept;
        m_currentRevision = next;
        emit projectLoaded(m_project);
        const bool full = loaded.kind == LoadKind::Full;
        setProblems(std::move(problems), full);
        // Views re-show the current revision from the new snapshot either way.
        emit currentRevisionChanged(m_currentRevision);
        emit selectionChanged(m_selection);
        startLints(full);
        readDatabases(false);
    }
    if (m_reloadQueued) {
        m_reloadQueued = false;
        startLoad();
    }
}

void ProjectSession::startLints(bool announceUnchanged)
{
    const auto project = m_project;
    // Review lints off the GUI thread, then merged into the problems; files whose trees did
    // not change keep the last run's findings.
    struct Linted
    {
        QList<core::Diagnostic> lints;
        std::shared_ptr<const core::LintCache> cache;
    };
    runInBackground(this, [project, previous = m_lintCache] {
        auto cache = std::make_shared<core::LintCache>();
        Linted out;
        out.lints = core::lintProject(*project, previous.get(), cache.get());
        out.cache = std::move(cache);
        return out;
    }, [this, project, announceUnchanged](Linted linted) {
        if (m_project != project)
            return;
        m_lintCache = std::move(linted.cache);
        m_lints = std::move(linted.lints);
        setProblems(m_structural + m_lints, announceUnchanged);
    });
}

bool ProjectSession::setCurrentRevision(const QString &id)
{
    if (!m_project || m_project->map.indexOf(id) < 0)
        return false;
    m_currentFile.clear();
    if (id == m_currentRevision)
        return true;
    m_currentRevision = id;
    emit currentRevisionChanged(id);
    return true;
}

void ProjectSession::setCurrentFile(const QString &path)
{
    if (m_project) {
        for (int i = 0; i < m_project->map.size(); ++i)
            if (m_project->map.fileOf(i).path == path) {
                setCurrentRevision(m_project->map.at(i).id);
                return;
            }
    }
    if (path == m_currentFile && m_currentRevision.isEmpty())
        return;
    m_currentFile = path;
    m_currentRevision.clear();
    emit currentRevisionChanged(QString());
}

void ProjectSession::setSelectedRevisions(const QStringList &ids)
{
    if (ids == m_selection)
        return;
    m_selection = ids;
    emit selectionChanged(ids);
}

bool ProjectSession::isApplied(const QString &id) const
{
    return appliedRevisions().contains(id);
}

QString ProjectSession::databaseError() const
{
    if (m_databases->connections().isEmpty())
        return m_project ? tr("No sqlalchemy.url in the project's configuration.") : QString();
    const DatabaseStatus &st = m_databases->activeStatus();
    if (st.error.isValid())
        return st.error.message;
    if (st.read && !st.exists)
        return tr("The database file does not exist yet.");
    return {};
}

void ProjectSession::onDatabaseStatus(const QString &name)
{
    if (!m_project || name != m_databases->active())
        return;
    const DatabaseStatus &st = m_databases->activeStatus();
    if (st.reading && !st.read) {
        // A database not read before (just made active): no position yet. What another
        // database said is not shown under its name while this one is asked.
        emit databasePositionChanged({}, tr("%1 has not answered yet.").arg(m_databases->active()));
        return;
    }
    if (st.reading || !st.read)
        return; // a read again: the last answer stays until the new one comes
    emit databasePositionChanged(st.heads, databaseError());
}

void ProjectSession::setRunning(bool running)
{
    if (m_run.running == running)
        return;
    m_run.running = running;
    if (running) {
        m_run.failedRevision.clear();
        m_run.failedFile.clear();
        m_run.failedLine = 0;
        m_run.failureMessage.clear();
    } else {
        m_run.runningRevision.clear();
    }
    emit runStateChanged();
}

void ProjectSession::setRunningRevision(const QString &id)
{
    if (m_run.runningRevision == id)
        return;
    m_run.runningRevision = id;
    emit runStateChanged();
}

void ProjectSession::setRunFailed(const QString &revision, const QString &file, int line, const QString &message)
{
    m_run.failedRevision = revision;
    m_run.failedFile = file;
    m_run.failedLine = line;
    m_run.failureMessage = message;
    emit runStateChanged();
}

void ProjectSession::clearRunFailure()
{
    if (m_run.failedRevision.isEmpty() && m_run.failedFile.isEmpty())
        return;
    m_run.failedRevision.clear();
    m_run.failedFile.clear();
    m_run.failedLine = 0;
    m_run.failureMessage.clear();
    emit runStateChanged();
}

void ProjectSession::setStairwayResults(const QHash<QString, bool> &passed)
{
    m_run.stairway = passed;
    emit runStateChanged();
}

void ProjectSession::watch(const core::Project &project)
{
    // Sets, not lists: at 10,000 revisions the list lookups here took half a second.
    QSet<QString> paths;
    for (const QString &loc : project.config.versionLocations)
        if (QFileInfo(loc).isDir())
            paths.insert(loc);
    for (const core::RevisionFile &f : project.map.files())
        paths.insert(f.path);
    if (!project.config.iniPath.isEmpty())
        paths.insert(project.config.iniPath);
    const QStringList watchedList = m_watcher.files() + m_watcher.directories();
    const QSet<QString> watched(watchedList.cbegin(), watchedList.cend());
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
    // A person (or a finished run) asked: the schema may have changed by hand too.
    readDatabases(true);
}

void ProjectSession::readDatabases(bool forceDrift)
{
    if (!m_project)
        return;
    if (m_databases->connections().isEmpty()) {
        emit databasePositionChanged({}, databaseError());
        return;
    }
    m_databases->refresh(forceDrift);
}

} // namespace retort::ui
