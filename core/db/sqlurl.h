#pragma once

#include "result.h"

#include <QMap>
#include <QString>

namespace retort::core {

// A SQLAlchemy database URL, parsed: dialect[+driver]://user:password@host:port/database?query
struct SqlUrl
{
    QString dialect;   // "sqlite", "postgresql", ...
    QString driver;    // "psycopg2", ... (may be empty)
    QString username;
    QString password;
    QString host;
    int port = -1;
    QString database;  // for SQLite: the file path as written ("" or ":memory:" for memory)
    QMap<QString, QString> query;

    static Result<SqlUrl> parse(const QString &url);
    // The URL with the password replaced, as Alembic's obfuscate_url_pw renders it.
    QString masked(const QString &mask = QStringLiteral("XXXXX")) const;
    bool isSqlite() const { return dialect == QLatin1String("sqlite"); }
    bool isPostgres() const { return dialect == QLatin1String("postgresql") || dialect == QLatin1String("postgres"); }
    bool isSqliteMemory() const { return isSqlite() && (database.isEmpty() || database == QLatin1String(":memory:")); }
    // SQLite: the file, resolved against the working directory like SQLAlchemy does.
    QString sqliteFile(const QString &workingDir) const;
};

// Replaces the password in any URL-looking text (log lines, messages).
QString maskPasswords(const QString &text, const QString &mask = QStringLiteral("XXXXX"));

} // namespace retort::core
