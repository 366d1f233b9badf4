#pragma once
// Real parts for integration tests: Debian's Alembic as a child process, copies of the
// example project, and a throwaway PostgreSQL server on loopback.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <functional>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace testsupport {

inline QString systemPython()
{
    const QString env = qEnvironmentVariable("RETORT_PYTHON");
    return env.isEmpty() ? QStringLiteral("/usr/bin/python3") : env;
}

struct RunResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

inline RunResult run(const QString &program, const QStringList &args, const QString &cwd,
                     const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(), int timeoutMs = 120000)
{
    QProcess p;
    p.setWorkingDirectory(cwd);
    p.setProcessEnvironment(env);
    p.start(program, args);
    RunResult r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out: %1 %2").arg(program, args.join(QLatin1Char(' ')));
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// Runs Debian's Alembic (python3 -m alembic) in `cwd`.
inline RunResult alembic(const QString &cwd, const QStringList &args)
{
    return run(systemPython(), QStringList{QStringLiteral("-m"), QStringLiteral("alembic")} + args, cwd);
}

inline bool copyTree(const QString &from, const QString &to)
{
    QDir src(from);
    if (!QDir().mkpath(to))
        return false;
    for (const QFileInfo &fi : src.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        if (fi.fileName() == QLatin1String("__pycache__") || fi.suffix() == QLatin1String("db"))
            continue;
        const QString target = to + QLatin1Char('/') + fi.fileName();
        if (fi.isDir() ? !copyTree(fi.filePath(), target) : !QFile::copy(fi.filePath(), target))
            return false;
    }
    return true;
}

// A copy of examples/coffee-shop in a temporary folder, with its own database.
inline QString copyExample(const QTemporaryDir &dir)
{
    const QString target = dir.filePath(QStringLiteral("coffee-shop"));
    if (!copyTree(QStringLiteral(RETORT_SOURCE_DIR "/examples/coffee-shop"), target))
        return {};
    return target;
}

inline int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    const int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

// A PostgreSQL server of its own: initdb into a temporary folder, listening on 127.0.0.1
// at a free port with password authentication; stopped and removed on destruction.
// As root (CI) the cluster runs as the `postgres` system user, as PostgreSQL requires.
class PostgresServer
{
public:
    static constexpr const char *User = "retort";
    static constexpr const char *Password = "s3cret-pw";

    // Every installed server's bin directory (/usr/lib/postgresql/N/bin with an initdb),
    // newest major version first.
    static QStringList serverBinDirs() { return binDirsWith(QStringLiteral("initdb")); }
    // The newest psql installed: the client every test talks through, whatever the server's
    // version (a Debian server package may come without its own psql).
    static QString psqlProgram()
    {
        const QStringList dirs = binDirsWith(QStringLiteral("psql"));
        return dirs.isEmpty() ? QStandardPaths::findExecutable(QStringLiteral("psql")) : dirs.first() + QStringLiteral("/psql");
    }

    // A server from `binDir` (by default the newest installed).
    explicit PostgresServer(const QString &binDir = serverBinDirs().value(0))
    {
        m_dir.setAutoRemove(true);
        m_bin = binDir;
        if (m_bin.isEmpty()) {
            m_error = QStringLiteral("no PostgreSQL server binaries under /usr/lib/postgresql");
            return;
        }
        m_port = freePort();
        const QString data = m_dir.filePath(QStringLiteral("data"));
        const QString pwfile = m_dir.filePath(QStringLiteral("pw"));
        QFile pw(pwfile);
        pw.open(QIODevice::WriteOnly);
        pw.write(Password);
        pw.close();
        if (::geteuid() == 0) {
            run(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("postgres:postgres"), m_dir.path()}, m_dir.path());
            QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                   | QFileDevice::ExeOther | QFileDevice::ReadOther);
        }
        auto r = asServerUser(m_bin + QStringLiteral("/initdb"),
                              {QStringLiteral("-D"), data, QStringLiteral("-U"), QString::fromLatin1(User),
                               QStringLiteral("--pwfile=") + pwfile, QStringLiteral("--auth-local=trust"),
                               QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                               QStringLiteral("--locale=C.UTF-8"), QStringLiteral("--no-sync")});
        if (r.exitCode != 0) {
            m_error = QStringLiteral("initdb failed: ") + r.err + r.out;
            return;
        }
        r = asServerUser(m_bin + QStringLiteral("/pg_ctl"),
                         {QStringLiteral("-D"), data, QStringLiteral("-l"), m_dir.filePath(QStringLiteral("log")),
                          QStringLiteral("-w"), QStringLiteral("-o"),
                          QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off").arg(m_port).arg(m_dir.path()),
                          QStringLiteral("start")});
        if (r.exitCode != 0) {
            m_error = QStringLiteral("pg_ctl start failed: ") + r.err + r.out;
            return;
        }
        m_running = true;
    }

    ~PostgresServer()
    {
        if (m_running)
            asServerUser(m_bin + QStringLiteral("/pg_ctl"),
                         {QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("-m"),
                          QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop")});
    }

    bool isRunning() const { return m_running; }
    QString error() const { return m_error; }
    int port() const { return m_port; }
    QString socketDir() const { return m_dir.path(); }
    QString url(const QString &database, const QString &password = QString::fromLatin1(Password)) const
    {
        return QStringLiteral("postgresql://%1:%2@127.0.0.1:%3/%4").arg(QString::fromLatin1(User), password).arg(m_port).arg(database);
    }

    // Runs SQL through psql as the superuser over the socket (database "postgres" by default).
    RunResult psql(const QString &sql, const QString &database = QStringLiteral("postgres")) const
    {
        return testsupport::run(psqlProgram(),
                                {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                                 QStringLiteral("-h"), m_dir.path(), QStringLiteral("-p"), QString::number(m_port),
                                 QStringLiteral("-U"), QString::fromLatin1(User), QStringLiteral("-d"), database,
                                 QStringLiteral("-c"), sql},
                                m_dir.path());
    }
    QString binDir() const { return m_bin; }
    // The postmaster and every process it started (the backends, the checkpointer, ...): what
    // a SIGSTOP of "the whole server" stops.
    QList<pid_t> processes() const
    {
        QFile pidFile(m_dir.filePath(QStringLiteral("data/postmaster.pid")));
        if (!pidFile.open(QIODevice::ReadOnly))
            return {};
        const pid_t postmaster = QString::fromLatin1(pidFile.readLine()).trimmed().toInt();
        QList<pid_t> out{postmaster};
        for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
            QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
            if (entry.toInt() <= 0 || !stat.open(QIODevice::ReadOnly))
                continue;
            // pid (comm) state ppid ...: comm may hold blanks, so read after its ')'.
            const QString text = QString::fromLatin1(stat.readAll());
            const QStringList rest = text.mid(text.lastIndexOf(QLatin1Char(')')) + 2).split(QLatin1Char(' '));
            if (rest.size() > 1 && rest[1].toInt() == postmaster)
                out.append(entry.toInt());
        }
        return out;
    }
    // The server's major version, from its bin directory (/usr/lib/postgresql/N/bin).
    int majorVersion() const { return majorVersionOf(m_bin); }
    static int majorVersionOf(const QString &binDir) { return QDir(binDir).absolutePath().section(QLatin1Char('/'), -2, -2).toInt(); }

private:
    static QStringList binDirsWith(const QString &program)
    {
        QDir root(QStringLiteral("/usr/lib/postgresql"));
        QList<int> versions;
        for (const QString &v : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            bool ok = false;
            const int major = v.toInt(&ok);
            if (ok && QFile::exists(root.filePath(v + QStringLiteral("/bin/") + program)))
                versions.append(major);
        }
        std::sort(versions.begin(), versions.end(), std::greater<>());
        QStringList dirs;
        for (int v : versions)
            dirs.append(root.filePath(QString::number(v) + QStringLiteral("/bin")));
        return dirs;
    }

    RunResult asServerUser(const QString &program, const QStringList &args) const
    {
        if (::geteuid() == 0)
            return testsupport::run(QStringLiteral("runuser"),
                                    QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} + args,
                                    m_dir.path());
        return testsupport::run(program, args, m_dir.path());
    }

    QTemporaryDir m_dir;
    QString m_bin;
    QString m_error;
    int m_port = 0;
    bool m_running = false;
};

// Processes stopped with SIGSTOP for as long as it lives (a server that took the connection
// and then stopped answering), continued with SIGCONT on the way out, whatever the test's outcome.
class StoppedProcesses
{
public:
    explicit StoppedProcesses(QList<pid_t> pids) : m_pids(std::move(pids))
    {
        for (pid_t p : m_pids)
            ::kill(p, SIGSTOP);
        // kill() only queues the signal: wait until each one is stopped ('T' in /proc).
        for (pid_t p : m_pids) {
            for (int tries = 0; tries < 1000 && state(p) != QLatin1Char('T') && !state(p).isNull(); ++tries)
                QThread::msleep(5);
        }
    }
    ~StoppedProcesses() { resume(); }
    StoppedProcesses(const StoppedProcesses &) = delete;
    StoppedProcesses &operator=(const StoppedProcesses &) = delete;
    void resume()
    {
        for (pid_t p : std::as_const(m_pids))
            ::kill(p, SIGCONT);
        m_pids.clear();
    }

private:
    static QChar state(pid_t p)
    {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(p));
        if (!stat.open(QIODevice::ReadOnly))
            return {};
        const QString text = QString::fromLatin1(stat.readAll());
        const qsizetype at = text.lastIndexOf(QLatin1Char(')')) + 2;
        return at > 1 && at < text.size() ? text.at(at) : QChar();
    }
    QList<pid_t> m_pids;
};

} // namespace testsupport
