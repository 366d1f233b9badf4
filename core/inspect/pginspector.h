#pragma once

#include "db/connection.h"
#include "inspect/inspector.h"
#include "inspect/psqltable.h"

#include <QSqlQuery>
#include <QVariant>

namespace retort::core {

// PostgreSQL: the catalog queries of psql 17's describe.c for a PostgreSQL 15 or newer server,
// laid out by PsqlTable.
class PgInspector : public Inspector
{
public:
    static Result<std::unique_ptr<Inspector>> connect(const SqlUrl &url, const QString &workingDir, const QString &password);

    using Inspector::run;
    Result<QString> run(const DescribeCommand &command) override;
    Result<QList<DbObject>> objects() override;
    QStringList schemas() override;
    bool isPostgres() const override { return true; }
    Result<QStringList> sampleRows(const QString &schema, const QString &table, int limit) override;
    Result<QString> createStatements(const QString &pattern) override;

private:
    struct Row
    {
        QList<QVariant> values;
        QString text(int i) const { return values.value(i).isNull() ? QString() : values.value(i).toString(); }
        bool isNull(int i) const { return values.value(i).isNull(); }
        bool flag(int i) const { return values.value(i).toBool(); }
    };
    Result<QList<Row>> query(const QString &sql, const QVariantList &params = {});
    static QList<QStringList> cellsOf(const QList<Row> &rows, int columns);
    // A list command's table as psql prints query results: left-aligned, "(N rows)" below.
    static PsqlTable listTable(const QString &title, const QStringList &headers, const QList<Row> &rows);

    // processSQLNamePattern: appends the WHERE/AND clauses for `pattern`.
    Result<bool> namePattern(QString &sql, QVariantList &params, const DescribeCommand &cmd, bool haveWhere,
                             const QString &schemaVar, const QString &nameVar, const QString &visibility, int maxParts);
    // `sql` with the pattern's clauses (namePattern) and `orderBy`, run.
    Result<QList<Row>> queryMatching(QString sql, const DescribeCommand &cmd, bool haveWhere, const QString &schemaVar,
                                     const QString &nameVar, const QString &visibility, int maxParts,
                                     const QString &orderBy);

    Result<QString> describeTables(const DescribeCommand &cmd);
    Result<QString> describeOne(const QString &oid, const QString &schema, const QString &name, bool verbose);
    Result<QString> listTables(const DescribeCommand &cmd);
    Result<QString> listSchemas(const DescribeCommand &cmd);
    Result<QString> listDomains(const DescribeCommand &cmd);
    Result<QString> listExtensions(const DescribeCommand &cmd);
    Result<bool> addTablespaceFooter(PsqlTable &t, qlonglong tablespace, bool newline);

    ScopedConnection m_conn;
};

} // namespace retort::core
