#pragma once

#include "db/sqlurl.h"
#include "result.h"

#include <QSqlDatabase>
#include <QString>

namespace retort::core {

// MySQL and MariaDB URLs as SQLAlchemy reads them (mysql://, mysql+pymysql://,
// mysql+mysqldb://, mariadb+...://) applied to Qt's QMYSQL driver.

// True for the dialects SQLAlchemy's MySQL family accepts: "mysql" and "mariadb".
bool isMysqlUrl(const SqlUrl &url);

// Sets host, port, unix socket, database, user, password, timeouts and TLS files on a
// QMYSQL connection that is not open yet. Query options Retort does not know give an error
// that names them, so a URL that reaches a server differently under Alembic is never
// half-read.
Error configureMysqlConnection(QSqlDatabase &db, const SqlUrl &url, const QString &password, int connectTimeoutSeconds);

// `name` with embedded backticks doubled, in backticks: safe in any MySQL statement.
QString quoteMysqlIdentifier(const QString &name);

} // namespace retort::core
