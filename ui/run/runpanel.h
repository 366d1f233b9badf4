#pragma once

#include "run/alembicprocess.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QAction;
class QToolButton;

namespace retort::core { struct Project; struct PlanStep; struct BranchChanges; }

namespace retort::ui {

class ProjectSession;

// Runs the project's own Alembic: upgrade / downgrade / stamp to a chosen target, merge,
// new revision and the stairway test (offline SQL is SqlPreview's, never a run). Shows the plan first (asking before downgrade, stamp and
// anything on a production database), streams the log live, tracks the steps, cancels,
// and re-reads the database and the project afterwards. One run at a time.
class RunPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunPanel(ProjectSession *session, QWidget *parent = nullptr);
    ~RunPanel() override;

    void setProject(std::shared_ptr<const core::Project> project);
    // The window's actions (ActionHandler) as this panel's buttons: the same QAction objects
    // as the Run menu's, so they enable and disable together.
    void setActions(const QList<QAction *> &upgrade, const QList<QAction *> &downgrade, const QList<QAction *> &stamp,
                    const QList<QAction *> &sql, QAction *stairway, QAction *cancel);
    // Forgets every earlier run (another project was opened).
    void reset();

    // The actions; `target` is an Alembic target ("head", "-1", "ae10", "label@-1", "base").
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
    void cancel();
    // The stairway test on a scratch database, off the GUI thread; cancel stops between steps.
    bool runStairway();
    bool isStairwayRunning() const { return m_stairwayRunning; }

    bool isRunning() const;
    bool isAlembicReady() const { return m_alembic.has_value(); }
    std::optional<core::AlembicCommand> alembic() const { return m_alembic; }
    QString alembicDescription() const;
    bool isProduction() const;
    // The Alembic to run: an interpreter (`-m alembic`) or an alembic executable; empty
    // returns to finding it automatically. Kept in the settings; found again at once.
    void setConfiguredAlembic(const QString &program);
    void setProduction(bool on);

    QPlainTextEdit *log() const { return m_log; }
    QProgressBar *progress() const { return m_progress; }
    QLabel *stepLabel() const { return m_stepLabel; }
    QLabel *resultLabel() const { return m_result; }
    QComboBox *history() const { return m_history; }
    QString lastCreatedFile() const { return m_lastCreated; }

signals:
    void alembicLocated(bool ok);
    void runStarted(const QStringList &arguments);
    void runFinished(bool ok);
    void stepChanged(const QString &revision);   // the revision being applied, empty when none
    void failedAt(const QString &revision, int line, const QString &file);
    void revisionCreated(const QString &path);
    void stairwayFinished(const QHash<QString, bool> &passed, int failed);

private:
    enum class Kind { Upgrade, Downgrade, Stamp, Merge, Revision };
    bool start(Kind kind, const QStringList &args, const QString &title, const QList<core::PlanStep> &plan);
    QString planHtml(const QString &action, const QString &target, const QList<core::PlanStep> &plan) const;
    QString maskedUrl() const;
    QString databaseName() const;
    void appendLine(const QString &line, core::AlembicProcess::Level level);
    void resetProgress(int steps);
    void reportPartialStep(const QString &revision, bool upgrade);
    void onFinished(int exitCode, bool crashedOrCancelled);
    void locate();
    bool askMerge(const QStringList &heads, const core::BranchChanges &changes);

    ProjectSession *m_session;
    std::shared_ptr<const core::Project> m_project;
    std::optional<core::AlembicCommand> m_alembic;
    core::AlembicProcess *m_process;
    Kind m_kind = Kind::Upgrade;
    QString m_title;
    QList<core::PlanStep> m_plan;
    int m_stepsDone = 0;
    QString m_currentStepRevision;
    QString m_lastCreated;
    QString m_locatedFor;

    QLabel *m_alembicLabel;
    QCheckBox *m_production;
    QToolButton *m_upgradeButton;
    QToolButton *m_downgradeButton;
    QToolButton *m_stampButton;
    QToolButton *m_sqlButton;
    QToolButton *m_stairwayButton;
    QToolButton *m_cancelButton;
    QProgressBar *m_progress;
    QLabel *m_stepLabel;
    QLabel *m_result;
    QComboBox *m_history;
    QLineEdit *m_search;
    QPlainTextEdit *m_log;
    QList<QPair<QString, QString>> m_runs; // title, log text
    std::shared_ptr<std::atomic<bool>> m_stairwayCancel;
    bool m_stairwayRunning = false;
    quint64 m_mergePreview = 0;     // the latest merge preview asked for
    quint64 m_mergePreviewDone = 0; // the latest one shown or cancelled
};

} // namespace retort::ui
