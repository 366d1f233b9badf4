#include "lints.h"

#include "lint/operations.h"
#include "project/inifile.h"
#include "project/sqlregions.h"
#include "project/tomlreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace retort::core {

namespace {

using Sev = Diagnostic::Severity;

int lineAt(const QString &s, qsizetype pos)
{
    return int(QStringView(s).left(pos).count(QLatin1Char('\n'))) + 1;
}

// The text of lines [from, to] (1-based, inclusive).
QString linesOf(const QStringList &lines, int from, int to)
{
    if (from <= 0 || to < from)
        return {};
    return lines.mid(from - 1, to - from + 1).join(QLatin1Char('\n'));
}

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

// The keyword argument `name=...` of the call that starts at `open` (the '('), as source text.
QString keywordSource(const QString &src, qsizetype open, const QString &name)
{
    int depth = 0;
    const QRegularExpression kw(QStringLiteral("^\\s*%1\\s*=\\s*").arg(name));
    for (qsizetype i = open; i < src.size(); ++i) {
        const QChar c = src[i];
        if (c == QLatin1Char('(') || c == QLatin1Char('[') || c == QLatin1Char('{'))
            ++depth;
        else if (c == QLatin1Char(')') || c == QLatin1Char(']') || c == QLatin1Char('}')) {
            if (--depth == 0)
                return {};
        } else if (depth == 1 && (c == QLatin1Char(',') || i == open)) {
            const auto m = kw.matchView(QStringView(src).mid(i + 1));
            if (m.hasMatch()) {
                // value until the next ',' or ')' at this depth
                qsizetype j = i + 1 + m.capturedLength();
                int d = 0;
                const qsizetype start = j;
                for (; j < src.size(); ++j) {
                    const QChar v = src[j];
                    if (v == QLatin1Char('(') || v == QLatin1Char('[')) ++d;
                    else if (v == QLatin1Char(')') || v == QLatin1Char(']')) {
                        if (d == 0)
                            break;
                        --d;
                    } else if (v == QLatin1Char(',') && d == 0)
                        break;
                }
                return src.mid(start, j - start).trimmed();
            }
        }
    }
    return {};
}

qsizetype callEnd(const QString &src, qsizetype open)
{
    int depth = 0;
    for (qsizetype i = open; i < src.size(); ++i) {
        if (src[i] == QLatin1Char('('))
            ++depth;
        else if (src[i] == QLatin1Char(')') && --depth == 0)
            return i;
    }
    return src.size();
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

QList<Diagnostic> lintRevision(const RevisionMap &map, int revision, const QString &source)
{
    const RevisionFile &f = map.fileOf(revision);
    const QString id = map.at(revision).id;
    const QStringList lines = source.split(QLatin1Char('\n'));
    QList<Diagnostic> out;
    auto add = [&](const QString &rule, int line, const QString &what) {
        // Per-line suppression: "# retort: ignore[rule-id]" on the line or the line above.
        for (int l : {line, line - 1}) {
            if (l >= 1 && l <= lines.size()) {
                const QString text = lines[l - 1];
                const qsizetype at = text.indexOf(QStringLiteral("retort: ignore["));
                if (at >= 0) {
                    const QString ids = text.mid(at + 15).section(QLatin1Char(']'), 0, 0);
                    if (ids.split(QLatin1Char(',')).contains(rule) || ids.trimmed() == QLatin1String("*"))
                        return;
                }
            }
        }
        out.append({severityOf(rule), rule, what + QStringLiteral(" — ") + summaryOf(rule), f.path, line, id});
    };

    const QList<SchemaOperation> ops = readOperations(source, f);
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
            add(QStringLiteral("probable-rename"), line,
                QStringLiteral("%1 drops %2 and adds %3").arg(it.key(), QStringList(it.value().begin(), it.value().end()).join(QStringLiteral(", ")),
                                                               QStringList(added[it.key()].begin(), added[it.key()].end()).join(QStringLiteral(", "))));
        }
    }

    // Calls inside upgrade(): nullable=False without server_default, narrowing types, NOT NULL, FKs.
    const QString upgradeText = linesOf(lines, f.upgradeLine, f.upgradeEndLine);
    const int upgradeBase = f.upgradeLine > 0 ? f.upgradeLine : 1;
    static const QRegularExpression addColumn(QStringLiteral("\\b(?:op|batch_op)\\.add_column\\s*\\("));
    for (auto it = addColumn.globalMatch(upgradeText); it.hasNext();) {
        const auto m = it.next();
        const qsizetype open = m.capturedEnd() - 1;
        const QString call = upgradeText.mid(open, callEnd(upgradeText, open) - open + 1);
        if (call.contains(QRegularExpression(QStringLiteral("nullable\\s*=\\s*False"))) && !call.contains(QStringLiteral("server_default"))
            && !call.contains(QStringLiteral("primary_key=True")))
            add(QStringLiteral("adding-required-field"), upgradeBase + lineAt(upgradeText, m.capturedStart()) - 1,
                QStringLiteral("add_column(... nullable=False) without server_default"));
    }
    static const QRegularExpression alterColumn(QStringLiteral("\\b(?:op|batch_op)\\.alter_column\\s*\\("));
    for (auto it = alterColumn.globalMatch(upgradeText); it.hasNext();) {
        const auto m = it.next();
        const qsizetype open = m.capturedEnd() - 1;
        const int line = upgradeBase + lineAt(upgradeText, m.capturedStart()) - 1;
        const QString newType = keywordSource(upgradeText, open, QStringLiteral("type_"));
        const QString oldType = keywordSource(upgradeText, open, QStringLiteral("existing_type"));
        if (!newType.isEmpty() && !oldType.isEmpty()) {
            const auto a = typeLength(oldType), b = typeLength(newType);
            const bool textToString = oldType.contains(QStringLiteral("Text")) && b.has_value();
            if ((a && b && *b < *a) || textToString || (integerRank(newType) && integerRank(oldType) && integerRank(newType) < integerRank(oldType)))
                add(QStringLiteral("narrowing-type"), line, QStringLiteral("%1 -> %2").arg(oldType, newType));
        }
        if (keywordSource(upgradeText, open, QStringLiteral("nullable")) == QLatin1String("False"))
            add(QStringLiteral("validate-constraint-separately"), line, QStringLiteral("alter_column(nullable=False)"));
    }
    static const QRegularExpression fk(QStringLiteral("\\bop\\.create_foreign_key\\s*\\("));
    for (auto it = fk.globalMatch(upgradeText); it.hasNext();) {
        const auto m = it.next();
        const qsizetype open = m.capturedEnd() - 1;
        const QString call = upgradeText.mid(open, callEnd(upgradeText, open) - open + 1);
        if (!call.contains(QStringLiteral("postgresql_not_valid")))
            add(QStringLiteral("validate-constraint-separately"), upgradeBase + lineAt(upgradeText, m.capturedStart()) - 1,
                QStringLiteral("create_foreign_key without NOT VALID"));
    }

    // Raw SQL in upgrade(): DROP / TRUNCATE / DELETE without WHERE; CONCURRENTLY outside autocommit.
    const bool autocommit = upgradeText.contains(QStringLiteral("autocommit_block"));
    for (const SqlRegion &r : findSqlRegions(source)) {
        if (f.upgradeLine <= 0 || r.line < f.upgradeLine || r.line > f.upgradeEndLine)
            continue;
        const QString sql = source.mid(r.start, r.length);
        static const QRegularExpression destructive(QStringLiteral("\\b(DROP\\s+(TABLE|COLUMN|SCHEMA)|TRUNCATE)\\b"), QRegularExpression::CaseInsensitiveOption);
        static const QRegularExpression deleteAll(QStringLiteral("\\bDELETE\\s+FROM\\s+[\\w.\"]+\\s*(;|$)"), QRegularExpression::CaseInsensitiveOption);
        if (destructive.match(sql).hasMatch() || deleteAll.match(sql.trimmed()).hasMatch())
            add(QStringLiteral("destructive-sql"), r.line, sql.simplified().left(80));
        static const QRegularExpression concurrently(QStringLiteral("\\bINDEX\\s+CONCURRENTLY\\b"), QRegularExpression::CaseInsensitiveOption);
        if (concurrently.match(sql).hasMatch() && !autocommit)
            add(QStringLiteral("concurrent-index-in-transaction"), r.line, QStringLiteral("CREATE INDEX CONCURRENTLY"));
    }
    if (upgradeText.contains(QRegularExpression(QStringLiteral("postgresql_concurrently\\s*=\\s*True"))) && !autocommit) {
        const qsizetype at = upgradeText.indexOf(QStringLiteral("postgresql_concurrently"));
        add(QStringLiteral("concurrent-index-in-transaction"), upgradeBase + lineAt(upgradeText, at) - 1,
            QStringLiteral("create_index(postgresql_concurrently=True)"));
    }

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

    // Imports of the application's models, and database reads without an offline guard.
    static const QRegularExpression modelImport(QStringLiteral("^\\s*(?:from\\s+([\\w.]+)\\s+import|import\\s+([\\w.]+))"),
                                                QRegularExpression::MultilineOption);
    for (auto it = modelImport.globalMatch(source); it.hasNext();) {
        const auto m = it.next();
        const QString module = m.captured(1).isEmpty() ? m.captured(2) : m.captured(1);
        const QString root = module.section(QLatin1Char('.'), 0, 0);
        if (root == QLatin1String("alembic") || root == QLatin1String("sqlalchemy") || root == QLatin1String("sa"))
            continue;
        if (module.contains(QRegularExpression(QStringLiteral("(^|\\.)(models?|orm|entities|schemas?)(\\.|$)"))))
            add(QStringLiteral("imports-app-models"), lineAt(source, m.capturedStart()) + (source.at(m.capturedStart()) == QLatin1Char('\n') ? 1 : 0),
                QStringLiteral("imports %1").arg(module));
    }
    const bool guarded = source.contains(QStringLiteral("is_offline_mode")) || source.contains(QStringLiteral(".as_sql"));
    static const QRegularExpression reads(QStringLiteral("\\bop\\.get_bind\\s*\\(|\\bsa\\.inspect\\s*\\(|\\binspect\\s*\\(\\s*(?:bind|conn|connection)|\\b(?:connection|conn|bind)\\.execute\\s*\\("));
    if (!guarded && f.upgradeLine > 0) {
        const auto m = reads.match(upgradeText);
        if (m.hasMatch())
            add(QStringLiteral("offline-unsafe"), upgradeBase + lineAt(upgradeText, m.capturedStart()) - 1, m.captured(0).trimmed());
    }

    const QString doc = f.doc().trimmed();
    if (doc.isEmpty() || doc.compare(QLatin1String("empty message"), Qt::CaseInsensitive) == 0 || doc.contains(QStringLiteral("${message}")))
        add(QStringLiteral("default-message"), 1, QStringLiteral("message \"%1\"").arg(doc));
    return out;
}

QList<Diagnostic> lintProject(const Project &project)
{
    QList<Diagnostic> out;
    const RevisionMap &map = project.map;
    const QSet<QString> disabled = disabledRules(project.config);
    if (!map.isValid())
        return out;
    for (int i = 0; i < map.size(); ++i) {
        for (const Diagnostic &d : lintRevision(map, i, readSource(map.fileOf(i).path)))
            if (!disabled.contains(d.rule))
                out.append(d);
    }
    return out;
}

} // namespace retort::core
