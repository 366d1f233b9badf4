#pragma once

#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace retort::core {

// One object of the schema tree.
struct DbObject
{
    QString schema;
    QString name;
    QString kind;    // psql's words: "table", "view", "materialized view", "sequence", "index",
                     // "partitioned table", "partitioned index", "foreign table"
    QString table;   // for indexes: the table they belong to
};

// A psql-style meta-command: \d[tivsmEn][S][+] [PATTERN], \dD[S][+] and \dx[+] (PostgreSQL's
// domains and extensions), read as psql reads it: the letters after \d in any order (S: system
// objects too, +: verbose), the pattern as psql's first argument (double-quoted parts kept for
// the pattern, single quotes stripped), further arguments ignored with psql's warning, and the
// text from an unquoted backslash on (psql -c runs one backslash command) ignored.
struct DescribeCommand
{
    enum class Kind { ListRelations, Describe, ListSchemas, ListDomains, ListExtensions };
    Kind kind = Kind::Describe;
    QString types;       // for ListRelations: the letters, of which "tivsmE" count
    bool verbose = false;
    bool system = false; // S: pg_catalog, information_schema (and TOAST) objects in lists
    bool hasPattern = false;
    QString pattern;
    QStringList scanErrors; // psql's "unterminated quoted string", for stderr before the answer
    QStringList warnings;   // psql's `\d: extra argument "x" ignored`, for stderr after it

    static Result<DescribeCommand> parse(const QString &text);
    // psql's "Did not find any relation named ..." for this command.
    Error notFound() const;
    // \dD and \dx on a database that has no domains or extensions (`product`: "SQLite").
    Error notPostgres(const QString &product) const;
    QString word; // the command as typed: "\dD+"
};

// Reads a database's structure and answers like psql's \d family. PostgreSQL answers are
// psql 17's text (for servers 15 and up); SQLite answers use the same layout with what SQLite
// knows. One instance owns one connection; use it on one thread. All SQL binds values or
// quotes identifiers.
class Inspector
{
public:
    virtual ~Inspector() = default;

    static Result<std::unique_ptr<Inspector>> connect(const QString &url, const QString &workingDir,
                                                      const QString &password = {});

    // Runs a meta-command ("\d", "\dt public.emp*", "\d+ orders") and returns psql's text.
    Result<QString> run(const QString &command);
    virtual Result<QString> run(const DescribeCommand &command) = 0;
    // Every relation outside the system schemas, for the tree.
    virtual Result<QList<DbObject>> objects() = 0;
    virtual QStringList schemas() = 0;
    virtual bool isPostgres() const = 0;
    // The DDL of the relations a \d pattern names, each statement ending in ";\n", blank
    // lines between: MySQL's own SHOW CREATE text, SQLite's stored CREATE statements, and
    // for PostgreSQL the CREATE TABLE/VIEW/SEQUENCE and index statements Retort states from
    // the catalog (pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef, pg_get_triggerdef).
    virtual Result<QString> createStatements(const QString &pattern) = 0;
    // Rows of a table as "a | b" lines (for the version table panel), at most `limit`.
    virtual Result<QStringList> sampleRows(const QString &schema, const QString &table, int limit) = 0;
};

} // namespace retort::core
