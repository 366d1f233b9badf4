#pragma once

#include "result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace retort::core {

class ScopedConnection;

// A database schema as plain data, the same shape for every dialect: what the diff, the
// stairway, `retort diff` and `retort drift` compare. Read from PostgreSQL's catalogs
// (pgsnapshot.cpp) or SQLite's pragmas (sqlitesnapshot.cpp); immutable once read, cheap to
// copy, safe to hand to any thread. Lists are kept sorted by name so two snapshots of the
// same schema compare equal whatever order the catalogs answer in (columns keep their
// table order: that order is part of the schema).
struct SchemaColumn
{
    QString name;
    QString type;          // "integer", "character varying(40)", SQLite's declared "VARCHAR(40)"
    bool nullable = true;
    QString defaultValue;  // the expression text, empty for none
    QString identity;      // PostgreSQL: "always" / "by default"
    QString generated;     // the generation expression ("stored"/"virtual" prefixed on SQLite)
    QString charset;       // MySQL: set with collation, only where it differs from the table's
    QString collation;     // PostgreSQL: where not the type's; MySQL: where not the table's

    bool operator==(const SchemaColumn &) const = default;
};

struct SchemaConstraint
{
    enum class Kind { PrimaryKey, Unique, Check, ForeignKey, Exclusion };
    Kind kind = Kind::Check;
    QString name;          // empty where the database keeps no name (SQLite)
    QStringList columns;
    QString definition;    // CHECK expression, "REFERENCES t(a) ON DELETE CASCADE", EXCLUDE text

    // How two snapshots pair constraints: by name when named, else by what they say.
    QString key() const;
    bool operator==(const SchemaConstraint &) const = default;
};

struct SchemaIndex
{
    QString name;
    QStringList columns;   // column names or expressions
    bool unique = false;
    QString method;        // "btree", "gin"... (PostgreSQL)
    QString predicate;     // partial index WHERE
    bool operator==(const SchemaIndex &) const = default;
};

struct SchemaTrigger
{
    QString name;
    QString definition;
    bool operator==(const SchemaTrigger &) const = default;
};

struct SchemaTable
{
    QString schema;
    QString name;
    QString kind = QStringLiteral("table"); // "table", "partitioned table", "foreign table"
    QString charset;       // MySQL: the table's default, only where it differs from the database's
    QString collation;
    QList<SchemaColumn> columns;
    QList<SchemaConstraint> constraints;
    QList<SchemaIndex> indexes;
    QList<SchemaTrigger> triggers;

    const SchemaColumn *column(const QString &name) const;
    bool operator==(const SchemaTable &) const = default;
};

struct SchemaView
{
    QString schema;
    QString name;
    bool materialized = false;
    QString definition;
    bool operator==(const SchemaView &) const = default;
};

struct SchemaSequence
{
    QString schema;
    QString name;
    QString type;
    qlonglong start = 1, increment = 1, minimum = 0, maximum = 0;
    bool cycle = false;
    QString ownedBy;       // "table.column" for serial/identity sequences
    bool operator==(const SchemaSequence &) const = default;
};

struct SchemaEnum
{
    QString schema;
    QString name;
    QStringList labels;
    bool operator==(const SchemaEnum &) const = default;
};

struct SchemaDomain
{
    QString schema;
    QString name;
    QString type;
    bool nullable = true;
    QString defaultValue;
    QStringList checks;
    bool operator==(const SchemaDomain &) const = default;
};

struct SchemaSnapshot
{
    QString dialect;               // "sqlite" / "postgresql" / "mysql"
    QStringList schemas;           // user schemas (PostgreSQL), sorted
    QList<SchemaTable> tables;
    QList<SchemaView> views;
    QList<SchemaSequence> sequences;
    QList<SchemaEnum> enums;
    QList<SchemaDomain> domains;

    // Sorts every list into the canonical order (readers call it last).
    void normalize();
    const SchemaTable *table(const QString &schema, const QString &name) const;
    bool isEmpty() const;
    bool operator==(const SchemaSnapshot &) const = default;

    // What to leave out: Alembic's version table (and its sequences/indexes).
    struct ReadOptions
    {
        QString versionTable = QStringLiteral("alembic_version");
        QString versionTableSchema;
    };
    // Reads the schema of an open connection (SQLite or PostgreSQL). Only reads.
    static Result<SchemaSnapshot> read(const ScopedConnection &connection, const ReadOptions &options);
    // Opens `url` read-only and reads it; a SQLite file that does not exist is an empty schema.
    static Result<SchemaSnapshot> read(const QString &url, const QString &workingDir, const ReadOptions &options,
                                       const QString &password = {});

    QJsonObject toJson() const;
};

// One difference between two snapshots, named the way a person says it:
// "column employees.password_hash: nullable → not null".
struct SchemaChange
{
    enum class Action { Added, Removed, Changed };
    Action action = Action::Changed;
    QString objectKind;    // "table", "column", "index", "constraint", "view", "sequence", "trigger", "enum", "domain", "schema"
    QString table;         // qualified display name of the owning table (for columns, indexes, ...)
    QString name;          // the object's own name (column name, index name, table name)
    QString attribute;     // for Changed: "type", "nullable", "default", "definition", ...
    QString before;
    QString after;

    // "table.name" for parts of a table, else the name.
    QString path() const;
    QString text() const;  // one line: "+ column employees.nickname VARCHAR(40)"
    QJsonObject toJson() const;
    static SchemaChange fromJson(const QJsonObject &o);
    bool operator==(const SchemaChange &) const = default;
};

// Everything that differs from `before` to `after`, tables first, in name order.
QList<SchemaChange> diffSchemas(const SchemaSnapshot &before, const SchemaSnapshot &after);
// The changes, one per line (empty text when there are none).
QString renderChanges(const QList<SchemaChange> &changes);
// A readable dump of a whole snapshot, one object per block (for logs and reference files).
QString renderSnapshot(const SchemaSnapshot &snapshot);

QString constraintKindName(SchemaConstraint::Kind kind);

} // namespace retort::core
