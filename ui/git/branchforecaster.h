#pragma once

#include "git/gitrepository.h"
#include "git/mergeforecast.h"
#include "project/scriptdirectory.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

#include <memory>

namespace retort::ui {

// The git side of the open project, widget-free: which branch the checkout would merge into
// (default: the upstream of the current branch, else main / master), and what that merge
// does to the revision map (core::MergeForecast). Reads git on a background thread whenever
// the project snapshot changes (files on disk) or a ref moves (commit, checkout, fetch), and
// publishes immutable results. Owned by the window; lives on the GUI thread.
class BranchForecaster : public QObject
{
    Q_OBJECT
public:
    enum class State { NoProject, NotGit, Reading, Ready, Failed };

    explicit BranchForecaster(QObject *parent = nullptr);

    // A new snapshot of the checkout (after a load or a reload): read git again.
    void setProject(std::shared_ptr<const core::Project> project);
    // The branch, tag or commit to merge into; empty goes back to the default.
    void setTarget(const QString &target);
    // Reads refs and the forecast again now (what a change on disk triggers after a debounce).
    void refresh();
    void setRefreshDelay(int ms) { m_debounce.setInterval(ms); }

    State state() const { return m_state; }
    const core::GitInfo &info() const { return m_info; }
    QString target() const;               // the chosen target, else the default
    bool isDefaultTarget() const { return m_chosen.isEmpty(); }
    std::shared_ptr<const core::MergeForecast> forecast() const { return m_forecast; }
    const core::Error &error() const { return m_error; }

signals:
    void infoChanged();
    // The state or the forecast changed (also when it became unavailable).
    void forecastChanged();

private:
    void start();
    void watchRefs();

    std::shared_ptr<const core::Project> m_project;
    core::GitInfo m_info;
    QString m_chosen;
    std::shared_ptr<const core::MergeForecast> m_forecast;
    core::Error m_error;
    State m_state = State::NoProject;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
    quint64 m_generation = 0;
};

} // namespace retort::ui
