#include "versiontable.h"

#include "db/connection.h"
#include "db/mysqlurl.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <optional>

namespace retort::core {

Result<DatabasePosition> VersionTable::read(const Options &options)
{
    auto parsed = SqlUrl::parse(options.url);
    if (!parsed)
        return parsed.error();
    const SqlUrl &url = *parsed;
    DatabasePosition pos;
    if (url.isSqlite() && !url.isSqliteMemory() && !QFileInfo::exists(url.sqliteFile(options.workingDir))) {
        pos.databaseExists = false;
        return pos;
    }
    auto conn = ScopedConnection::open(url, options.workingDir, options.password, options.connectTimeoutSeconds, true);
    if (!conn)
        return conn.error();
    QSqlDatabase db = conn->database();

    QSqlQuery q(db);
    // Over prepare() (QPSQL and QMYSQL ask the server), exec() and the row.
    std::optional<AnswerDeadline> deadline(std::in_place, db);
    if (url.isSqlite()) {
        q.prepare(options.schema.isEmpty()
                      ? QStringLiteral("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
                      : QStringLiteral("SELECT 1 FROM %1.sqlite_master WHERE type = 'table' AND name = ?")
                            .arg(quoteIdentifier(options.schema)));
        q.addBindValue(options.table);
    } else if (isMysqlUrl(url)) {
        // SQLAlchemy's MySQL has_table: information_schema in the named or current database.
        q.prepare(QStringLiteral("SELECT 1 FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) "
                                 "AND table_name = ?"));
        q.addBindValue(options.schema.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(options.schema));
        q.addBindValue(options.table);
    } else {
        q.prepare(QStringLiteral("SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                                 "c.relnamespace WHERE c.relname = ? AND c.relkind IN ('r', 'p', 'v', 'f') AND "
                                 "n.nspname = COALESCE(?, current_schema())"));
        q.addBindValue(options.table);
        q.addBindValue(options.schema.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(options.schema));
    }
    if (!q.exec()) {
        if (deadline->expired())
            return deadline->error();
        return makeError(Error::Code::Database,
                         QStringLiteral("Cannot look for the version table in %1: %2")
                             .arg(url.masked(), q.lastError().databaseText().trimmed().section(QLatin1Char('\n'), 0, 0)));
    }
    pos.tableExists = q.next();
    if (deadline->expired())
        return deadline->error();
    deadline.reset();
    if (!pos.tableExists)
        return pos;
    const auto quote = isMysqlUrl(url) ? quoteMysqlIdentifier : quoteIdentifier;
    const QString table = options.schema.isEmpty() ? quote(options.table)
                                                   : quote(options.schema) + QLatin1Char('.') + quote(options.table);
    QSqlQuery rows(db);
    deadline.emplace(db);
    if (!rows.exec(QStringLiteral("SELECT version_num FROM %1").arg(table))) {
        if (deadline->expired())
            return deadline->error();
        return makeError(Error::Code::Database,
                         QStringLiteral("Cannot read %1 in %2: %3")
                             .arg(table, url.masked(),
                                  maskPasswords(rows.lastError().databaseText().trimmed().section(QLatin1Char('\n'), 0, 0))));
    }
    while (rows.next())
        pos.heads.append(rows.value(0).toString());
    if (deadline->expired())
        return deadline->error();
    return pos;
}

} // namespace retort::core
