// The list commands of the PostgreSQL inspector: \d, \dt, \di, \dv, \dm, \ds (listTables in
// psql's describe.c), \dn (listSchemas), \dD (listDomains), \dx and \dx+ (listExtensions,
// listExtensionContents), and the object tree.
#include "pginspector.h"

namespace retort::core {

namespace {

const char *relkindWord(const QString &k)
{
    switch (k.isEmpty() ? ' ' : k.at(0).toLatin1()) {
    case 'r': return "table";
    case 'v': return "view";
    case 'm': return "materialized view";
    case 'i': return "index";
    case 'S': return "sequence";
    case 't': return "TOAST table";
    case 'f': return "foreign table";
    case 'p': return "partitioned table";
    case 'I': return "partitioned index";
    }
    return "";
}

} // namespace

PsqlTable PgInspector::listTable(const QString &title, const QStringList &headers, const QList<Row> &rows)
{
    PsqlTable t;
    t.title = title;
    t.headers = headers;
    t.aligns = QString(headers.size(), QLatin1Char('l'));
    t.defaultFooter = true;
    t.rows = cellsOf(rows, int(headers.size()));
    return t;
}

Result<QString> PgInspector::listTables(const DescribeCommand &cmd)
{
    const QString types = cmd.types;
    bool showTables = types.contains(QLatin1Char('t')), showIndexes = types.contains(QLatin1Char('i')),
         showViews = types.contains(QLatin1Char('v')), showMatViews = types.contains(QLatin1Char('m')),
         showSeq = types.contains(QLatin1Char('s')), showForeign = types.contains(QLatin1Char('E'));
    if (!(showTables || showIndexes || showViews || showMatViews || showSeq || showForeign))
        showTables = showViews = showMatViews = showSeq = showForeign = true;
    const bool verbose = cmd.verbose;
    QString sql = QStringLiteral(
        "SELECT n.nspname as \"Schema\",\n  c.relname as \"Name\",\n  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN "
        "'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' "
        "WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as \"Type\",\n"
        "  pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\"");
    QStringList headers{QStringLiteral("Schema"), QStringLiteral("Name"), QStringLiteral("Type"), QStringLiteral("Owner")};
    if (showIndexes) {
        sql += QStringLiteral(",\n  c2.relname as \"Table\"");
        headers << QStringLiteral("Table");
    }
    const bool am = showTables || showMatViews || showIndexes;
    if (verbose) {
        sql += QStringLiteral(",\n  CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' WHEN 'u' THEN "
                              "'unlogged' END as \"Persistence\"");
        headers << QStringLiteral("Persistence");
        if (am) {
            sql += QStringLiteral(",\n  am.amname as \"Access method\"");
            headers << QStringLiteral("Access method");
        }
        sql += QStringLiteral(",\n  pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) as \"Size\",\n  "
                              "pg_catalog.obj_description(c.oid, 'pg_class') as \"Description\"");
        headers << QStringLiteral("Size") << QStringLiteral("Description");
    }
    sql += QStringLiteral("\nFROM pg_catalog.pg_class c\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace");
    if (am)
        sql += QStringLiteral("\n     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam");
    if (showIndexes)
        sql += QStringLiteral("\n     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid\n     LEFT JOIN pg_catalog.pg_class "
                              "c2 ON i.indrelid = c2.oid");
    QString kinds;
    if (showTables) {
        kinds += QStringLiteral("'r','p',");
        // with S or a pattern, t also finds TOAST tables
        if (cmd.system || cmd.hasPattern)
            kinds += QStringLiteral("'t',");
    }
    if (showViews)
        kinds += QStringLiteral("'v',");
    if (showMatViews)
        kinds += QStringLiteral("'m',");
    if (showIndexes)
        kinds += QStringLiteral("'i','I',");
    if (showSeq)
        kinds += QStringLiteral("'S',");
    if (cmd.system || cmd.hasPattern)
        kinds += QStringLiteral("'s',");
    if (showForeign)
        kinds += QStringLiteral("'f',");
    kinds += QStringLiteral("''");
    sql += QStringLiteral("\nWHERE c.relkind IN (%1)\n").arg(kinds);
    if (!cmd.system && !cmd.hasPattern)
        sql += QStringLiteral("      AND n.nspname <> 'pg_catalog'\n      AND n.nspname !~ '^pg_toast'\n      AND n.nspname <> "
                              "'information_schema'\n");
    auto rows = queryMatching(sql, cmd, true, QStringLiteral("n.nspname"), QStringLiteral("c.relname"),
                              QStringLiteral("pg_catalog.pg_table_is_visible(c.oid)"), 3,
                              QStringLiteral("ORDER BY 1,2;"));
    if (!rows)
        return rows.error();
    if (rows->isEmpty()) {
        return cmd.notFound();
    }
    PsqlTable t = listTable(QStringLiteral("List of relations"), headers, *rows);
    return t.render();
}

Result<QString> PgInspector::listSchemas(const DescribeCommand &cmd)
{
    QString sql = QStringLiteral("SELECT n.nspname AS \"Name\",\n  pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\"");
    QStringList headers{QStringLiteral("Name"), QStringLiteral("Owner")};
    if (cmd.verbose) {
        sql += QStringLiteral(",\n  pg_catalog.array_to_string(n.nspacl, E'\\n') AS \"Access privileges\",\n  "
                              "pg_catalog.obj_description(n.oid, 'pg_namespace') AS \"Description\"");
        headers << QStringLiteral("Access privileges") << QStringLiteral("Description");
    }
    sql += QStringLiteral("\nFROM pg_catalog.pg_namespace n\n");
    const bool userOnly = !cmd.system && !cmd.hasPattern;
    if (userOnly)
        sql += QStringLiteral("WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'\n");
    auto rows = queryMatching(sql, cmd, userOnly, QString(), QStringLiteral("n.nspname"), QString(), 2,
                              QStringLiteral("ORDER BY 1;"));
    if (!rows)
        return rows.error();
    PsqlTable t = listTable(QStringLiteral("List of schemas"), headers, *rows);
    if (cmd.hasPattern) {
        auto pubs = query(QStringLiteral("SELECT pubname \nFROM pg_catalog.pg_publication p\n     JOIN "
                                         "pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid\n     JOIN "
                                         "pg_catalog.pg_namespace n ON n.oid = pn.pnnspid \nWHERE n.nspname = ?\nORDER BY 1"),
                          {cmd.pattern});
        if (!pubs)
            return pubs.error();
        if (!pubs->isEmpty()) {
            t.footers.append(QStringLiteral("Publications:"));
            for (const Row &r : *pubs)
                t.footers.append(QStringLiteral("    \"%1\"").arg(r.text(0)));
        }
    }
    return t.render();
}

Result<QString> PgInspector::listDomains(const DescribeCommand &cmd)
{
    // psql 17's: a PostgreSQL 17 server keeps a domain's NOT NULL in pg_constraint too, and the
    // CHECKs are listed by name.
    QString sql = QStringLiteral(
        "SELECT n.nspname as \"Schema\",\n       t.typname as \"Name\",\n       pg_catalog.format_type(t.typbasetype, "
        "t.typtypmod) as \"Type\",\n       (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type bt\n"
        "        WHERE c.oid = t.typcollation AND bt.oid = t.typbasetype AND t.typcollation <> bt.typcollation) as "
        "\"Collation\",\n       CASE WHEN t.typnotnull THEN 'not null' END as \"Nullable\",\n       t.typdefault as "
        "\"Default\",\n       pg_catalog.array_to_string(ARRAY(\n         SELECT pg_catalog.pg_get_constraintdef(r.oid, "
        "true) FROM pg_catalog.pg_constraint r WHERE t.oid = r.contypid AND r.contype = 'c' ORDER BY r.conname\n       ), ' ') as \"Check\"");
    QStringList headers{QStringLiteral("Schema"),   QStringLiteral("Name"),    QStringLiteral("Type"), QStringLiteral("Collation"),
                        QStringLiteral("Nullable"), QStringLiteral("Default"), QStringLiteral("Check")};
    if (cmd.verbose) {
        sql += QStringLiteral(",\n  pg_catalog.array_to_string(t.typacl, E'\\n') AS \"Access privileges\",\n       "
                              "d.description as \"Description\"");
        headers << QStringLiteral("Access privileges") << QStringLiteral("Description");
    }
    sql += QStringLiteral("\nFROM pg_catalog.pg_type t\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n");
    if (cmd.verbose)
        sql += QStringLiteral("     LEFT JOIN pg_catalog.pg_description d ON d.classoid = t.tableoid AND d.objoid = t.oid AND "
                              "d.objsubid = 0\n");
    sql += QStringLiteral("WHERE t.typtype = 'd'\n");
    if (!cmd.system && !cmd.hasPattern)
        sql += QStringLiteral("      AND n.nspname <> 'pg_catalog'\n      AND n.nspname <> 'information_schema'\n");
    auto rows = queryMatching(sql, cmd, true, QStringLiteral("n.nspname"), QStringLiteral("t.typname"),
                              QStringLiteral("pg_catalog.pg_type_is_visible(t.oid)"), 3,
                              QStringLiteral("ORDER BY 1, 2;"));
    if (!rows)
        return rows.error();
    PsqlTable t = listTable(QStringLiteral("List of domains"), headers, *rows);
    return t.render();
}

Result<QString> PgInspector::listExtensions(const DescribeCommand &cmd)
{
    QString sql = cmd.verbose ? QStringLiteral("SELECT e.extname, e.oid::pg_catalog.int8\nFROM pg_catalog.pg_extension e\n")
                              : QStringLiteral("SELECT e.extname AS \"Name\", e.extversion AS \"Version\", n.nspname AS "
                                               "\"Schema\", c.description AS \"Description\"\nFROM pg_catalog.pg_extension e "
                                               "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace LEFT JOIN "
                                               "pg_catalog.pg_description c ON c.objoid = e.oid AND c.classoid = "
                                               "'pg_catalog.pg_extension'::pg_catalog.regclass\n");
    auto rows = queryMatching(sql, cmd, false, QString(), QStringLiteral("e.extname"), QString(), 1,
                              QStringLiteral("ORDER BY 1;"));
    if (!rows)
        return rows.error();
    if (!cmd.verbose) {
        PsqlTable t = listTable(QStringLiteral("List of installed extensions"),
                                {QStringLiteral("Name"), QStringLiteral("Version"), QStringLiteral("Schema"),
                                 QStringLiteral("Description")},
                                *rows);
        return t.render();
    }
    // \dx+: the objects of each extension, a table apiece.
    if (rows->isEmpty())
        return makeError(Error::Code::Resolution, cmd.hasPattern ? QStringLiteral("Did not find any extension named \"%1\".").arg(cmd.pattern)
                                                                 : QStringLiteral("Did not find any extensions."));
    QString out;
    for (const Row &e : std::as_const(*rows)) {
        auto objects = query(QStringLiteral("SELECT pg_catalog.pg_describe_object(classid, objid, 0) AS \"Object description\"\n"
                                            "FROM pg_catalog.pg_depend\nWHERE refclassid = "
                                            "'pg_catalog.pg_extension'::pg_catalog.regclass AND refobjid = CAST(? AS "
                                            "pg_catalog.oid) AND deptype = 'e'\nORDER BY 1;"),
                             {e.text(1)});
        if (!objects)
            return objects.error();
        PsqlTable t = listTable(QStringLiteral("Objects in extension \"%1\"").arg(e.text(0)),
                                {QStringLiteral("Object description")}, *objects);
        out += t.render();
    }
    return out;
}

Result<QList<DbObject>> PgInspector::objects()
{
    auto rows = query(QStringLiteral(
        "SELECT n.nspname, c.relname, c.relkind, c2.relname\nFROM pg_catalog.pg_class c\n     LEFT JOIN "
        "pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid\n"
        "     LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid\nWHERE c.relkind IN ('r','p','v','m','S','i','I','f')\n"
        "  AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema'\n"
        "ORDER BY 1, 2;"));
    if (!rows)
        return rows.error();
    QList<DbObject> out;
    out.reserve(rows->size());
    for (const Row &r : *rows)
        out.append({r.text(0), r.text(1), QString::fromLatin1(relkindWord(r.text(2))), r.text(3)});
    return out;
}

QStringList PgInspector::schemas()
{
    QStringList out;
    auto rows = query(QStringLiteral("SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname !~ '^pg_' AND n.nspname "
                                     "<> 'information_schema' ORDER BY 1"));
    if (rows)
        for (const Row &r : *rows)
            out.append(r.text(0));
    return out;
}

Result<QStringList> PgInspector::sampleRows(const QString &schema, const QString &table, int limit)
{
    auto rows = query(QStringLiteral("SELECT * FROM %1.%2 LIMIT %3").arg(quoteIdentifier(schema), quoteIdentifier(table), QString::number(limit)));
    if (!rows)
        return rows.error();
    QStringList out;
    for (const Row &r : *rows) {
        QStringList cells;
        for (int i = 0; i < r.values.size(); ++i)
            cells << r.text(i);
        out.append(cells.join(QStringLiteral(" | ")));
    }
    return out;
}

} // namespace retort::core
