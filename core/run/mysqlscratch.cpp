#include "mysqlscratch.h"

#include "db/connection.h"
#include "db/mysqlurl.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace retort::core {

Result<MysqlScratch> createMysqlScratchDatabase(const SqlUrl &base, const QString &baseText, const QString &workingDir,
                                                const QString &purpose)
{
    // The server is reached without a default database, so a base database that does not
    // exist yet still has a server to make the scratch one on.
    SqlUrl admin = base;
    admin.database.clear();
    auto conn = ScopedConnection::open(admin, workingDir, {}, 5, false);
    if (!conn)
        return conn.error();
    QString charset = QStringLiteral("utf8mb4");
    QString collation;
    {
        QSqlQuery q(conn->database());
        q.prepare(QStringLiteral("SELECT default_character_set_name, default_collation_name FROM information_schema.schemata "
                                 "WHERE schema_name = ?"));
        q.addBindValue(base.database);
        const AnswerDeadline deadline(conn->database());
        if (q.exec() && q.next()) {
            charset = q.value(0).toString();
            collation = q.value(1).toString();
        }
        if (deadline.expired())
            return deadline.error();
    }
    static const QRegularExpression word(QStringLiteral("^\\w+$"));
    const QString name = QStringLiteral("retort_%1_%2").arg(purpose).arg(QRandomGenerator::global()->generate() % 1000000000u);
    QString create = QStringLiteral("CREATE DATABASE %1").arg(quoteMysqlIdentifier(name));
    if (word.match(charset).hasMatch())
        create += QStringLiteral(" CHARACTER SET ") + charset;
    if (word.match(collation).hasMatch())
        create += QStringLiteral(" COLLATE ") + collation;
    QSqlQuery q(conn->database());
    const AnswerDeadline deadline(conn->database());
    if (!q.exec(create)) {
        if (deadline.expired())
            return deadline.error();
        return makeError(Error::Code::Database, QStringLiteral("Cannot create the scratch database %1 on %2: %3")
                                                    .arg(name, admin.masked(), q.lastError().databaseText()));
    }
    MysqlScratch s;
    SqlUrl scratch = base;
    scratch.database = name;
    // masked() hides the password; Alembic needs the URL as written with only the database changed.
    s.url = baseText.trimmed();
    static const QRegularExpression path(QStringLiteral("^([\\w+]+://[^/?]*)(?:/[^?]*)?"));
    s.url.replace(path, QStringLiteral("\\1/") + name);
    s.description = QStringLiteral("scratch MySQL database %1").arg(scratch.masked());
    s.drop = [admin, name, workingDir] {
        auto c = ScopedConnection::open(admin, workingDir, {}, 5, false);
        if (!c)
            return;
        const AnswerDeadline deadline(c->database());
        QSqlQuery(c->database()).exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(quoteMysqlIdentifier(name)));
    };
    return s;
}

} // namespace retort::core
