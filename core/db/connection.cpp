#include "connection.h"

#include "db/mysqlurl.h"

#include <QAtomicInt>
#include <QHash>
#include <QMutex>
#include <QSqlDriver>
#include <QRegularExpression>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

#include <dlfcn.h>
#include <sys/socket.h>
#include <sys/stat.h>

namespace retort::core {

namespace {

// A conninfo value the way libpq reads it: in single quotes, with ' and \ escaped by a
// backslash, so a value holding a space or "port=2" stays one value. QPSQL joins the
// options after turning every ';' into a space, so no quoting gets a ';' through intact.
std::optional<QString> conninfoValue(const QString &value)
{
    if (value.contains(QLatin1Char(';')))
        return std::nullopt;
    QString v = value;
    v.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    v.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

// libpq says what failed once per address it tried ("connection to server at \"localhost\"
// (::1), port 5432 failed: ...", then the same for 127.0.0.1, each with a hint line): keep
// the first failure, which names the server and the reason, on one line.
QString firstLine(const QString &text)
{
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &l : lines) {
        const QString t = l.trimmed();
        if (!t.isEmpty())
            return t;
    }
    return text.trimmed();
}

// libpq reports connection failures without a SQLSTATE: its messages are the only signal.
bool isCredentialsRefusal(const QString &text)
{
    return text.contains(QLatin1String("password authentication failed")) || text.contains(QLatin1String("no password supplied"))
        || text.contains(QLatin1String("Access denied for user"));
}

// A driver's connect failure as one line that names the server and the reason: libpq's
// first failure line, MySQL's text with the errno in brackets replaced by its meaning, never
// Qt's trailing "QPSQL: Unable to connect" nor an empty "()".
QString connectReason(const QSqlError &err)
{
    const QString text = err.databaseText().isEmpty() ? err.driverText() : err.databaseText();
    // libpq tries each address a host name resolves to and reports every attempt: the
    // credentials' refusal, when one attempt got that far, is the reason that matters.
    QString reason = firstLine(text);
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        if (isCredentialsRefusal(line)) {
            reason = line.trimmed();
            break;
        }
    }
    static const QRegularExpression driverTail(QStringLiteral("\\s*Q(?:PSQL|MYSQL|SQLITE)3?:\\s*Unable to (?:connect|open database)\\.?\\s*$"));
    reason.remove(driverTail);
    static const QRegularExpression emptyParens(QStringLiteral("\\s*\\(\\s*\\)"));
    reason.remove(emptyParens);
    // MySQL: "Can't connect to server on '127.0.0.1' (111)": the bracket holds an errno.
    static const QRegularExpression errnoTail(QStringLiteral("\\s*\\((\\d+)\\)\\s*$"));
    if (const auto m = errnoTail.match(reason); m.hasMatch()) {
        const int code = m.captured(1).toInt();
        // EINPROGRESS: the client's connect with a timeout ended without an answer; what it
        // means for a person is that no server took the connection.
        const QString meaning = code == EINPROGRESS ? QStringLiteral("no server accepted the connection (refused or unreachable)")
                                                    : QString::fromLocal8Bit(std::strerror(code));
        if (code > 0 && code < 200)
            reason.replace(m.capturedStart(), m.capturedLength(), QStringLiteral(": ") + meaning);
    }
    reason = reason.simplified();
    while (reason.endsWith(QLatin1Char(':')) || reason.endsWith(QLatin1Char(';')))
        reason.chop(1);
    if (reason.isEmpty())
        reason = QStringLiteral("the server did not answer (no reason given)");
    return reason;
}

bool refusedCredentials(const QSqlError &err)
{
    // MySQL: ER_ACCESS_DENIED_ERROR (1045), ER_ACCESS_DENIED_NO_PASSWORD_ERROR (1698).
    const QString native = err.nativeErrorCode();
    if (native == QLatin1String("1045") || native == QLatin1String("1698"))
        return true;
    return isCredentialsRefusal(err.databaseText());
}

bool timedOut(const QSqlError &err)
{
    // libpq: "timeout expired" once connect_timeout has passed (a TCP connect or a startup
    // packet no one answered). MySQL: CR_SERVER_LOST (2013) while reading the greeting, or
    // ETIMEDOUT (110) from its connect with MYSQL_OPT_CONNECT_TIMEOUT.
    const QString text = err.databaseText() + QLatin1Char('\n') + err.driverText();
    if (text.contains(QLatin1String("timeout expired")))
        return true;
    if (err.nativeErrorCode() == QLatin1String("2013") && text.contains(QLatin1String("initial communication packet")))
        return true;
    return (err.nativeErrorCode() == QLatin1String("2002") || err.nativeErrorCode() == QLatin1String("2003"))
        && text.contains(QStringLiteral("(%1)").arg(ETIMEDOUT));
}

Error connectError(const SqlUrl &url, const QSqlError &err, int connectTimeoutSeconds)
{
    if (!refusedCredentials(err) && timedOut(err)) {
        return makeError(Error::Code::Timeout,
                         QStringLiteral("Cannot connect to %1: not answering — no answer within %2 s (the server may be "
                                        "stopped or overloaded, or packets to it are dropped).")
                             .arg(url.masked())
                             .arg(connectTimeoutSeconds));
    }
    // One line: the reason, not libpq's attempt per address nor its hint.
    return makeError(refusedCredentials(err) ? Error::Code::Authentication : Error::Code::Database,
                     QStringLiteral("Cannot connect to %1: %2").arg(url.masked(), maskPasswords(connectReason(err))));
}

// The servers of the open PostgreSQL and MySQL connections, by connection name: what an
// answer deadline's message names.
QMutex serversMutex;
QHash<QString, QString> &servers()
{
    static QHash<QString, QString> map;
    return map;
}

std::atomic<int> answerTimeout{15};

// The socket of a QPSQL or QMYSQL connection, from the client library the driver loaded
// (asked by name without loading it: the same copy the driver calls); -1 when unknown.
int connectionSocket(const QSqlDatabase &db)
{
    const QSqlDriver *driver = db.driver();
    if (!driver || !db.isOpen())
        return -1;
    const QVariant handle = driver->handle();
    if (!handle.isValid() || !handle.constData())
        return -1;
    void *conn = *static_cast<void *const *>(handle.constData());
    if (!conn)
        return -1;
    using SocketOf = int (*)(void *);
    const auto lookup = [](std::initializer_list<const char *> libraries, const char *symbol) -> SocketOf {
        for (const char *lib : libraries) {
            if (void *h = ::dlopen(lib, RTLD_NOW | RTLD_NOLOAD)) {
                auto f = reinterpret_cast<SocketOf>(::dlsym(h, symbol));
                ::dlclose(h);
                if (f)
                    return f;
            }
        }
        return nullptr;
    };
    const QByteArray type = handle.typeName();
    // The names Qt's drivers register: "pg_conn*" and "st_mysql*" (the structs), or the typedefs.
    if (type == "pg_conn*" || type == "PGconn*") {
        static const SocketOf pqSocket = lookup({"libpq.so.5", "libpq.so"}, "PQsocket");
        return pqSocket ? pqSocket(conn) : -1;
    }
    if (type == "st_mysql*" || type == "MYSQL*") {
        static const SocketOf mysqlSocket = lookup({"libmariadb.so.3", "libmysqlclient.so.21", "libmysqlclient.so.18",
                                                    "libmariadb.so", "libmysqlclient.so"},
                                                   "mysql_get_socket");
        return mysqlSocket ? mysqlSocket(conn) : -1;
    }
    return -1;
}

QString nextConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("retort-%1").arg(counter.fetchAndAddRelaxed(1));
}

} // namespace

ScopedConnection::State::~State()
{
    {
        QMutexLocker lock(&serversMutex);
        servers().remove(name);
    }
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

Result<ScopedConnection> ScopedConnection::openRolledBackCopy(const SqlUrl &url, const QString &file,
                                                              ScopedConnection c)
{
    auto copy = std::make_unique<QTemporaryDir>();
    const QString target = copy->filePath(QStringLiteral("db.sqlite"));
    if (!copy->isValid() || !QFile::copy(file, target)
        || !QFile::copy(file + QStringLiteral("-journal"), target + QStringLiteral("-journal"))) {
        return makeError(Error::Code::Database,
                         QStringLiteral("Cannot read %1: it has a hot journal (a transaction was interrupted) and "
                                        "Retort could not copy it to roll it back privately.")
                             .arg(url.masked()),
                         file);
    }
    QSqlDatabase db = QSqlDatabase::database(c.m_state->name, false);
    db.setDatabaseName(target);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=2000"));
    c.m_state->copy = std::move(copy);
    QSqlQuery probe(db);
    if (!db.open() || !probe.exec(QStringLiteral("PRAGMA schema_version"))) {
        const QSqlError err = probe.lastError().isValid() ? probe.lastError() : db.lastError();
        return makeError(Error::Code::Database,
                         QStringLiteral("Cannot read %1: %2").arg(url.masked(), firstLine(err.databaseText())), file);
    }
    return c;
}

QSqlDatabase ScopedConnection::database() const
{
    return QSqlDatabase::database(m_state->name, false);
}

Result<ScopedConnection> ScopedConnection::open(const SqlUrl &url, const QString &workingDir, const QString &password,
                                                int connectTimeoutSeconds, bool readOnly)
{
    QString driver;
    if (url.isSqlite())
        driver = QStringLiteral("QSQLITE");
    else if (url.isPostgres())
        driver = QStringLiteral("QPSQL");
    else if (isMysqlUrl(url))
        driver = QStringLiteral("QMYSQL");
    else
        return makeError(Error::Code::Database,
                         QStringLiteral("Retort reads SQLite, PostgreSQL and MySQL/MariaDB databases; %1 is a %2 database.")
                             .arg(url.masked(), url.dialect));
    if (!QSqlDatabase::isDriverAvailable(driver)) {
        return makeError(Error::Code::Database,
                         QStringLiteral("The Qt Sql driver %1 is not installed (package libqt6sql6-%2).")
                             .arg(driver, url.isSqlite() ? QStringLiteral("sqlite")
                                             : url.isPostgres() ? QStringLiteral("psql") : QStringLiteral("mysql")));
    }
    ScopedConnection c;
    c.m_state = std::make_shared<State>();
    c.m_state->name = nextConnectionName();
    c.m_state->postgres = url.isPostgres();
    c.m_state->mysql = isMysqlUrl(url);
    QSqlDatabase db = QSqlDatabase::addDatabase(driver, c.m_state->name);
    QStringList opts;
    if (url.isSqlite()) {
        db.setDatabaseName(url.isSqliteMemory() ? QStringLiteral(":memory:") : url.sqliteFile(workingDir));
        if (readOnly && !url.isSqliteMemory())
            opts << QStringLiteral("QSQLITE_OPEN_READONLY");
        opts << QStringLiteral("QSQLITE_BUSY_TIMEOUT=2000");
    } else if (c.m_state->mysql) {
        if (Error e = configureMysqlConnection(db, url, password, connectTimeoutSeconds); e.isValid())
            return e;
        opts = db.connectOptions().split(QLatin1Char(';'), Qt::SkipEmptyParts);
    } else {
        db.setHostName(url.host.isEmpty() ? QStringLiteral("localhost") : url.host);
        if (url.port != -1)
            db.setPort(url.port);
        db.setDatabaseName(url.database);
        db.setUserName(url.username);
        db.setPassword(password.isEmpty() ? url.password : password);
        opts << QStringLiteral("connect_timeout=%1").arg(connectTimeoutSeconds);
        for (const QString &key : {QStringLiteral("sslmode"), QStringLiteral("sslrootcert"), QStringLiteral("sslcert"),
                                   QStringLiteral("sslkey"), QStringLiteral("application_name")}) {
            if (!url.query.contains(key))
                continue;
            const std::optional<QString> v = conninfoValue(url.query.value(key));
            if (!v) {
                return makeError(Error::Code::Database,
                                 QStringLiteral("Cannot connect to %1: the %2 value holds a ';', which Qt's PostgreSQL "
                                                "driver cannot pass to libpq.")
                                     .arg(url.masked(), key));
            }
            opts << key + QLatin1Char('=') + *v;
        }
        if (url.query.contains(QStringLiteral("host")))
            db.setHostName(url.query.value(QStringLiteral("host")));
    }
    db.setConnectOptions(opts.join(QLatin1Char(';')));
    if (url.isSqlite() && !url.isSqliteMemory()) {
        // SQLite opens whatever it is given: a FIFO waits for a writer forever, a directory
        // fails with "unable to open database file". Say what the path is instead.
        const QString file = url.sqliteFile(workingDir);
        struct stat st;
        if (::stat(QFile::encodeName(file).constData(), &st) == 0 && !S_ISREG(st.st_mode)) {
            return makeError(Error::Code::Database,
                             QStringLiteral("Cannot open %1: %2 is %3, not a SQLite database file.")
                                 .arg(url.masked(), file,
                                      S_ISDIR(st.st_mode) ? QStringLiteral("a directory")
                                      : S_ISFIFO(st.st_mode) ? QStringLiteral("a FIFO")
                                                             : QStringLiteral("not a regular file")),
                             file);
        }
    }
    if (!db.open())
        return connectError(url, db.lastError(), connectTimeoutSeconds);
    if (url.isSqlite() && !url.isSqliteMemory()) {
        // SQLite opens lazily: read the header now, so a file that is not a database says so
        // here, with SQLite's reason, instead of as a failed query later.
        QSqlQuery probe(db);
        if (!probe.exec(QStringLiteral("PRAGMA schema_version"))) {
            const QString file = url.sqliteFile(workingDir);
            const QFileInfo journal(file + QStringLiteral("-journal"));
            if (readOnly && journal.isFile() && journal.size() > 0) {
                // A hot journal: a transaction crashed half-way. Python's sqlite3 opens read-write
                // and rolls it back into the user's file; a read-only connection cannot. Roll
                // it back in a private copy instead and read that: same answer, nothing written.
                probe = QSqlQuery();
                db.close();
                return openRolledBackCopy(url, file, c);
            }
            return makeError(Error::Code::Database,
                             QStringLiteral("Cannot read %1: %2").arg(url.masked(), firstLine(probe.lastError().databaseText())),
                             file);
        }
    }
    if (!url.isSqlite()) {
        QMutexLocker lock(&serversMutex);
        servers().insert(c.m_state->name, url.masked());
    }
    if (c.m_state->mysql && readOnly) {
        // MySQL has no read-only connection flag; a read-only session refuses writes and DDL.
        AnswerDeadline deadline(db);
        QSqlQuery(db).exec(QStringLiteral("SET SESSION TRANSACTION READ ONLY"));
        if (deadline.expired())
            return deadline.error();
    }
    return c;
}

int answerTimeoutSeconds()
{
    return answerTimeout.load();
}

void setAnswerTimeoutSeconds(int seconds)
{
    answerTimeout.store(qMax(1, seconds));
}

struct AnswerDeadline::Watch
{
    std::mutex mutex;
    std::condition_variable wake;
    bool done = false;
    std::atomic<bool> fired{false};
    int seconds = 0;
    QString server;
    std::thread thread;
};

AnswerDeadline::AnswerDeadline(const QSqlDatabase &db)
{
    QString server;
    {
        QMutexLocker lock(&serversMutex);
        server = servers().value(db.connectionName());
    }
    if (server.isEmpty())
        return;
    const int fd = connectionSocket(db);
    if (fd < 0)
        return;
    m_watch = std::make_shared<Watch>();
    m_watch->seconds = answerTimeoutSeconds();
    m_watch->server = server;
    Watch *w = m_watch.get();
    m_watch->thread = std::thread([w, fd]() {
        std::unique_lock lock(w->mutex);
        if (!w->wake.wait_for(lock, std::chrono::seconds(w->seconds), [w]() { return w->done; })) {
            // The query's thread is blocked in the driver, inside this deadline's lifetime,
            // so the descriptor is still the connection's: shutting it down (not closing it)
            // makes the blocked read return and the driver report a lost connection.
            w->fired = true;
            ::shutdown(fd, SHUT_RDWR);
        }
    });
}

AnswerDeadline::~AnswerDeadline()
{
    if (!m_watch)
        return;
    {
        std::lock_guard lock(m_watch->mutex);
        m_watch->done = true;
    }
    m_watch->wake.notify_one();
    m_watch->thread.join();
}

bool AnswerDeadline::expired() const
{
    return m_watch && m_watch->fired.load();
}

Error AnswerDeadline::error() const
{
    if (!m_watch)
        return {};
    return makeError(Error::Code::Timeout,
                     QStringLiteral("Cannot read %1: not answering — connected, but no answer to a query within %2 s "
                                    "(the server may be stopped or overloaded, or another session holds a lock on what "
                                    "Retort reads).")
                         .arg(m_watch->server)
                         .arg(m_watch->seconds));
}

bool isAuthenticationFailure(const Error &error)
{
    return error.code == Error::Code::Authentication;
}

bool isNotAnswering(const Error &error)
{
    return error.code == Error::Code::Timeout;
}

QString quoteIdentifier(const QString &name)
{
    QString q = name;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace retort::core
