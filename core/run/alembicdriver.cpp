#include "alembicdriver.h"

#include "db/sqlurl.h"
#include "run/alembicprocess.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QThread>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace retort::core {

namespace {

constexpr int kStartTimeoutMs = 60000;

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out.append(x.toString());
    return out;
}

} // namespace

AlembicDriver::AlembicDriver(AlembicCommand alembic) : m_alembic(std::move(alembic)) {}

AlembicDriver::~AlembicDriver()
{
    stop();
}

QString AlembicDriver::scriptPath()
{
    const QString env = qEnvironmentVariable("RETORT_DRIVER");
    if (!env.isEmpty())
        return env;
    QStringList candidates;
    if (QCoreApplication::instance())
        candidates << QCoreApplication::applicationDirPath() + QStringLiteral("/../share/retort/driver/retort_driver.py");
    candidates << QStringLiteral(RETORT_DRIVER_SOURCE);
    for (const QString &c : std::as_const(candidates))
        if (QFileInfo::exists(c))
            return QFileInfo(c).canonicalFilePath();
    return candidates.last();
}

Result<QStringList> AlembicDriver::interpreterFor(const AlembicCommand &alembic)
{
    if (alembic.prefix.size() >= 2 && alembic.prefix.at(0) == QLatin1String("-m"))
        return QStringList{alembic.program};
    if (QFileInfo(alembic.program).fileName().startsWith(QLatin1String("python")))
        return QStringList{alembic.program};
    QFile f(alembic.program);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, QStringLiteral("Cannot read %1 to find the Python that runs it.").arg(alembic.program));
    const QString first = QString::fromUtf8(f.readLine(4096)).trimmed();
    if (!first.startsWith(QLatin1String("#!")))
        return makeError(Error::Code::Io, QStringLiteral("%1 is not a Python script (no #! line); choose the project's python "
                                                         "interpreter in the run settings.")
                                              .arg(alembic.program));
    QStringList words = first.mid(2).split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return makeError(Error::Code::Io, QStringLiteral("%1 has an empty #! line.").arg(alembic.program));
    return words;
}

bool AlembicDriver::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 AlembicDriver::processId() const
{
    return isRunning() ? m_process->processId() : 0;
}

void AlembicDriver::releaseThread()
{
    if (m_process && m_process->thread() == QThread::currentThread())
        m_process->moveToThread(nullptr);
}

void AlembicDriver::adoptThread()
{
    if (m_process && m_process->thread() != QThread::currentThread())
        m_process->moveToThread(QThread::currentThread());
}

void AlembicDriver::stop()
{
    if (!m_process)
        return;
    adoptThread();
    if (m_process->state() == QProcess::Running) {
        m_process->write("{\"op\": \"quit\"}\n");
        m_process->closeWriteChannel();
        if (!m_process->waitForFinished(2000)) {
            m_process->kill();
            m_process->waitForFinished(2000);
        }
    }
    m_process.reset();
    m_projectOpen = false;
}

Result<bool> AlembicDriver::ensureStarted()
{
    if (isRunning())
        return true;
    m_process.reset();
    m_projectOpen = false;
    m_buffer.clear();
    m_stderr.clear();
    auto interpreter = interpreterFor(m_alembic);
    if (!interpreter)
        return interpreter.error();
    const QString script = scriptPath();
    if (!QFileInfo::exists(script))
        return makeError(Error::Code::Io, QStringLiteral("Retort's Alembic driver is missing (%1); reinstall Retort or set RETORT_DRIVER.").arg(script));
    auto p = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONIOENCODING"), QStringLiteral("utf-8"));
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    p->setProcessEnvironment(env);
    // Its own process group with default signal handling, so a cancel reaches it and
    // whatever env.py starts.
    startInOwnProcessGroup(*p);
    if (m_haveProject && !m_project.workingDir.isEmpty())
        p->setWorkingDirectory(m_project.workingDir);
    const QString program = interpreter->takeFirst();
    p->start(program, *interpreter + QStringList{script});
    if (!p->waitForStarted(10000))
        return makeError(Error::Code::Io, QStringLiteral("The Alembic driver does not start (%1): %2").arg(program, p->errorString()));
    m_process = std::move(p);
    ++m_starts;
    DriverOutcome scratch;
    QByteArray line;
    if (!readLine(line, scratch, kStartTimeoutMs)) {
        Error e = makeError(Error::Code::Io, QStringLiteral("The Alembic driver (%1) did not start: %2").arg(program, scratch.error));
        e.detail = scratch.log.join(QLatin1Char('\n'));
        stop();
        return e;
    }
    const QJsonObject ready = QJsonDocument::fromJson(line).object();
    if (ready.value(QStringLiteral("event")).toString() != QLatin1String("ready")) {
        Error e = makeError(Error::Code::Io, QStringLiteral("%1 cannot run the project's Alembic: %2")
                                                 .arg(program, ready.value(QStringLiteral("error")).toString(QString::fromUtf8(line))));
        stop();
        return e;
    }
    m_alembicVersion = ready.value(QStringLiteral("alembic")).toString();
    return true;
}

void AlembicDriver::handleLog(const QString &text, DriverOutcome &outcome)
{
    const QString line = maskPasswords(text);
    outcome.log.append(line);
    if (m_lineHandler)
        m_lineHandler(line);
}

void AlembicDriver::drainStderr(DriverOutcome &outcome, bool flush)
{
    if (!m_process)
        return;
    m_stderr += m_process->readAllStandardError();
    qsizetype nl;
    while ((nl = m_stderr.indexOf('\n')) >= 0) {
        handleLog(QString::fromUtf8(m_stderr.left(nl)).remove(QLatin1Char('\r')), outcome);
        m_stderr.remove(0, nl + 1);
    }
    if (flush && !m_stderr.isEmpty()) {
        handleLog(QString::fromUtf8(m_stderr), outcome);
        m_stderr.clear();
    }
}

// One protocol line; false when the driver died, was cancelled, or said nothing for timeoutMs
// (-1: no limit while it lives). Never blocks on a dead process.
bool AlembicDriver::readLine(QByteArray &line, DriverOutcome &outcome, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        const qsizetype nl = m_buffer.indexOf('\n');
        if (nl >= 0) {
            line = m_buffer.left(nl);
            m_buffer.remove(0, nl + 1);
            return true;
        }
        if (m_cancel && m_cancel->load())
            escalateCancel(outcome);
        if (m_process->state() != QProcess::Running) {
            m_buffer += m_process->readAllStandardOutput();
            if (m_buffer.contains('\n'))
                continue;
            drainStderr(outcome, true);
            if (m_cancelStage > 0) {
                outcome.cancelled = true;
                outcome.error = QStringLiteral("cancelled");
            } else {
                outcome.crashed = true;
                outcome.error = m_process->exitStatus() == QProcess::CrashExit
                                    ? QStringLiteral("the Alembic driver crashed (%1)").arg(m_process->errorString())
                                    : QStringLiteral("the Alembic driver exited with status %1").arg(m_process->exitCode());
            }
            return false;
        }
        if (timeoutMs >= 0 && timer.elapsed() > timeoutMs) {
            outcome.crashed = true;
            outcome.error = QStringLiteral("the Alembic driver did not answer within %1 s").arg(timeoutMs / 1000);
            m_process->kill();
            m_process->waitForFinished(2000);
            drainStderr(outcome, true);
            return false;
        }
        m_process->waitForReadyRead(50);
        m_buffer += m_process->readAllStandardOutput();
        drainStderr(outcome, false);
    }
}

void AlembicDriver::escalateCancel(DriverOutcome &outcome)
{
    if (!m_process || m_process->state() != QProcess::Running || m_currentId == 0)
        return; // starting: nothing to cancel yet
    const pid_t pid = pid_t(m_process->processId());
    if (m_cancelStage == 0) {
        m_process->write(QByteArray("{\"op\": \"cancel\", \"id\": ") + QByteArray::number(m_currentId) + "}\n");
        m_cancelStage = 1;
        m_cancelTimer.start();
        handleLog(QStringLiteral("# cancel: asked the Alembic driver to stop"), outcome);
        return;
    }
    if (m_cancelStage > 3 || m_cancelTimer.elapsed() < qint64(m_graceMs) * m_cancelStage)
        return;
    static const int escalation[] = {SIGINT, SIGTERM, SIGKILL};
    static const char *const names[] = {"SIGINT", "SIGTERM", "SIGKILL"};
    ::killpg(pid, escalation[m_cancelStage - 1]);
    handleLog(QStringLiteral("# cancel: sent %1 to the Alembic driver's process group").arg(QLatin1String(names[m_cancelStage - 1])),
              outcome);
    ++m_cancelStage;
}

DriverOutcome AlembicDriver::request(const QString &op, const QJsonObject &args)
{
    DriverOutcome outcome;
    adoptThread();
    m_cancelStage = 0;
    m_currentId = 0;
    QElapsedTimer timer;
    timer.start();
    if (auto started = ensureStarted(); !started) {
        outcome.crashed = true;
        outcome.error = started.error().message;
        return outcome;
    }
    if (op != QLatin1String("open") && !m_projectOpen && m_haveProject) {
        // A restarted driver: open the project again before the step.
        DriverOutcome reopened = request(QStringLiteral("open"), openArguments());
        if (!reopened.ok)
            return reopened;
    }
    const int id = m_nextId++;
    m_currentId = id;
    QJsonObject req = args;
    req.insert(QStringLiteral("id"), id);
    req.insert(QStringLiteral("op"), op);
    m_process->write(QJsonDocument(req).toJson(QJsonDocument::Compact) + '\n');
    QByteArray line;
    while (readLine(line, outcome, -1)) {
        const QJsonObject ev = QJsonDocument::fromJson(line).object();
        const QString kind = ev.value(QStringLiteral("event")).toString();
        if (kind == QLatin1String("log")) {
            drainStderr(outcome, false);
            handleLog(ev.value(QStringLiteral("text")).toString(), outcome);
        } else if (kind == QLatin1String("sql")) {
            const QJsonValue committed = ev.value(QStringLiteral("committed"));
            outcome.unfinishedStep.append({maskPasswords(ev.value(QStringLiteral("sql")).toString()),
                                           committed.isBool() ? (committed.toBool() ? ExecutedStatement::Fate::Committed
                                                                                    : ExecutedStatement::Fate::InTransaction)
                                                              : ExecutedStatement::Fate::Unknown});
        } else if (kind == QLatin1String("step")) {
            outcome.unfinishedStep.clear();
            ++outcome.migrations;
            if (m_stepHandler)
                m_stepHandler(ev.value(QStringLiteral("up")).toBool(), strings(ev.value(QStringLiteral("from"))),
                              strings(ev.value(QStringLiteral("to"))));
        } else if (kind == QLatin1String("committed")) {
            if (m_commitHandler && ev.value(QStringLiteral("committed")).toBool(false))
                m_commitHandler();
        } else if (kind == QLatin1String("end") && ev.value(QStringLiteral("id")).toInt() == id) {
            drainStderr(outcome, true);
            outcome.ok = ev.value(QStringLiteral("ok")).toBool();
            outcome.cancelled = !outcome.ok && (ev.value(QStringLiteral("cancelled")).toBool() || m_cancelStage > 0);
            if (outcome.ok)
                outcome.unfinishedStep.clear();
            outcome.error = maskPasswords(ev.value(QStringLiteral("error")).toString());
            outcome.traceback = maskPasswords(ev.value(QStringLiteral("traceback")).toString());
            if (op == QLatin1String("open"))
                m_projectOpen = outcome.ok;
            if (ev.value(QStringLiteral("exit")).toBool()) {
                // Interrupted within a step: the driver leaves; the next request starts a new one.
                if (!m_process->waitForFinished(m_graceMs))
                    m_process->kill();
                m_process->waitForFinished(2000);
                m_process.reset();
                m_projectOpen = false;
            }
            outcome.elapsedMs = timer.elapsed();
            return outcome;
        }
    }
    // The driver is gone: say which request it was doing; the next request restarts it.
    outcome.error = QStringLiteral("%1 during '%2 %3'")
                        .arg(outcome.error, op, args.value(QStringLiteral("target")).toVariant().toStringList().join(QLatin1Char(' ')));
    if (!outcome.cancelled && !outcome.traceback.isEmpty())
        outcome.traceback.clear();
    m_process.reset();
    m_projectOpen = false;
    outcome.elapsedMs = timer.elapsed();
    return outcome;
}

QJsonObject AlembicDriver::openArguments() const
{
    QJsonObject o{{QStringLiteral("config"), m_project.iniPath}, {QStringLiteral("section"), m_project.section},
                  {QStringLiteral("cwd"), m_project.workingDir}, {QStringLiteral("x"), QJsonArray::fromStringList(m_project.xArgs)},
                  {QStringLiteral("guard"), m_project.guard && !m_project.url.isEmpty()}};
    if (!m_project.url.isEmpty())
        o.insert(QStringLiteral("url"), m_project.url);
    return o;
}

Result<DriverOutcome> AlembicDriver::open(const DriverProject &project)
{
    m_project = project;
    m_haveProject = true;
    m_projectOpen = false;
    if (auto started = ensureStarted(); !started)
        return started.error();
    DriverOutcome r = request(QStringLiteral("open"), openArguments());
    if (!r.ok && !r.crashed) {
        Error e = makeError(Error::Code::Config, QStringLiteral("Alembic cannot load %1: %2").arg(project.iniPath, r.error));
        e.detail = r.traceback;
        return e;
    }
    return r;
}

DriverOutcome AlembicDriver::upgrade(const QString &target)
{
    return request(QStringLiteral("upgrade"), {{QStringLiteral("target"), target}});
}

DriverOutcome AlembicDriver::downgrade(const QString &target)
{
    return request(QStringLiteral("downgrade"), {{QStringLiteral("target"), target}});
}

DriverOutcome AlembicDriver::stamp(const QStringList &targets)
{
    return request(QStringLiteral("stamp"), {{QStringLiteral("target"), QJsonArray::fromStringList(targets)}});
}

} // namespace retort::core
