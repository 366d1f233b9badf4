#include "lints.h"

#include "lint/operations.h"
#include "project/inifile.h"
#include "project/sqlregions.h"
#include "project/tomlreader.h"
#include "python/syntaxtree.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace retort::core {

namespace {

using Sev = Diagnostic::Severity;
using python::Field;
using python::NodeKind;
using python::SyntaxTree;

// Width of a SQLAlchemy type written like String(255) / sa.String(length=255) / VARCHAR(50).
std::optional<int> typeLength(const QString &type)
{
    static const QRegularExpression len(QStringLiteral("(?:String|VARCHAR|CHAR|Unicode)\\s*\\(\\s*(?:length\\s*=\\s*)?(\\d+)"),
                                        QRegularExpression::CaseInsensitiveOption);
    const auto m = len.match(type);
    if (m.hasMatch())
        return m.captured(1).toInt();
    return std::nullopt;
}

int integerRank(const QString &type)
{
    if (type.contains(QStringLiteral("SmallInteger"), Qt::CaseInsensitive) || type.contains(QStringLiteral("SMALLINT")))
        return 1;
    if (type.contains(QStringLiteral("BigInteger"), Qt::CaseInsensitive) || type.contains(QStringLiteral("BIGINT")))
        return 3;
    if (type.contains(QStringLiteral("Integer"), Qt::CaseInsensitive) || type.contains(QStringLiteral("INTEGER")))
        return 2;
    return 0;
}

// The keyword argument `name=` of a call (its value node), or -1.
int keywordValue(const SyntaxTree &t, int call, std::string_view name)
{
    for (int c : t.children(call))
        if (t.node(c).field == Field::Keywords && t.name(c) == name)
            return t.child(c, Field::Value);
    return -1;
}

QString sourceOf(const SyntaxTree &t, int n)
{
    if (n < 0)
        return {};
    const std::string_view v = t.source(n);
    return QString::fromUtf8(v.data(), qsizetype(v.size()));
}

// Any keyword `name=` in the call, its arguments included (sa.Column(..., nullable=False)).
int keywordAnywhere(const SyntaxTree &t, int call, std::string_view name)
{
    int found = -1;
    t.visit(call, [&](int n) {
        if (found >= 0)
            return false;
        if (t.node(n).kind == NodeKind::Keyword && t.name(n) == name)
            found = t.child(n, Field::Value);
        return true;
    });
    return found;
}

bool isConstant(const SyntaxTree &t, int n, python::ConstantKind k)
{
    return n >= 0 && t.node(n).kind == NodeKind::Constant && t.constantKind(n) == k;
}

} // namespace

const QList<LintRule> &lintRules()
{
    static const QList<LintRule> rules = {
        {QStringLiteral("irreversible-downgrade"), Sev::Error,
         QStringLiteral("downgrade() does nothing while upgrade() changes the schema: write the reverse operations, or "
                        "raise NotImplementedError to say so on purpose.")},
        {QStringLiteral("drop-table"), Sev::Warning, QStringLiteral("drops a table and its data; make sure nothing still reads it and that a backup exists.")},
        {QStringLiteral("drop-column"), Sev::Warning, QStringLiteral("drops a column and its data; stop reading it in a release before dropping it.")},
        {QStringLiteral("drop-constraint"), Sev::Info, QStringLiteral("drops a constraint; the data may stop being checked.")},
        {QStringLiteral("narrowing-type"), Sev::Warning, QStringLiteral("alter_column makes the type narrower: existing values may not fit.")},
        {QStringLiteral("destructive-sql"), Sev::Warning, QStringLiteral("raw SQL drops, truncates or deletes every row; check it is meant.")},
        {QStringLiteral("adding-required-field"), Sev::Error,
         QStringLiteral("add_column(..., nullable=False) without server_default fails on a table with rows: add it nullable, "
                        "fill it in a data migration, then alter_column(nullable=False).")},
        {QStringLiteral("probable-rename"), Sev::Warning,
         QStringLiteral("drops and adds a column of the same table in one revision: if it is a rename, use "
                        "alter_column(new_column_name=...) so the data stays.")},
        {QStringLiteral("unmirrored-downgrade"), Sev::Warning,
         QStringLiteral("downgrade() does not undo what upgrade() did (a created table, column or index is not dropped "
                        "again, or a dropped one not recreated).")},
        {QStringLiteral("concurrent-index-in-transaction"), Sev::Error,
         QStringLiteral("CREATE INDEX CONCURRENTLY cannot run inside a transaction: wrap it in "
                        "`with op.get_context().autocommit_block():`.")},
        {QStringLiteral("validate-constraint-separately"), Sev::Info,
         QStringLiteral("adding a foreign key or NOT NULL checks every row under a lock; on a large PostgreSQL table add "
                        "it NOT VALID and validate in a later step.")},
        {QStringLiteral("imports-app-models"), Sev::Warning,
         QStringLiteral("the migration imports the application's models; it breaks when they change. Declare the tables "
                        "it needs inside the migration (sa.table / sa.column).")},
        {QStringLiteral("offline-unsafe"), Sev::Warning,
         QStringLiteral("reads the database through op.get_bind() / inspect() without an offline guard, so `alembic "
                        "upgrade --sql` cannot render it; check context.is_offline_mode() first.")},
        {QStringLiteral("multiple-heads"), Sev::Warning, QStringLiteral("the project has several heads; merge them.")},
        {QStringLiteral("default-message"), Sev::Info, QStringLiteral("the revision message was left empty or as the template default.")},
    };
    return rules;
}

static Sev severityOf(const QString &id)
{
    for (const LintRule &r : lintRules())
        if (r.id == id)
            return r.severity;
    return Sev::Warning;
}

static QString summaryOf(const QString &id)
{
    for (const LintRule &r : lintRules())
        if (r.id == id)
            return r.summary;
    return {};
}

QSet<QString> disabledRules(const ProjectConfig &config)
{
    QSet<QString> out;
    const QString dir = QFileInfo(config.iniPath.isEmpty() ? config.tomlPath : config.iniPath).absolutePath();
    const QString toml = QDir(dir).filePath(QStringLiteral("retort.toml"));
    if (QFileInfo(toml).isFile()) {
        auto t = readTomlTable(toml, QStringLiteral("lints"));
        if (t) {
            for (const QString &id : t->list(QStringLiteral("disable")))
                out.insert(id.trimmed());
        }
    }
    if (!config.iniPath.isEmpty()) {
        auto ini = IniFile::load(config.iniPath, {{QStringLiteral("here"), dir}});
        if (ini && ini->hasSection(QStringLiteral("retort"))) {
            if (const auto v = ini->value(QStringLiteral("retort"), QStringLiteral("disable")))
                for (const QString &id : v->split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
                    out.insert(id);
        }
    }
    return out;
}

QList<Diagnostic> lintRevision(const RevisionMap &map, int revision)
{
    const RevisionFile &f = map.fileOf(revision);
    const QString id = map.at(revision).id;
    QList<Diagnostic> out;
    if (!f.tree || !f.tree->isValid())
        return out;
    const SyntaxTree &t = *f.tree;
    // Per-line suppression: a "# retort: ignore[rule-id]" comment on the line or the line above.
    QHash<int, QString> ignores;
    for (const SyntaxTree::Comment &c : t.comments()) {
        const QString text = QString::fromUtf8(t.text().data() + c.start, qsizetype(c.end - c.start));
        const qsizetype at = text.indexOf(QStringLiteral("retort: ignore["));
        if (at >= 0)
            ignores.insert(c.line, text.mid(at + 15).section(QLatin1Char(']'), 0, 0));
    }
    auto add = [&](const QString &rule, int line, const QString &what) {
        for (int l : {line, line - 1}) {
            const auto it = ignores.constFind(l);
            if (it != ignores.constEnd() && (it->split(QLatin1Char(',')).contains(rule) || it->trimmed() == QLatin1String("*")))
                return;
        }
        out.append({severityOf(rule), rule, what + QStringLiteral(" — ") + summaryOf(rule), f.path, line, id});
    };

    const QList<SchemaOperation> ops = readOperations(f);
    QList<SchemaOperation> up, down;
    for (const SchemaOperation &o : ops)
        (o.inUpgrade ? up : down).append(o);
    const bool upgradeChanges = !up.isEmpty() || (f.upgradeLine > 0 && !f.upgradeEmpty);

    if (f.downgradeLine > 0 && f.downgradeEmpty && upgradeChanges)
        add(QStringLiteral("irreversible-downgrade"), f.downgradeLine, QStringLiteral("downgrade() of %1 is empty").arg(id));

    QHash<QString, QSet<QString>> dropped, added;
    for (const SchemaOperation &o : std::as_const(up)) {
        if (o.op == QLatin1String("drop_table"))
            add(QStringLiteral("drop-table"), o.line, QStringLiteral("drop_table('%1')").arg(o.table));
        else if (o.op == QLatin1String("drop_column")) {
            add(QStringLiteral("drop-column"), o.line, QStringLiteral("drop_column('%1', '%2')").arg(o.table, o.column));
            dropped[o.table].insert(o.column);
        } else if (o.op == QLatin1String("drop_constraint"))
            add(QStringLiteral("drop-constraint"), o.line, QStringLiteral("drop_constraint on %1").arg(o.table));
        else if (o.op == QLatin1String("add_column") && !o.column.isEmpty())
            added[o.table].insert(o.column);
    }
    for (auto it = dropped.cbegin(); it != dropped.cend(); ++it) {
        if (added.contains(it.key()) && !added[it.key()].isEmpty()) {
            int line = 0;
            for (const SchemaOperation &o : std::as_const(up))
                if (o.op == QLatin1String("add_column") && o.table == it.key())
                    line = o.line;
            QStringList d(it.value().begin(), it.value().end()), a(added[it.key()].begin(), added[it.key()].end());
            d.sort();
            a.sort();
            add(QStringLiteral("probable-rename"), line,
                QStringLiteral("%1 drops %2 and adds %3").arg(it.key(), d.join(QStringLiteral(", ")), a.join(QStringLiteral(", "))));
        }
    }

    // Calls inside upgrade(), read from the tree: required columns, narrowing types, FKs.
    bool autocommit = false;
    bool concurrentIndex = false;
    int concurrentLine = 0;
    for (const OperationCall &c : operationCalls(f)) {
        if (!c.inUpgrade)
            continue;
        const int line = t.node(c.call).line;
        if (c.op == QLatin1String("add_column")) {
            if (isConstant(t, keywordAnywhere(t, c.call, "nullable"), python::ConstantKind::False)
                && keywordAnywhere(t, c.call, "server_default") < 0
                && !isConstant(t, keywordAnywhere(t, c.call, "primary_key"), python::ConstantKind::True))
                add(QStringLiteral("adding-required-field"), line, QStringLiteral("add_column(... nullable=False) without server_default"));
        } else if (c.op == QLatin1String("alter_column")) {
            const QString newType = sourceOf(t, keywordValue(t, c.call, "type_"));
            const QString oldType = sourceOf(t, keywordValue(t, c.call, "existing_type"));
            if (!newType.isEmpty() && !oldType.isEmpty()) {
                const auto a = typeLength(oldType), b = typeLength(newType);
                const bool textToString = oldType.contains(QStringLiteral("Text")) && b.has_value();
                if ((a && b && *b < *a) || textToString || (integerRank(newType) && integerRank(oldType) && integerRank(newType) < integerRank(oldType)))
                    add(QStringLiteral("narrowing-type"), line, QStringLiteral("%1 -> %2").arg(oldType, newType));
            }
            if (isConstant(t, keywordValue(t, c.call, "nullable"), python::ConstantKind::False))
                add(QStringLiteral("validate-constraint-separately"), line, QStringLiteral("alter_column(nullable=False)"));
        } else if (c.op == QLatin1String("create_foreign_key") && !c.batch) {
            if (keywordValue(t, c.call, "postgresql_not_valid") < 0)
                add(QStringLiteral("validate-constraint-separately"), line, QStringLiteral("create_foreign_key without NOT VALID"));
        }
        if (c.op == QLatin1String("create_index") && !concurrentIndex
            && isConstant(t, keywordValue(t, c.call, "postgresql_concurrently"), python::ConstantKind::True)) {
            concurrentIndex = true;
            concurrentLine = line;
        }
    }
    // Reads of the database and autocommit blocks: calls in upgrade(), by callee.
    QString read;
    int readLine = 0;
    bool guarded = false;
    t.visit(t.root(), [&](int n) {
        const python::Node &x = t.node(n);
        if ((x.kind == NodeKind::Attribute || x.kind == NodeKind::Name) && (t.name(n) == "is_offline_mode" || t.name(n) == "as_sql"))
            guarded = true;
        if (x.kind != NodeKind::Call || f.upgradeNode < 0 || x.start < t.node(f.upgradeNode).start || x.end > t.node(f.upgradeNode).end)
            return true;
        const int func = t.child(n, Field::Func);
        const QString callee = t.dottedName(func);
        const QString last = t.node(func).kind == NodeKind::Attribute || t.node(func).kind == NodeKind::Name ? t.qname(func) : QString();
        if (last == QLatin1String("autocommit_block"))
            autocommit = true;
        if (!read.isEmpty())
            return true;
        bool reads = callee == QLatin1String("op.get_bind") || callee == QLatin1String("sa.inspect")
            || callee == QLatin1String("connection.execute") || callee == QLatin1String("conn.execute") || callee == QLatin1String("bind.execute");
        if (callee == QLatin1String("inspect")) {
            const int arg = t.child(n, Field::Args);
            const QString a = arg >= 0 ? t.dottedName(arg) : QString();
            reads = a == QLatin1String("bind") || a == QLatin1String("conn") || a == QLatin1String("connection");
        }
        if (reads) {
            read = callee + QLatin1Char('(');
            readLine = x.line;
        }
        return true;
    });

    // Raw SQL in upgrade(): DROP / TRUNCATE / DELETE without WHERE; CONCURRENTLY outside autocommit.
    if (f.upgradeNode >= 0) {
        for (const SqlLiteral &r : findSqlLiterals(t, f.upgradeNode)) {
            const QString &sql = r.sql;
            static const QRegularExpression destructive(QStringLiteral("\\b(DROP\\s+(TABLE|COLUMN|SCHEMA)|TRUNCATE)\\b"), QRegularExpression::CaseInsensitiveOption);
            static const QRegularExpression deleteAll(QStringLiteral("\\bDELETE\\s+FROM\\s+[\\w.\"]+\\s*(;|$)"), QRegularExpression::CaseInsensitiveOption);
            if (destructive.match(sql).hasMatch() || deleteAll.match(sql.trimmed()).hasMatch())
                add(QStringLiteral("destructive-sql"), r.line, sql.simplified().left(80));
            static const QRegularExpression concurrently(QStringLiteral("\\bINDEX\\s+CONCURRENTLY\\b"), QRegularExpression::CaseInsensitiveOption);
            if (concurrently.match(sql).hasMatch() && !autocommit)
                add(QStringLiteral("concurrent-index-in-transaction"), r.line, QStringLiteral("CREATE INDEX CONCURRENTLY"));
        }
    }
    if (concurrentIndex && !autocommit)
        add(QStringLiteral("concurrent-index-in-transaction"), concurrentLine, QStringLiteral("create_index(postgresql_concurrently=True)"));

    // Mirror: what upgrade() creates, downgrade() should drop (and the reverse).
    if (f.downgradeLine > 0 && !f.downgradeEmpty) {
        auto has = [](const QList<SchemaOperation> &list, const QString &op, const QString &table, const QString &column) {
            for (const SchemaOperation &o : list)
                if (o.op == op && o.table == table && (column.isEmpty() || o.column == column || o.target == column))
                    return true;
            return false;
        };
        for (const SchemaOperation &o : std::as_const(up)) {
            QString missing;
            if (o.op == QLatin1String("create_table") && !has(down, QStringLiteral("drop_table"), o.table, {}))
                missing = QStringLiteral("table %1 is created but not dropped").arg(o.table);
            else if (o.op == QLatin1String("add_column") && !o.column.isEmpty() && !has(down, QStringLiteral("drop_column"), o.table, o.column)
                     && !has(down, QStringLiteral("drop_table"), o.table, {}))
                missing = QStringLiteral("column %1.%2 is added but not dropped").arg(o.table, o.column);
            else if (o.op == QLatin1String("create_index") && !o.target.isEmpty() && !has(down, QStringLiteral("drop_index"), o.table, o.target)
                     && !has(down, QStringLiteral("drop_table"), o.table, {}))
                missing = QStringLiteral("index %1 is created but not dropped").arg(o.target);
            else if (o.op == QLatin1String("drop_table") && !has(down, QStringLiteral("create_table"), o.table, {}))
                missing = QStringLiteral("table %1 is dropped but not recreated").arg(o.table);
            else if (o.op == QLatin1String("drop_column") && !has(down, QStringLiteral("add_column"), o.table, o.column))
                missing = QStringLiteral("column %1.%2 is dropped but not added back").arg(o.table, o.column);
            if (!missing.isEmpty())
                add(QStringLiteral("unmirrored-downgrade"), o.line, missing);
        }
    }

    // Imports of the application's models (import statements anywhere in the file).
    t.visit(t.root(), [&](int n) {
        const python::Node &x = t.node(n);
        QStringList modules;
        if (x.kind == NodeKind::Import) {
            for (int a : t.children(n))
                modules << t.qname(a);
        } else if (x.kind == NodeKind::ImportFrom) {
            const std::string_view m = t.name2(n);
            modules << QString(int(x.flags), QLatin1Char('.')) + QString::fromUtf8(m.data(), qsizetype(m.size()));
        } else {
            return true;
        }
        for (const QString &module : std::as_const(modules)) {
            const QString root = module.section(QLatin1Char('.'), 0, 0);
            if (root == QLatin1String("alembic") || root == QLatin1String("sqlalchemy") || root == QLatin1String("sa"))
                continue;
            static const QRegularExpression models(QStringLiteral("(^|\\.)(models?|orm|entities|schemas?)(\\.|$)"));
            if (module.contains(models))
                add(QStringLiteral("imports-app-models"), x.line, QStringLiteral("imports %1").arg(module));
        }
        return false;
    });
    if (!guarded && !read.isEmpty())
        add(QStringLiteral("offline-unsafe"), readLine, read);

    const QString doc = f.doc().trimmed();
    if (doc.isEmpty() || doc.compare(QLatin1String("empty message"), Qt::CaseInsensitive) == 0 || doc.contains(QStringLiteral("${message}")))
        add(QStringLiteral("default-message"), 1, QStringLiteral("message \"%1\"").arg(doc));
    return out;
}

QList<Diagnostic> lintProject(const Project &project)
{
    return lintProject(project, nullptr, nullptr);
}

QList<Diagnostic> lintProject(const Project &project, const LintCache *previous, LintCache *next)
{
    QList<Diagnostic> out;
    const RevisionMap &map = project.map;
    const QSet<QString> disabled = disabledRules(project.config);
    if (!map.isValid())
        return out;
    if (next)
        next->files.reserve(map.size());
    for (int i = 0; i < map.size(); ++i) {
        const RevisionFile &f = map.fileOf(i);
        const QString &id = map.at(i).id;
        const LintCache::Entry *kept = nullptr;
        if (previous && f.tree) {
            const auto it = previous->files.constFind(f.path);
            if (it != previous->files.constEnd() && it->tree == f.tree && it->revision == id)
                kept = &*it;
        }
        const QList<Diagnostic> found = kept ? kept->findings : lintRevision(map, i);
        for (const Diagnostic &d : found)
            if (!disabled.contains(d.rule))
                out.append(d);
        if (next && f.tree)
            next->files.insert(f.path, {f.tree, id, found});
    }
    return out;
}

} // namespace retort::core
