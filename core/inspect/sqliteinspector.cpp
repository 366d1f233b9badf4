#include "sqliteinspector.h"

#include "inspect/namepattern.h"
#include "inspect/psqltable.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace retort::core {

namespace {

// The text inside the parentheses that open at `open` (balanced, quotes respected).
QString balanced(const QString &sql, qsizetype open, qsizetype *end = nullptr)
{
    int depth = 0;
    QChar quote;
    for (qsizetype i = open; i < sql.size(); ++i) {
        const QChar c = sql[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"') || c == QLatin1Char('`')) {
            quote = c;
        } else if (c == QLatin1Char('(')) {
            ++depth;
        } else if (c == QLatin1Char(')')) {
            if (--depth == 0) {
                if (end)
                    *end = i;
                return sql.mid(open + 1, i - open - 1);
            }
        }
    }
    if (end)
        *end = sql.size();
    return sql.mid(open + 1);
}

QString unquoteIdent(QString s)
{
    s = s.trimmed();
    if (s.size() >= 2 && ((s.startsWith(QLatin1Char('"')) && s.endsWith(QLatin1Char('"')))
                          || (s.startsWith(QLatin1Char('`')) && s.endsWith(QLatin1Char('`')))
                          || (s.startsWith(QLatin1Char('[')) && s.endsWith(QLatin1Char(']')))))
        return s.mid(1, s.size() - 2);
    return s;
}

struct CheckDef
{
    QString name;
    QString expr;
};

// CHECK constraints of a CREATE TABLE statement, column-level and table-level.
QList<CheckDef> checkConstraints(const QString &sql)
{
    QList<CheckDef> out;
    static const QRegularExpression re(QStringLiteral("(?:CONSTRAINT\\s+(\"[^\"]+\"|`[^`]+`|\\[[^\\]]+\\]|\\w+)\\s+)?CHECK\\s*\\("),
                                       QRegularExpression::CaseInsensitiveOption);
    auto it = re.globalMatch(sql);
    while (it.hasNext()) {
        const auto m = it.next();
        const qsizetype open = m.capturedEnd() - 1;
        out.append({unquoteIdent(m.captured(1)), balanced(sql, open).trimmed()});
    }
    return out;
}

// Names given to FOREIGN KEY constraints, in order of appearance (empty when unnamed).
QStringList foreignKeyNames(const QString &sql)
{
    // One name (possibly empty) per foreign key, in declaration order. A
    // table-level "FOREIGN KEY (cols) REFERENCES" is one key, so a REFERENCES
    // that directly follows a FOREIGN KEY column list is not counted again.
    QStringList out;
    static const QRegularExpression re(
        QStringLiteral("(?:CONSTRAINT\\s+(\"[^\"]+\"|`[^`]+`|\\[[^\\]]+\\]|\\w+)\\s+)?(FOREIGN\\s+KEY|REFERENCES)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression columnList(QStringLiteral("^\\s*\\([^()]*\\)\\s*$"));
    qsizetype foreignKeyEnd = -1;
    auto it = re.globalMatch(sql);
    while (it.hasNext()) {
        const auto m = it.next();
        const bool references = m.captured(2).startsWith(QLatin1Char('R'), Qt::CaseInsensitive);
        if (references && m.captured(1).isEmpty() && foreignKeyEnd >= 0
            && columnList.match(sql.mid(foreignKeyEnd, m.capturedStart(0) - foreignKeyEnd)).hasMatch()) {
            foreignKeyEnd = -1;
            continue;
        }
        foreignKeyEnd = references ? -1 : m.capturedEnd(0);
        out.append(unquoteIdent(m.captured(1)));
    }
    return out;
}

// PostgreSQL's wording (src/backend/regex/regerror.c) for what PCRE2 reports, so the error
// reads as psql's "ERROR:  invalid regular expression: ..." does.
QString invalidRegexMessage(const QRegularExpression &re)
{
    const QString why = re.errorString();
    QString pg;
    if (why.contains(QLatin1String("parenthes")))
        pg = QStringLiteral("parentheses () not balanced");
    else if (why.contains(QLatin1String("terminating ]")) || why.contains(QLatin1String("character class")))
        pg = QStringLiteral("brackets [] not balanced");
    else if (why.contains(QLatin1String("quantifier does not follow")) || why.contains(QLatin1String("nothing to repeat")))
        pg = QStringLiteral("quantifier operand invalid");
    else if (why.contains(QLatin1String("\\ at end")))
        pg = QStringLiteral("trailing backslash (\\)");
    else if (why.contains(QLatin1String("out of order")) || why.contains(QLatin1String("range")))
        pg = QStringLiteral("invalid character range");
    else if (why.contains(QLatin1String("too large")) || why.contains(QLatin1String("{")))
        pg = QStringLiteral("invalid repetition count(s)");
    else
        pg = why;
    return QStringLiteral("ERROR:  invalid regular expression: %1").arg(pg);
}

QString fkAction(const QString &a)
{
    return a == QLatin1String("NO ACTION") || a.isEmpty() ? QString() : a;
}

} // namespace

Result<std::unique_ptr<Inspector>> SqliteInspector::connect(const SqlUrl &url, const QString &workingDir)
{
    if (!url.isSqliteMemory() && !QFileInfo::exists(url.sqliteFile(workingDir))) {
        return makeError(Error::Code::Database,
                         QStringLiteral("The SQLite database %1 does not exist yet; run the migrations to create it.")
                             .arg(url.sqliteFile(workingDir)));
    }
    auto conn = ScopedConnection::open(url, workingDir, {}, 5, true);
    if (!conn)
        return conn.error();
    auto self = std::unique_ptr<SqliteInspector>(new SqliteInspector);
    self->m_conn = *conn;
    return std::unique_ptr<Inspector>(std::move(self));
}

Result<QList<QStringList>> SqliteInspector::rows(const QString &sql, const QVariantList &params)
{
    QSqlQuery q(m_conn.database());
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return makeError(Error::Code::Database, QStringLiteral("SQLite: %1").arg(q.lastError().text()));
    for (const QVariant &p : params)
        q.addBindValue(p);
    if (!q.exec())
        return makeError(Error::Code::Database, QStringLiteral("SQLite: %1").arg(q.lastError().text()));
    QList<QStringList> out;
    const int n = q.record().count();
    while (q.next()) {
        QStringList r;
        for (int i = 0; i < n; ++i)
            r.append(q.value(i).isNull() ? QString() : q.value(i).toString());
        out.append(r);
    }
    return out;
}

QList<SqliteInspector::ForeignKeyLine> SqliteInspector::foreignKeyLines(const Master &table, const QList<QStringList> &fks)
{
    // Group by id; SQLite numbers them last-declared first.
    QMap<int, QList<QStringList>> groups;
    for (const QStringList &f : fks)
        groups[f[0].toInt()].append(f);
    const QStringList names = foreignKeyNames(table.sql);
    QList<ForeignKeyLine> out;
    int ordinal = int(groups.size()) - 1;
    for (auto it = groups.begin(); it != groups.end(); ++it, --ordinal) {
        QStringList from, to;
        for (const QStringList &f : it.value()) {
            from.append(f[3]);
            to.append(f[4]);
        }
        const QStringList &f = it.value().first();
        QString def = QStringLiteral("FOREIGN KEY (%1) REFERENCES %2(%3)")
                          .arg(from.join(QStringLiteral(", ")), f[2], to.join(QStringLiteral(", ")));
        if (!fkAction(f[5]).isEmpty())
            def += QStringLiteral(" ON UPDATE ") + f[5];
        if (!fkAction(f[6]).isEmpty())
            def += QStringLiteral(" ON DELETE ") + f[6];
        const QString name = ordinal >= 0 && ordinal < names.size() ? names[ordinal] : QString();
        out.append({name.isEmpty() ? def : QStringLiteral("\"%1\" %2").arg(name, def), f[2], name, def});
    }
    std::sort(out.begin(), out.end(), [](const ForeignKeyLine &a, const ForeignKeyLine &b) { return a.text < b.text; });
    return out;
}

Result<const QHash<QString, QStringList> *> SqliteInspector::referencedByIndex(const QList<Master> &all)
{
    if (m_referencedBy)
        return &*m_referencedBy;
    // Every table's foreign keys in one statement, once per \d: asking each table in turn
    // for every table described costs tables x described queries (minutes at 5,000 tables).
    auto fks = rows(QStringLiteral("SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete "
                                   "FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' "
                                   "ORDER BY m.name, f.id, f.seq"));
    if (!fks)
        return fks.error();
    QHash<QString, QList<QStringList>> byTable;
    for (QStringList &r : *fks) {
        const QString table = r.takeFirst();
        byTable[table].append(r);
    }
    QHash<QString, QStringList> index;
    for (const Master &other : all) {
        if (other.type != QLatin1String("table"))
            continue;
        const auto it = byTable.constFind(other.name);
        if (it == byTable.constEnd())
            continue;
        for (const ForeignKeyLine &l : foreignKeyLines(other, *it)) {
            index[l.referenced].append(QStringLiteral("    TABLE \"%1\"%2 %3")
                                           .arg(other.name,
                                                l.name.isEmpty() ? QString() : QStringLiteral(" CONSTRAINT \"%1\"").arg(l.name),
                                                l.definition));
        }
    }
    m_referencedBy = std::move(index);
    return &*m_referencedBy;
}

Result<QList<SqliteInspector::Master>> SqliteInspector::master()
{
    auto r = rows(QStringLiteral("SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master "
                                 "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' OR type = 'index' ORDER BY name"));
    if (!r)
        return r.error();
    QList<Master> out;
    for (const QStringList &x : *r)
        out.append({x[0], x[1], x[2], x[3]});
    return out;
}

Result<QList<DbObject>> SqliteInspector::objects()
{
    auto all = master();
    if (!all)
        return all.error();
    QList<DbObject> out;
    for (const Master &m : *all) {
        if (m.type == QLatin1String("trigger"))
            continue;
        out.append({QStringLiteral("main"), m.name, m.type, m.type == QLatin1String("index") ? m.table : QString()});
    }
    return out;
}

Result<QString> SqliteInspector::run(const DescribeCommand &cmd)
{
    if (cmd.kind == DescribeCommand::Kind::ListDomains || cmd.kind == DescribeCommand::Kind::ListExtensions)
        return cmd.notPostgres(QStringLiteral("SQLite"));
    m_referencedBy.reset(); // built again for each command: the schema may have changed
    auto all = master();
    if (!all)
        return all.error();
    QRegularExpression nameRe, schemaRe;
    if (cmd.hasPattern) {
        const PatternParts p = patternToRegex(cmd.pattern, 2);
        if (p.dots >= 2)
            return makeError(Error::Code::Refused, QStringLiteral("improper qualified name (too many dotted names): %1").arg(cmd.pattern));
        nameRe = QRegularExpression(p.parts.last());
        if (p.parts.size() == 2)
            schemaRe = QRegularExpression(p.parts.first());
        // psql sends the pattern to the server, which refuses a bad regex once, for the
        // whole command: do the same before matching any relation.
        for (const QRegularExpression *re : {&schemaRe, &nameRe}) {
            if (!re->isValid())
                return makeError(Error::Code::Refused, invalidRegexMessage(*re));
        }
    }
    auto matches = [&](const Master &m) {
        if (!cmd.hasPattern)
            return true;
        if (schemaRe.isValid() && !schemaRe.pattern().isEmpty() && !schemaRe.match(QStringLiteral("main")).hasMatch())
            return false;
        return nameRe.match(m.name).hasMatch();
    };

    if (cmd.kind == DescribeCommand::Kind::ListSchemas) {
        PsqlTable t;
        t.title = QStringLiteral("List of schemas");
        t.headers = {QStringLiteral("Name")};
        t.aligns = QStringLiteral("l");
        t.defaultFooter = true;
        if (!cmd.hasPattern || nameRe.match(QStringLiteral("main")).hasMatch())
            t.rows.append({QStringLiteral("main")});
        return t.render();
    }
    if (cmd.kind == DescribeCommand::Kind::ListRelations) {
        bool tables = cmd.types.contains(QLatin1Char('t')), indexes = cmd.types.contains(QLatin1Char('i')),
             views = cmd.types.contains(QLatin1Char('v')) || cmd.types.contains(QLatin1Char('m'));
        if (!(tables || indexes || views || cmd.types.contains(QLatin1Char('s'))))
            tables = views = true;
        PsqlTable t;
        t.title = QStringLiteral("List of relations");
        t.headers = {QStringLiteral("Schema"), QStringLiteral("Name"), QStringLiteral("Type")};
        if (indexes)
            t.headers << QStringLiteral("Table");
        t.aligns = QString(t.headers.size(), QLatin1Char('l'));
        t.defaultFooter = true;
        for (const Master &m : *all) {
            const bool want = (m.type == QLatin1String("table") && tables) || (m.type == QLatin1String("view") && views)
                || (m.type == QLatin1String("index") && indexes);
            if (!want || !matches(m))
                continue;
            if (m.name.startsWith(QLatin1String("sqlite_")) && !cmd.hasPattern && !cmd.system && m.type != QLatin1String("index"))
                continue;
            QStringList row{QStringLiteral("main"), m.name, m.type};
            if (indexes)
                row << (m.type == QLatin1String("index") ? m.table : QString());
            t.rows.append(row);
        }
        if (t.rows.isEmpty()) {
            return cmd.notFound();
        }
        return t.render();
    }
    QString out;
    for (const Master &m : *all) {
        if (m.type == QLatin1String("trigger") || !matches(m))
            continue;
        if (m.name.startsWith(QLatin1String("sqlite_autoindex")) && !cmd.hasPattern)
            continue;
        auto one = describeOne(m, cmd.verbose, *all);
        if (!one)
            return one.error();
        out += *one;
    }
    if (out.isEmpty()) {
        return cmd.notFound();
    }
    return out;
}

Result<QString> SqliteInspector::describeOne(const Master &m, bool verbose, const QList<Master> &all)
{
    PsqlTable t;
    if (m.type == QLatin1String("index")) {
        t.title = QStringLiteral("Index \"main.%1\"").arg(m.name);
        t.headers = {QStringLiteral("Column"), QStringLiteral("Type"), QStringLiteral("Key?"), QStringLiteral("Definition")};
        t.aligns = QStringLiteral("llll");
        auto cols = rows(QStringLiteral("SELECT ii.name, ti.type, ii.key FROM pragma_index_xinfo(?) ii LEFT JOIN "
                                        "pragma_table_info(?) ti ON ti.name = ii.name WHERE ii.cid >= -2 AND ii.key = 1 "
                                        "ORDER BY ii.seqno"),
                         {m.name, m.table});
        if (!cols)
            return cols.error();
        for (const QStringList &c : *cols)
            t.rows.append({c[0].isEmpty() ? QStringLiteral("expr") : c[0], c[1], QStringLiteral("yes"), c[0]});
        auto list = rows(QStringLiteral("SELECT \"unique\", origin, partial FROM pragma_index_list(?) WHERE name = ?"), {m.table, m.name});
        if (!list)
            return list.error();
        QString f;
        if (!list->isEmpty()) {
            if (list->first()[1] == QLatin1String("pk"))
                f = QStringLiteral("primary key, ");
            else if (list->first()[0] == QLatin1String("1"))
                f = QStringLiteral("unique, ");
        }
        f += QStringLiteral("for table \"main.%1\"").arg(m.table);
        static const QRegularExpression where(QStringLiteral("\\bWHERE\\b(.*)$"),
                                              QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
        if (const auto w = where.match(m.sql); w.hasMatch())
            f += QStringLiteral(", predicate (%1)").arg(w.captured(1).trimmed());
        t.footers.append(f);
        return t.render();
    }

    const bool view = m.type == QLatin1String("view");
    t.title = QStringLiteral("%1 \"main.%2\"").arg(view ? QStringLiteral("View") : QStringLiteral("Table"), m.name);
    t.headers = {QStringLiteral("Column"), QStringLiteral("Type"), QStringLiteral("Collation"), QStringLiteral("Nullable"),
                 QStringLiteral("Default")};
    auto cols = rows(QStringLiteral("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid"),
                     {m.name});
    if (!cols)
        return cols.error();
    for (const QStringList &c : *cols) {
        QString collation;
        const QRegularExpression coll(QStringLiteral("(?:^|[(,\\s])[\"`\\[]?%1[\"`\\]]?\\s[^,]*?\\bCOLLATE\\s+(\\w+)")
                                          .arg(QRegularExpression::escape(c[0])),
                                      QRegularExpression::CaseInsensitiveOption);
        if (const auto cm = coll.match(m.sql); cm.hasMatch())
            collation = cm.captured(1);
        QString def = c[3];
        if (c[5] == QLatin1String("2") || c[5] == QLatin1String("3"))
            def = c[5] == QLatin1String("3") ? QStringLiteral("generated always (stored)") : QStringLiteral("generated always (virtual)");
        t.rows.append({c[0], c[1].toLower(), collation, c[2] == QLatin1String("1") ? QStringLiteral("not null") : QString(), def});
    }
    if (verbose) {
        t.headers << QStringLiteral("Storage");
        for (QStringList &r : t.rows)
            r << QStringLiteral("plain");
    }
    t.aligns = QString(t.headers.size(), QLatin1Char('l'));

    if (!view) {
        // Indexes (the rowid primary key has none: show it as SQLite keeps it)
        auto idx = rows(QStringLiteral("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)"), {m.name});
        if (!idx)
            return idx.error();
        QStringList lines;
        QStringList pkCols;
        for (const QStringList &c : *cols)
            if (c[4] != QLatin1String("0"))
                pkCols.append(c[0]);
        bool pkIndexed = false;
        QList<QStringList> ordered = *idx;
        std::sort(ordered.begin(), ordered.end(), [](const QStringList &a, const QStringList &b) {
            const bool pa = a[2] == QLatin1String("pk"), pb = b[2] == QLatin1String("pk");
            return pa != pb ? pa : a[0] < b[0];
        });
        for (const QStringList &x : ordered) {
            auto keyCols = rows(QStringLiteral("SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno"), {x[0]});
            if (!keyCols)
                return keyCols.error();
            QStringList names;
            for (const QStringList &k : *keyCols)
                names.append(k[0].isEmpty() ? QStringLiteral("<expression>") : k[0]);
            QString line = QStringLiteral("    \"%1\"").arg(x[0]);
            if (x[2] == QLatin1String("pk")) {
                line += QStringLiteral(" PRIMARY KEY,");
                pkIndexed = true;
            } else if (x[1] == QLatin1String("1")) {
                line += x[2] == QLatin1String("u") ? QStringLiteral(" UNIQUE CONSTRAINT,") : QStringLiteral(" UNIQUE,");
            }
            // Expression indexes: the text from the CREATE INDEX statement.
            QString def = QStringLiteral("(%1)").arg(names.join(QStringLiteral(", ")));
            for (const Master &im : all) {
                if (im.type == QLatin1String("index") && im.name == x[0] && !im.sql.isEmpty()) {
                    const qsizetype open = im.sql.indexOf(QLatin1Char('('));
                    qsizetype close = 0;
                    if (open >= 0)
                        def = QLatin1Char('(') + balanced(im.sql, open, &close) + QLatin1Char(')');
                    static const QRegularExpression where(QStringLiteral("\\bWHERE\\b(.*)$"),
                                                          QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
                    if (const auto w = where.match(im.sql.mid(close)); w.hasMatch())
                        def += QStringLiteral(" WHERE ") + w.captured(1).trimmed();
                }
            }
            line += QLatin1Char(' ') + def;
            lines.append(line);
        }
        if (!pkIndexed && !pkCols.isEmpty())
            lines.prepend(QStringLiteral("    \"%1_pkey\" PRIMARY KEY, (%2) (rowid)").arg(m.name, pkCols.join(QStringLiteral(", "))));
        if (!lines.isEmpty()) {
            t.footers.append(QStringLiteral("Indexes:"));
            t.footers.append(lines);
        }
        const QList<CheckDef> checks = checkConstraints(m.sql);
        if (!checks.isEmpty()) {
            t.footers.append(QStringLiteral("Check constraints:"));
            for (const CheckDef &c : checks)
                t.footers.append(c.name.isEmpty() ? QStringLiteral("    CHECK (%1)").arg(c.expr)
                                                  : QStringLiteral("    \"%1\" CHECK (%2)").arg(c.name, c.expr));
        }
        auto own = rows(QStringLiteral("SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM "
                                       "pragma_foreign_key_list(?) ORDER BY id, seq"),
                        {m.name});
        if (!own)
            return own.error();
        const QList<ForeignKeyLine> ownLines = foreignKeyLines(m, *own);
        if (!ownLines.isEmpty()) {
            t.footers.append(QStringLiteral("Foreign-key constraints:"));
            for (const ForeignKeyLine &l : ownLines)
                t.footers.append(QStringLiteral("    ") + l.text);
        }
        auto index = referencedByIndex(all);
        if (!index)
            return index.error();
        const QStringList referenced = (*index)->value(m.name);
        if (!referenced.isEmpty()) {
            t.footers.append(QStringLiteral("Referenced by:"));
            t.footers.append(referenced);
        }
    } else if (verbose) {
        static const QRegularExpression as(QStringLiteral("\\bAS\\b\\s*(.*)$"),
                                           QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
        const auto a = as.match(m.sql);
        t.footers.append(QStringLiteral("View definition:"));
        t.footers.append(QLatin1Char(' ') + (a.hasMatch() ? a.captured(1).trimmed() : m.sql) + QLatin1Char(';'));
    }
    QStringList triggers;
    for (const Master &x : all) {
        if (x.type != QLatin1String("trigger") || x.table != m.name)
            continue;
        QString def = x.sql;
        const qsizetype pos = def.indexOf(QStringLiteral("TRIGGER "), 0, Qt::CaseInsensitive);
        if (pos >= 0)
            def = def.mid(pos + 8).trimmed();
        def.replace(QRegularExpression(QStringLiteral("^IF\\s+NOT\\s+EXISTS\\s+"), QRegularExpression::CaseInsensitiveOption), QString());
        triggers.append(QStringLiteral("    ") + def.simplified());
    }
    if (!triggers.isEmpty()) {
        t.footers.append(QStringLiteral("Triggers:"));
        t.footers.append(triggers);
    }
    return t.render();
}

Result<QStringList> SqliteInspector::sampleRows(const QString &, const QString &table, int limit)
{
    auto r = rows(QStringLiteral("SELECT * FROM %1 LIMIT %2").arg(quoteIdentifier(table), QString::number(limit)));
    if (!r)
        return r.error();
    QStringList out;
    for (const QStringList &row : *r)
        out.append(row.join(QStringLiteral(" | ")));
    return out;
}

} // namespace retort::core
