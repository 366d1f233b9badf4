// SQLite's schema as a SchemaSnapshot: PRAGMA table_xinfo / index_list / index_xinfo /
// foreign_key_list, and the CREATE statements in sqlite_master for what no pragma tells
// (CHECK constraints, partial-index predicates, triggers, view definitions).
#include "schema/snapshotreaders.h"

#include "db/connection.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <map>

namespace retort::core {

namespace {

// The text inside the parentheses that open at `open` (balanced, quotes respected).
QString balancedParens(const QString &sql, qsizetype open)
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
        if (c == QLatin1Char('\'') || c == QLatin1Char('"') || c == QLatin1Char('`'))
            quote = c;
        else if (c == QLatin1Char('('))
            ++depth;
        else if (c == QLatin1Char(')') && --depth == 0)
            return sql.mid(open + 1, i - open - 1);
    }
    return sql.mid(open + 1);
}

QString unquote(QString s)
{
    s = s.trimmed();
    if (s.size() >= 2
        && ((s.front() == QLatin1Char('"') && s.back() == QLatin1Char('"')) || (s.front() == QLatin1Char('`') && s.back() == QLatin1Char('`'))
            || (s.front() == QLatin1Char('[') && s.back() == QLatin1Char(']'))))
        return s.mid(1, s.size() - 2);
    return s;
}

// Skips quoted text so "CHECK" inside a string or a quoted name is not taken for a keyword.
QString withoutLiterals(const QString &sql)
{
    QString out = sql;
    QChar quote;
    for (qsizetype i = 0; i < out.size(); ++i) {
        const QChar c = out[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            else
                out[i] = QLatin1Char(' ');
            continue;
        }
        if (c == QLatin1Char('\''))
            quote = c;
    }
    return out;
}

QList<SchemaConstraint> checks(const QString &sql)
{
    QList<SchemaConstraint> out;
    static const QRegularExpression re(QStringLiteral("(?:CONSTRAINT\\s+(\"[^\"]+\"|`[^`]+`|\\[[^\\]]+\\]|\\w+)\\s+)?\\bCHECK\\s*\\("),
                                       QRegularExpression::CaseInsensitiveOption);
    const QString scan = withoutLiterals(sql);
    auto it = re.globalMatch(scan);
    while (it.hasNext()) {
        const auto m = it.next();
        SchemaConstraint c;
        c.kind = SchemaConstraint::Kind::Check;
        c.name = unquote(m.captured(1));
        c.definition = QStringLiteral("CHECK (%1)").arg(balancedParens(sql, m.capturedEnd() - 1).simplified());
        out.append(c);
    }
    return out;
}

QString fkAction(const QString &what, const QString &action)
{
    return action.isEmpty() || action == QLatin1String("NO ACTION") ? QString() : QStringLiteral(" ON %1 %2").arg(what, action);
}

} // namespace

Result<QList<QVariantList>> snapshotQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &params)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // Over prepare() (QPSQL asks the server), exec() and the rows (forward-only, QPSQL reads
    // them as next() asks).
    const AnswerDeadline deadline(db);
    if (!q.prepare(sql)) {
        if (deadline.expired())
            return deadline.error();
        Error e = makeError(Error::Code::Database, QStringLiteral("Cannot read the schema: %1").arg(q.lastError().text()));
        e.detail = sql;
        return e;
    }
    for (const QVariant &p : params)
        q.addBindValue(p);
    if (!q.exec()) {
        if (deadline.expired())
            return deadline.error();
        Error e = makeError(Error::Code::Database, QStringLiteral("Cannot read the schema: %1").arg(q.lastError().text()));
        e.detail = sql;
        return e;
    }
    QList<QVariantList> rows;
    const int n = q.record().count();
    while (q.next()) {
        QVariantList row;
        row.reserve(n);
        for (int i = 0; i < n; ++i)
            row.append(q.value(i));
        rows.append(row);
    }
    if (deadline.expired())
        return deadline.error();
    return rows;
}

Result<SchemaSnapshot> readSqliteSnapshot(const QSqlDatabase &db, const SchemaSnapshot::ReadOptions &options)
{
    SchemaSnapshot snap;
    snap.dialect = QStringLiteral("sqlite");
    auto master = snapshotQuery(db, QStringLiteral("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master "
                                                   "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"));
    if (!master)
        return master.error();
    const QString version = options.versionTable;
    std::map<QString, QString> indexSql;
    for (const QVariantList &m : *master)
        if (m[0].toString() == QLatin1String("index"))
            indexSql[m[1].toString()] = m[3].toString();

    for (const QVariantList &m : *master) {
        const QString type = m[0].toString(), name = m[1].toString(), sql = m[3].toString();
        if (type == QLatin1String("view")) {
            SchemaView v;
            v.schema = QStringLiteral("main");
            v.name = name;
            v.definition = sql.simplified();
            snap.views.append(v);
            continue;
        }
        if (type != QLatin1String("table") || name.compare(version, Qt::CaseInsensitive) == 0)
            continue;
        SchemaTable t;
        t.schema = QStringLiteral("main");
        t.name = name;
        if (sql.startsWith(QLatin1String("CREATE VIRTUAL"), Qt::CaseInsensitive))
            t.kind = QStringLiteral("virtual table");
        auto cols = snapshotQuery(db, QStringLiteral("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)"), {name});
        if (!cols)
            return cols.error();
        std::map<int, QString> pk;
        for (const QVariantList &c : *cols) {
            const int hidden = c[5].toInt();
            if (hidden == 1)
                continue;
            SchemaColumn col;
            col.name = c[0].toString();
            col.type = c[1].toString();
            col.nullable = c[2].toInt() == 0;
            col.defaultValue = c[3].isNull() ? QString() : c[3].toString();
            if (hidden == 2)
                col.generated = QStringLiteral("virtual");
            else if (hidden == 3)
                col.generated = QStringLiteral("stored");
            if (c[4].toInt() > 0)
                pk[c[4].toInt()] = col.name;
            t.columns.append(col);
        }
        if (!pk.empty()) {
            SchemaConstraint c;
            c.kind = SchemaConstraint::Kind::PrimaryKey;
            for (const auto &[pos, col] : pk)
                c.columns.append(col);
            t.constraints.append(c);
        }
        auto idx = snapshotQuery(db, QStringLiteral("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)"), {name});
        if (!idx)
            return idx.error();
        for (const QVariantList &i : *idx) {
            const QString origin = i[2].toString();
            if (origin == QLatin1String("pk"))
                continue;
            auto info = snapshotQuery(db, QStringLiteral("SELECT cid, name, \"desc\" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno"),
                                      {i[0].toString()});
            if (!info)
                return info.error();
            QStringList columns;
            for (const QVariantList &r : *info) {
                QString col = r[0].toInt() == -2 ? QStringLiteral("<expression>") : r[1].toString();
                if (r[2].toInt() == 1)
                    col += QStringLiteral(" DESC");
                columns.append(col);
            }
            if (origin == QLatin1String("u")) {
                SchemaConstraint c;
                c.kind = SchemaConstraint::Kind::Unique;
                c.columns = columns;
                t.constraints.append(c);
                continue;
            }
            SchemaIndex index;
            index.name = i[0].toString();
            index.unique = i[1].toInt() != 0;
            index.columns = columns;
            if (i[3].toInt() != 0) {
                const QString isql = indexSql[index.name];
                static const QRegularExpression where(QStringLiteral("\\bWHERE\\b(.*)$"),
                                                      QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
                const auto w = where.match(withoutLiterals(isql));
                if (w.hasMatch())
                    index.predicate = isql.mid(w.capturedStart(1)).simplified();
            }
            // Expression columns: the CREATE INDEX text is what tells them apart.
            if (columns.contains(QStringLiteral("<expression>"))) {
                const QString isql = indexSql[index.name];
                const qsizetype open = isql.indexOf(QLatin1Char('('));
                if (open >= 0)
                    index.columns = {balancedParens(isql, open).simplified()};
            }
            t.indexes.append(index);
        }
        auto fks = snapshotQuery(db, QStringLiteral("SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM "
                                                    "pragma_foreign_key_list(?) ORDER BY id, seq"), {name});
        if (!fks)
            return fks.error();
        std::map<int, std::pair<SchemaConstraint, QStringList>> byId;
        for (const QVariantList &f : *fks) {
            auto &[c, to] = byId[f[0].toInt()];
            c.kind = SchemaConstraint::Kind::ForeignKey;
            c.columns.append(f[3].toString());
            to.append(f[4].isNull() ? QString() : f[4].toString());
            c.definition = QStringLiteral("REFERENCES %1").arg(f[2].toString()) + QStringLiteral("(\x01)")
                           + fkAction(QStringLiteral("UPDATE"), f[5].toString()) + fkAction(QStringLiteral("DELETE"), f[6].toString());
        }
        for (auto &[id, entry] : byId) {
            auto &[c, to] = entry;
            c.definition.replace(QStringLiteral("\x01"), to.join(QStringLiteral(", ")));
            t.constraints.append(c);
        }
        t.constraints.append(checks(sql));
        for (const QVariantList &tr : *master)
            if (tr[0].toString() == QLatin1String("trigger") && tr[2].toString() == name)
                t.triggers.append({tr[1].toString(), tr[3].toString().simplified()});
        snap.tables.append(t);
    }
    snap.normalize();
    return snap;
}

} // namespace retort::core
