#include "alembicprocess.h"

#include "db/sqlurl.h"

#include <QPointer>
#include <QRegularExpression>
#include <QTimer>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace retort::core {

QString RunningStep::revision() const
{
    return (upgrade ? to : from).section(QLatin1Char(','), 0, 0).trimmed();
}

std::optional<RunningStep> parseRunningStep(const QString &line)
{
    static const QRegularExpression running(QStringLiteral("Running ((upgrade|downgrade) (.*?) -> ([^,]*)(?:, .*)?)$"));
    const auto m = running.match(line);
    if (!m.hasMatch())
        return std::nullopt;
    return RunningStep{m.captured(1), m.captured(2) == QLatin1String("upgrade"), m.captured(3), m.captured(4)};
}

void startInOwnProcessGroup(QProcess &process)
{
    // Dispositions and the signal mask are inherited across exec: a parent that ignores or
    // blocks SIGINT (a shell's background job, a test runner) would leave the child deaf
    // to cancel. Reset both before exec (only async-signal-safe calls here).
    process.setChildProcessModifier([] {
        ::setsid();
        for (int sig : {SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2})
            ::signal(sig, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
    });
}

AlembicProcess::AlembicProcess(QObject *parent) : QObject(parent) {}

AlembicProcess::~AlembicProcess()
{
    if (isRunning()) {
        ::killpg(pid_t(m_process->processId()), SIGKILL);
        m_process->waitForFinished(2000);
    }
}

bool AlembicProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

bool AlembicProcess::start(const AlembicCommand &alembic, const QString &iniPath, const QStringList &args, const QString &workingDir)
{
    if (isRunning())
        return false;
    delete m_process;
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setWorkingDirectory(workingDir);
    // Its own process group, so cancel reaches whatever Alembic starts (env.py, drivers).
    startInOwnProcessGroup(*m_process);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    env.insert(QStringLiteral("PYTHONIOENCODING"), QStringLiteral("utf-8"));
    m_process->setProcessEnvironment(env);
    m_lines.clear();
    m_partial.clear();
    m_cancelled = false;
    m_args = alembic.prefix;
    if (!iniPath.isEmpty())
        m_args << QStringLiteral("-c") << iniPath;
    m_args << args;
    connect(m_process, &QProcess::readyRead, this, &AlembicProcess::readOutput);
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        readOutput();
        if (!m_partial.isEmpty()) {
            handleLine(QString::fromUtf8(m_partial));
            m_partial.clear();
        }
        emit finished(code, status != QProcess::NormalExit || m_cancelled);
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            handleLine(QStringLiteral("ERROR [retort] cannot start %1: %2").arg(m_process->program(), m_process->errorString()));
            emit finished(-1, true);
        }
    });
    m_timer.start();
    m_process->start(alembic.program, m_args);
    return true;
}

void AlembicProcess::cancel()
{
    if (!isRunning())
        return;
    if (m_cancelled)
        return; // already escalating
    m_cancelled = true;
    const pid_t group = pid_t(m_process->processId());
    // Python turns SIGINT into KeyboardInterrupt (the transaction rolls back). If it does
    // not stop soon, SIGTERM; if that is ignored too, SIGKILL for the whole group.
    ::killpg(group, SIGINT);
    emit cancelStep(QStringLiteral("SIGINT"));
    QPointer<QProcess> process = m_process;
    QTimer::singleShot(m_graceMs, this, [this, group, process] {
        if (!process || process != m_process || !isRunning())
            return;
        ::killpg(group, SIGTERM);
        emit cancelStep(QStringLiteral("SIGTERM"));
        QTimer::singleShot(m_graceMs, this, [this, group, process] {
            if (!process || process != m_process || !isRunning())
                return;
            ::killpg(group, SIGKILL);
            emit cancelStep(QStringLiteral("SIGKILL"));
        });
    });
}

void AlembicProcess::readOutput()
{
    m_partial += m_process->readAll();
    qsizetype nl;
    while ((nl = m_partial.indexOf('\n')) >= 0) {
        QByteArray line = m_partial.left(nl);
        m_partial.remove(0, nl + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        handleLine(QString::fromUtf8(line));
    }
}

void AlembicProcess::handleLine(const QString &raw)
{
    const QString line = maskPasswords(raw);
    m_lines.append(line);
    Level level = Level::Output;
    if (line.startsWith(QLatin1String("INFO")))
        level = Level::Info;
    else if (line.startsWith(QLatin1String("WARN")))
        level = Level::Warning;
    else if (line.startsWith(QLatin1String("ERROR")) || line.startsWith(QLatin1String("FAILED"))
             || line.startsWith(QLatin1String("Traceback")) || line.startsWith(QLatin1String("  File ")))
        level = Level::Error;
    emit lineReceived(line, level);
    if (const auto step = parseRunningStep(line))
        emit stepStarted(step->text, step->upgrade, step->from, step->to);
}

QString AlembicProcess::failureMessage() const
{
    for (auto it = m_lines.crbegin(); it != m_lines.crend(); ++it) {
        if (it->startsWith(QLatin1String("FAILED: ")))
            return it->mid(8);
    }
    // A traceback ends with "SomeError: message".
    static const QRegularExpression exc(QStringLiteral("^[\\w.]+(Error|Exception|Interrupt)\\b.*"));
    for (auto it = m_lines.crbegin(); it != m_lines.crend(); ++it)
        if (exc.match(*it).hasMatch())
            return *it;
    return m_lines.isEmpty() ? QString() : m_lines.last();
}

} // namespace retort::core
