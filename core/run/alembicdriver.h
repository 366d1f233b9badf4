#pragma once

#include "run/alembiclocator.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace retort::core {

// What to open in the driver: the project's configuration, optionally pointed at another
// database (a scratch one), with -x arguments.
struct DriverProject
{
    QString iniPath;
    QString section = QStringLiteral("alembic");
    QString workingDir;
    QString url;          // empty: the ini's sqlalchemy.url
    QStringList xArgs;
    // Refuse to migrate any database but `url` (an env.py that builds its own URL would
    // otherwise replay on the user's database): the step fails before a statement runs.
    bool guard = false;
};

// A statement a migration step ran, and whether the database had committed it when it
// returned (pysqlite runs DDL outside a transaction until a data change opens one).
struct ExecutedStatement
{
    enum class Fate { Committed, InTransaction, Unknown };
    QString sql;
    Fate fate = Fate::Unknown;
};

// How one request ended. A failed step is an outcome, not an error: the caller decides.
struct DriverOutcome
{
    bool ok = false;
    bool crashed = false;    // the driver process died during the request (it is restarted next time)
    bool cancelled = false;
    QString error;           // Alembic's message ("Can't locate revision ..."), or why the driver stopped
    QString traceback;
    QStringList log;         // Alembic's log lines for this request, passwords masked
    int migrations = 0;      // migration steps applied (Alembic's "Running upgrade ..." steps)
    qint64 elapsedMs = 0;
    // The statements of the step that did not finish (failed, cancelled or crashed); empty
    // when every step finished. Those still InTransaction were rolled back with it.
    QList<ExecutedStatement> unfinishedStep;
};

// A client for Retort's Alembic driver (resources/driver/retort_driver.py): one long-lived
// child process of the project's interpreter that runs the project's own Alembic through
// its command API and takes steps over a pipe. Every change still goes through Alembic;
// only the per-step cost of starting Python, importing and reading the revision files goes.
// If the driver dies, the request in flight reports it (never waits on a dead pipe) and
// the next request starts a fresh driver and reopens the project.
// Blocking: use it on one thread at a time, off the GUI thread (a stairway, a replay, a CLI
// command). A driver kept across pool jobs calls releaseThread() at the end of each job;
// the next job's first request adopts the process on its own thread.
// Cancel (the flag, polled every 50 ms): a cancel request first, which stops between steps
// (the driver stays up) or interrupts the step under way (the driver then exits); if the
// request has not ended after the grace period, SIGINT, SIGTERM, SIGKILL to the driver's
// process group, one grace period apart.
class AlembicDriver
{
public:
    using LineHandler = std::function<void(const QString &line)>;
    using StepHandler = std::function<void(bool upgrade, const QStringList &from, const QStringList &to)>;
    // The step last reported has been committed (its transaction block ended with none open).
    using CommitHandler = std::function<void()>;

    explicit AlembicDriver(AlembicCommand alembic);
    ~AlembicDriver();
    AlembicDriver(const AlembicDriver &) = delete;
    AlembicDriver &operator=(const AlembicDriver &) = delete;

    // Where the driver script is: $RETORT_DRIVER, the installed share/retort/driver/, the source tree.
    static QString scriptPath();
    // The interpreter that runs the project's Alembic: the python of `python -m alembic`, or the
    // interpreter named in the `alembic` script's #! line. {program, arguments before the script}.
    static Result<QStringList> interpreterFor(const AlembicCommand &alembic);

    void setLineHandler(LineHandler h) { m_lineHandler = std::move(h); }
    void setStepHandler(StepHandler h) { m_stepHandler = std::move(h); }
    void setCommitHandler(CommitHandler h) { m_commitHandler = std::move(h); }
    void setCancelFlag(const std::atomic<bool> *flag) { m_cancel = flag; }
    void setCancelGrace(int ms) { m_graceMs = ms; }

    // Opens the project (starting the driver if needed). Errors: the driver cannot start,
    // the interpreter has no Alembic, the configuration does not load.
    Result<DriverOutcome> open(const DriverProject &project);
    DriverOutcome upgrade(const QString &target);
    DriverOutcome downgrade(const QString &target);
    DriverOutcome stamp(const QStringList &targets);

    bool isRunning() const;
    int restarts() const { return m_starts > 0 ? m_starts - 1 : 0; }
    int starts() const { return m_starts; }
    QString alembicVersion() const { return m_alembicVersion; }
    // Ends the driver now (the next request starts a new one).
    void stop();
    // The driver's process id, 0 when none runs.
    qint64 processId() const;
    // Leaves the driver's process without a thread, for the next job's thread to adopt.
    void releaseThread();

private:
    Result<bool> ensureStarted();
    DriverOutcome request(const QString &op, const QJsonObject &args);
    QJsonObject openArguments() const;
    bool readLine(QByteArray &line, DriverOutcome &outcome, int timeoutMs);
    void escalateCancel(DriverOutcome &outcome);
    void adoptThread();
    void drainStderr(DriverOutcome &outcome, bool flush);
    void handleLog(const QString &text, DriverOutcome &outcome);

    AlembicCommand m_alembic;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_buffer;
    QByteArray m_stderr;
    DriverProject m_project;
    bool m_projectOpen = false;
    bool m_haveProject = false;
    int m_nextId = 1;
    int m_starts = 0;
    QString m_alembicVersion;
    LineHandler m_lineHandler;
    StepHandler m_stepHandler;
    CommitHandler m_commitHandler;
    const std::atomic<bool> *m_cancel = nullptr;
    int m_graceMs = 2000;
    int m_cancelStage = 0;     // 1: asked the driver; 2..4: SIGINT, SIGTERM, SIGKILL sent
    int m_currentId = 0;       // the request in flight
    QElapsedTimer m_cancelTimer;
};

} // namespace retort::core
