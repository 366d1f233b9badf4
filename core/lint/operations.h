#pragma once

#include "project/scriptdirectory.h"

#include <QList>
#include <QString>

namespace retort::core {

// One schema change a migration makes, read from its source: an op.* call (or a
// batch_op.* call inside `with op.batch_alter_table(...)`), or a table named in raw SQL.
struct SchemaOperation
{
    QString op;       // "create_table", "add_column", ..., or "sql" for raw SQL
    QString table;
    QString column;   // when the operation names one
    QString target;   // referenced table (create_foreign_key), new name (rename_table)
    int line = 0;     // 1-based line in the file
    bool inUpgrade = true;
};

// One op.* call (or a call on the name a `with op.batch_alter_table(...) as NAME:` binds)
// inside upgrade() or downgrade(), with its Call node in the file's syntax tree.
struct OperationCall
{
    QString op;            // "add_column", ...
    bool batch = false;
    QString batchTable;    // the table of the enclosing batch_alter_table
    bool inUpgrade = true;
    int call = -1;
};
// Every operation call of a parsed revision file, in source order.
QList<OperationCall> operationCalls(const RevisionFile &file);

// The operations of one revision's upgrade() and downgrade(), read from the file's syntax
// tree (comments and strings are never code). `knownTables` lets raw SQL be matched
// against real table names (word boundaries, case-insensitive).
QList<SchemaOperation> readOperations(const RevisionFile &file, const QStringList &knownTables = {});

// Every table name created or touched anywhere in the project's upgrades.
QStringList projectTables(const Project &project);

// Revisions whose upgrade() touches `table` (and `column`, when given), oldest first.
QList<int> revisionsTouching(const Project &project, const QString &table, const QString &column = QString());

} // namespace retort::core

namespace retort::core {

// What each branch of a pending merge changes since the branches parted: for each head,
// the tables and columns its own revisions touch; `overlaps` lists the table.column (or
// table) names more than one branch changes — where the branches may collide.
struct BranchChanges
{
    struct Branch
    {
        QString head;
        QStringList revisions;     // the branch's own revisions, newest first
        QStringList changes;       // "employees.email", "orders" (table-level), sorted
    };
    QList<Branch> branches;
    QStringList overlaps;
};

BranchChanges branchChanges(const Project &project, const QStringList &heads);

} // namespace retort::core
