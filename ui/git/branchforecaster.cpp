#include "branchforecaster.h"

#include "background.h"

#include <QFileInfo>

namespace retort::ui {

namespace {

struct Reading
{
    core::GitInfo info;
    core::Error error;     // the project is not under git (Io), or git failed
    bool notGit = false;
    std::shared_ptr<const core::MergeForecast> forecast;
};

} // namespace

BranchForecaster::BranchForecaster(QObject *parent) : QObject(parent)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(300);
    connect(&m_debounce, &QTimer::timeout, this, &BranchForecaster::refresh);
    // A ref file replaced (commit, fetch, checkout) or packed-refs / HEAD rewritten.
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { m_debounce.start(); });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { m_debounce.start(); });
}

QString BranchForecaster::target() const
{
    return m_chosen.isEmpty() ? m_info.defaultTarget : m_chosen;
}

void BranchForecaster::setProject(std::shared_ptr<const core::Project> project)
{
    m_project = std::move(project);
    refresh();
}

void BranchForecaster::setTarget(const QString &target)
{
    const QString chosen = target == m_info.defaultTarget ? QString() : target.trimmed();
    if (chosen == m_chosen)
        return;
    m_chosen = chosen;
    refresh();
}

void BranchForecaster::refresh()
{
    m_debounce.stop();
    if (!m_project) {
        m_state = State::NoProject;
        m_forecast.reset();
        emit forecastChanged();
        return;
    }
    start();
}

void BranchForecaster::start()
{
    const quint64 generation = ++m_generation;
    const core::ProjectConfig config = m_project->config;
    const QString chosen = m_chosen;
    if (m_state != State::Ready) {
        m_state = State::Reading;
        emit forecastChanged();
    }
    runInBackground(this,
                    [config, chosen]() {
                        Reading r;
                        const QString where = QFileInfo::exists(config.scriptLocation) ? config.scriptLocation : config.baseDir;
                        auto repo = core::GitRepository::open(where);
                        if (!repo) {
                            r.notGit = true;
                            r.error = repo.error();
                            return r;
                        }
                        r.info = repo->info();
                        const QString target = chosen.isEmpty() ? r.info.defaultTarget : chosen;
                        if (target.isEmpty()) {
                            r.error = core::makeError(core::Error::Code::Usage,
                                                      QObject::tr("No main or master branch and no upstream: choose the "
                                                                  "branch this one will be merged into."));
                            return r;
                        }
                        auto files = repo->mergeFiles(config, target);
                        if (!files) {
                            r.error = files.error();
                            return r;
                        }
                        r.forecast = std::make_shared<const core::MergeForecast>(core::MergeForecast::fromFiles(config, *files));
                        return r;
                    },
                    [this, generation](Reading r) {
                        if (generation != m_generation)
                            return;  // a newer snapshot or target overtook this reading
                        const bool infoMoved = r.info.fingerprint != m_info.fingerprint || r.info.branches != m_info.branches
                                               || r.info.defaultTarget != m_info.defaultTarget;
                        m_info = r.info;
                        m_error = r.error;
                        m_forecast = r.forecast;
                        m_state = r.notGit ? State::NotGit : r.forecast ? State::Ready : State::Failed;
                        watchRefs();
                        if (infoMoved)
                            emit infoChanged();
                        emit forecastChanged();
                    });
}

void BranchForecaster::watchRefs()
{
    const QStringList watched = m_watcher.directories() + m_watcher.files();
    QStringList wanted = m_info.watchPaths;
    wanted.sort();
    QStringList have = watched;
    have.sort();
    if (wanted == have)
        return;
    if (!watched.isEmpty())
        m_watcher.removePaths(watched);
    if (!wanted.isEmpty())
        m_watcher.addPaths(wanted);
}

} // namespace retort::ui
