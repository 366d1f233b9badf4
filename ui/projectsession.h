#pragma once

#include "lint/lints.h"
#include "databases.h"
#include "project/scriptdirectory.h"

#include <QFileSystemWatcher>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <optional>

namespace retort::ui {

// What the workbench knows about the last (or current) run, as data: panels paint it,
// actions enable from it. Written only by the run controller through ProjectSession.
struct RunState
{
    bool running = false;          // an Alembic run or a stairway test is going on
    QString runningRevision;       // the revision a step is applying now
    QString failedRevision;        // after a failed run: where it failed
    QString failedFile;
    int failedLine = 0;
    QString failureMessage;
    QHash<QString, bool> stairway; // revision id -> passed
};

// The one owner of the workbench's state (like Tiled's MapDocument): the project
// snapshot, the current revision and the selection, the databases (Databases: each
// named connection's position and drift, one active), the review findings and the run state.
// It loads the project off the GUI thread, reloads it when files change on disk
// (debounced), reads the version table and runs the lints in the background pool.
// Views observe it through signals and never keep copies; MainWindow only wires.
// Lives on the GUI thread.
class ProjectSession : public QObject
{
    Q_OBJECT
public:
    explicit ProjectSession(QObject *parent = nullptr);
    ~ProjectSession() override;

    // Starts loading a folder or alembic.ini; the result arrives as projectLoaded / loadFailed.
    // Everything about the previous project is dropped at once (projectOpening).
    void open(const QString &folderOrIni);
    // Loads the whole project again (lists the folders; unchanged files keep their trees).
    void reload();
    void refreshDatabase();

    QString location() const { return m_location; }
    std::shared_ptr<const core::Project> project() const { return m_project; }
    // A revision file's bytes as the snapshot read them (its parse holds the text; a file
    // whose text was decoded into another form, CRLF or a BOM, is not offered), or nothing.
    std::optional<QByteArray> fileContent(const QString &path) const;
    bool isLoading() const { return m_loading; }
    // Delay between a change on disk and the reload it triggers.
    void setReloadDelay(int ms) { m_debounce.setInterval(ms); }
    // How the last load went: a reload after files changed in place reads only those files
    // (and keeps the revisions, heads and lanes when their shape did not change).
    enum class LoadKind { Full, ChangedFiles };
    LoadKind lastLoadKind() const { return m_lastLoadKind; }

    // The revision whose file, details and SQL are shown. Empty when none.
    QString currentRevision() const { return m_currentRevision; }
    // False (and nothing changes) for an id the snapshot does not have.
    bool setCurrentRevision(const QString &id);
    // A file of the project that is no revision of the snapshot (one that does not parse,
    // jumped to from the Problems dock) is what is shown: no revision is current then, so
    // details and editor agree. Once a reload finds a revision in that file (fixed, saved),
    // that revision becomes current. A file that holds a revision makes it current.
    void setCurrentFile(const QString &path);
    // The file shown while no revision is current (empty when a revision is, or nothing is).
    QString currentFile() const { return m_currentFile; }
    // The revisions selected in the graph (several for a merge); the current one first.
    QStringList selectedRevisions() const { return m_selection; }
    void setSelectedRevisions(const QStringList &ids);

    // The project's named databases, each one's position and drift, one active.
    Databases *databases() const { return m_databases; }
    // The active database: its current heads, the revisions applied under them, or why it
    // cannot be read (databasePositionChanged says when any of it changes).
    QStringList currentRevisions() const { return m_databases->activeStatus().heads; }
    bool isApplied(const QString &id) const;
    const QSet<QString> &appliedRevisions() const { return m_databases->activeStatus().applied; }
    QString databaseError() const;
    bool databaseExists() const { return m_databases->activeStatus().exists; }

    // Structural problems and review lints of the snapshot.
    const QList<core::Diagnostic> &problems() const { return m_problems; }

    const RunState &runState() const { return m_run; }
    void setRunning(bool running);
    void setRunningRevision(const QString &id);
    void setRunFailed(const QString &revision, const QString &file, int line, const QString &message);
    void clearRunFailure();
    void setStairwayResults(const QHash<QString, bool> &passed);

signals:
    void projectOpening(const QString &location);
    void projectLoaded(std::shared_ptr<const retort::core::Project> project);
    void loadFailed(const QString &message);
    void currentRevisionChanged(const QString &id);
    void selectionChanged(const QStringList &ids);
    void databasePositionChanged(const QStringList &currentRevisions, const QString &error);
    void problemsChanged(const QList<retort::core::Diagnostic> &problems);
    void runStateChanged();
    void fileChanged(const QString &path);

private:
    struct Loaded;
    void reloadChanges();
    void startLoad();
    void finishLoad(quint64 generation, Loaded loaded);
    // Emits problemsChanged; after a change in place only when the findings differ.
    void setProblems(QList<core::Diagnostic> problems, bool announceUnchanged);
    void watch(const core::Project &project);
    void startLints(bool announceUnchanged);
    void onDatabaseStatus(const QString &name);
    void readDatabases(bool forceDrift);

    QString m_location;
    std::shared_ptr<const core::Project> m_project;
    QString m_currentRevision;
    QString m_currentFile;
    QStringList m_selection;
    Databases *m_databases;
    QList<core::Diagnostic> m_problems;
    QList<core::Diagnostic> m_structural;  // of m_project, computed with it off the GUI thread
    QList<core::Diagnostic> m_lints;       // the last lint run's findings
    std::shared_ptr<const core::LintCache> m_lintCache;
    RunState m_run;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_reloadQueued = false;
    // What changed on disk since the last load started: revision files changed in place,
    // or something (a folder, the ini) that needs the whole project listed again.
    QSet<QString> m_changedFiles;
    bool m_fullReload = false;
    LoadKind m_lastLoadKind = LoadKind::Full;
};

} // namespace retort::ui
