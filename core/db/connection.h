#pragma once

#include "db/sqlurl.h"
#include "result.h"

#include <QSqlDatabase>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace retort::core {

// A Qt Sql connection owned by one scope: a unique connection name, opened from a
// SQLAlchemy URL, removed again when the last copy goes away. Use it on the thread
// that opened it.
class ScopedConnection
{
public:
    static Result<ScopedConnection> open(const SqlUrl &url, const QString &workingDir, const QString &password = {},
                                         int connectTimeoutSeconds = 5, bool readOnly = true);
    QSqlDatabase database() const;
    QString name() const { return m_state ? m_state->name : QString(); }
    bool isPostgres() const { return m_state && m_state->postgres; }
    bool isMysql() const { return m_state && m_state->mysql; }

private:
    struct State
    {
        QString name;
        bool postgres = false;
        std::unique_ptr<QTemporaryDir> copy; // a private copy read instead of a file with a hot journal
        bool mysql = false;
        ~State();
    };
    static Result<ScopedConnection> openRolledBackCopy(const SqlUrl &url, const QString &file, ScopedConnection c);
    std::shared_ptr<State> m_state;
};

// A connect the server refused for its credentials (a missing or wrong password): the
// error's code is Error::Code::Authentication, set where the driver's answer is classified
// (libpq has no SQLSTATE for it, MySQL says 1045/1698), so callers decide from data, never
// from the message a person reads.
bool isAuthenticationFailure(const Error &error);

// A connect no server answered within the connect timeout: one that took the TCP connection
// and hung (stopped, overloaded, not a database server), or packets dropped on the way. The
// code is Error::Code::Timeout, classified where the driver's answer is read.
bool isNotAnswering(const Error &error);

// How long a read waits for the answer to one query (including its rows) from a PostgreSQL
// or MySQL/MariaDB server before it gives up: a server that took the connection and then
// stopped (SIGSTOP, a frozen VM), or a lock another session holds on what the query reads.
// Process-wide, 15 s unless set; tests shorten it.
int answerTimeoutSeconds();
void setAnswerTimeoutSeconds(int seconds);

// The answer deadline of one query on a connection ScopedConnection opened: while it lives,
// a watchdog thread waits answerTimeoutSeconds() and then shuts the connection's socket down,
// so the driver call blocked on it returns with an error instead of waiting forever. The
// connection is unusable afterwards. Create it before exec() and keep it over the fetch of
// the rows; when exec() or next() fails (or next() ends), expired() says whether it was the
// deadline, and error() is then the one-line Error::Code::Timeout naming the server. Inert
// for SQLite and for connections not opened by ScopedConnection. Thread: the query's.
class AnswerDeadline
{
public:
    explicit AnswerDeadline(const QSqlDatabase &db);
    ~AnswerDeadline();
    AnswerDeadline(const AnswerDeadline &) = delete;
    AnswerDeadline &operator=(const AnswerDeadline &) = delete;
    bool expired() const;
    Error error() const;

private:
    struct Watch;
    std::shared_ptr<Watch> m_watch;
};

// "name" with embedded quotes doubled: safe in any SQL text.
QString quoteIdentifier(const QString &name);

} // namespace retort::core
