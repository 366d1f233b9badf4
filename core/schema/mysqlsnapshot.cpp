// MySQL's and MariaDB's schema as a SchemaSnapshot, from information_schema for the
// connection's current database. The database name itself is left out of every object
// (tables carry an empty schema), so a scratch database on the same server compares equal
// to the project's own when they hold the same schema.
#include "schema/snapshotreaders.h"

#include "db/connection.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <map>

namespace retort::core {

namespace {

Error readError(const QSqlQuery &q, const QString &what)
{
    return makeError(Error::Code::Database,
                     QStringLiteral("Cannot read the %1 of the MySQL database: %2")
                         .arg(what, q.lastError().databaseText().trimmed().section(QLatin1Char('\n'), 0, 0)));
}

QString text(const QSqlQuery &q, int column)
{
    const QVariant v = q.value(column);
    return v.isNull() ? QString() : v.toString();
}

// Every collation's name starts with its character set's ("latin1_swedish_ci"); "binary" is both.
QString charsetOf(const QString &collation)
{
    return collation.section(QLatin1Char('_'), 0, 0);
}

} // namespace

Result<SchemaSnapshot> readMysqlSnapshot(const QSqlDatabase &db, const SchemaSnapshot::ReadOptions &options)
{
    SchemaSnapshot snap;
    snap.dialect = QStringLiteral("mysql");
    const QString version = options.versionTable;
    std::map<QString, SchemaTable> tables;

    QSqlQuery q(db);
    // Each query with its answer deadline (QMYSQL stores a result whole in exec(), so the
    // rows need none); `late` keeps the deadline's error for the failure to report.
    Error late;
    const auto exec = [&](const QString &sql) {
        AnswerDeadline deadline(db);
        const bool ok = q.exec(sql);
        if (deadline.expired())
            late = deadline.error();
        return ok && !late.isValid();
    };
    const auto queryError = [&](const QSqlQuery &query, const QString &what) {
        return late.isValid() ? late : readError(query, what);
    };
    // Character sets and collations are stated where SHOW CREATE TABLE states them: a
    // column's where it is not its table's, a table's where it is not the database's.
    QString databaseCollation;
    if (!exec(QStringLiteral("SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()")))
        return queryError(q, QStringLiteral("default collation"));
    if (q.next())
        databaseCollation = text(q, 0);
    std::map<QString, QString> tableCollations;
    if (!exec(QStringLiteral("SELECT TABLE_NAME, TABLE_TYPE, TABLE_COLLATION FROM information_schema.TABLES "
                               "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")))
        return queryError(q, QStringLiteral("tables"));
    QStringList viewNames;
    while (q.next()) {
        const QString name = text(q, 0);
        if (name == version)
            continue;
        if (text(q, 1) == QLatin1String("VIEW")) {
            viewNames.append(name);
            continue;
        }
        SchemaTable t;
        t.name = name;
        const QString collation = text(q, 2);
        tableCollations[name] = collation;
        if (!collation.isEmpty() && collation != databaseCollation) {
            t.charset = charsetOf(collation);
            t.collation = collation;
        }
        tables.emplace(name, t);
    }

    if (!exec(QStringLiteral("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
                               "GENERATION_EXPRESSION, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
                               "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION")))
        return queryError(q, QStringLiteral("columns"));
    while (q.next()) {
        auto it = tables.find(text(q, 0));
        if (it == tables.end())
            continue;
        SchemaColumn c;
        c.name = text(q, 1);
        c.type = text(q, 2);
        c.nullable = text(q, 3) == QLatin1String("YES");
        c.defaultValue = text(q, 4);
        // MariaDB spells "no default" of a nullable column as the expression NULL.
        if (c.defaultValue == QLatin1String("NULL") && c.nullable)
            c.defaultValue.clear();
        const QString extra = text(q, 5).toLower();
        if (extra.contains(QLatin1String("auto_increment")))
            c.identity = QStringLiteral("auto_increment");
        const QString expression = text(q, 6);
        if (!expression.isEmpty()) {
            const bool stored = extra.contains(QLatin1String("stored")) || extra.contains(QLatin1String("persistent"));
            c.generated = (stored ? QStringLiteral("stored ") : QStringLiteral("virtual ")) + expression;
        }
        const QString collation = text(q, 8);
        if (!collation.isEmpty() && collation != tableCollations[it->first]) {
            c.charset = text(q, 7);
            c.collation = collation;
        }
        it->second.columns.append(c);
    }

    // Primary keys and foreign keys with their columns in key order. A unique constraint is
    // a unique index on MySQL (information_schema lists it twice): it is read as the index.
    if (!exec(QStringLiteral(
            "SELECT tc.TABLE_NAME, tc.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
            "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, rc.UPDATE_RULE, rc.DELETE_RULE "
            "FROM information_schema.TABLE_CONSTRAINTS tc "
            "JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA "
            " AND k.TABLE_NAME = tc.TABLE_NAME AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
            "LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA "
            " AND rc.TABLE_NAME = tc.TABLE_NAME AND rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
            "WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'FOREIGN KEY') "
            "ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION")))
        return queryError(q, QStringLiteral("constraints"));
    struct Key
    {
        SchemaConstraint c;
        QString refTable;
        QStringList refColumns;
        QString onUpdate, onDelete;
    };
    std::map<std::pair<QString, QString>, Key> keys;
    while (q.next()) {
        if (tables.find(text(q, 0)) == tables.end())
            continue;
        Key &k = keys[{text(q, 0), text(q, 1)}];
        const QString type = text(q, 2);
        k.c.kind = type == QLatin1String("PRIMARY KEY") ? SchemaConstraint::Kind::PrimaryKey : SchemaConstraint::Kind::ForeignKey;
        // MySQL names every primary key PRIMARY: a name that says nothing.
        k.c.name = k.c.kind == SchemaConstraint::Kind::PrimaryKey ? QString() : text(q, 1);
        k.c.columns.append(text(q, 3));
        if (k.c.kind == SchemaConstraint::Kind::ForeignKey) {
            const QString refSchema = text(q, 4);
            k.refTable = (refSchema.isEmpty() || refSchema == db.databaseName()) ? text(q, 5) : refSchema + QLatin1Char('.') + text(q, 5);
            k.refColumns.append(text(q, 6));
            k.onUpdate = text(q, 7);
            k.onDelete = text(q, 8);
        }
    }
    for (auto &[where, k] : keys) {
        if (k.c.kind == SchemaConstraint::Kind::ForeignKey) {
            k.c.definition = QStringLiteral("REFERENCES %1(%2)").arg(k.refTable, k.refColumns.join(QStringLiteral(", ")));
            if (!k.onDelete.isEmpty() && k.onDelete != QLatin1String("RESTRICT") && k.onDelete != QLatin1String("NO ACTION"))
                k.c.definition += QStringLiteral(" ON DELETE ") + k.onDelete;
            if (!k.onUpdate.isEmpty() && k.onUpdate != QLatin1String("RESTRICT") && k.onUpdate != QLatin1String("NO ACTION"))
                k.c.definition += QStringLiteral(" ON UPDATE ") + k.onUpdate;
        }
        tables[where.first].constraints.append(k.c);
    }

    // CHECK constraints (MariaDB 10.2+, MySQL 8.0.16+). MariaDB names a column's CHECK after
    // the column and scopes names per table, hence the TABLE_NAME it adds; MySQL has none.
    const QString checksMariadb = QStringLiteral(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME");
    const QString checksMysql = QStringLiteral(
        "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM information_schema.TABLE_CONSTRAINTS tc "
        "JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA "
        " AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
        "WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK' ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME");
    if (exec(checksMariadb) || exec(checksMysql)) {
        while (q.next()) {
            auto it = tables.find(text(q, 0));
            if (it == tables.end())
                continue;
            SchemaConstraint c;
            c.kind = SchemaConstraint::Kind::Check;
            c.name = text(q, 1);
            c.definition = text(q, 2);
            it->second.constraints.append(c);
        }
    }
    if (late.isValid())
        return late;

    // Indexes other than the primary key; a prefix index names its length: "title(20)".
    if (!exec(QStringLiteral("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE "
                               "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' "
                               "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX")))
        return queryError(q, QStringLiteral("indexes"));
    std::map<std::pair<QString, QString>, SchemaIndex> indexes;
    while (q.next()) {
        if (tables.find(text(q, 0)) == tables.end())
            continue;
        SchemaIndex &ix = indexes[{text(q, 0), text(q, 1)}];
        ix.name = text(q, 1);
        ix.unique = q.value(2).toInt() == 0;
        ix.method = text(q, 5).toLower();
        const QString part = text(q, 4);
        ix.columns.append(part.isEmpty() ? text(q, 3) : QStringLiteral("%1(%2)").arg(text(q, 3), part));
    }
    for (auto &[where, ix] : indexes)
        tables[where.first].indexes.append(ix);

    if (!exec(QStringLiteral("SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT "
                               "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME")))
        return queryError(q, QStringLiteral("triggers"));
    while (q.next()) {
        auto it = tables.find(text(q, 0));
        if (it == tables.end())
            continue;
        SchemaTrigger t;
        t.name = text(q, 1);
        t.definition = QStringLiteral("%1 %2 FOR EACH ROW %3").arg(text(q, 2), text(q, 3), text(q, 4));
        it->second.triggers.append(t);
    }

    if (!viewNames.isEmpty()) {
        if (!exec(QStringLiteral("SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
                                   "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")))
            return queryError(q, QStringLiteral("views"));
        // The definition names the database's own tables with its name: leave it out, as for tables.
        const QString own = QStringLiteral("`%1`.").arg(db.databaseName());
        while (q.next()) {
            SchemaView v;
            v.name = text(q, 0);
            v.definition = text(q, 1).replace(own, QString());
            snap.views.append(v);
        }
    }

    for (auto &[name, t] : tables)
        snap.tables.append(std::move(t));
    snap.normalize();
    return snap;
}

} // namespace retort::core
