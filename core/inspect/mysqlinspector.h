#pragma once

#include "db/connection.h"
#include "inspect/inspector.h"

#include <QVariant>

namespace retort::core {

// MySQL and MariaDB: psql's \d layout filled with what the server's information_schema
// knows (column types as the server prints them, defaults, auto_increment, generated
// columns, collations, indexes with prefix lengths, foreign keys, checks, triggers, views,
// partitions; engine and row format in \d+), and the server's own SHOW CREATE text.
// A database is a "schema"; without a schema in the pattern the current database is meant.
// One instance owns one read-only connection; use it on the thread that created it.
class MysqlInspector : public Inspector
{
public:
    static Result<std::unique_ptr<Inspector>> connect(const SqlUrl &url, const QString &workingDir, const QString &password);

    using Inspector::run;
    Result<QString> run(const DescribeCommand &command) override;
    Result<QList<DbObject>> objects() override;
    QStringList schemas() override;
    bool isPostgres() const override { return false; }
    Result<QStringList> sampleRows(const QString &schema, const QString &table, int limit) override;
    Result<QString> createStatements(const QString &pattern) override;

private:
    struct Relation
    {
        QString schema, name, kind, table; // kind: table, partitioned table, view, sequence, index
        QString engine, rowFormat, collation, comment;
        qlonglong size = 0;
        bool systemVersioned = false; // MariaDB's WITH SYSTEM VERSIONING
    };
    Result<QList<QVariantList>> query(const QString &sql, const QVariantList &params = {});
    Result<QList<Relation>> relations(bool withIndexes, const QString &schemaOnly = {});
    Result<QList<Relation>> matching(const DescribeCommand &cmd, bool withIndexes);

    Result<QString> listRelations(const DescribeCommand &cmd);
    Result<QString> listSchemas(const DescribeCommand &cmd);
    Result<QString> describeTable(const Relation &r, bool verbose);
    Result<QString> describeIndex(const Relation &r);
    Result<QString> describeSequence(const Relation &r);
    Result<QStringList> foreignKeys(const QString &schema, const QString &table, bool referencing);

    ScopedConnection m_conn;
    QString m_database;   // DATABASE() at connect time
    bool m_mariadb = true;
};

} // namespace retort::core
