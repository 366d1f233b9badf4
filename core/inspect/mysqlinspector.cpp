#include "mysqlinspector.h"

#include "db/mysqlurl.h"
#include "inspect/namepattern.h"
#include "inspect/psqltable.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <algorithm>

namespace retort::core {

namespace {

const QStringList kSystemSchemas = {QStringLiteral("information_schema"), QStringLiteral("mysql"),
                                    QStringLiteral("performance_schema"), QStringLiteral("sys")};

QString text(const QVariant &v)
{
    return v.isNull() ? QString() : v.toString();
}

// A name as psql's quote_ident prints it: bare when it is a plain lower-case word.
QString ident(const QString &name)
{
    static const QRegularExpression plain(QStringLiteral("^[a-z_][a-z0-9_$]*$"));
    if (plain.match(name).hasMatch())
        return name;
    QString q = name;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

// pg_size_pretty's units: bytes below 10 kB, then halving-rounded kB, MB, GB, TB.
QString prettySize(qlonglong size)
{
    if (size < 10 * 1024)
        return QStringLiteral("%1 bytes").arg(size);
    const char *units[] = {"kB", "MB", "GB", "TB", "PB"};
    qlonglong s = size;
    for (int u = 0; u < 5; ++u) {
        const qlonglong half = s / 512;        // in half-units of the next unit
        const qlonglong next = (half + 1) / 2; // rounded
        if (next < 10 * 1024 || u == 4)
            return QStringLiteral("%1 %2").arg(QString::number(next), QLatin1String(units[u]));
        s /= 1024;
    }
    return {};
}

bool isStringType(const QString &dataType)
{
    static const QStringList types = {QStringLiteral("char"), QStringLiteral("varchar"), QStringLiteral("text"),
                                      QStringLiteral("tinytext"), QStringLiteral("mediumtext"), QStringLiteral("longtext"),
                                      QStringLiteral("enum"), QStringLiteral("set"), QStringLiteral("binary"),
                                      QStringLiteral("varbinary"), QStringLiteral("date"), QStringLiteral("time"),
                                      QStringLiteral("datetime"), QStringLiteral("timestamp"), QStringLiteral("year")};
    return types.contains(dataType.toLower());
}

} // namespace

Result<std::unique_ptr<Inspector>> MysqlInspector::connect(const SqlUrl &url, const QString &workingDir, const QString &password)
{
    auto conn = ScopedConnection::open(url, workingDir, password, 5, true);
    if (!conn)
        return conn.error();
    auto self = std::unique_ptr<MysqlInspector>(new MysqlInspector);
    self->m_conn = *conn;
    auto who = self->query(QStringLiteral("SELECT DATABASE(), VERSION()"));
    if (!who)
        return who.error();
    if (!who->isEmpty()) {
        self->m_database = text(who->first().value(0));
        self->m_mariadb = text(who->first().value(1)).contains(QLatin1String("MariaDB"), Qt::CaseInsensitive);
    }
    return std::unique_ptr<Inspector>(std::move(self));
}

Result<QList<QVariantList>> MysqlInspector::query(const QString &sql, const QVariantList &params)
{
    QSqlQuery q(m_conn.database());
    q.setForwardOnly(true);
    // Over prepare(), exec() and the rows: forward-only, QMYSQL reads the rows as next() asks.
    const AnswerDeadline deadline(m_conn.database());
    auto failed = [&]() {
        if (deadline.expired())
            return deadline.error();
        Error e = makeError(Error::Code::Database,
                            QStringLiteral("The inspector's query failed: %1").arg(q.lastError().databaseText().trimmed()));
        e.detail = sql;
        return e;
    };
    if (params.isEmpty()) {
        // The text protocol: SHOW statements and plain SELECTs need no prepared statement.
        if (!q.exec(sql))
            return failed();
    } else {
        if (!q.prepare(sql))
            return failed();
        for (const QVariant &p : params)
            q.addBindValue(p);
        if (!q.exec())
            return failed();
    }
    QList<QVariantList> rows;
    const int n = q.record().count();
    while (q.next()) {
        QVariantList r;
        r.reserve(n);
        for (int i = 0; i < n; ++i)
            r.append(q.value(i));
        rows.append(r);
    }
    if (deadline.expired())
        return deadline.error();
    return rows;
}

Result<QList<MysqlInspector::Relation>> MysqlInspector::relations(bool withIndexes, const QString &schemaOnly)
{
    QString sql = QStringLiteral(
        "SELECT table_schema, table_name, table_type, engine, row_format, table_collation, table_comment, "
        "COALESCE(data_length, 0) + COALESCE(index_length, 0), create_options FROM information_schema.tables");
    QVariantList params;
    if (!schemaOnly.isEmpty()) {
        sql += QStringLiteral(" WHERE table_schema = ?");
        params << schemaOnly;
    }
    auto rows = query(sql, params);
    if (!rows)
        return rows.error();
    QList<Relation> out;
    for (const QVariantList &r : *rows) {
        Relation rel;
        rel.schema = text(r[0]);
        rel.name = text(r[1]);
        const QString type = text(r[2]);
        if (type == QLatin1String("VIEW") || type == QLatin1String("SYSTEM VIEW"))
            rel.kind = QStringLiteral("view");
        else if (type == QLatin1String("SEQUENCE"))
            rel.kind = QStringLiteral("sequence");
        else if (text(r[8]).contains(QLatin1String("partitioned")))
            rel.kind = QStringLiteral("partitioned table");
        else
            rel.kind = QStringLiteral("table");
        rel.engine = text(r[3]);
        rel.rowFormat = text(r[4]);
        rel.collation = text(r[5]);
        rel.comment = text(r[6]);
        rel.size = r[7].toLongLong();
        rel.systemVersioned = type == QLatin1String("SYSTEM VERSIONED");
        out.append(rel);
    }
    if (withIndexes) {
        QString isql = QStringLiteral("SELECT DISTINCT table_schema, index_name, table_name FROM information_schema.statistics");
        if (!schemaOnly.isEmpty())
            isql += QStringLiteral(" WHERE table_schema = ?");
        auto idx = query(isql, params);
        if (!idx)
            return idx.error();
        for (const QVariantList &r : *idx) {
            Relation rel;
            rel.schema = text(r[0]);
            rel.name = text(r[1]);
            rel.table = text(r[2]);
            rel.kind = QStringLiteral("index");
            out.append(rel);
        }
    }
    std::sort(out.begin(), out.end(), [](const Relation &a, const Relation &b) {
        if (a.schema != b.schema)
            return a.schema < b.schema;
        if (a.name != b.name)
            return a.name < b.name;
        return a.table < b.table;
    });
    return out;
}

Result<QList<MysqlInspector::Relation>> MysqlInspector::matching(const DescribeCommand &cmd, bool withIndexes)
{
    QRegularExpression nameRe, schemaRe;
    if (cmd.hasPattern) {
        const PatternParts p = patternToRegex(cmd.pattern, 2);
        if (p.dots >= 2)
            return makeError(Error::Code::Refused,
                             QStringLiteral("improper qualified name (too many dotted names): %1").arg(cmd.pattern));
        nameRe = QRegularExpression(p.parts.last());
        if (p.parts.size() == 2)
            schemaRe = QRegularExpression(p.parts.first());
    }
    // Like psql's search_path: an unqualified pattern means the current database.
    const bool anySchema = !schemaRe.pattern().isEmpty();
    auto all = relations(withIndexes, anySchema ? QString() : m_database);
    if (!all)
        return all.error();
    if (!anySchema && m_database.isEmpty())
        return QList<Relation>();
    QList<Relation> out;
    for (const Relation &r : *all) {
        if (anySchema && !schemaRe.match(r.schema).hasMatch())
            continue;
        if (cmd.hasPattern && !nameRe.match(r.name).hasMatch())
            continue;
        out.append(r);
    }
    return out;
}

Result<QString> MysqlInspector::run(const DescribeCommand &cmd)
{
    if (cmd.kind == DescribeCommand::Kind::ListDomains || cmd.kind == DescribeCommand::Kind::ListExtensions)
        return cmd.notPostgres(QStringLiteral("MySQL/MariaDB"));
    if (cmd.kind == DescribeCommand::Kind::ListSchemas)
        return listSchemas(cmd);
    if (cmd.kind == DescribeCommand::Kind::ListRelations)
        return listRelations(cmd);
    auto rels = matching(cmd, true);
    if (!rels)
        return rels.error();
    QString out;
    for (const Relation &r : *rels) {
        if (!cmd.hasPattern && !cmd.system && kSystemSchemas.contains(r.schema))
            continue;
        Result<QString> one = r.kind == QLatin1String("index")      ? describeIndex(r)
                              : r.kind == QLatin1String("sequence") ? describeSequence(r)
                                                                    : describeTable(r, cmd.verbose);
        if (!one)
            return one.error();
        out += *one;
    }
    if (out.isEmpty())
        return cmd.notFound();
    return out;
}

Result<QString> MysqlInspector::listRelations(const DescribeCommand &cmd)
{
    bool tables = cmd.types.contains(QLatin1Char('t')), indexes = cmd.types.contains(QLatin1Char('i')),
         views = cmd.types.contains(QLatin1Char('v')), sequences = cmd.types.contains(QLatin1Char('s'));
    if (!(tables || indexes || views || sequences || cmd.types.contains(QLatin1Char('m')) || cmd.types.contains(QLatin1Char('E'))))
        tables = views = sequences = true;
    auto rels = matching(cmd, indexes);
    if (!rels)
        return rels.error();
    PsqlTable t;
    t.title = QStringLiteral("List of relations");
    t.headers = {QStringLiteral("Schema"), QStringLiteral("Name"), QStringLiteral("Type")};
    if (indexes)
        t.headers << QStringLiteral("Table");
    if (cmd.verbose)
        t.headers << QStringLiteral("Engine") << QStringLiteral("Size") << QStringLiteral("Description");
    t.aligns = QString(t.headers.size(), QLatin1Char('l'));
    t.defaultFooter = true;
    for (const Relation &r : *rels) {
        const bool want = (r.kind.endsWith(QLatin1String("table")) && tables) || (r.kind == QLatin1String("view") && views)
            || (r.kind == QLatin1String("sequence") && sequences) || (r.kind == QLatin1String("index") && indexes);
        if (!want)
            continue;
        QStringList row{r.schema, r.name, r.kind};
        if (indexes)
            row << r.table;
        if (cmd.verbose) {
            const bool stored = r.kind != QLatin1String("view") && r.kind != QLatin1String("index");
            row << r.engine << (stored ? prettySize(r.size) : QString()) << r.comment;
        }
        t.rows.append(row);
    }
    if (t.rows.isEmpty())
        return cmd.notFound();
    return t.render();
}

Result<QString> MysqlInspector::listSchemas(const DescribeCommand &cmd)
{
    auto rows = query(QStringLiteral("SELECT schema_name FROM information_schema.schemata ORDER BY schema_name"));
    if (!rows)
        return rows.error();
    QRegularExpression re;
    if (cmd.hasPattern)
        re = QRegularExpression(patternToRegex(cmd.pattern, 1).parts.last());
    PsqlTable t;
    t.title = QStringLiteral("List of schemas");
    t.headers = {QStringLiteral("Name")};
    t.aligns = QStringLiteral("l");
    t.defaultFooter = true;
    for (const QVariantList &r : *rows) {
        const QString name = text(r[0]);
        if (cmd.hasPattern ? !re.match(name).hasMatch() : !cmd.system && kSystemSchemas.contains(name))
            continue;
        t.rows.append({name});
    }
    return t.render();
}

Result<QStringList> MysqlInspector::foreignKeys(const QString &schema, const QString &table, bool referencing)
{
    // referencing = false: this table's own keys; true: other tables' keys that point here.
    const QString where = referencing ? QStringLiteral("k.referenced_table_schema = ? AND k.referenced_table_name = ?")
                                      : QStringLiteral("rc.constraint_schema = ? AND rc.table_name = ?");
    auto rows = query(QStringLiteral("SELECT rc.constraint_schema, rc.table_name, rc.constraint_name, k.referenced_table_schema, "
                                     "k.referenced_table_name, rc.update_rule, rc.delete_rule, k.column_name, "
                                     "k.referenced_column_name FROM information_schema.referential_constraints rc "
                                     "JOIN information_schema.key_column_usage k ON k.constraint_schema = rc.constraint_schema "
                                     "AND k.constraint_name = rc.constraint_name AND k.table_name = rc.table_name "
                                     "AND k.referenced_table_name IS NOT NULL WHERE ")
                          + where + QStringLiteral(" ORDER BY rc.constraint_schema, rc.table_name, rc.constraint_name, "
                                                   "k.ordinal_position"),
                      {schema, table});
    if (!rows)
        return rows.error();
    struct Key
    {
        QString schema, table, name, refSchema, refTable, onUpdate, onDelete;
        QStringList from, to;
    };
    QList<Key> keys;
    for (const QVariantList &r : *rows) {
        if (keys.isEmpty() || keys.last().schema != text(r[0]) || keys.last().table != text(r[1]) || keys.last().name != text(r[2]))
            keys.append({text(r[0]), text(r[1]), text(r[2]), text(r[3]), text(r[4]), text(r[5]), text(r[6]), {}, {}});
        keys.last().from.append(ident(text(r[7])));
        keys.last().to.append(ident(text(r[8])));
    }
    QStringList out;
    for (const Key &k : keys) {
        // RESTRICT is what MySQL does when no action is given, and SHOW CREATE TABLE leaves it out.
        QString def = QStringLiteral("FOREIGN KEY (%1) REFERENCES %2%3(%4)")
                          .arg(k.from.join(QStringLiteral(", ")),
                               k.refSchema == k.schema ? QString() : ident(k.refSchema) + QLatin1Char('.'), ident(k.refTable),
                               k.to.join(QStringLiteral(", ")));
        if (k.onUpdate != QLatin1String("RESTRICT") && !k.onUpdate.isEmpty())
            def += QStringLiteral(" ON UPDATE ") + k.onUpdate;
        if (k.onDelete != QLatin1String("RESTRICT") && !k.onDelete.isEmpty())
            def += QStringLiteral(" ON DELETE ") + k.onDelete;
        if (referencing) {
            const QString owner = k.schema == schema ? k.table : k.schema + QLatin1Char('.') + k.table;
            out.append(QStringLiteral("    TABLE \"%1\" CONSTRAINT \"%2\" %3").arg(owner, k.name, def));
        } else {
            out.append(QStringLiteral("    \"%1\" %2").arg(k.name, def));
        }
    }
    return out;
}

Result<QString> MysqlInspector::describeTable(const Relation &rel, bool verbose)
{
    const bool view = rel.kind == QLatin1String("view");
    PsqlTable t;
    // A system-versioned table says so where psql puts "Unlogged" and "Partitioned": in the title.
    const QString kind = view ? QStringLiteral("View")
                         : rel.kind == QLatin1String("partitioned table") ? QStringLiteral("Partitioned table")
                                                                           : QStringLiteral("Table");
    t.title = QStringLiteral("%1 \"%2.%3\"")
                  .arg(rel.systemVersioned ? QStringLiteral("System-versioned ") + kind.toLower() : kind, rel.schema, rel.name);
    t.headers = {QStringLiteral("Column"), QStringLiteral("Type"), QStringLiteral("Collation"), QStringLiteral("Nullable"),
                 QStringLiteral("Default")};
    if (verbose)
        t.headers << QStringLiteral("Description");
    t.aligns = QString(t.headers.size(), QLatin1Char('l'));
    auto cols = query(QStringLiteral("SELECT column_name, column_type, collation_name, is_nullable, column_default, extra, "
                                     "generation_expression, column_comment, data_type FROM information_schema.columns "
                                     "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position"),
                      {rel.schema, rel.name});
    if (!cols)
        return cols.error();
    static const QRegularExpression onUpdate(QStringLiteral("on update (.*)$"), QRegularExpression::CaseInsensitiveOption);
    for (const QVariantList &c : *cols) {
        const QString extra = text(c[5]);
        QString def;
        const QString generation = text(c[6]);
        if (generation == QLatin1String("ROW START") || generation == QLatin1String("ROW END")) {
            // A system-versioned table's period columns: SHOW CREATE's words, not an expression.
            def = QStringLiteral("generated always as ") + generation.toLower();
        } else if (extra.contains(QLatin1String("GENERATED"), Qt::CaseInsensitive)
            && !extra.contains(QLatin1String("DEFAULT_GENERATED"), Qt::CaseInsensitive)) {
            def = QStringLiteral("generated always as (%1) %2")
                      .arg(text(c[6]), extra.contains(QLatin1String("STORED"), Qt::CaseInsensitive) ? QStringLiteral("stored")
                                                                                                  : QStringLiteral("virtual"));
        } else {
            def = text(c[4]);
            if (m_mariadb) {
                // MariaDB writes defaults as SQL text: 'abc', 0.00, current_timestamp(), NULL.
                if (def == QLatin1String("NULL"))
                    def.clear();
            } else if (!c[4].isNull() && !extra.contains(QLatin1String("DEFAULT_GENERATED"), Qt::CaseInsensitive)
                       && isStringType(text(c[8]))) {
                // MySQL stores literal defaults unquoted; print them as SHOW CREATE TABLE does.
                def = QLatin1Char('\'') + def.replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
            }
            if (extra.contains(QLatin1String("auto_increment"), Qt::CaseInsensitive))
                def = QStringLiteral("auto_increment");
            if (const auto m = onUpdate.match(extra); m.hasMatch())
                def = (def.isEmpty() ? QString() : def + QLatin1Char(' ')) + QStringLiteral("on update ") + m.captured(1);
        }
        // A view's columns report their base column's implicit default (0 for NOT NULL
        // numbers); a view has no defaults of its own to show.
        if (view)
            def.clear();
        // What SELECT * does not see (MariaDB's and MySQL 8's INVISIBLE), and a column whose
        // changes a system-versioned table keeps no history of.
        const auto addWords = [&def](const QString &words) { def = def.isEmpty() ? words : def + QLatin1Char(' ') + words; };
        if (extra.contains(QLatin1String("INVISIBLE"), Qt::CaseInsensitive))
            addWords(QStringLiteral("invisible"));
        if (extra.contains(QLatin1String("WITHOUT SYSTEM VERSIONING"), Qt::CaseInsensitive))
            addWords(QStringLiteral("without system versioning"));
        const QString collation = text(c[2]) == rel.collation || view ? QString() : text(c[2]);
        QStringList row{text(c[0]), text(c[1]), collation,
                        text(c[3]) == QLatin1String("NO") ? QStringLiteral("not null") : QString(), def};
        if (verbose)
            row << text(c[7]);
        t.rows.append(row);
    }

    if (view) {
        if (verbose) {
            auto def = query(QStringLiteral("SELECT view_definition FROM information_schema.views WHERE table_schema = ? AND "
                                            "table_name = ?"),
                             {rel.schema, rel.name});
            if (!def)
                return def.error();
            t.footers.append(QStringLiteral("View definition:"));
            t.footers.append(QLatin1Char(' ') + (def->isEmpty() ? QString() : text(def->first().value(0))) + QLatin1Char(';'));
            // As psql's "Options: check_option=..., security_invoker=true": what is not the default.
            auto opts = query(QStringLiteral("SELECT algorithm, security_type, check_option FROM information_schema.views "
                                             "WHERE table_schema = ? AND table_name = ?"),
                              {rel.schema, rel.name});
            if (!opts)
                return opts.error();
            if (!opts->isEmpty()) {
                const QVariantList &o = opts->first();
                QStringList words;
                if (!text(o[0]).isEmpty() && text(o[0]) != QLatin1String("UNDEFINED"))
                    words << QStringLiteral("algorithm=") + text(o[0]).toLower();
                if (text(o[1]) == QLatin1String("INVOKER"))
                    words << QStringLiteral("sql_security=invoker");
                if (!text(o[2]).isEmpty() && text(o[2]) != QLatin1String("NONE"))
                    words << QStringLiteral("check_option=") + text(o[2]).toLower();
                if (!words.isEmpty())
                    t.footers.append(QStringLiteral("Options: ") + words.join(QStringLiteral(", ")));
            }
        }
        return t.render();
    }

    // Partition key first, as psql puts it right under the columns.
    auto parts = query(QStringLiteral("SELECT partition_name, partition_method, partition_expression, partition_description, "
                                      "subpartition_name, subpartition_method, subpartition_expression FROM "
                                      "information_schema.partitions WHERE table_schema = ? AND table_name = ? AND "
                                      "partition_name IS NOT NULL ORDER BY partition_ordinal_position, "
                                      "subpartition_ordinal_position"),
                       {rel.schema, rel.name});
    if (!parts)
        return parts.error();
    QStringList partitionLines;
    if (!parts->isEmpty()) {
        const QVariantList &p = parts->first();
        // SYSTEM_TIME partitions by the row's end, which the table's definition never names.
        t.footers.append(text(p[1]) == QLatin1String("SYSTEM_TIME") ? QStringLiteral("Partition key: SYSTEM_TIME")
                                                                     : QStringLiteral("Partition key: %1 (%2)").arg(text(p[1]), text(p[2])));
        if (!p[5].isNull())
            t.footers.append(QStringLiteral("Subpartition key: %1 (%2)").arg(text(p[5]), text(p[6])));
        QString last;
        for (const QVariantList &r : *parts) {
            if (text(r[0]) == last) {
                partitionLines.last() += QStringLiteral(", ") + text(r[4]);
                continue;
            }
            last = text(r[0]);
            QString line = ident(last);
            const QString method = text(r[1]);
            const QString values = text(r[3]);
            if (method.startsWith(QLatin1String("RANGE")))
                line += values == QLatin1String("MAXVALUE") ? QStringLiteral(" VALUES LESS THAN MAXVALUE")
                                                            : QStringLiteral(" VALUES LESS THAN (%1)").arg(values);
            else if (method == QLatin1String("SYSTEM_TIME"))
                line += values == QLatin1String("CURRENT") ? QStringLiteral(" CURRENT") : QStringLiteral(" HISTORY");
            else if (method.startsWith(QLatin1String("LIST")))
                line += values == QLatin1String("DEFAULT") ? QStringLiteral(" DEFAULT") : QStringLiteral(" VALUES IN (%1)").arg(values);
            if (!r[4].isNull())
                line += QStringLiteral(" subpartitions ") + text(r[4]);
            partitionLines.append(line);
        }
    }

    // An index the optimizer may not use: MariaDB 10.6+ says IGNORED, MySQL 8 IS_VISIBLE; older
    // servers have neither column (and no such indexes).
    const QString hiddenIndex = m_mariadb ? QStringLiteral("ignored = 'YES'") : QStringLiteral("is_visible = 'NO'");
    const QString indexColumns = QStringLiteral("SELECT index_name, non_unique, column_name, sub_part, collation, index_type%1 FROM "
                                                "information_schema.statistics WHERE table_schema = ? AND table_name = ? ORDER BY "
                                                "index_name, seq_in_index");
    auto idx = query(indexColumns.arg(QStringLiteral(", ") + hiddenIndex), {rel.schema, rel.name});
    if (!idx)
        idx = query(indexColumns.arg(QString()), {rel.schema, rel.name});
    if (!idx)
        return idx.error();
    struct Index
    {
        QString name, type;
        bool unique = false;
        QStringList cols;
        bool hidden = false;
    };
    QList<Index> indexes;
    for (const QVariantList &r : *idx) {
        if (indexes.isEmpty() || indexes.last().name != text(r[0]))
            indexes.append({text(r[0]), text(r[5]), r[1].toInt() == 0, {}, r.size() > 6 && r[6].toInt() == 1});
        QString col = r[2].isNull() ? QStringLiteral("<expression>") : ident(text(r[2]));
        // SPATIAL keys report the internal key length as a prefix; SHOW CREATE TABLE leaves it out.
        if (!r[3].isNull() && text(r[5]) != QLatin1String("SPATIAL"))
            col += QStringLiteral("(%1)").arg(text(r[3]));
        if (text(r[4]) == QLatin1String("D"))
            col += QStringLiteral(" DESC");
        indexes.last().cols.append(col);
    }
    std::stable_sort(indexes.begin(), indexes.end(), [](const Index &a, const Index &b) {
        const bool pa = a.name == QLatin1String("PRIMARY"), pb = b.name == QLatin1String("PRIMARY");
        return pa != pb ? pa : a.name < b.name;
    });
    if (!indexes.isEmpty()) {
        t.footers.append(QStringLiteral("Indexes:"));
        for (const Index &i : indexes) {
            QString line = QStringLiteral("    \"%1\" ").arg(i.name);
            if (i.name == QLatin1String("PRIMARY"))
                line += QStringLiteral("PRIMARY KEY, ");
            else if (i.unique)
                line += QStringLiteral("UNIQUE, ");
            line += QStringLiteral("%1 (%2)").arg(i.type.toLower(), i.cols.join(QStringLiteral(", ")));
            // Where psql puts INVALID: the server's own word for it in SHOW CREATE.
            if (i.hidden)
                line += m_mariadb ? QStringLiteral(" IGNORED") : QStringLiteral(" INVISIBLE");
            t.footers.append(line);
        }
    }

    // MariaDB names column-level checks after their column, so names repeat across tables.
    auto checks = query(m_mariadb ? QStringLiteral("SELECT constraint_name, check_clause FROM information_schema.check_constraints "
                                                   "WHERE constraint_schema = ? AND table_name = ? ORDER BY constraint_name")
                                  : QStringLiteral("SELECT cc.constraint_name, cc.check_clause FROM "
                                                   "information_schema.table_constraints tc JOIN "
                                                   "information_schema.check_constraints cc ON cc.constraint_schema = "
                                                   "tc.constraint_schema AND cc.constraint_name = tc.constraint_name WHERE "
                                                   "tc.constraint_type = 'CHECK' AND tc.table_schema = ? AND tc.table_name = ? "
                                                   "ORDER BY cc.constraint_name"),
                        {rel.schema, rel.name});
    if (!checks)
        return checks.error();
    if (!checks->isEmpty()) {
        t.footers.append(QStringLiteral("Check constraints:"));
        for (const QVariantList &c : *checks) {
            const QString clause = text(c[1]);
            t.footers.append(QStringLiteral("    \"%1\" CHECK %2")
                                 .arg(text(c[0]), m_mariadb ? QLatin1Char('(') + clause + QLatin1Char(')') : clause));
        }
    }
    auto own = foreignKeys(rel.schema, rel.name, false);
    if (!own)
        return own.error();
    if (!own->isEmpty()) {
        t.footers.append(QStringLiteral("Foreign-key constraints:"));
        t.footers.append(*own);
    }
    auto theirs = foreignKeys(rel.schema, rel.name, true);
    if (!theirs)
        return theirs.error();
    if (!theirs->isEmpty()) {
        t.footers.append(QStringLiteral("Referenced by:"));
        t.footers.append(*theirs);
    }
    auto triggers = query(QStringLiteral("SELECT trigger_name, action_timing, event_manipulation, action_statement FROM "
                                         "information_schema.triggers WHERE event_object_schema = ? AND "
                                         "event_object_table = ? ORDER BY trigger_name"),
                          {rel.schema, rel.name});
    if (!triggers)
        return triggers.error();
    if (!triggers->isEmpty()) {
        t.footers.append(QStringLiteral("Triggers:"));
        for (const QVariantList &tr : *triggers)
            t.footers.append(QStringLiteral("    %1 %2 %3 ON %4 FOR EACH ROW %5")
                                 .arg(ident(text(tr[0])), text(tr[1]), text(tr[2]), ident(rel.name), text(tr[3]).trimmed()));
    }
    if (!partitionLines.isEmpty()) {
        if (verbose) {
            for (int i = 0; i < partitionLines.size(); ++i) {
                const QString sep = i + 1 < partitionLines.size() ? QStringLiteral(",") : QString();
                t.footers.append((i == 0 ? QStringLiteral("Partitions: ") : QString(12, QLatin1Char(' '))) + partitionLines[i] + sep);
            }
        } else {
            t.footers.append(QStringLiteral("Number of partitions: %1 (Use \\d+ to list them.)").arg(partitionLines.size()));
        }
    }
    if (verbose) {
        t.footers.append(QStringLiteral("Engine: ") + rel.engine);
        t.footers.append(QStringLiteral("Row format: ") + rel.rowFormat);
        t.footers.append(QStringLiteral("Collation: ") + rel.collation);
    }
    return t.render();
}

Result<QString> MysqlInspector::describeIndex(const Relation &rel)
{
    auto cols = query(QStringLiteral("SELECT s.column_name, c.column_type, s.sub_part, s.collation, s.index_type, s.non_unique "
                                     "FROM information_schema.statistics s LEFT JOIN information_schema.columns c ON "
                                     "c.table_schema = s.table_schema AND c.table_name = s.table_name AND c.column_name = "
                                     "s.column_name WHERE s.table_schema = ? AND s.table_name = ? AND s.index_name = ? "
                                     "ORDER BY s.seq_in_index"),
                      {rel.schema, rel.table, rel.name});
    if (!cols)
        return cols.error();
    PsqlTable t;
    t.title = QStringLiteral("Index \"%1.%2\"").arg(rel.schema, rel.name);
    t.headers = {QStringLiteral("Column"), QStringLiteral("Type"), QStringLiteral("Key?"), QStringLiteral("Definition")};
    t.aligns = QStringLiteral("llll");
    QString type;
    bool unique = false;
    for (const QVariantList &c : *cols) {
        type = text(c[4]);
        unique = c[5].toInt() == 0;
        QString def = ident(text(c[0]));
        if (!c[2].isNull() && type != QLatin1String("SPATIAL"))
            def += QStringLiteral("(%1)").arg(text(c[2]));
        if (text(c[3]) == QLatin1String("D"))
            def += QStringLiteral(" DESC");
        t.rows.append({text(c[0]), text(c[1]), QStringLiteral("yes"), def});
    }
    QString f = rel.name == QLatin1String("PRIMARY") ? QStringLiteral("primary key, ") : unique ? QStringLiteral("unique, ") : QString();
    f += QStringLiteral("%1, for table \"%2.%3\"").arg(type.toLower(), rel.schema, rel.table);
    t.footers.append(f);
    return t.render();
}

Result<QString> MysqlInspector::describeSequence(const Relation &rel)
{
    auto r = query(QStringLiteral("SELECT start_value, minimum_value, maximum_value, increment, cycle_option, cache_size FROM %1.%2")
                       .arg(quoteMysqlIdentifier(rel.schema), quoteMysqlIdentifier(rel.name)));
    if (!r)
        return r.error();
    PsqlTable t;
    t.title = QStringLiteral("Sequence \"%1.%2\"").arg(rel.schema, rel.name);
    t.headers = {QStringLiteral("Type"),      QStringLiteral("Start"),   QStringLiteral("Minimum"), QStringLiteral("Maximum"),
                 QStringLiteral("Increment"), QStringLiteral("Cycles?"), QStringLiteral("Cache")};
    t.aligns = QStringLiteral("lrrrrlr");
    for (const QVariantList &v : *r)
        t.rows.append({QStringLiteral("bigint"), text(v[0]), text(v[1]), text(v[2]), text(v[3]),
                       v[4].toInt() ? QStringLiteral("yes") : QStringLiteral("no"), text(v[5])});
    return t.render();
}

Result<QList<DbObject>> MysqlInspector::objects()
{
    // The current database only: other databases on the server belong to other projects.
    // Index names are per table in MySQL (every table has its own PRIMARY), so indexes are
    // shown in their table's \d rather than as objects of their own.
    QList<DbObject> out;
    if (m_database.isEmpty())
        return out;
    auto rels = relations(false, m_database);
    if (!rels)
        return rels.error();
    for (const Relation &r : *rels)
        out.append({r.schema, r.name, r.kind, QString()});
    return out;
}

QStringList MysqlInspector::schemas()
{
    return m_database.isEmpty() ? QStringList() : QStringList{m_database};
}

Result<QStringList> MysqlInspector::sampleRows(const QString &schema, const QString &table, int limit)
{
    const QString from = schema.isEmpty() ? quoteMysqlIdentifier(table)
                                          : quoteMysqlIdentifier(schema) + QLatin1Char('.') + quoteMysqlIdentifier(table);
    auto rows = query(QStringLiteral("SELECT * FROM %1 LIMIT %2").arg(from, QString::number(limit)));
    if (!rows)
        return rows.error();
    QStringList out;
    for (const QVariantList &r : *rows) {
        QStringList cells;
        for (const QVariant &v : r)
            cells.append(text(v));
        out.append(cells.join(QStringLiteral(" | ")));
    }
    return out;
}

Result<QString> MysqlInspector::createStatements(const QString &pattern)
{
    DescribeCommand cmd;
    cmd.hasPattern = true;
    cmd.pattern = pattern;
    auto rels = matching(cmd, false);
    if (!rels)
        return rels.error();
    QString out;
    for (const Relation &r : *rels) {
        const QString what = r.kind == QLatin1String("view")       ? QStringLiteral("VIEW")
                             : r.kind == QLatin1String("sequence") ? QStringLiteral("SEQUENCE")
                                                                   : QStringLiteral("TABLE");
        auto rows = query(QStringLiteral("SHOW CREATE %1 %2.%3").arg(what, quoteMysqlIdentifier(r.schema), quoteMysqlIdentifier(r.name)));
        if (!rows)
            return rows.error();
        if (rows->isEmpty())
            continue;
        if (!out.isEmpty())
            out += QLatin1Char('\n');
        out += text(rows->first().value(1)) + QStringLiteral(";\n");
    }
    if (out.isEmpty())
        return cmd.notFound();
    return out;
}

} // namespace retort::core
