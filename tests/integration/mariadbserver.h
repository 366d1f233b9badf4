#pragma once
// A MariaDB server of its own for integration tests: mariadb-install-db into a temporary
// folder, mariadbd on 127.0.0.1 at a free port with its socket in that folder, a password
// user for the tests; shut down and removed on destruction. Never the system service.

#include "testsupport.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QThread>

#include <unistd.h>

namespace testsupport {

class MariaDbServer
{
public:
    static constexpr const char *User = "retort";
    static constexpr const char *Password = "s3cret-pw";

    MariaDbServer()
    {
        m_dir.setAutoRemove(true);
        const QString installDb = QStandardPaths::findExecutable(QStringLiteral("mariadb-install-db"));
        m_server = QStandardPaths::findExecutable(QStringLiteral("mariadbd"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
        m_client = QStandardPaths::findExecutable(QStringLiteral("mariadb"));
        if (installDb.isEmpty() || m_server.isEmpty() || m_client.isEmpty()) {
            m_error = QStringLiteral("mariadb-install-db, mariadbd or mariadb not found (package mariadb-server)");
            return;
        }
        const QString data = m_dir.filePath(QStringLiteral("data"));
        const QString user = userName();
        auto r = run(installDb, {QStringLiteral("--no-defaults"), QStringLiteral("--datadir=") + data,
                                 QStringLiteral("--user=") + user, QStringLiteral("--auth-root-authentication-method=socket"),
                                 QStringLiteral("--skip-test-db"), QStringLiteral("--skip-name-resolve")},
                     m_dir.path());
        if (r.exitCode != 0) {
            m_error = QStringLiteral("mariadb-install-db failed: ") + r.err + r.out;
            return;
        }
        m_port = freePort();
        m_process.setWorkingDirectory(m_dir.path());
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.setStandardOutputFile(m_dir.filePath(QStringLiteral("server.log")));
        m_process.start(m_server, {QStringLiteral("--no-defaults"), QStringLiteral("--datadir=") + data,
                                   QStringLiteral("--socket=") + socket(), QStringLiteral("--port=%1").arg(m_port),
                                   QStringLiteral("--bind-address=127.0.0.1"), QStringLiteral("--user=") + user,
                                   QStringLiteral("--pid-file=") + m_dir.filePath(QStringLiteral("mariadbd.pid")),
                                   QStringLiteral("--skip-name-resolve"), QStringLiteral("--innodb-buffer-pool-size=32M"),
                                   QStringLiteral("--innodb-flush-log-at-trx-commit=0"), QStringLiteral("--skip-log-bin")});
        if (!m_process.waitForStarted(10000)) {
            m_error = QStringLiteral("mariadbd did not start: ") + m_process.errorString();
            return;
        }
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 60000) {
            if (m_process.state() != QProcess::Running) {
                m_error = QStringLiteral("mariadbd exited: ") + log();
                return;
            }
            if (QFileInfo::exists(socket()) && sql(QStringLiteral("SELECT 1")).exitCode == 0)
                break;
            QThread::msleep(100);
        }
        r = sql(QStringLiteral("CREATE USER '%1'@'%' IDENTIFIED BY '%2'; GRANT ALL ON *.* TO '%1'@'%' WITH GRANT OPTION;")
                    .arg(QString::fromLatin1(User), QString::fromLatin1(Password)));
        if (r.exitCode != 0) {
            m_error = QStringLiteral("cannot create the test user: ") + r.err + log();
            return;
        }
        m_running = true;
    }

    ~MariaDbServer()
    {
        if (m_process.state() == QProcess::Running) {
            m_process.terminate(); // SIGTERM: mariadbd shuts down cleanly
            if (!m_process.waitForFinished(30000)) {
                m_process.kill();
                m_process.waitForFinished();
            }
        }
    }

    bool isRunning() const { return m_running; }
    QString error() const { return m_error; }
    int port() const { return m_port; }
    pid_t pid() const { return pid_t(m_process.processId()); }
    QString socket() const { return m_dir.filePath(QStringLiteral("mysqld.sock")); }
    QString log() const
    {
        QFile f(m_dir.filePath(QStringLiteral("server.log")));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).right(2000) : QString();
    }
    QString url(const QString &database, const QString &driver = QStringLiteral("pymysql"),
                const QString &password = QString::fromLatin1(Password)) const
    {
        return QStringLiteral("mysql%1://%2:%3@127.0.0.1:%4/%5")
            .arg(driver.isEmpty() ? QString() : QLatin1Char('+') + driver, QString::fromLatin1(User), password)
            .arg(m_port)
            .arg(database);
    }

    // Runs SQL through the `mariadb` client as root over the socket.
    RunResult sql(const QString &statements, const QString &database = {}) const
    {
        QStringList args{QStringLiteral("--no-defaults"), QStringLiteral("-S"), socket(), QStringLiteral("-uroot"),
                         QStringLiteral("--batch"), QStringLiteral("--raw"), QStringLiteral("--skip-column-names"),
                         QStringLiteral("-e"), statements};
        if (!database.isEmpty())
            args << database;
        return testsupport::run(m_client, args, m_dir.path());
    }
    // Feeds a file of statements to the client (triggers and all), as `mariadb DB < file`.
    RunResult source(const QString &file, const QString &database) const
    {
        return sql(QStringLiteral("source %1").arg(file), database);
    }

private:
    static QString userName()
    {
        return ::geteuid() == 0 ? QStringLiteral("root") : qEnvironmentVariable("USER", QStringLiteral("nobody"));
    }

    QTemporaryDir m_dir;
    QProcess m_process;
    QString m_server, m_client;
    QString m_error;
    int m_port = 0;
    bool m_running = false;
};

} // namespace testsupport
