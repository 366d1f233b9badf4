// `retort describe --create NAME` for SQLite and PostgreSQL: the DDL each database lets
// Retort state for a relation. (MySQL answers with its own SHOW CREATE text, in
// mysqlinspector.cpp.)
#include "inspect/namepattern.h"
#include "inspect/pginspector.h"
#include "inspect/sqliteinspector.h"

#include <QRegularExpression>

namespace retort::core {

Result<QString> SqliteInspector::createStatements(const QString &pattern)
{
    DescribeCommand cmd;
    cmd.hasPattern = true;
    cmd.pattern = pattern;
    const PatternParts p = patternToRegex(pattern, 2);
    if (p.dots >= 2)
        return makeError(Error::Code::Refused, QStringLiteral("improper qualified name (too many dotted names): %1").arg(pattern));
    const QRegularExpression nameRe(p.parts.last());
    if (p.parts.size() == 2 && !QRegularExpression(p.parts.first()).match(QStringLiteral("main")).hasMatch())
        return cmd.notFound();
    auto all = master();
    if (!all)
        return all.error();
    QString out;
    for (const Master &m : *all) {
        if ((m.type != QLatin1String("table") && m.type != QLatin1String("view")) || !nameRe.match(m.name).hasMatch())
            continue;
        if (!out.isEmpty())
            out += QLatin1Char('\n');
        out += m.sql + QStringLiteral(";\n");
        // Its indexes and triggers, as sqlite3's .schema prints them (automatic indexes have no SQL).
        for (const Master &dep : *all) {
            if (dep.table == m.name && dep.name != m.name && !dep.sql.isEmpty()
                && (dep.type == QLatin1String("index") || dep.type == QLatin1String("trigger")))
                out += dep.sql + QStringLiteral(";\n");
        }
    }
    if (out.isEmpty())
        return cmd.notFound();
    return out;
}

Result<QString> PgInspector::createStatements(const QString &pattern)
{
    DescribeCommand cmd;
    cmd.hasPattern = true;
    cmd.pattern = pattern;
    QString sql = QStringLiteral(
        "SELECT c.oid::pg_catalog.int8, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), "
        "c.relkind, c.relpersistence, c.relispartition,\n"
        "  CASE WHEN c.relispartition THEN (SELECT pg_catalog.quote_ident(pn.nspname) || '.' || "
        "pg_catalog.quote_ident(pc.relname) || ' ' || pg_catalog.pg_get_expr(c.relpartbound, c.oid) FROM "
        "pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON "
        "pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid) END,\n"
        "  CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,\n"
        "  CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END\n"
        "FROM pg_catalog.pg_class c\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
        "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')\n"
        // An identity column's sequence is created by its table's statement.
        "  AND (c.relkind <> 'S' OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
        "'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'i'))\n");
    // The catalogs' own tables only when the pattern names their schema.
    if (!pattern.contains(QLatin1Char('.')))
        sql += QStringLiteral("  AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema'\n");
    QVariantList params;
    auto ok = namePattern(sql, params, cmd, true, QStringLiteral("n.nspname"), QStringLiteral("c.relname"),
                          QStringLiteral("pg_catalog.pg_table_is_visible(c.oid)"), 2);
    if (!ok)
        return ok.error();
    // Sequences before the tables whose defaults use them, partitions after their parents,
    // views last: the text of several relations runs as a script (foreign keys between
    // tables still follow name order).
    sql += QStringLiteral("ORDER BY CASE WHEN c.relkind = 'S' THEN 0 WHEN c.relkind IN ('v', 'm') THEN 3 WHEN c.relispartition "
                          "THEN 2 ELSE 1 END, n.nspname, c.relname;");
    auto rels = query(sql, params);
    if (!rels)
        return rels.error();
    QString out;
    for (const Row &rel : *rels) {
        const QString oid = rel.text(0);
        const QString name = rel.text(1);
        const QString kind = rel.text(2);
        QString ddl;
        if (kind == QLatin1String("v") || kind == QLatin1String("m")) {
            ddl = QStringLiteral("CREATE %1VIEW %2 AS\n%3\n")
                      .arg(kind == QLatin1String("m") ? QStringLiteral("MATERIALIZED ") : QString(), name, rel.text(7));
        } else if (kind == QLatin1String("S")) {
            auto seq = query(QStringLiteral("SELECT pg_catalog.format_type(seqtypid, NULL), seqstart, seqincrement, seqmin, seqmax, "
                                            "seqcache, seqcycle FROM pg_catalog.pg_sequence WHERE seqrelid = %1")
                                 .arg(oid));
            if (!seq)
                return seq.error();
            if (seq->isEmpty())
                continue;
            const Row &s = seq->first();
            ddl = QStringLiteral("CREATE SEQUENCE %1\n    AS %2\n    START WITH %3\n    INCREMENT BY %4\n    MINVALUE %5\n"
                                 "    MAXVALUE %6\n    CACHE %7%8;\n")
                      .arg(name, s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5),
                           s.flag(6) ? QStringLiteral("\n    CYCLE") : QString());
        } else {
            const QString persistence = rel.text(3) == QLatin1String("u")   ? QStringLiteral("UNLOGGED ")
                                        : rel.text(3) == QLatin1String("t") ? QStringLiteral("TEMPORARY ")
                                                                            : QString();
            QStringList items;
            if (!rel.flag(4)) {
                auto cols = query(QStringLiteral(
                    "SELECT pg_catalog.quote_ident(a.attname), pg_catalog.format_type(a.atttypid, a.atttypmod),\n"
                    "  CASE WHEN a.attcollation <> t.typcollation THEN pg_catalog.quote_ident(cn.nspname) || '.' || "
                    "pg_catalog.quote_ident(co.collname) END,\n"
                    "  pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attnotnull, a.attidentity, a.attgenerated\n"
                    "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid\n"
                    "  LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation\n"
                    "  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace\n"
                    "  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum\n"
                    "WHERE a.attrelid = %1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")
                                      .arg(oid));
                if (!cols)
                    return cols.error();
                for (const Row &c : *cols) {
                    QString item = QStringLiteral("    %1 %2").arg(c.text(0), c.text(1));
                    if (!c.isNull(2))
                        item += QStringLiteral(" COLLATE ") + c.text(2);
                    if (c.text(6) == QLatin1String("s"))
                        item += QStringLiteral(" GENERATED ALWAYS AS (%1) STORED").arg(c.text(3));
                    else if (c.text(5) == QLatin1String("a"))
                        item += QStringLiteral(" GENERATED ALWAYS AS IDENTITY");
                    else if (c.text(5) == QLatin1String("d"))
                        item += QStringLiteral(" GENERATED BY DEFAULT AS IDENTITY");
                    else if (!c.isNull(3))
                        item += QStringLiteral(" DEFAULT ") + c.text(3);
                    if (c.flag(4))
                        item += QStringLiteral(" NOT NULL");
                    items.append(item);
                }
            }
            // Constraints a partition inherits from its parent are stated by the parent.
            auto cons = query(QStringLiteral("SELECT pg_catalog.quote_ident(conname), pg_catalog.pg_get_constraintdef(oid, true) "
                                             "FROM pg_catalog.pg_constraint WHERE conrelid = %1 AND contype IN ('p', 'u', 'c', "
                                             "'x', 'f') AND conislocal ORDER BY CASE contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 "
                                             "WHEN 'c' THEN 2 WHEN 'x' THEN 3 ELSE 4 END, conname")
                                  .arg(oid));
            if (!cons)
                return cons.error();
            for (const Row &c : *cons)
                items.append(QStringLiteral("    CONSTRAINT %1 %2").arg(c.text(0), c.text(1)));
            if (rel.flag(4)) {
                const QString parent = rel.text(5).section(QLatin1Char(' '), 0, 0);
                const QString bound = rel.text(5).section(QLatin1Char(' '), 1);
                ddl = items.isEmpty() ? QStringLiteral("CREATE %1TABLE %2 PARTITION OF %3 %4;\n").arg(persistence, name, parent, bound)
                                      : QStringLiteral("CREATE %1TABLE %2 PARTITION OF %3 (\n%4\n) %5;\n")
                                            .arg(persistence, name, parent, items.join(QStringLiteral(",\n")), bound);
            } else {
                ddl = QStringLiteral("CREATE %1TABLE %2 (\n%3\n)").arg(persistence, name, items.join(QStringLiteral(",\n")));
                if (kind == QLatin1String("p"))
                    ddl += QStringLiteral("\nPARTITION BY ") + rel.text(6);
                ddl += QStringLiteral(";\n");
            }
            // Sequences owned by a column (serial), as pg_dump ties them.
            auto owned = query(QStringLiteral("SELECT pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(s.relname), "
                                              "pg_catalog.quote_ident(a.attname) FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s "
                                              "ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_catalog.pg_namespace sn ON sn.oid = "
                                              "s.relnamespace JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = "
                                              "d.refobjsubid WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND "
                                              "d.refobjid = %1 AND d.deptype = 'a' ORDER BY 1")
                                   .arg(oid));
            if (!owned)
                return owned.error();
            for (const Row &o : *owned)
                ddl += QStringLiteral("ALTER SEQUENCE %1 OWNED BY %2.%3;\n").arg(o.text(0), name, o.text(1));
            // Indexes that no constraint owns, and the table's own triggers.
            auto extra = query(QStringLiteral("SELECT pg_catalog.pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i JOIN "
                                              "pg_catalog.pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = %1 AND NOT "
                                              "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid "
                                              "AND k.conrelid = i.indrelid) ORDER BY ic.relname")
                                   .arg(oid));
            if (!extra)
                return extra.error();
            for (const Row &x : *extra)
                ddl += x.text(0) + QStringLiteral(";\n");
            auto trig = query(QStringLiteral("SELECT pg_catalog.pg_get_triggerdef(oid, true) FROM pg_catalog.pg_trigger WHERE "
                                             "tgrelid = %1 AND NOT tgisinternal AND tgparentid = 0 ORDER BY tgname")
                                  .arg(oid));
            if (!trig)
                return trig.error();
            for (const Row &x : *trig)
                ddl += x.text(0) + QStringLiteral(";\n");
        }
        if (!out.isEmpty())
            out += QLatin1Char('\n');
        out += ddl;
    }
    if (out.isEmpty())
        return cmd.notFound();
    return out;
}

} // namespace retort::core
