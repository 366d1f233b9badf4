#include "connection.h"

#include "db/mysqlurl.h"

#include <QAtomicInt>
#include <QSqlQuery>
#include <QSqlError>

namespace retort::core {

namespace {

QString nextConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("retort-%1").arg(counter.fetchAndAddRelaxed(1));
}

} // namespace

ScopedConnection::State::~State()
{
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
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
        if (url.port > 0)
            db.setPort(url.port);
        db.setDatabaseName(url.database);
        db.setUserName(url.username);
        db.setPassword(password.isEmpty() ? url.password : password);
        opts << QStringLiteral("connect_timeout=%1").arg(connectTimeoutSeconds);
        for (const QString &key : {QStringLiteral("sslmode"), QStringLiteral("sslrootcert"), QStringLiteral("sslcert"),
                                   QStringLiteral("sslkey"), QStringLiteral("application_name")}) {
            if (url.query.contains(key))
                opts << key + QLatin1Char('=') + url.query.value(key);
        }
        if (url.query.contains(QStringLiteral("host")))
            db.setHostName(url.query.value(QStringLiteral("host")));
    }
    db.setConnectOptions(opts.join(QLatin1Char(';')));
    if (!db.open()) {
        Error e = makeError(Error::Code::Database,
                            QStringLiteral("Cannot connect to %1: %2")
                                .arg(url.masked(), maskPasswords(db.lastError().text().trimmed())));
        e.detail = maskPasswords(db.lastError().databaseText());
        return e;
    }
    if (c.m_state->mysql && readOnly) {
        // MySQL has no read-only connection flag; a read-only session refuses writes and DDL.
        QSqlQuery(db).exec(QStringLiteral("SET SESSION TRANSACTION READ ONLY"));
    }
    return c;
}

QString quoteIdentifier(const QString &name)
{
    QString q = name;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace retort::core
