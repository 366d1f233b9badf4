#pragma once

#include "run/alembiclocator.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QStringList>

#include <optional>

namespace retort::core {

// A step as Alembic logs it when it begins: "Running upgrade a -> b, message".
struct RunningStep
{
    QString text;      // "upgrade a -> b, message"
    bool upgrade = true;
    QString from;      // "a" or "a, b" (a merge)
    QString to;
    // The revision the step is about: the "to" side of an upgrade, the "from" side of a
    // downgrade (the first one, at a merge).
    QString revision() const;
};
std::optional<RunningStep> parseRunningStep(const QString &logLine);

// Makes `process` (not started yet) start in a process group of its own, with the default
// signal dispositions and an empty signal mask, so a cancel's signals reach it and its children.
void startInOwnProcessGroup(QProcess &process);

// One run of the project's Alembic as a child process in its own process group: output
// lines stream out as they arrive (stdout and stderr interleaved in order, passwords
// masked), "Running upgrade a -> b" lines become step signals, cancel ends the group.
// Lives on the thread that created it; never blocks.
class AlembicProcess : public QObject
{
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error, Output };
    Q_ENUM(Level)

    explicit AlembicProcess(QObject *parent = nullptr);
    ~AlembicProcess() override;

    // Starts `alembic -c ini ARGS...` in workingDir. False if one is already running.
    bool start(const AlembicCommand &alembic, const QString &iniPath, const QStringList &args, const QString &workingDir);
    // SIGINT to the group, then SIGTERM, then SIGKILL, each after the grace period.
    void cancel();
    void setCancelGrace(int ms) { m_graceMs = ms; }
    bool isRunning() const;
    bool wasCancelled() const { return m_cancelled; }
    qint64 elapsedMs() const { return m_timer.isValid() ? m_timer.elapsed() : 0; }
    QStringList arguments() const { return m_args; }
    const QStringList &output() const { return m_lines; }
    // Alembic's own "FAILED: ..." message, or the last exception line of a traceback.
    QString failureMessage() const;

signals:
    void lineReceived(const QString &line, retort::core::AlembicProcess::Level level);
    // "upgrade a -> b, message" as Alembic logs it after "Running ".
    void stepStarted(const QString &stepText, bool upgrade, const QString &fromRevisions, const QString &toRevisions);
    void finished(int exitCode, bool crashedOrCancelled);
    // Cancel sent `signalName` ("SIGINT", "SIGTERM", "SIGKILL") to the process group.
    void cancelStep(const QString &signalName);

private:
    void readOutput();
    void handleLine(const QString &line);

    QProcess *m_process = nullptr;
    QByteArray m_partial;
    QStringList m_lines;
    QStringList m_args;
    QElapsedTimer m_timer;
    bool m_cancelled = false;
    int m_graceMs = 3000;
};

} // namespace retort::core
