#include "pginspector.h"

#include "inspect/namepattern.h"

#include <QSqlError>
#include <QSqlRecord>

namespace retort::core {

namespace {

// The server's one line: libpq's text goes on over tabbed lines ("server closed the
// connection unexpectedly\n\tThis probably means ...") and Qt's driver appends the SQLSTATE
// in brackets, "()" when there is none; the rest stays in the error's detail. Without the
// server's text, the driver's ("Unable to prepare statement").
QString firstLineOf(const QSqlError &err)
{
    QString text = err.databaseText().trimmed().section(QLatin1Char('\n'), 0, 0).trimmed();
    if (text.startsWith(QLatin1String("ERROR:")))
        text = text.mid(6).trimmed();
    if (text.isEmpty() || text == QLatin1String("()"))
        text = err.driverText().trimmed();
    // A connection lost before says nothing at all (the driver refuses without an error);
    // libpq's words for it.
    return text.isEmpty() ? QStringLiteral("no connection to the server") : text;
}

} // namespace

Result<std::unique_ptr<Inspector>> PgInspector::connect(const SqlUrl &url, const QString &workingDir, const QString &password)
{
    auto conn = ScopedConnection::open(url, workingDir, password, 5, true);
    if (!conn)
        return conn.error();
    auto self = std::unique_ptr<PgInspector>(new PgInspector);
    self->m_conn = *conn;
    // Qt's QPSQL driver sets TimeZone to UTC, bytea_output to escape, DateStyle and more for
    // itself; \d prints defaults and view definitions in the session's settings, and psql's
    // session has the server's. Put back every setting this session changed (whatever the
    // driver's version set) except the client encoding, which the driver needs and which a
    // psql under a UTF-8 locale sets the same.
    auto reset = self->query(QStringLiteral("SELECT pg_catalog.set_config(name, reset_val, false) FROM pg_catalog.pg_settings "
                                            "WHERE source = 'session' AND name <> 'client_encoding'"));
    if (!reset)
        return reset.error();
    return std::unique_ptr<Inspector>(std::move(self));
}

Result<QList<PgInspector::Row>> PgInspector::query(const QString &sql, const QVariantList &params)
{
    QSqlQuery q(m_conn.database());
    q.setForwardOnly(true);
    // Over prepare() (QPSQL asks the server), exec() and the rows (forward-only, QPSQL reads
    // them as next() asks).
    const AnswerDeadline deadline(m_conn.database());
    if (!q.prepare(sql)) {
        if (deadline.expired())
            return deadline.error();
        Error e = makeError(Error::Code::Database, QStringLiteral("The inspector's query failed: %1").arg(firstLineOf(q.lastError())));
        e.detail = q.lastError().databaseText().trimmed() + QLatin1Char('\n') + sql;
        return e;
    }
    for (const QVariant &p : params)
        q.addBindValue(p);
    if (!q.exec()) {
        if (deadline.expired())
            return deadline.error();
        const QSqlError err = q.lastError();
        const QString text = firstLineOf(err);
        // invalid_regular_expression: a \d pattern the server cannot compile. psql prints the
        // server's one line ("ERROR:  ...") and nothing of its catalog query; so do we.
        if (err.nativeErrorCode() == QLatin1String("2201B"))
            return makeError(Error::Code::Refused, QStringLiteral("ERROR:  ") + text);
        Error e = makeError(Error::Code::Database, QStringLiteral("The inspector's query failed: %1").arg(text));
        e.detail = err.databaseText().trimmed() + QLatin1Char('\n') + sql;
        return e;
    }
    QList<Row> rows;
    const int n = q.record().count();
    while (q.next()) {
        Row r;
        r.values.reserve(n);
        for (int i = 0; i < n; ++i)
            r.values.append(q.value(i));
        rows.append(r);
    }
    if (deadline.expired())
        return deadline.error();
    return rows;
}

Result<QList<PgInspector::Row>> PgInspector::queryMatching(QString sql, const DescribeCommand &cmd, bool haveWhere,
                                                          const QString &schemaVar, const QString &nameVar,
                                                          const QString &visibility, int maxParts, const QString &orderBy)
{
    QVariantList params;
    auto ok = namePattern(sql, params, cmd, haveWhere, schemaVar, nameVar, visibility, maxParts);
    if (!ok)
        return ok.error();
    sql += orderBy;
    return query(sql, params);
}

Result<bool> PgInspector::namePattern(QString &sql, QVariantList &params, const DescribeCommand &cmd, bool haveWhere,
                                      const QString &schemaVar, const QString &nameVar, const QString &visibility,
                                      int maxParts)
{
    auto whereAnd = [&]() {
        sql += haveWhere ? QStringLiteral("  AND ") : QStringLiteral("WHERE ");
        haveWhere = true;
    };
    if (!cmd.hasPattern) {
        if (!visibility.isEmpty()) {
            whereAnd();
            sql += visibility + QLatin1Char('\n');
        }
        return true;
    }
    PatternParts p = patternToRegex(cmd.pattern, maxParts);
    if (p.dots >= maxParts) {
        return makeError(Error::Code::Refused,
                         QStringLiteral("improper qualified name (too many dotted names): %1").arg(cmd.pattern));
    }
    // validateSQLNamePattern: a pattern of maxParts names starts with the database's. \dn
    // splits no pattern (no schema column), so its "db.schema" never names this database.
    if (schemaVar.isEmpty() && maxParts > 1 && p.dots == maxParts - 1)
        return makeError(Error::Code::Refused,
                         QStringLiteral("cross-database references are not implemented: %1").arg(cmd.pattern));
    if (maxParts == 3 && p.parts.size() == 3) {
        auto db = query(QStringLiteral("SELECT pg_catalog.current_database()"));
        if (!db)
            return db.error();
        if (db->isEmpty() || db->first().text(0) != p.dbLiteral)
            return makeError(Error::Code::Refused,
                             QStringLiteral("cross-database references are not implemented: %1").arg(cmd.pattern));
        p.parts.removeFirst();
    }
    const QString name = p.parts.last();
    const QString schema = p.parts.size() > 1 ? p.parts[p.parts.size() - 2] : QString();
    if (name.size() > 2 && name != QLatin1String("^(.*)$")) {
        whereAnd();
        sql += nameVar + QStringLiteral(" OPERATOR(pg_catalog.~) ? COLLATE pg_catalog.default\n");
        params.append(name);
    }
    if (!schemaVar.isEmpty() && schema.size() > 2) {
        if (schema != QLatin1String("^(.*)$")) {
            whereAnd();
            sql += schemaVar + QStringLiteral(" OPERATOR(pg_catalog.~) ? COLLATE pg_catalog.default\n");
            params.append(schema);
        }
    } else if (!visibility.isEmpty()) {
        whereAnd();
        sql += visibility + QLatin1Char('\n');
    }
    return true;
}

QList<QStringList> PgInspector::cellsOf(const QList<Row> &rows, int columns)
{
    QList<QStringList> out;
    for (const Row &r : rows) {
        QStringList cells;
        for (int i = 0; i < columns; ++i)
            cells << r.text(i);
        out.append(cells);
    }
    return out;
}

Result<QString> PgInspector::run(const DescribeCommand &cmd)
{
    switch (cmd.kind) {
    case DescribeCommand::Kind::ListRelations: return listTables(cmd);
    case DescribeCommand::Kind::ListSchemas: return listSchemas(cmd);
    case DescribeCommand::Kind::ListDomains: return listDomains(cmd);
    case DescribeCommand::Kind::ListExtensions: return listExtensions(cmd);
    case DescribeCommand::Kind::Describe: return describeTables(cmd);
    }
    return QString();
}

Result<QString> PgInspector::describeTables(const DescribeCommand &cmd)
{
    QString sql = QStringLiteral("SELECT c.oid::pg_catalog.int8,\n  n.nspname,\n  c.relname\nFROM pg_catalog.pg_class c\n"
                                 "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n");
    const bool userOnly = !cmd.system && !cmd.hasPattern;
    if (userOnly)
        sql += QStringLiteral("WHERE n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n");
    auto rels = queryMatching(sql, cmd, userOnly, QStringLiteral("n.nspname"), QStringLiteral("c.relname"),
                              QStringLiteral("pg_catalog.pg_table_is_visible(c.oid)"), 3,
                              QStringLiteral("ORDER BY 2, 3;"));
    if (!rels)
        return rels.error();
    if (rels->isEmpty()) {
        return cmd.notFound();
    }
    QString out;
    for (const Row &r : *rels) {
        auto one = describeOne(r.text(0), r.text(1), r.text(2), cmd.verbose);
        if (!one)
            return one.error();
        out += *one;
    }
    return out;
}

Result<bool> PgInspector::addTablespaceFooter(PsqlTable &t, qlonglong tablespace, bool newline)
{
    if (tablespace == 0)
        return true;
    auto r = query(QStringLiteral("SELECT spcname FROM pg_catalog.pg_tablespace\nWHERE oid = CAST(? AS pg_catalog.oid);"),
                   {QString::number(tablespace)});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return true;
    if (newline)
        t.footers.append(QStringLiteral("Tablespace: \"%1\"").arg(r->first().text(0)));
    else if (!t.footers.isEmpty())
        t.footers.last() += QStringLiteral(", tablespace \"%1\"").arg(r->first().text(0));
    return true;
}

Result<QString> PgInspector::describeOne(const QString &oid, const QString &schema, const QString &name, bool verbose)
{
    const QVariantList oidParam{oid};
    auto info = query(QStringLiteral("SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, "
                                     "c.relrowsecurity, c.relforcerowsecurity, false AS relhasoids, c.relispartition, %1, "
                                     "c.reltablespace::pg_catalog.int8, CASE WHEN c.reloftype = 0 THEN '' ELSE "
                                     "c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence, "
                                     "c.relreplident, am.amname\nFROM pg_catalog.pg_class c\n LEFT JOIN "
                                     "pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)\nLEFT JOIN pg_catalog.pg_am am ON "
                                     "(c.relam = am.oid)\nWHERE c.oid = CAST(? AS pg_catalog.oid);")
                          .arg(verbose ? QStringLiteral("pg_catalog.array_to_string(c.reloptions || array(select 'toast.' "
                                                        "|| x from pg_catalog.unnest(tc.reloptions) x), ', ')")
                                       : QStringLiteral("''")),
                      oidParam);
    if (!info)
        return info.error();
    if (info->isEmpty())
        return makeError(Error::Code::Resolution, QStringLiteral("Did not find any relation with OID %1.").arg(oid));
    const Row &ti = info->first();
    const int checks = ti.values.value(0).toInt();
    const QChar relkind = ti.text(1).isEmpty() ? QLatin1Char(' ') : ti.text(1).at(0);
    const bool hasIndex = ti.flag(2), hasRules = ti.flag(3), hasTriggers = ti.flag(4);
    const bool rowSecurity = ti.flag(5), forceRowSecurity = ti.flag(6), isPartition = ti.flag(8);
    const QString reloptions = ti.text(9);
    const qlonglong tablespace = ti.values.value(10).toLongLong();
    const QString reloftype = ti.text(11);
    const QChar persistence = ti.text(12).isEmpty() ? QLatin1Char('p') : ti.text(12).at(0);
    const QChar replident = ti.text(13).isEmpty() ? QLatin1Char('d') : ti.text(13).at(0);
    const QString relam = ti.isNull(14) ? QString() : ti.text(14);

    if (relkind == QLatin1Char('S')) {
        auto seq = query(QStringLiteral("SELECT pg_catalog.format_type(seqtypid, NULL), seqstart, seqmin, seqmax, "
                                        "seqincrement, CASE WHEN seqcycle THEN 'yes' ELSE 'no' END, seqcache\n"
                                        "FROM pg_catalog.pg_sequence\nWHERE seqrelid = CAST(? AS pg_catalog.oid);"),
                         oidParam);
        if (!seq)
            return seq.error();
        auto owner = query(QStringLiteral("SELECT pg_catalog.quote_ident(nspname) || '.' || pg_catalog.quote_ident(relname) "
                                          "|| '.' || pg_catalog.quote_ident(attname), d.deptype\nFROM pg_catalog.pg_class c\n"
                                          "INNER JOIN pg_catalog.pg_depend d ON c.oid=d.refobjid\nINNER JOIN "
                                          "pg_catalog.pg_namespace n ON n.oid=c.relnamespace\nINNER JOIN pg_catalog.pg_attribute "
                                          "a ON (a.attrelid=c.oid AND a.attnum=d.refobjsubid)\nWHERE "
                                          "d.classid='pg_catalog.pg_class'::pg_catalog.regclass AND "
                                          "d.refclassid='pg_catalog.pg_class'::pg_catalog.regclass AND d.objid=CAST(? AS "
                                          "pg_catalog.oid) AND d.deptype IN ('a', 'i')"),
                           oidParam);
        if (!owner)
            return owner.error();
        PsqlTable t;
        t.title = (persistence == QLatin1Char('u') ? QStringLiteral("Unlogged sequence \"%1.%2\"")
                                                   : QStringLiteral("Sequence \"%1.%2\""))
                      .arg(schema, name);
        t.headers = {QStringLiteral("Type"), QStringLiteral("Start"), QStringLiteral("Minimum"), QStringLiteral("Maximum"),
                     QStringLiteral("Increment"), QStringLiteral("Cycles?"), QStringLiteral("Cache")};
        t.aligns = QStringLiteral("lrrrrlr");
        for (const Row &r : *seq)
            t.rows.append({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6)});
        if (owner->size() == 1) {
            const QString kind = owner->first().text(1);
            if (kind == QLatin1String("a"))
                t.footers.append(QStringLiteral("Owned by: %1").arg(owner->first().text(0)));
            else if (kind == QLatin1String("i"))
                t.footers.append(QStringLiteral("Sequence for identity column: %1").arg(owner->first().text(0)));
        }
        return t.render();
    }

    const bool details = QStringLiteral("rvmfcp").contains(relkind);
    const bool isIndex = relkind == QLatin1Char('i') || relkind == QLatin1Char('I');
    QString sql = QStringLiteral("SELECT a.attname,\n  pg_catalog.format_type(a.atttypid, a.atttypmod)");
    int col = 2;
    int defCol = -1, notNullCol = -1, collCol = -1, identCol = -1, genCol = -1, keyCol = -1, indexDefCol = -1,
        fdwCol = -1, storageCol = -1, comprCol = -1, statsCol = -1, descrCol = -1;
    if (details) {
        sql += QStringLiteral(",\n  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)\n   FROM pg_catalog.pg_attrdef d\n"
                              "   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),\n  a.attnotnull");
        defCol = col++;
        notNullCol = col++;
        sql += QStringLiteral(",\n  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t\n   WHERE c.oid = "
                              "a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation");
        collCol = col++;
        sql += QStringLiteral(",\n  a.attidentity");
        identCol = col++;
        sql += QStringLiteral(",\n  a.attgenerated");
        genCol = col++;
    }
    QVariantList colParams;
    if (isIndex) {
        sql += QStringLiteral(",\n  CASE WHEN a.attnum <= (SELECT i.indnkeyatts FROM pg_catalog.pg_index i WHERE i.indexrelid = "
                              "CAST(? AS pg_catalog.oid)) THEN 'yes' ELSE 'no' END AS is_key");
        colParams.append(oid);
        keyCol = col++;
        sql += QStringLiteral(",\n  pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, TRUE) AS indexdef");
        indexDefCol = col++;
    }
    if (relkind == QLatin1Char('f')) {
        sql += QStringLiteral(",\n  CASE WHEN attfdwoptions IS NULL THEN '' ELSE   '(' || "
                              "pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(option_name) || ' ' || "
                              "pg_catalog.quote_literal(option_value)  FROM   pg_catalog.pg_options_to_table(attfdwoptions)), "
                              "', ') || ')' END AS attfdwoptions");
        fdwCol = col++;
    }
    if (verbose) {
        sql += QStringLiteral(",\n  a.attstorage");
        storageCol = col++;
        if (QStringLiteral("rpm").contains(relkind)) {
            sql += QStringLiteral(",\n  a.attcompression AS attcompression");
            comprCol = col++;
        }
        if (QStringLiteral("riImfp").contains(relkind)) {
            sql += QStringLiteral(",\n  CASE WHEN a.attstattarget=-1 THEN NULL ELSE a.attstattarget END AS attstattarget");
            statsCol = col++;
        }
        if (QStringLiteral("rvmfcp").contains(relkind)) {
            sql += QStringLiteral(",\n  pg_catalog.col_description(a.attrelid, a.attnum)");
            descrCol = col++;
        }
    }
    sql += QStringLiteral("\nFROM pg_catalog.pg_attribute a\nWHERE a.attrelid = CAST(? AS pg_catalog.oid) AND a.attnum > 0 "
                          "AND NOT a.attisdropped\nORDER BY a.attnum;");
    colParams.append(oid);
    auto cols = query(sql, colParams);
    if (!cols)
        return cols.error();

    PsqlTable t;
    const bool unlogged = persistence == QLatin1Char('u');
    QString kindTitle;
    switch (relkind.toLatin1()) {
    case 'r': kindTitle = unlogged ? QStringLiteral("Unlogged table") : QStringLiteral("Table"); break;
    case 'v': kindTitle = QStringLiteral("View"); break;
    case 'm': kindTitle = unlogged ? QStringLiteral("Unlogged materialized view") : QStringLiteral("Materialized view"); break;
    case 'i': kindTitle = unlogged ? QStringLiteral("Unlogged index") : QStringLiteral("Index"); break;
    case 'I': kindTitle = unlogged ? QStringLiteral("Unlogged partitioned index") : QStringLiteral("Partitioned index"); break;
    case 't': kindTitle = QStringLiteral("TOAST table"); break;
    case 'c': kindTitle = QStringLiteral("Composite type"); break;
    case 'f': kindTitle = QStringLiteral("Foreign table"); break;
    case 'p': kindTitle = unlogged ? QStringLiteral("Unlogged partitioned table") : QStringLiteral("Partitioned table"); break;
    default: kindTitle = QStringLiteral("?%1?").arg(relkind);
    }
    t.title = QStringLiteral("%1 \"%2.%3\"").arg(kindTitle, schema, name);
    t.headers = {QStringLiteral("Column"), QStringLiteral("Type")};
    if (details)
        t.headers << QStringLiteral("Collation") << QStringLiteral("Nullable") << QStringLiteral("Default");
    if (keyCol >= 0)
        t.headers << QStringLiteral("Key?");
    if (indexDefCol >= 0)
        t.headers << QStringLiteral("Definition");
    if (fdwCol >= 0)
        t.headers << QStringLiteral("FDW options");
    if (storageCol >= 0)
        t.headers << QStringLiteral("Storage");
    if (comprCol >= 0)
        t.headers << QStringLiteral("Compression");
    if (statsCol >= 0)
        t.headers << QStringLiteral("Stats target");
    if (descrCol >= 0)
        t.headers << QStringLiteral("Description");
    t.aligns = QString(t.headers.size(), QLatin1Char('l'));

    for (const Row &r : *cols) {
        QStringList cells{r.text(0), r.text(1)};
        if (details) {
            cells << r.text(collCol) << (r.flag(notNullCol) ? QStringLiteral("not null") : QString());
            const QString identity = r.text(identCol);
            const QString generated = r.text(genCol);
            if (identity == QLatin1String("a"))
                cells << QStringLiteral("generated always as identity");
            else if (identity == QLatin1String("d"))
                cells << QStringLiteral("generated by default as identity");
            else if (generated == QLatin1String("s"))
                cells << QStringLiteral("generated always as (%1) stored").arg(r.text(defCol));
            else
                cells << r.text(defCol);
        }
        if (keyCol >= 0)
            cells << r.text(keyCol);
        if (indexDefCol >= 0)
            cells << r.text(indexDefCol);
        if (fdwCol >= 0)
            cells << r.text(fdwCol);
        if (storageCol >= 0) {
            const QString s = r.text(storageCol);
            cells << (s == QLatin1String("p") ? QStringLiteral("plain")
                      : s == QLatin1String("m") ? QStringLiteral("main")
                      : s == QLatin1String("x") ? QStringLiteral("extended")
                      : s == QLatin1String("e") ? QStringLiteral("external")
                                                : QStringLiteral("???"));
        }
        if (comprCol >= 0) {
            const QString c = r.text(comprCol);
            cells << (c == QLatin1String("p") ? QStringLiteral("pglz")
                      : c == QLatin1String("l") ? QStringLiteral("lz4")
                      : c.isEmpty()             ? QString()
                                                : QStringLiteral("???"));
        }
        if (statsCol >= 0)
            cells << r.text(statsCol);
        if (descrCol >= 0)
            cells << r.text(descrCol);
        t.rows.append(cells);
    }

    // Footers, in describe.c's order.
    if (isPartition) {
        auto part = query(QStringLiteral("SELECT inhparent::pg_catalog.regclass::pg_catalog.text,\n  "
                                         "pg_catalog.pg_get_expr(c.relpartbound, c.oid),\n  inhdetachpending%1\n"
                                         "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_inherits i ON c.oid = inhrelid\n"
                                         "WHERE c.oid = CAST(? AS pg_catalog.oid);")
                              .arg(verbose ? QStringLiteral(",\n  pg_catalog.pg_get_partition_constraintdef(c.oid)") : QString()),
                          oidParam);
        if (!part)
            return part.error();
        if (!part->isEmpty()) {
            const Row &p = part->first();
            t.footers.append(QStringLiteral("Partition of: %1 %2%3")
                                 .arg(p.text(0), p.text(1), p.flag(2) ? QStringLiteral(" DETACH PENDING") : QString()));
            if (verbose) {
                if (p.isNull(3) || p.text(3).isEmpty())
                    t.footers.append(QStringLiteral("No partition constraint"));
                else
                    t.footers.append(QStringLiteral("Partition constraint: %1").arg(p.text(3)));
            }
        }
    }
    if (relkind == QLatin1Char('p')) {
        auto key = query(QStringLiteral("SELECT pg_catalog.pg_get_partkeydef(CAST(? AS pg_catalog.oid));"), oidParam);
        if (!key)
            return key.error();
        if (key->size() == 1)
            t.footers.append(QStringLiteral("Partition key: %1").arg(key->first().text(0)));
    }
    if (relkind == QLatin1Char('t')) {
        auto owner = query(QStringLiteral("SELECT n.nspname, c.relname\nFROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace "
                                          "n ON n.oid = c.relnamespace\nWHERE reltoastrelid = CAST(? AS pg_catalog.oid);"),
                           oidParam);
        if (!owner)
            return owner.error();
        if (owner->size() == 1)
            t.footers.append(QStringLiteral("Owning table: \"%1.%2\"").arg(owner->first().text(0), owner->first().text(1)));
    }
    if (isIndex) {
        auto idx = query(QStringLiteral(
                             "SELECT i.indisunique, i.indisprimary, i.indisclustered, i.indisvalid,\n  (NOT i.indimmediate) AND "
                             "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = i.indrelid AND conindid = "
                             "i.indexrelid AND contype IN ('p','u','x') AND condeferrable) AS condeferrable,\n  (NOT "
                             "i.indimmediate) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = i.indrelid AND "
                             "conindid = i.indexrelid AND contype IN ('p','u','x') AND condeferred) AS condeferred,\n"
                             "i.indisreplident,\ni.indnullsnotdistinct,\n  a.amname, c2.relname, "
                             "pg_catalog.pg_get_expr(i.indpred, i.indrelid, true)\nFROM pg_catalog.pg_index i, pg_catalog.pg_class "
                             "c, pg_catalog.pg_class c2, pg_catalog.pg_am a\nWHERE i.indexrelid = c.oid AND c.oid = CAST(? AS "
                             "pg_catalog.oid) AND c.relam = a.oid\nAND i.indrelid = c2.oid;"),
                         oidParam);
        if (!idx)
            return idx.error();
        if (idx->size() == 1) {
            const Row &x = idx->first();
            QString f;
            if (x.flag(1))
                f = QStringLiteral("primary key, ");
            else if (x.flag(0))
                f = QStringLiteral("unique") + (x.flag(7) ? QStringLiteral(" nulls not distinct") : QString())
                    + QStringLiteral(", ");
            f += x.text(8) + QStringLiteral(", ");
            f += QStringLiteral("for table \"%1.%2\"").arg(schema, x.text(9));
            if (!x.text(10).isEmpty())
                f += QStringLiteral(", predicate (%1)").arg(x.text(10));
            if (x.flag(2))
                f += QStringLiteral(", clustered");
            if (!x.flag(3))
                f += QStringLiteral(", invalid");
            if (x.flag(4))
                f += QStringLiteral(", deferrable");
            if (x.flag(5))
                f += QStringLiteral(", initially deferred");
            if (x.flag(6))
                f += QStringLiteral(", replica identity");
            t.footers.append(f);
            if (relkind == QLatin1Char('i')) {
                auto ok = addTablespaceFooter(t, tablespace, true);
                if (!ok)
                    return ok.error();
            }
        }
    } else if (QStringLiteral("rmfpIt").contains(relkind)) {
        if (hasIndex) {
            auto idx = query(QStringLiteral(
                                 "SELECT c2.relname, i.indisprimary, i.indisunique, i.indisclustered, i.indisvalid, "
                                 "pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),\n  pg_catalog.pg_get_constraintdef(con.oid, "
                                 "true), contype, condeferrable, condeferred, i.indisreplident, c2.reltablespace::pg_catalog.int8\n"
                                 "FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i\n  LEFT JOIN "
                                 "pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid AND contype "
                                 "IN ('p','u','x'))\nWHERE c.oid = CAST(? AS pg_catalog.oid) AND c.oid = i.indrelid AND "
                                 "i.indexrelid = c2.oid\nORDER BY i.indisprimary DESC, c2.relname;"),
                             oidParam);
            if (!idx)
                return idx.error();
            if (!idx->isEmpty()) {
                t.footers.append(QStringLiteral("Indexes:"));
                for (const Row &x : *idx) {
                    QString line = QStringLiteral("    \"%1\"").arg(x.text(0));
                    if (x.text(7) == QLatin1String("x")) {
                        line += QLatin1Char(' ') + x.text(6);
                    } else {
                        if (x.flag(1))
                            line += QStringLiteral(" PRIMARY KEY,");
                        else if (x.flag(2))
                            line += x.text(7) == QLatin1String("u") ? QStringLiteral(" UNIQUE CONSTRAINT,") : QStringLiteral(" UNIQUE,");
                        QString def = x.text(5);
                        const qsizetype using_ = def.indexOf(QStringLiteral(" USING "));
                        if (using_ >= 0)
                            def = def.mid(using_ + 7);
                        line += QLatin1Char(' ') + def;
                        if (x.flag(8))
                            line += QStringLiteral(" DEFERRABLE");
                        if (x.flag(9))
                            line += QStringLiteral(" INITIALLY DEFERRED");
                    }
                    if (x.flag(3))
                        line += QStringLiteral(" CLUSTER");
                    if (!x.flag(4))
                        line += QStringLiteral(" INVALID");
                    if (x.flag(10))
                        line += QStringLiteral(" REPLICA IDENTITY");
                    t.footers.append(line);
                    auto ok = addTablespaceFooter(t, x.values.value(11).toLongLong(), false);
                    if (!ok)
                        return ok.error();
                }
            }
        }
        if (checks) {
            auto cc = query(QStringLiteral("SELECT r.conname, pg_catalog.pg_get_constraintdef(r.oid, true)\nFROM "
                                           "pg_catalog.pg_constraint r\nWHERE r.conrelid = CAST(? AS pg_catalog.oid) AND "
                                           "r.contype = 'c'\nORDER BY 1;"),
                            oidParam);
            if (!cc)
                return cc.error();
            if (!cc->isEmpty()) {
                t.footers.append(QStringLiteral("Check constraints:"));
                for (const Row &r : *cc)
                    t.footers.append(QStringLiteral("    \"%1\" %2").arg(r.text(0), r.text(1)));
            }
        }
        if (hasTriggers || relkind == QLatin1Char('p')) {
            QString fkSql;
            QVariantList fkParams;
            if (isPartition || relkind == QLatin1Char('p')) {
                fkSql = QStringLiteral("SELECT conrelid = CAST(? AS pg_catalog.oid)::pg_catalog.regclass AS sametable,\n"
                                       "       conname,\n       pg_catalog.pg_get_constraintdef(oid, true) AS condef,\n"
                                       "       conrelid::pg_catalog.regclass::pg_catalog.text AS ontable\n  FROM "
                                       "pg_catalog.pg_constraint,\n       pg_catalog.pg_partition_ancestors(CAST(? AS "
                                       "pg_catalog.oid))\n WHERE conrelid = relid AND contype = 'f' AND conparentid = 0\n"
                                       "ORDER BY sametable DESC, conname;");
                fkParams = {oid, oid};
            } else {
                fkSql = QStringLiteral("SELECT true as sametable, conname,\n  pg_catalog.pg_get_constraintdef(r.oid, true) as "
                                       "condef,\n  conrelid::pg_catalog.regclass::pg_catalog.text AS ontable\nFROM "
                                       "pg_catalog.pg_constraint r\nWHERE r.conrelid = CAST(? AS pg_catalog.oid) AND r.contype "
                                       "= 'f'\n     AND conparentid = 0\nORDER BY conname");
                fkParams = {oid};
            }
            auto fk = query(fkSql, fkParams);
            if (!fk)
                return fk.error();
            if (!fk->isEmpty()) {
                t.footers.append(QStringLiteral("Foreign-key constraints:"));
                for (const Row &r : *fk) {
                    if (!r.flag(0))
                        t.footers.append(QStringLiteral("    TABLE \"%1\" CONSTRAINT \"%2\" %3").arg(r.text(3), r.text(1), r.text(2)));
                    else
                        t.footers.append(QStringLiteral("    \"%1\" %2").arg(r.text(1), r.text(2)));
                }
            }
            auto ref = query(QStringLiteral("SELECT conname, conrelid::pg_catalog.regclass::pg_catalog.text AS ontable,\n"
                                            "       pg_catalog.pg_get_constraintdef(oid, true) AS condef\n  FROM "
                                            "pg_catalog.pg_constraint c\n WHERE confrelid IN (SELECT "
                                            "pg_catalog.pg_partition_ancestors(CAST(? AS pg_catalog.oid))\n                     "
                                            "UNION ALL VALUES (CAST(? AS pg_catalog.oid)::pg_catalog.regclass))\n       AND "
                                            "contype = 'f' AND conparentid = 0\nORDER BY conname;"),
                             {oid, oid});
            if (!ref)
                return ref.error();
            if (!ref->isEmpty()) {
                t.footers.append(QStringLiteral("Referenced by:"));
                for (const Row &r : *ref)
                    t.footers.append(QStringLiteral("    TABLE \"%1\" CONSTRAINT \"%2\" %3").arg(r.text(1), r.text(0), r.text(2)));
            }
        }
        auto pol = query(QStringLiteral("SELECT pol.polname, pol.polpermissive,\n  CASE WHEN pol.polroles = '{0}' THEN NULL "
                                        "ELSE pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where oid "
                                        "= any (pol.polroles) order by 1),',') END,\n  pg_catalog.pg_get_expr(pol.polqual, "
                                        "pol.polrelid),\n  pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid),\n  CASE "
                                        "pol.polcmd\n    WHEN 'r' THEN 'SELECT'\n    WHEN 'a' THEN 'INSERT'\n    WHEN 'w' THEN "
                                        "'UPDATE'\n    WHEN 'd' THEN 'DELETE'\n    END AS cmd\nFROM pg_catalog.pg_policy pol\n"
                                        "WHERE pol.polrelid = CAST(? AS pg_catalog.oid) ORDER BY 1;"),
                         oidParam);
        if (!pol)
            return pol.error();
        const qsizetype np = pol->size();
        if (rowSecurity && !forceRowSecurity && np > 0)
            t.footers.append(QStringLiteral("Policies:"));
        if (rowSecurity && forceRowSecurity && np > 0)
            t.footers.append(QStringLiteral("Policies (forced row security enabled):"));
        if (rowSecurity && !forceRowSecurity && np == 0)
            t.footers.append(QStringLiteral("Policies (row security enabled): (none)"));
        if (rowSecurity && forceRowSecurity && np == 0)
            t.footers.append(QStringLiteral("Policies (forced row security enabled): (none)"));
        if (!rowSecurity && np > 0)
            t.footers.append(QStringLiteral("Policies (row security disabled):"));
        for (const Row &r : *pol) {
            QString line = QStringLiteral("    POLICY \"%1\"").arg(r.text(0));
            if (!r.flag(1))
                line += QStringLiteral(" AS RESTRICTIVE");
            if (!r.isNull(5))
                line += QStringLiteral(" FOR %1").arg(r.text(5));
            if (!r.isNull(2))
                line += QStringLiteral("\n      TO %1").arg(r.text(2));
            if (!r.isNull(3))
                line += QStringLiteral("\n      USING (%1)").arg(r.text(3));
            if (!r.isNull(4))
                line += QStringLiteral("\n      WITH CHECK (%1)").arg(r.text(4));
            t.footers.append(line);
        }
        auto stx = query(QStringLiteral("SELECT oid, stxrelid::pg_catalog.regclass::pg_catalog.text, "
                                        "stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp, stxname,\n"
                                        "pg_catalog.pg_get_statisticsobjdef_columns(oid) AS columns,\n  'd' = any(stxkind) AS "
                                        "ndist_enabled,\n  'f' = any(stxkind) AS deps_enabled,\n  'm' = any(stxkind) AS "
                                        "mcv_enabled,\nstxstattarget\nFROM pg_catalog.pg_statistic_ext\nWHERE stxrelid = CAST(? "
                                        "AS pg_catalog.oid)\nORDER BY nsp, stxname;"),
                         oidParam);
        if (!stx)
            return stx.error();
        if (!stx->isEmpty()) {
            t.footers.append(QStringLiteral("Statistics objects:"));
            for (const Row &r : *stx) {
                const bool nd = r.flag(5), dep = r.flag(6), mcv = r.flag(7);
                QString line = QStringLiteral("    \"%1.%2\"").arg(r.text(2), r.text(3));
                if ((nd || dep || mcv) && !(nd && dep && mcv)) {
                    QStringList kinds;
                    if (nd)
                        kinds << QStringLiteral("ndistinct");
                    if (dep)
                        kinds << QStringLiteral("dependencies");
                    if (mcv)
                        kinds << QStringLiteral("mcv");
                    line += QStringLiteral(" (%1)").arg(kinds.join(QStringLiteral(", ")));
                }
                line += QStringLiteral(" ON %1 FROM %2").arg(r.text(4), r.text(1));
                // The default target: -1 up to PostgreSQL 16, NULL from 17 (psql 17 tests both).
                if (!r.isNull(8) && r.text(8) != QLatin1String("-1"))
                    line += QStringLiteral("; STATISTICS %1").arg(r.text(8));
                t.footers.append(line);
            }
        }
        if (hasRules && relkind != QLatin1Char('m')) {
            auto rules = query(QStringLiteral("SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, true)), "
                                              "ev_enabled\nFROM pg_catalog.pg_rewrite r\nWHERE r.ev_class = CAST(? AS "
                                              "pg_catalog.oid) ORDER BY 1;"),
                               oidParam);
            if (!rules)
                return rules.error();
            const char *cats[] = {"O", "D", "A", "R"};
            const char *heads[] = {"Rules:", "Disabled rules:", "Rules firing always:", "Rules firing on replica only:"};
            for (int c = 0; c < 4; ++c) {
                bool heading = false;
                for (const Row &r : *rules) {
                    if (r.text(2) != QLatin1String(cats[c]))
                        continue;
                    if (!heading) {
                        t.footers.append(QString::fromLatin1(heads[c]));
                        heading = true;
                    }
                    t.footers.append(QStringLiteral("    ") + r.text(1).mid(12));
                }
            }
        }
        auto pubs = query(QStringLiteral(
                              "SELECT pubname\n     , NULL\n     , NULL\nFROM pg_catalog.pg_publication p\n     JOIN "
                              "pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid\n     JOIN pg_catalog.pg_class pc ON "
                              "pc.relnamespace = pn.pnnspid\nWHERE pc.oid = CAST(? AS pg_catalog.oid) and "
                              "pg_catalog.pg_relation_is_publishable(CAST(? AS pg_catalog.oid))\nUNION\nSELECT pubname\n     , "
                              "pg_get_expr(pr.prqual, c.oid)\n     , (CASE WHEN pr.prattrs IS NOT NULL THEN\n         (SELECT "
                              "string_agg(attname, ', ')\n           FROM pg_catalog.generate_series(0, "
                              "pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s,\n                "
                              "pg_catalog.pg_attribute\n          WHERE attrelid = pr.prrelid AND attnum = prattrs[s])\n        "
                              "ELSE NULL END) FROM pg_catalog.pg_publication p\n     JOIN pg_catalog.pg_publication_rel pr ON "
                              "p.oid = pr.prpubid\n     JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid\nWHERE pr.prrelid = "
                              "CAST(? AS pg_catalog.oid)\nUNION\nSELECT pubname\n     , NULL\n     , NULL\nFROM "
                              "pg_catalog.pg_publication p\nWHERE p.puballtables AND pg_catalog.pg_relation_is_publishable(CAST(? "
                              "AS pg_catalog.oid))\nORDER BY 1;"),
                          {oid, oid, oid, oid});
        if (!pubs)
            return pubs.error();
        if (!pubs->isEmpty())
            t.footers.append(QStringLiteral("Publications:"));
        for (const Row &r : *pubs) {
            QString line = QStringLiteral("    \"%1\"").arg(r.text(0));
            if (!r.isNull(2))
                line += QStringLiteral(" (%1)").arg(r.text(2));
            if (!r.isNull(1))
                line += QStringLiteral(" WHERE %1").arg(r.text(1));
            t.footers.append(line);
        }
    }

    if ((relkind == QLatin1Char('v') || relkind == QLatin1Char('m')) && verbose) {
        auto def = query(QStringLiteral("SELECT pg_catalog.pg_get_viewdef(CAST(? AS pg_catalog.oid), true);"), oidParam);
        if (!def)
            return def.error();
        if (!def->isEmpty()) {
            t.footers.append(QStringLiteral("View definition:"));
            t.footers.append(def->first().text(0));
            if (hasRules) {
                auto rules = query(QStringLiteral("SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, "
                                                  "true))\nFROM pg_catalog.pg_rewrite r\nWHERE r.ev_class = CAST(? AS "
                                                  "pg_catalog.oid) AND r.rulename != '_RETURN' ORDER BY 1;"),
                                   oidParam);
                if (!rules)
                    return rules.error();
                if (!rules->isEmpty()) {
                    t.footers.append(QStringLiteral("Rules:"));
                    for (const Row &r : *rules)
                        t.footers.append(QStringLiteral(" ") + r.text(1).mid(12));
                }
            }
        }
    }

    if (hasTriggers) {
        auto trg = query(QStringLiteral("SELECT t.tgname, pg_catalog.pg_get_triggerdef(t.oid, true), t.tgenabled, "
                                        "t.tgisinternal,\n  CASE WHEN t.tgparentid != 0 THEN\n    (SELECT "
                                        "u.tgrelid::pg_catalog.regclass::pg_catalog.text\n     FROM pg_catalog.pg_trigger AS u,\n"
                                        "          pg_catalog.pg_partition_ancestors(t.tgrelid) WITH ORDINALITY AS a(relid, "
                                        "depth)\n     WHERE u.tgname = t.tgname AND u.tgrelid = a.relid\n           AND "
                                        "u.tgparentid = 0\n     ORDER BY a.depth LIMIT 1)\n  END AS parent\nFROM "
                                        "pg_catalog.pg_trigger t\nWHERE t.tgrelid = CAST(? AS pg_catalog.oid) AND (NOT "
                                        "t.tgisinternal OR (t.tgisinternal AND t.tgenabled = 'D'))\nORDER BY 1;"),
                         oidParam);
        if (!trg)
            return trg.error();
        const char *heads[] = {"Triggers:", "Disabled user triggers:", "Disabled internal triggers:", "Triggers firing always:",
                               "Triggers firing on replica only:"};
        for (int c = 0; c <= 4; ++c) {
            bool heading = false;
            for (const Row &r : *trg) {
                const QString en = r.text(2);
                const bool internal = r.flag(3);
                bool list = false;
                switch (c) {
                case 0: list = en == QLatin1String("O") || en == QLatin1String("t"); break;
                case 1: list = (en == QLatin1String("D") || en == QLatin1String("f")) && !internal; break;
                case 2: list = (en == QLatin1String("D") || en == QLatin1String("f")) && internal; break;
                case 3: list = en == QLatin1String("A"); break;
                case 4: list = en == QLatin1String("R"); break;
                }
                if (!list)
                    continue;
                if (!heading) {
                    t.footers.append(QString::fromLatin1(heads[c]));
                    heading = true;
                }
                QString def = r.text(1);
                const qsizetype pos = def.indexOf(QStringLiteral(" TRIGGER "));
                if (pos >= 0)
                    def = def.mid(pos + 9);
                QString line = QStringLiteral("    ") + def;
                if (!r.isNull(4))
                    line += QStringLiteral(", ON TABLE %1").arg(r.text(4));
                t.footers.append(line);
            }
        }
    }

    if (QStringLiteral("rmfpIt").contains(relkind)) {
        const bool partitioned = relkind == QLatin1Char('p') || relkind == QLatin1Char('I');
        if (relkind == QLatin1Char('f')) {
            auto srv = query(QStringLiteral("SELECT s.srvname,\n  pg_catalog.array_to_string(ARRAY(\n    SELECT "
                                            "pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value)\n"
                                            "    FROM pg_catalog.pg_options_to_table(ftoptions)),  ', ')\nFROM "
                                            "pg_catalog.pg_foreign_table f,\n     pg_catalog.pg_foreign_server s\nWHERE f.ftrelid "
                                            "= CAST(? AS pg_catalog.oid) AND s.oid = f.ftserver;"),
                             oidParam);
            if (!srv)
                return srv.error();
            if (srv->size() == 1) {
                t.footers.append(QStringLiteral("Server: %1").arg(srv->first().text(0)));
                if (!srv->first().text(1).isEmpty())
                    t.footers.append(QStringLiteral("FDW options: (%1)").arg(srv->first().text(1)));
            }
        }
        auto inh = query(QStringLiteral("SELECT c.oid::pg_catalog.regclass::pg_catalog.text\nFROM pg_catalog.pg_class c, "
                                        "pg_catalog.pg_inherits i\nWHERE c.oid = i.inhparent AND i.inhrelid = CAST(? AS "
                                        "pg_catalog.oid)\n  AND c.relkind != 'p' AND c.relkind != 'I'\nORDER BY inhseqno;"),
                         oidParam);
        if (!inh)
            return inh.error();
        for (qsizetype i = 0; i < inh->size(); ++i) {
            QString line = i == 0 ? QStringLiteral("Inherits: %1").arg(inh->at(i).text(0))
                                  : QString(8, QLatin1Char(' ')) + QStringLiteral("  ") + inh->at(i).text(0);
            if (i < inh->size() - 1)
                line += QLatin1Char(',');
            t.footers.append(line);
        }
        auto children = query(QStringLiteral("SELECT c.oid::pg_catalog.regclass::pg_catalog.text, c.relkind, inhdetachpending, "
                                             "pg_catalog.pg_get_expr(c.relpartbound, c.oid)\nFROM pg_catalog.pg_class c, "
                                             "pg_catalog.pg_inherits i\nWHERE c.oid = i.inhrelid AND i.inhparent = CAST(? AS "
                                             "pg_catalog.oid)\nORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = "
                                             "'DEFAULT', c.oid::pg_catalog.regclass::pg_catalog.text;"),
                              oidParam);
        if (!children)
            return children.error();
        const qsizetype nc = children->size();
        if (partitioned && nc == 0) {
            t.footers.append(QStringLiteral("Number of partitions: 0"));
        } else if (!verbose) {
            if (nc > 0)
                t.footers.append(partitioned ? QStringLiteral("Number of partitions: %1 (Use \\d+ to list them.)").arg(nc)
                                             : QStringLiteral("Number of child tables: %1 (Use \\d+ to list them.)").arg(nc));
        } else {
            const QString ct = partitioned ? QStringLiteral("Partitions") : QStringLiteral("Child tables");
            for (qsizetype i = 0; i < nc; ++i) {
                const Row &r = children->at(i);
                QString line = i == 0 ? QStringLiteral("%1: %2").arg(ct, r.text(0))
                                      : QString(ct.size(), QLatin1Char(' ')) + QStringLiteral("  ") + r.text(0);
                if (!r.isNull(3))
                    line += QLatin1Char(' ') + r.text(3);
                if (r.text(1) == QLatin1String("p") || r.text(1) == QLatin1String("I"))
                    line += QStringLiteral(", PARTITIONED");
                else if (r.text(1) == QLatin1String("f"))
                    line += QStringLiteral(", FOREIGN"); // psql 16 and newer
                if (r.flag(2))
                    line += QStringLiteral(" (DETACH PENDING)");
                if (i < nc - 1)
                    line += QLatin1Char(',');
                t.footers.append(line);
            }
        }
        if (!reloftype.isEmpty())
            t.footers.append(QStringLiteral("Typed table of type: %1").arg(reloftype));
        if (verbose && (relkind == QLatin1Char('r') || relkind == QLatin1Char('m')) && replident != QLatin1Char('i')
            && ((schema != QLatin1String("pg_catalog") && replident != QLatin1Char('d'))
                || (schema == QLatin1String("pg_catalog") && replident != QLatin1Char('n')))) {
            t.footers.append(QStringLiteral("Replica Identity: %1")
                                 .arg(replident == QLatin1Char('f')   ? QStringLiteral("FULL")
                                      : replident == QLatin1Char('n') ? QStringLiteral("NOTHING")
                                                                      : QStringLiteral("???")));
        }
        auto ok = addTablespaceFooter(t, tablespace, true);
        if (!ok)
            return ok.error();
        if (verbose && !relam.isEmpty())
            t.footers.append(QStringLiteral("Access method: %1").arg(relam));
    }
    if (verbose && !reloptions.isEmpty())
        t.footers.append(QStringLiteral("Options: %1").arg(reloptions));
    return t.render();
}

} // namespace retort::core
