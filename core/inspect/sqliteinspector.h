#pragma once

#include "db/connection.h"
#include "inspect/inspector.h"

#include <QHash>

#include <optional>

namespace retort::core {

// SQLite: psql's \d layout filled with what SQLite knows (PRAGMA table_xinfo, index_list,
// foreign_key_list, and the CREATE statements in sqlite_master for CHECK constraints,
// partial indexes, triggers and view definitions).
class SqliteInspector : public Inspector
{
public:
    static Result<std::unique_ptr<Inspector>> connect(const SqlUrl &url, const QString &workingDir);

    using Inspector::run;
    Result<QString> run(const DescribeCommand &command) override;
    Result<QList<DbObject>> objects() override;
    QStringList schemas() override { return {QStringLiteral("main")}; }
    bool isPostgres() const override { return false; }
    Result<QStringList> sampleRows(const QString &schema, const QString &table, int limit) override;
    Result<QString> createStatements(const QString &pattern) override;

private:
    struct Master
    {
        QString type, name, table, sql;
    };
    Result<QList<Master>> master();
    Result<QString> describeOne(const Master &m, bool verbose, const QList<Master> &all);
    Result<QList<QStringList>> rows(const QString &sql, const QVariantList &params = {});
    struct ForeignKeyLine
    {
        QString text;       // as \d prints it under "Foreign-key constraints:"
        QString referenced; // the table it references, as written
        QString name;       // the constraint's name, if it has one
        QString definition; // "FOREIGN KEY (...) REFERENCES ..."
    };
    static QList<ForeignKeyLine> foreignKeyLines(const Master &table, const QList<QStringList> &fks);
    // Referenced table -> its "Referenced by:" lines, built on first use in each run().
    Result<const QHash<QString, QStringList> *> referencedByIndex(const QList<Master> &all);

    ScopedConnection m_conn;
    std::optional<QHash<QString, QStringList>> m_referencedBy;
};

} // namespace retort::core
