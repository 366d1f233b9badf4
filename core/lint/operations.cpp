#include "operations.h"

#include "project/sqlregions.h"
#include "python/syntaxtree.h"

#include <QFile>
#include <QHash>
#include <QSet>
#include <QRegularExpression>

namespace retort::core {

using python::Field;
using python::NodeKind;
using python::SyntaxTree;

namespace {

struct CallArgs
{
    QStringList positional;           // literal value, or empty for anything else
    QHash<QString, QString> keywords; // keyword -> literal value (empty when not a literal)
    QString column;                   // first literal of a nested ...Column(...) argument
};

QString literal(const SyntaxTree &t, int n)
{
    return n >= 0 ? t.stringValue(n).value_or(QString()) : QString();
}

CallArgs callArguments(const SyntaxTree &t, int call)
{
    CallArgs args;
    for (int c : t.children(call)) {
        const python::Node &x = t.node(c);
        if (x.field == Field::Args) {
            args.positional.append(literal(t, c));
            if (args.column.isEmpty() && x.kind == NodeKind::Call) {
                const QString callee = t.dottedName(t.child(c, Field::Func));
                if (callee == QLatin1String("Column") || callee.endsWith(QLatin1String(".Column")))
                    args.column = literal(t, t.child(c, Field::Args));
            }
        } else if (x.field == Field::Keywords && x.nameEnd > x.nameStart) {
            args.keywords.insert(t.qname(c), literal(t, t.child(c, Field::Value)));
        }
    }
    return args;
}

// Every revision file's operations, indexed like RevisionMap::files().
QList<QList<SchemaOperation>> operationsOf(const RevisionMap &map, const QStringList &tables = {})
{
    QList<QList<SchemaOperation>> out;
    out.reserve(map.files().size());
    for (const RevisionFile &f : map.files())
        out.append(readOperations(f, tables));
    return out;
}

QStringList tablesIn(const QList<QList<SchemaOperation>> &ops)
{
    QStringList tables;
    for (const auto &list : ops)
        for (const SchemaOperation &o : list)
            if (!o.table.isEmpty() && !tables.contains(o.table))
                tables.append(o.table);
    tables.sort();
    return tables;
}

// The batch context a `with` statement opens: `with op.batch_alter_table("t") as NAME:`.
bool batchContext(const SyntaxTree &t, int item, QString &alias, QString &table)
{
    const int expr = t.child(item, Field::ContextExpr);
    if (expr < 0 || t.node(expr).kind != NodeKind::Call)
        return false;
    const QString callee = t.dottedName(t.child(expr, Field::Func));
    if (callee != QLatin1String("op.batch_alter_table"))
        return false;
    const int vars = t.child(item, Field::OptionalVars);
    if (vars < 0 || t.node(vars).kind != NodeKind::Name)
        return false;
    alias = t.qname(vars);
    const CallArgs args = callArguments(t, expr);
    table = args.positional.value(0);
    if (table.isEmpty())
        table = args.keywords.value(QStringLiteral("table_name"));
    return true;
}

void collectCalls(const SyntaxTree &t, int function, bool inUpgrade, QList<OperationCall> &out)
{
    // Names bound by enclosing batch contexts, innermost last.
    struct Batch { QString alias; QString table; uint32_t end; };
    std::vector<Batch> batches;
    t.visit(function, [&](int n) {
        const python::Node &x = t.node(n);
        while (!batches.empty() && x.start >= batches.back().end)
            batches.pop_back();
        if (x.kind == NodeKind::With || x.kind == NodeKind::AsyncWith) {
            for (int c : t.children(n)) {
                QString alias, table;
                if (t.node(c).field == Field::Items && batchContext(t, c, alias, table))
                    batches.push_back({alias, table, x.end});
            }
            return true;
        }
        if (x.kind != NodeKind::Call)
            return true;
        const int func = t.child(n, Field::Func);
        if (t.node(func).kind != NodeKind::Attribute || t.node(t.node(func).first).kind != NodeKind::Name)
            return true;
        const std::string_view owner = t.name(t.node(func).first);
        OperationCall c;
        c.op = t.qname(func);
        c.inUpgrade = inUpgrade;
        c.call = n;
        if (owner == "op") {
            out.append(c);
            return true;
        }
        for (auto it = batches.rbegin(); it != batches.rend(); ++it) {
            if (it->alias.toUtf8() == QByteArray(owner.data(), qsizetype(owner.size()))) {
                c.batch = true;
                c.batchTable = it->table;
                out.append(c);
                break;
            }
        }
        return true;
    });
}

} // namespace

QList<OperationCall> operationCalls(const RevisionFile &file)
{
    QList<OperationCall> out;
    if (!file.tree || !file.tree->isValid())
        return out;
    if (file.upgradeNode >= 0)
        collectCalls(*file.tree, file.upgradeNode, true, out);
    if (file.downgradeNode >= 0)
        collectCalls(*file.tree, file.downgradeNode, false, out);
    return out;
}

QList<SchemaOperation> readOperations(const RevisionFile &file, const QStringList &knownTables)
{
    QList<SchemaOperation> out;
    if (!file.tree || !file.tree->isValid())
        return out;
    const SyntaxTree &t = *file.tree;
    for (const OperationCall &c : operationCalls(file)) {
        const QString &op = c.op;
        const CallArgs args = callArguments(t, c.call);
        SchemaOperation o;
        o.op = op;
        o.line = t.node(c.call).line;
        o.inUpgrade = c.inUpgrade;
        const QString p0 = args.positional.value(0), p1 = args.positional.value(1), p2 = args.positional.value(2);
        auto keyword = [&](const char *name) { return args.keywords.value(QLatin1String(name)); };
        if (c.batch) {
            o.table = c.batchTable;
            if (op == QLatin1String("add_column"))
                o.column = args.column;
            else if (op == QLatin1String("drop_column") || op == QLatin1String("alter_column"))
                o.column = p0.isEmpty() ? keyword("column_name") : p0;
            else if (op == QLatin1String("create_index") || op == QLatin1String("drop_index"))
                o.target = p0;
            else if (op == QLatin1String("create_foreign_key"))
                o.target = p1;
        } else if (op == QLatin1String("create_table") || op == QLatin1String("drop_table") || op == QLatin1String("bulk_insert")
                   || op == QLatin1String("create_table_comment") || op == QLatin1String("drop_table_comment")
                   || op == QLatin1String("batch_alter_table")) {
            o.table = p0.isEmpty() ? keyword("table_name") : p0;
            if (op == QLatin1String("bulk_insert"))
                continue; // bulk_insert takes a Table object, not a name
        } else if (op == QLatin1String("add_column")) {
            o.table = p0.isEmpty() ? keyword("table_name") : p0;
            o.column = args.column;
        } else if (op == QLatin1String("drop_column") || op == QLatin1String("alter_column")) {
            o.table = p0.isEmpty() ? keyword("table_name") : p0;
            o.column = p1.isEmpty() ? keyword("column_name") : p1;
        } else if (op == QLatin1String("create_index") || op == QLatin1String("drop_index")) {
            o.target = p0.isEmpty() ? keyword("index_name") : p0;
            o.table = p1.isEmpty() ? keyword("table_name") : p1;
        } else if (op == QLatin1String("create_foreign_key")) {
            o.target = p2.isEmpty() ? keyword("referent_table") : p2;
            o.table = p1.isEmpty() ? keyword("source_table") : p1;
        } else if (op == QLatin1String("create_unique_constraint") || op == QLatin1String("create_check_constraint")
                   || op == QLatin1String("create_primary_key") || op == QLatin1String("drop_constraint")) {
            o.table = p1.isEmpty() ? keyword("table_name") : p1;
        } else if (op == QLatin1String("rename_table")) {
            o.table = p0.isEmpty() ? keyword("old_table_name") : p0;
            o.target = p1.isEmpty() ? keyword("new_table_name") : p1;
        } else {
            continue; // execute is read as raw SQL below
        }
        if (!o.table.isEmpty() || !o.column.isEmpty())
            out.append(o);
    }
    // Raw SQL: tables named inside op.execute / sa.text strings.
    if (knownTables.isEmpty())
        return out;
    for (const auto &[node, inUpgrade] : {std::pair{file.upgradeNode, true}, std::pair{file.downgradeNode, false}}) {
        if (node < 0)
            continue;
        for (const SqlLiteral &r : findSqlLiterals(t, node)) {
            for (const QString &table : knownTables) {
                const QRegularExpression word(QStringLiteral("(?<![\\w.])\"?%1\"?(?!\\w)").arg(QRegularExpression::escape(table)),
                                              QRegularExpression::CaseInsensitiveOption);
                if (word.match(r.sql).hasMatch()) {
                    SchemaOperation o;
                    o.op = QStringLiteral("sql");
                    o.table = table;
                    o.line = r.line;
                    o.inUpgrade = inUpgrade;
                    out.append(o);
                }
            }
        }
    }
    return out;
}

QStringList projectTables(const Project &project)
{
    return tablesIn(operationsOf(project.map));
}

QList<int> revisionsTouching(const Project &project, const QString &table, const QString &column)
{
    const RevisionMap &map = project.map;
    QList<int> out;
    const std::vector<int> order = map.displayOrder();
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const RevisionFile &f = map.fileOf(*it);
        for (const SchemaOperation &o : readOperations(f, {table})) {
            if (!o.inUpgrade || o.table.compare(table, Qt::CaseInsensitive) != 0)
                continue;
            if (!column.isEmpty() && !o.column.isEmpty() && o.column.compare(column, Qt::CaseInsensitive) != 0)
                continue;
            if (!column.isEmpty() && o.column.isEmpty() && o.op != QLatin1String("create_table") && o.op != QLatin1String("sql"))
                continue;
            out.append(*it);
            break;
        }
    }
    return out;
}

} // namespace retort::core

namespace retort::core {

BranchChanges branchChanges(const Project &project, const QStringList &heads)
{
    const RevisionMap &map = project.map;
    BranchChanges out;
    // Revisions every head has: the shared history below the branch point(s).
    std::vector<int> count(size_t(map.size()), 0);
    std::vector<std::vector<int>> ancestry;
    for (const QString &h : heads) {
        const int idx = map.indexOf(h);
        ancestry.push_back(idx >= 0 ? map.ancestors(idx) : std::vector<int>{});
        for (int a : ancestry.back())
            ++count[size_t(a)];
    }
    const QStringList tables = tablesIn(operationsOf(map));
    QHash<QString, int> seenBy;
    for (size_t i = 0; i < ancestry.size(); ++i) {
        BranchChanges::Branch b;
        b.head = heads[qsizetype(i)];
        QSet<QString> changes;
        for (int r : ancestry[i]) {
            if (count[size_t(r)] == int(heads.size()))
                continue; // shared
            b.revisions.append(map.at(r).id);
            const int file = map.at(r).file;
            for (const SchemaOperation &o : readOperations(map.files()[file], tables)) {
                if (!o.inUpgrade || o.table.isEmpty())
                    continue;
                changes.insert(o.column.isEmpty() ? o.table : o.table + QLatin1Char('.') + o.column);
            }
        }
        b.changes = QStringList(changes.begin(), changes.end());
        b.changes.sort();
        for (const QString &c : std::as_const(b.changes))
            ++seenBy[c];
        out.branches.append(b);
    }
    // Same column in two branches, or a table-level change on one side meeting any change
    // of that table on another.
    QSet<QString> overlaps;
    for (auto it = seenBy.cbegin(); it != seenBy.cend(); ++it)
        if (it.value() > 1)
            overlaps.insert(it.key());
    for (qsizetype i = 0; i < out.branches.size(); ++i) {
        for (const QString &c : out.branches[i].changes) {
            if (c.contains(QLatin1Char('.')))
                continue;
            for (qsizetype j = 0; j < out.branches.size(); ++j) {
                if (i == j)
                    continue;
                for (const QString &d : out.branches[j].changes)
                    if (d == c || d.startsWith(c + QLatin1Char('.'))) {
                        overlaps.insert(c);
                        overlaps.insert(d);
                    }
            }
        }
    }
    out.overlaps = QStringList(overlaps.begin(), overlaps.end());
    out.overlaps.sort();
    return out;
}

} // namespace retort::core
