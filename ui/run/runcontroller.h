#pragma once

#include "run/alembicdriver.h"
#include "run/alembicprocess.h"
#include "run/partialstep.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>
#include <optional>

class QWidget;

namespace retort::core { struct Project; struct PlanStep; struct BranchChanges; }

namespace retort::ui {

class ProjectSession;
class Databases;

// The database runs go to. Set as a whole with RunController::setTarget(); a default
// target is the ini's sqlalchemy.url with no -x arguments.
struct RunTarget
{
    QString url;          // SQLAlchemy URL (may carry a password; never shown unmasked); empty: the ini's sqlalchemy.url
    QStringList xArgs;    // -x arguments for env.py ("key=value")
    QString name;         // what the window calls it; empty: the database's name from the URL
    bool production = false; // every change asks for the database's name to be typed first
    bool operator==(const RunTarget &) const = default;
};

// One finished run, for the history.
struct RunRecord
{
    QString title;    // "upgrade heads"
    QString status;   // the rich-text result line
    QString log;      // every log line, as plain text
    bool ok = false;
};

// Runs the project's own Alembic on the target database and owns everything about it that
// is not a widget: the plan (from the engine), the steps done and the step under way, the
// log, the history of runs, cancel, and the run state it writes to ProjectSession.
// Upgrade, downgrade and stamp go through a long-lived AlembicDriver (one per project and
// database, reused across runs, restarted after a crash, stopped in the pool when the
// project closes and at exit) on the background pool; its lines and step ends come back
// as queued calls. Merge and new revision run `alembic merge` / `alembic revision` as an
// AlembicProcess (they write files, once; nothing to reuse). The stairway test runs
// core::Stairway on a scratch database. One run at a time.
// Decisions go through the Prompter (plans to confirm, the production database's name).
// Lives on the GUI thread; never blocks it.
class RunController : public QObject
{
    Q_OBJECT
public:
    enum class Kind { None, Upgrade, Downgrade, Stamp, Merge, Revision, Stairway };
    Q_ENUM(Kind)
    using Level = core::AlembicProcess::Level;
    struct LogLine
    {
        QString text;
        Level level = Level::Output;
    };

    explicit RunController(ProjectSession *session, QObject *parent = nullptr);
    ~RunController() override;

    // A reload of the same project keeps the target and the drivers; another project
    // resets the target to its ini's database (with its saved production flag).
    void setProject(std::shared_ptr<const core::Project> project);
    // The window the Prompter's questions belong to (may be null).
    void setPromptParent(QWidget *parent) { m_promptParent = parent; }

    // The database runs go to. The plan is computed from ProjectSession::currentRevisions(),
    // which must describe this database. A new target takes effect from the next run.
    void setTarget(const RunTarget &target);
    const RunTarget &target() const { return m_target; }
    // From then on the target is the active connection of `databases` (its URL with the
    // password given this session, -x arguments, name, production flag), following every
    // change of the active connection, of its settings and of its password.
    void followDatabases(Databases *databases);
    // The production flag alone (the Run dock's check box), kept per project in the settings.
    void setProduction(bool on);
    bool isProduction() const { return m_target.production; }
    QString targetUrl() const;
    QString maskedUrl() const;
    QString databaseName() const;

    // The Alembic to run: an interpreter (`-m alembic`) or an alembic executable; empty
    // returns to finding it automatically. Kept in the settings; found again at once.
    void setConfiguredAlembic(const QString &program);
    bool isAlembicReady() const { return m_alembic.has_value(); }
    std::optional<core::AlembicCommand> alembic() const { return m_alembic; }
    QString alembicDescription() const { return m_alembicDescription; }

    // The operations; `target` is an Alembic target ("head", "-1", "ae10", "label@-1", "base").
    // False when nothing started (the person declined, or status() says why).
    bool upgrade(const QString &target);
    bool downgrade(const QString &target);
    bool stamp(const QString &target);
    bool merge(const QStringList &heads, const QString &message);
    // Reads what each branch changes since they parted in the background pool, then shows it
    // (collisions first), asks for the merge message (Prompter) and merges. False when not
    // heads; true once the reading started. cancel() drops a reading still going on.
    bool mergeHeads(const QStringList &heads);
    bool isMergePreviewPending() const;
    bool newRevision(const QString &message, bool autogenerate, const QString &head, const QString &branchLabel,
                     bool splice, const QString &dependsOn);
    // The stairway test on a scratch database; cancel stops between steps.
    bool runStairway();
    void cancel();
    // Forgets every earlier run and stops the drivers (another project is opening).
    void reset();

    bool isRunning() const { return m_kind != Kind::None; }
    bool isStairwayRunning() const { return m_kind == Kind::Stairway; }
    Kind kind() const { return m_kind; }
    QString title() const { return m_title; }
    const QList<core::PlanStep> &plan() const { return m_plan; }
    int stepsDone() const { return m_stepsDone; }
    int stepsTotal() const { return m_stepsTotal; }
    QString currentStepRevision() const { return m_currentStepRevision; }
    QString currentStepText() const { return m_currentStepText; }
    qint64 elapsedMs() const { return m_timer.isValid() ? m_timer.elapsed() : 0; }
    // Rich text: how the last run went, or why an operation did not start.
    QString status() const { return m_status; }
    const QList<LogLine> &log() const { return m_log; }
    const QList<RunRecord> &history() const { return m_history; } // newest first
    QString lastCreatedFile() const { return m_lastCreated; }
    // After a failed or cancelled step on a database without transactional DDL: what it left.
    const core::FailedStepReport &failedStep() const { return m_failedStep; }
    // How many Alembic driver processes this controller has started (tests, diagnostics).
    int driverStarts() const { return m_driverStarts; }

signals:
    void alembicLocated(bool ok);
    void targetChanged();
    void runStarted(const QStringList &arguments);
    void logCleared();
    void lineAppended(const QString &line, retort::core::AlembicProcess::Level level);
    // Each migration step: started (Alembic's "Running ..." line), then finished (the
    // version table moved). `revision` as RunningStep::revision().
    void stepStarted(const QString &revision, const QString &text);
    void stepFinished(const QString &revision);
    void stepChanged(const QString &revision); // the revision being applied, empty when none
    void progressChanged(int done, int total);
    void statusChanged(const QString &html);
    void failedAt(const QString &revision, int line, const QString &file);
    void failedStepReported(const retort::core::FailedStepReport &report);
    void runFinished(bool ok);
    void historyChanged();
    void revisionCreated(const QString &path);
    void stairwayFinished(const QHash<QString, bool> &passed, int failed);

private:
    bool askMerge(const QStringList &heads, const core::BranchChanges &changes);
    struct DriverSlot;
    struct Job;
    struct Finished;

    void locate();
    // A project, Alembic found, nothing running; says why not when Alembic is missing.
    bool canStart();
    bool begin(Kind kind, const QString &title, const QList<core::PlanStep> &plan, const QString &commandLine);
    bool startDriverRun(Kind kind, const QString &target, const QString &title, const QList<core::PlanStep> &plan);
    bool startProcessRun(Kind kind, const QStringList &args, const QString &title);
    void onLine(const QString &line, Level level);
    void onStepFinished(bool upgrade, const QStringList &from, const QStringList &to);
    void onStepCommitted();
    void onDriverFinished(const Finished &finished);
    void onProcessFinished(int exitCode, bool crashedOrCancelled);
    void finish(bool ok, const QString &status);
    void setStatus(const QString &html);
    void appendLine(const QString &line, Level level);
    QString planHtml(const QString &action, const QString &target, const QList<core::PlanStep> &plan) const;
    bool confirm(const QString &title, const QString &html, bool always);
    std::shared_ptr<DriverSlot> driverSlot();
    void stopDrivers();
    QString productionKey() const;

    ProjectSession *m_session;
    QPointer<Databases> m_databases;
    void targetActiveDatabase();
    QWidget *m_promptParent = nullptr;
    std::shared_ptr<const core::Project> m_project;
    RunTarget m_target;
    RunTarget m_activeTarget;  // what targetActiveDatabase() last set: runs to the active database
    QStringList m_stepFrom, m_stepTo; // the version table's move of the step last finished
    std::optional<core::AlembicCommand> m_alembic;
    QString m_alembicDescription;
    QString m_locatedFor;
    quint64 m_locateGeneration = 0;
    QHash<QString, std::shared_ptr<DriverSlot>> m_drivers;
    int m_driverStarts = 0;
    core::AlembicProcess *m_process;

    // The run under way (or the last one).
    Kind m_kind = Kind::None;
    Kind m_lastKind = Kind::None;
    quint64 m_generation = 0;
    quint64 m_mergePreview = 0;     // the newest merge preview asked for
    quint64 m_mergePreviewDone = 0; // the newest one answered or dropped
    std::shared_ptr<Job> m_job;
    QString m_title;
    QList<core::PlanStep> m_plan;
    int m_stepsDone = 0;
    int m_stepsTotal = 0;
    QString m_currentStepRevision;
    QString m_currentStepText;
    QElapsedTimer m_timer;
    QString m_status;
    QList<LogLine> m_log;
    QList<RunRecord> m_history;
    QString m_lastCreated;
    core::FailedStepReport m_failedStep;
};

} // namespace retort::ui
