#pragma once

#include "project/scriptdirectory.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace retort::ui {

// The open project: loads it off the GUI thread, reloads it when revision files change on
// disk (debounced), and reads the database's version table in the background. Views get
// immutable snapshots through projectLoaded(); nothing here blocks the event loop.
class ProjectSession : public QObject
{
    Q_OBJECT
public:
    explicit ProjectSession(QObject *parent = nullptr);
    ~ProjectSession() override;

    // Starts loading a folder or alembic.ini; the result arrives as projectLoaded / loadFailed.
    void open(const QString &folderOrIni);
    void reload();
    void refreshDatabase();

    QString location() const { return m_location; }
    std::shared_ptr<const core::Project> project() const { return m_project; }
    QStringList currentRevisions() const { return m_current; }
    QString databaseError() const { return m_databaseError; }
    bool isLoading() const { return m_loading; }
    // Delay between a change on disk and the reload it triggers.
    void setReloadDelay(int ms) { m_debounce.setInterval(ms); }

signals:
    void projectLoaded(std::shared_ptr<const retort::core::Project> project);
    void loadFailed(const QString &message);
    void databasePositionChanged(const QStringList &currentRevisions, const QString &error);
    void fileChanged(const QString &path);

private:
    void startLoad();
    void finishLoad(quint64 generation, const core::Result<core::Project> &result);
    void watch(const core::Project &project);

    QString m_location;
    std::shared_ptr<const core::Project> m_project;
    QStringList m_current;
    QString m_databaseError;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
    quint64 m_generation = 0;
    quint64 m_dbGeneration = 0;
    bool m_loading = false;
    bool m_reloadQueued = false;
};

} // namespace retort::ui
