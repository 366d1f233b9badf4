// PostgreSQL's schema as a SchemaSnapshot, from the catalogs: one query per kind of object
// over every user schema (not one per table), with the server's own deparsers
// (format_type, pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef,
// pg_get_triggerdef) so the text is what psql's \d shows.
#include "schema/snapshotreaders.h"

#include <map>

namespace retort::core {

namespace {

// Relations and types outside the system schemas, and not owned by an extension.
const char *kUserNamespace =
    "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp\\_%' "
    "AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'";

QString str(const QVariant &v)
{
    return v.isNull() ? QString() : v.toString();
}

QStringList split(const QVariant &v)
{
    return v.isNull() ? QStringList() : v.toString().split(QChar(0x1f));
}

} // namespace

Result<SchemaSnapshot> readPgSnapshot(const QSqlDatabase &db, const SchemaSnapshot::ReadOptions &options)
{
    SchemaSnapshot snap;
    snap.dialect = QStringLiteral("postgresql");
    const QString ns = QString::fromLatin1(kUserNamespace);
    const QString notExtension = QStringLiteral(
        "NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '%1'::regclass AND dep.objid = %2 AND dep.deptype = 'e')");

    auto schemas = snapshotQuery(db, QStringLiteral("SELECT n.nspname FROM pg_namespace n WHERE %1 AND %2 ORDER BY 1")
                                         .arg(ns, notExtension.arg(QStringLiteral("pg_namespace"), QStringLiteral("n.oid"))));
    if (!schemas)
        return schemas.error();
    for (const QVariantList &r : *schemas)
        snap.schemas.append(r[0].toString());

    // The version table: in its configured schema, or wherever the search path finds it.
    const QString versionSchemaTest = options.versionTableSchema.isEmpty()
                                          ? QStringLiteral("pg_catalog.pg_table_is_visible(c.oid)")
                                          : QStringLiteral("n.nspname = ?");
    QVariantList versionParams{options.versionTable};
    if (!options.versionTableSchema.isEmpty())
        versionParams.append(options.versionTableSchema);
    const QString relations = QStringLiteral(
        "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE %1 AND %2 "
        "AND c.relkind IN ('r', 'p', 'f') AND NOT (c.relname = ? AND %3)")
                                  .arg(ns, notExtension.arg(QStringLiteral("pg_class"), QStringLiteral("c.oid")), versionSchemaTest);

    auto tables = snapshotQuery(db, QStringLiteral("SELECT c.oid, n.nspname, c.relname, c.relkind FROM pg_class c "
                                                   "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid IN (%1)")
                                        .arg(relations),
                                versionParams);
    if (!tables)
        return tables.error();
    std::map<qlonglong, qsizetype> byOid;
    for (const QVariantList &r : *tables) {
        SchemaTable t;
        t.schema = r[1].toString();
        t.name = r[2].toString();
        const QString kind = r[3].toString();
        t.kind = kind == QLatin1String("p") ? QStringLiteral("partitioned table")
                 : kind == QLatin1String("f") ? QStringLiteral("foreign table")
                                              : QStringLiteral("table");
        byOid[r[0].toLongLong()] = snap.tables.size();
        snap.tables.append(t);
    }
    auto tableOf = [&](const QVariant &oid) -> SchemaTable * {
        auto it = byOid.find(oid.toLongLong());
        return it == byOid.end() ? nullptr : &snap.tables[it->second];
    };

    auto columns = snapshotQuery(
        db, QStringLiteral("SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                           "pg_catalog.pg_get_expr(d.adbin, d.adrelid, true), a.attidentity, a.attgenerated, "
                           "CASE WHEN a.attcollation <> t.typcollation THEN co.collname END "
                           "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                           "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                           "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
                           "WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid IN (%1) ORDER BY a.attrelid, a.attnum")
                .arg(relations),
        versionParams);
    if (!columns)
        return columns.error();
    for (const QVariantList &r : *columns) {
        SchemaTable *t = tableOf(r[0]);
        if (!t)
            continue;
        SchemaColumn c;
        c.name = r[1].toString();
        c.type = r[2].toString();
        c.nullable = !r[3].toBool();
        const QString expr = str(r[4]);
        const QString generated = str(r[6]);
        if (generated == QLatin1String("s"))
            c.generated = expr + QStringLiteral(" stored");
        else
            c.defaultValue = expr;
        const QString identity = str(r[5]);
        c.identity = identity == QLatin1String("a") ? QStringLiteral("always") : identity == QLatin1String("d") ? QStringLiteral("by default") : QString();
        c.collation = str(r[7]);
        t->columns.append(c);
    }

    auto constraints = snapshotQuery(
        db, QStringLiteral("SELECT c.conrelid, c.conname, c.contype, pg_catalog.pg_get_constraintdef(c.oid, true), "
                           "(SELECT string_agg(a.attname, E'\\x1f' ORDER BY k.o) FROM unnest(c.conkey) WITH ORDINALITY k(n, o) "
                           " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) "
                           "FROM pg_constraint c WHERE c.conrelid IN (%1) AND c.contype IN ('p', 'u', 'c', 'f', 'x')")
                .arg(relations),
        versionParams);
    if (!constraints)
        return constraints.error();
    for (const QVariantList &r : *constraints) {
        SchemaTable *t = tableOf(r[0]);
        if (!t)
            continue;
        SchemaConstraint c;
        c.name = r[1].toString();
        const QString type = r[2].toString();
        c.kind = type == QLatin1String("p")   ? SchemaConstraint::Kind::PrimaryKey
                 : type == QLatin1String("u") ? SchemaConstraint::Kind::Unique
                 : type == QLatin1String("f") ? SchemaConstraint::Kind::ForeignKey
                 : type == QLatin1String("x") ? SchemaConstraint::Kind::Exclusion
                                              : SchemaConstraint::Kind::Check;
        c.columns = split(r[4]);
        QString def = r[3].toString();
        // The columns are listed already; keep what the definition adds.
        if (c.kind == SchemaConstraint::Kind::ForeignKey && def.startsWith(QLatin1String("FOREIGN KEY")))
            def = def.mid(def.indexOf(QLatin1String("REFERENCES")));
        if (c.kind == SchemaConstraint::Kind::PrimaryKey || c.kind == SchemaConstraint::Kind::Unique) {
            const qsizetype close = def.indexOf(QLatin1Char(')'));
            def = close >= 0 ? def.mid(close + 1).trimmed() : QString();
        }
        if (c.kind == SchemaConstraint::Kind::Check)
            c.columns.clear();
        c.definition = def;
        t->constraints.append(c);
    }

    auto indexes = snapshotQuery(
        db, QStringLiteral("SELECT i.indrelid, ic.relname, i.indisunique, am.amname, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), "
                           "(SELECT string_agg(pg_catalog.pg_get_indexdef(i.indexrelid, k, true), E'\\x1f' ORDER BY k) "
                           " FROM generate_series(1, i.indnkeyatts) k) "
                           "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam "
                           "WHERE i.indrelid IN (%1) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
                           "AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))")
                .arg(relations),
        versionParams);
    if (!indexes)
        return indexes.error();
    for (const QVariantList &r : *indexes) {
        SchemaTable *t = tableOf(r[0]);
        if (!t)
            continue;
        SchemaIndex i;
        i.name = r[1].toString();
        i.unique = r[2].toBool();
        i.method = r[3].toString();
        i.predicate = str(r[4]);
        i.columns = split(r[5]);
        t->indexes.append(i);
    }

    auto triggers = snapshotQuery(db, QStringLiteral("SELECT tgrelid, tgname, pg_catalog.pg_get_triggerdef(oid, true) FROM pg_trigger "
                                                     "WHERE NOT tgisinternal AND tgrelid IN (%1)")
                                          .arg(relations),
                                  versionParams);
    if (!triggers)
        return triggers.error();
    for (const QVariantList &r : *triggers)
        if (SchemaTable *t = tableOf(r[0]))
            t->triggers.append({r[1].toString(), r[2].toString()});

    auto views = snapshotQuery(db, QStringLiteral("SELECT n.nspname, c.relname, c.relkind, pg_catalog.pg_get_viewdef(c.oid, true) "
                                                  "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                                  "WHERE %1 AND %2 AND c.relkind IN ('v', 'm')")
                                       .arg(ns, notExtension.arg(QStringLiteral("pg_class"), QStringLiteral("c.oid"))));
    if (!views)
        return views.error();
    for (const QVariantList &r : *views)
        snap.views.append({r[0].toString(), r[1].toString(), r[2].toString() == QLatin1String("m"), r[3].toString().trimmed()});

    auto sequences = snapshotQuery(
        db, QStringLiteral("SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, "
                           "s.seqmin, s.seqmax, s.seqcycle, "
                           "(SELECT tc.relname || '.' || a.attname FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid "
                           " JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
                           " WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass "
                           " AND d.deptype IN ('a', 'i') LIMIT 1) "
                           "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE %1 AND %2")
                .arg(ns, notExtension.arg(QStringLiteral("pg_class"), QStringLiteral("c.oid"))));
    if (!sequences)
        return sequences.error();
    for (const QVariantList &r : *sequences) {
        SchemaSequence s;
        s.schema = r[0].toString();
        s.name = r[1].toString();
        s.type = r[2].toString();
        s.start = r[3].toLongLong();
        s.increment = r[4].toLongLong();
        s.minimum = r[5].toLongLong();
        s.maximum = r[6].toLongLong();
        s.cycle = r[7].toBool();
        s.ownedBy = str(r[8]);
        // The version table's own sequences (none in Alembic's layout) go with it.
        if (s.ownedBy.startsWith(options.versionTable + QLatin1Char('.')))
            continue;
        snap.sequences.append(s);
    }

    // A domain's checks only: PostgreSQL 17 also keeps its NOT NULL in pg_constraint (contype
    // 'n'), which typnotnull already says; psql's \dD reads the same way.
    auto types = snapshotQuery(
        db, QStringLiteral("SELECT n.nspname, t.typname, t.typtype, "
                           "(SELECT string_agg(e.enumlabel, E'\\x1f' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), "
                           "pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault, "
                           "(SELECT string_agg(pg_catalog.pg_get_constraintdef(k.oid, true), E'\\x1f' ORDER BY k.conname) "
                           " FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c') "
                           "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE %1 AND %2 AND t.typtype IN ('e', 'd')")
                .arg(ns, notExtension.arg(QStringLiteral("pg_type"), QStringLiteral("t.oid"))));
    if (!types)
        return types.error();
    for (const QVariantList &r : *types) {
        if (r[2].toString() == QLatin1String("e")) {
            snap.enums.append({r[0].toString(), r[1].toString(), split(r[3])});
        } else {
            SchemaDomain d;
            d.schema = r[0].toString();
            d.name = r[1].toString();
            d.type = r[4].toString();
            d.nullable = !r[5].toBool();
            d.defaultValue = str(r[6]);
            d.checks = split(r[7]);
            snap.domains.append(d);
        }
    }
    snap.normalize();
    return snap;
}

} // namespace retort::core
