#include "operations.h"

#include "project/sqlregions.h"

#include <QFile>
#include <QHash>
#include <QSet>
#include <QRegularExpression>

namespace retort::core {

namespace {

struct CallArgs
{
    QStringList positional;          // literal value, or empty for anything else
    QHash<QString, QString> keywords; // keyword -> literal value (empty when not a literal)
    QString column;                  // first literal inside a nested sa.Column(...)
};

// The arguments of a call whose '(' is at `open`: string literals by position and keyword.
CallArgs callArguments(const QString &s, qsizetype open)
{
    CallArgs args;
    int depth = 0;
    QString keyword;
    bool pendingArg = false;   // an argument started at depth 1
    QString pendingValue;
    bool inColumnCall = false;
    auto finishArg = [&]() {
        if (!pendingArg)
            return;
        if (keyword.isEmpty())
            args.positional.append(pendingValue);
        else
            args.keywords.insert(keyword, pendingValue);
        pendingArg = false;
        pendingValue.clear();
        keyword.clear();
    };
    for (qsizetype i = open; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c == QLatin1Char('#')) {
            while (i < s.size() && s[i] != QLatin1Char('\n'))
                ++i;
            continue;
        }
        if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            const bool triple = s.mid(i, 3) == QString(3, c);
            const qsizetype start = i + (triple ? 3 : 1);
            qsizetype j = start;
            while (j < s.size()) {
                if (s[j] == QLatin1Char('\\')) {
                    j += 2;
                    continue;
                }
                if (s[j] == c && (!triple || s.mid(j, 3) == QString(3, c)))
                    break;
                ++j;
            }
            const QString value = s.mid(start, j - start);
            if (depth == 1) {
                if (!pendingArg) {
                    pendingArg = true;
                    pendingValue = value;
                }
            } else if (depth == 2 && inColumnCall && args.column.isEmpty()) {
                args.column = value;
            }
            i = j + (triple ? 2 : 0);
            continue;
        }
        if (c == QLatin1Char('(') || c == QLatin1Char('[') || c == QLatin1Char('{')) {
            if (depth == 1) {
                inColumnCall = c == QLatin1Char('(') && s.mid(std::max<qsizetype>(open, i - 7), i - std::max<qsizetype>(open, i - 7)).endsWith(QStringLiteral("Column"));
                if (!pendingArg) {
                    pendingArg = true; // a call or a list: not a literal
                    pendingValue.clear();
                }
            }
            ++depth;
        } else if (c == QLatin1Char(')') || c == QLatin1Char(']') || c == QLatin1Char('}')) {
            if (--depth == 0) {
                finishArg();
                return args;
            }
        } else if (depth == 1 && c == QLatin1Char(',')) {
            finishArg();
        } else if (depth == 1 && (c.isLetter() || c == QLatin1Char('_'))) {
            qsizetype j = i;
            while (j < s.size() && (s[j].isLetterOrNumber() || s[j] == QLatin1Char('_') || s[j] == QLatin1Char('.')))
                ++j;
            qsizetype k = j;
            while (k < s.size() && s[k] == QLatin1Char(' '))
                ++k;
            if (!pendingArg && k < s.size() && s[k] == QLatin1Char('=') && (k + 1 >= s.size() || s[k + 1] != QLatin1Char('='))) {
                keyword = s.mid(i, j - i);
                i = k;
                continue;
            }
            if (!pendingArg) {
                pendingArg = true; // a name or expression
                pendingValue.clear();
            }
            i = j - 1;
        } else if (depth == 1 && !c.isSpace() && !pendingArg) {
            pendingArg = true;
            pendingValue.clear();
        }
    }
    finishArg();
    return args;
}

QString positional(const CallArgs &args, int n)
{
    return args.positional.value(n);
}

QString keywordArg(const CallArgs &args, const QString &name)
{
    return args.keywords.value(name);
}

int lineAt(const QString &s, qsizetype pos)
{
    return int(QStringView(s).left(pos).count(QLatin1Char('\n'))) + 1;
}


// Every revision file's text, indexed like RevisionMap::files(), each read once.
QStringList readSources(const RevisionMap &map)
{
    QStringList out;
    out.reserve(map.files().size());
    for (const RevisionFile &f : map.files())
        out.append(readSource(f.path));
    return out;
}

QStringList tablesIn(const RevisionMap &map, const QStringList &sources)
{
    QStringList tables;
    for (qsizetype i = 0; i < map.files().size(); ++i) {
        for (const SchemaOperation &o : readOperations(sources[i], map.files()[i])) {
            if (!o.table.isEmpty() && !tables.contains(o.table))
                tables.append(o.table);
        }
    }
    tables.sort();
    return tables;
}
} // namespace

QList<SchemaOperation> readOperations(const QString &source, const RevisionFile &file, const QStringList &knownTables)
{
    QList<SchemaOperation> out;
    static const QRegularExpression call(QStringLiteral("\\b(op|batch_op|batch)\\.(\\w+)\\s*\\("));
    static const QRegularExpression batchWith(QStringLiteral("with\\s+op\\.batch_alter_table\\s*\\(\\s*['\"]([^'\"]+)['\"][^:]*:"));
    // Which batch table is open at a given position: the last `with op.batch_alter_table` before it.
    QList<QPair<qsizetype, QString>> batches;
    for (auto it = batchWith.globalMatch(source); it.hasNext();) {
        const auto m = it.next();
        batches.append({m.capturedStart(), m.captured(1)});
    }
    auto batchTableAt = [&](qsizetype pos) {
        QString t;
        for (const auto &b : batches)
            if (b.first < pos)
                t = b.second;
        return t;
    };
    auto inUpgrade = [&](int line) {
        if (file.upgradeLine > 0 && line >= file.upgradeLine && line <= file.upgradeEndLine)
            return 1;
        if (file.downgradeLine > 0 && line >= file.downgradeLine && line <= file.downgradeEndLine)
            return 0;
        return -1;
    };
    for (auto it = call.globalMatch(source); it.hasNext();) {
        const auto m = it.next();
        const int line = lineAt(source, m.capturedStart());
        const int where = inUpgrade(line);
        if (where < 0)
            continue;
        const bool batch = m.captured(1) != QLatin1String("op");
        const QString op = m.captured(2);
        const CallArgs args = callArguments(source, m.capturedEnd() - 1);
        SchemaOperation o;
        o.op = op;
        o.line = line;
        o.inUpgrade = where == 1;
        const QString p0 = positional(args, 0), p1 = positional(args, 1), p2 = positional(args, 2);
        if (batch) {
            o.table = batchTableAt(m.capturedStart());
            if (op == QLatin1String("add_column"))
                o.column = args.column;
            else if (op == QLatin1String("drop_column") || op == QLatin1String("alter_column"))
                o.column = p0;
            else if (op == QLatin1String("create_index") || op == QLatin1String("drop_index"))
                o.target = p0;
            else if (op == QLatin1String("create_foreign_key"))
                o.target = p1;
        } else if (op == QLatin1String("create_table") || op == QLatin1String("drop_table") || op == QLatin1String("bulk_insert")
                   || op == QLatin1String("create_table_comment") || op == QLatin1String("drop_table_comment")
                   || op == QLatin1String("batch_alter_table")) {
            o.table = op == QLatin1String("drop_table") && p0.isEmpty() ? keywordArg(args, QStringLiteral("table_name")) : p0;
            if (op == QLatin1String("bulk_insert"))
                continue; // bulk_insert takes a Table object, not a name
        } else if (op == QLatin1String("add_column")) {
            o.table = p0;
            o.column = args.column;
        } else if (op == QLatin1String("drop_column") || op == QLatin1String("alter_column")) {
            o.table = p0.isEmpty() ? keywordArg(args, QStringLiteral("table_name")) : p0;
            o.column = p1.isEmpty() ? keywordArg(args, QStringLiteral("column_name")) : p1;
        } else if (op == QLatin1String("create_index")) {
            o.target = p0;
            o.table = p1.isEmpty() ? keywordArg(args, QStringLiteral("table_name")) : p1;
        } else if (op == QLatin1String("drop_index")) {
            o.target = p0;
            o.table = p1.isEmpty() ? keywordArg(args, QStringLiteral("table_name")) : p1;
        } else if (op == QLatin1String("create_foreign_key")) {
            o.target = p2;
            o.table = p1;
        } else if (op == QLatin1String("create_unique_constraint") || op == QLatin1String("create_check_constraint")
                   || op == QLatin1String("create_primary_key") || op == QLatin1String("drop_constraint")) {
            o.table = p1.isEmpty() ? keywordArg(args, QStringLiteral("table_name")) : p1;
        } else if (op == QLatin1String("rename_table")) {
            o.table = p0;
            o.target = p1;
        } else if (op == QLatin1String("execute")) {
            continue; // handled as raw SQL below
        } else {
            continue;
        }
        if (!o.table.isEmpty() || !o.column.isEmpty())
            out.append(o);
    }
    // Raw SQL: tables named inside op.execute / sa.text strings.
    for (const SqlRegion &r : findSqlRegions(source)) {
        const int where = inUpgrade(r.line);
        if (where < 0)
            continue;
        const QString sql = source.mid(r.start, r.length);
        for (const QString &t : knownTables) {
            const QRegularExpression word(QStringLiteral("(?<![\\w.])\"?%1\"?(?!\\w)").arg(QRegularExpression::escape(t)),
                                          QRegularExpression::CaseInsensitiveOption);
            if (word.match(sql).hasMatch()) {
                SchemaOperation o;
                o.op = QStringLiteral("sql");
                o.table = t;
                o.line = r.line;
                o.inUpgrade = where == 1;
                out.append(o);
            }
        }
    }
    return out;
}

QString readSource(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QStringList projectTables(const Project &project)
{
    return tablesIn(project.map, readSources(project.map));
}

QList<int> revisionsTouching(const Project &project, const QString &table, const QString &column)
{
    const RevisionMap &map = project.map;
    QList<int> out;
    const std::vector<int> order = map.displayOrder();
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const RevisionFile &f = map.fileOf(*it);
        for (const SchemaOperation &o : readOperations(readSource(f.path), f, {table})) {
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
    const QStringList sources = readSources(map);
    const QStringList tables = tablesIn(map, sources);
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
            for (const SchemaOperation &o : readOperations(sources[file], map.files()[file], tables)) {
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
