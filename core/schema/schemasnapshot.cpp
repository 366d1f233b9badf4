#include "schemasnapshot.h"

#include "db/connection.h"
#include "schema/snapshotreaders.h"

#include <QFileInfo>

#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <map>

namespace retort::core {

namespace {

QString qualified(const QString &schema, const QString &name)
{
    if (schema.isEmpty() || schema == QLatin1String("public") || schema == QLatin1String("main"))
        return name;
    return schema + QLatin1Char('.') + name;
}

template<typename T>
void sortByName(QList<T> &list)
{
    std::sort(list.begin(), list.end(), [](const T &a, const T &b) {
        return a.schema != b.schema ? a.schema < b.schema : a.name < b.name;
    });
}

template<typename T>
void sortByOwnName(QList<T> &list)
{
    std::sort(list.begin(), list.end(), [](const T &a, const T &b) { return a.name < b.name; });
}

QString orNone(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("(none)") : s;
}

// " character set latin1 collate latin1_bin", as MySQL's SHOW CREATE says it; empty for none.
QString collationSummary(const QString &charset, const QString &collation)
{
    QString s;
    if (!charset.isEmpty())
        s += QStringLiteral(" character set ") + charset;
    if (!collation.isEmpty())
        s += QStringLiteral(" collate ") + collation;
    return s;
}

QString columnSummary(const SchemaColumn &c)
{
    QString s = c.type + collationSummary(c.charset, c.collation);
    if (!c.nullable)
        s += QStringLiteral(" not null");
    if (!c.defaultValue.isEmpty())
        s += QStringLiteral(" default ") + c.defaultValue;
    if (c.identity == QLatin1String("auto_increment"))
        s += QStringLiteral(" auto_increment");
    else if (!c.identity.isEmpty())
        s += QStringLiteral(" generated ") + c.identity + QStringLiteral(" as identity");
    if (!c.generated.isEmpty())
        s += QStringLiteral(" generated as ") + c.generated;
    return s;
}

QString indexSummary(const SchemaIndex &i)
{
    QString s = QStringLiteral("(%1)").arg(i.columns.join(QStringLiteral(", ")));
    if (!i.method.isEmpty() && i.method != QLatin1String("btree"))
        s = i.method + QLatin1Char(' ') + s;
    if (i.unique)
        s = QStringLiteral("unique ") + s;
    if (!i.predicate.isEmpty())
        s += QStringLiteral(" where ") + i.predicate;
    return s;
}

QString constraintSummary(const SchemaConstraint &c)
{
    QString s;
    if (!c.columns.isEmpty())
        s = QStringLiteral("(%1)").arg(c.columns.join(QStringLiteral(", ")));
    if (!c.definition.isEmpty())
        s += (s.isEmpty() ? QString() : QStringLiteral(" ")) + c.definition;
    return s;
}

QString sequenceSummary(const SchemaSequence &s)
{
    QString t = QStringLiteral("%1 start %2 increment %3 min %4 max %5").arg(s.type).arg(s.start).arg(s.increment).arg(s.minimum).arg(s.maximum);
    if (s.cycle)
        t += QStringLiteral(" cycle");
    if (!s.ownedBy.isEmpty())
        t += QStringLiteral(" owned by ") + s.ownedBy;
    return t;
}

QString domainSummary(const SchemaDomain &d)
{
    QString s = d.type;
    if (!d.nullable)
        s += QStringLiteral(" not null");
    if (!d.defaultValue.isEmpty())
        s += QStringLiteral(" default ") + d.defaultValue;
    for (const QString &c : d.checks)
        s += QLatin1Char(' ') + c;
    return s;
}

SchemaChange change(SchemaChange::Action action, const QString &kind, const QString &table, const QString &name,
                    const QString &attribute = {}, const QString &before = {}, const QString &after = {})
{
    SchemaChange c;
    c.action = action;
    c.objectKind = kind;
    c.table = table;
    c.name = name;
    c.attribute = attribute;
    c.before = before;
    c.after = after;
    return c;
}

// Pairs the items of two lists by key and reports added / removed / changed ones.
template<typename T, typename Key, typename Summary, typename Compare>
void diffLists(QList<SchemaChange> &out, const QList<T> &before, const QList<T> &after, const QString &kind,
               const QString &table, Key key, Summary summary, Compare compare)
{
    std::map<QString, const T *> a, b;
    for (const T &x : before)
        a.emplace(key(x), &x);
    for (const T &x : after)
        b.emplace(key(x), &x);
    for (const auto &[k, x] : a)
        if (!b.count(k))
            out.append(change(SchemaChange::Action::Removed, kind, table, k, {}, summary(*x), {}));
    for (const auto &[k, x] : b)
        if (!a.count(k))
            out.append(change(SchemaChange::Action::Added, kind, table, k, {}, {}, summary(*x)));
    for (const auto &[k, x] : a) {
        auto it = b.find(k);
        if (it != b.end() && !(*x == *it->second))
            compare(out, k, *x, *it->second);
    }
}

void diffColumns(QList<SchemaChange> &out, const SchemaTable &ta, const SchemaTable &tb, const QString &table)
{
    diffLists(out, ta.columns, tb.columns, QStringLiteral("column"), table, [](const SchemaColumn &c) { return c.name; },
              columnSummary, [&](QList<SchemaChange> &o, const QString &name, const SchemaColumn &a, const SchemaColumn &b) {
                  auto attr = [&](const char *what, const QString &x, const QString &y) {
                      if (x != y)
                          o.append(change(SchemaChange::Action::Changed, QStringLiteral("column"), table, name,
                                          QString::fromLatin1(what), x, y));
                  };
                  attr("type", a.type, b.type);
                  attr("nullable", a.nullable ? QStringLiteral("nullable") : QStringLiteral("not null"),
                       b.nullable ? QStringLiteral("nullable") : QStringLiteral("not null"));
                  attr("default", orNone(a.defaultValue), orNone(b.defaultValue));
                  attr("identity", orNone(a.identity), orNone(b.identity));
                  attr("generated", orNone(a.generated), orNone(b.generated));
                  attr("collation", orNone(collationSummary(a.charset, a.collation).trimmed()),
                       orNone(collationSummary(b.charset, b.collation).trimmed()));
              });
    // The order of the columns both have: a dropped and re-added column moves to the end.
    QStringList orderA, orderB;
    for (const SchemaColumn &c : ta.columns)
        if (tb.column(c.name))
            orderA.append(c.name);
    for (const SchemaColumn &c : tb.columns)
        if (ta.column(c.name))
            orderB.append(c.name);
    if (orderA != orderB)
        out.append(change(SchemaChange::Action::Changed, QStringLiteral("table"), {}, table, QStringLiteral("column order"),
                          orderA.join(QStringLiteral(", ")), orderB.join(QStringLiteral(", "))));
}

void diffTable(QList<SchemaChange> &out, const SchemaTable &a, const SchemaTable &b)
{
    const QString table = qualified(a.schema, a.name);
    if (a.kind != b.kind)
        out.append(change(SchemaChange::Action::Changed, QStringLiteral("table"), {}, table, QStringLiteral("kind"), a.kind, b.kind));
    const QString ca = collationSummary(a.charset, a.collation).trimmed(), cb = collationSummary(b.charset, b.collation).trimmed();
    if (ca != cb)
        out.append(change(SchemaChange::Action::Changed, QStringLiteral("table"), {}, table, QStringLiteral("collation"),
                          ca.isEmpty() ? QStringLiteral("(the database's)") : ca, cb.isEmpty() ? QStringLiteral("(the database's)") : cb));
    diffColumns(out, a, b, table);
    diffLists(out, a.constraints, b.constraints, QStringLiteral("constraint"), table,
              [](const SchemaConstraint &c) { return c.key(); }, constraintSummary,
              [&](QList<SchemaChange> &o, const QString &key, const SchemaConstraint &x, const SchemaConstraint &y) {
                  o.append(change(SchemaChange::Action::Changed, QStringLiteral("constraint"), table, key,
                                  QStringLiteral("definition"), constraintSummary(x), constraintSummary(y)));
              });
    diffLists(out, a.indexes, b.indexes, QStringLiteral("index"), table, [](const SchemaIndex &i) { return i.name; },
              indexSummary, [&](QList<SchemaChange> &o, const QString &name, const SchemaIndex &x, const SchemaIndex &y) {
                  o.append(change(SchemaChange::Action::Changed, QStringLiteral("index"), table, name,
                                  QStringLiteral("definition"), indexSummary(x), indexSummary(y)));
              });
    diffLists(out, a.triggers, b.triggers, QStringLiteral("trigger"), table, [](const SchemaTrigger &t) { return t.name; },
              [](const SchemaTrigger &t) { return t.definition; },
              [&](QList<SchemaChange> &o, const QString &name, const SchemaTrigger &x, const SchemaTrigger &y) {
                  o.append(change(SchemaChange::Action::Changed, QStringLiteral("trigger"), table, name,
                                  QStringLiteral("definition"), x.definition, y.definition));
              });
}

QString tableSummary(const SchemaTable &t)
{
    QStringList cols;
    for (const SchemaColumn &c : t.columns)
        cols.append(c.name + QLatin1Char(' ') + columnSummary(c));
    return QStringLiteral("(%1)").arg(cols.join(QStringLiteral(", "))) + collationSummary(t.charset, t.collation);
}

QJsonArray strings(const QStringList &l)
{
    return QJsonArray::fromStringList(l);
}

} // namespace

QString constraintKindName(SchemaConstraint::Kind kind)
{
    switch (kind) {
    case SchemaConstraint::Kind::PrimaryKey: return QStringLiteral("primary key");
    case SchemaConstraint::Kind::Unique: return QStringLiteral("unique");
    case SchemaConstraint::Kind::Check: return QStringLiteral("check");
    case SchemaConstraint::Kind::ForeignKey: return QStringLiteral("foreign key");
    case SchemaConstraint::Kind::Exclusion: return QStringLiteral("exclusion");
    }
    return {};
}

QString SchemaConstraint::key() const
{
    if (!name.isEmpty())
        return name;
    // Unnamed (SQLite): a primary key is one per table; others are what they say.
    if (kind == Kind::PrimaryKey)
        return QStringLiteral("primary key");
    return QStringLiteral("%1 %2").arg(constraintKindName(kind), constraintSummary(*this));
}

const SchemaColumn *SchemaTable::column(const QString &n) const
{
    for (const SchemaColumn &c : columns)
        if (c.name == n)
            return &c;
    return nullptr;
}

void SchemaSnapshot::normalize()
{
    schemas.sort();
    sortByName(tables);
    for (SchemaTable &t : tables) {
        std::sort(t.constraints.begin(), t.constraints.end(),
                  [](const SchemaConstraint &a, const SchemaConstraint &b) { return a.key() < b.key(); });
        sortByOwnName(t.indexes);
        sortByOwnName(t.triggers);
    }
    sortByName(views);
    sortByName(sequences);
    sortByName(enums);
    sortByName(domains);
}

const SchemaTable *SchemaSnapshot::table(const QString &schema, const QString &name) const
{
    for (const SchemaTable &t : tables)
        if (t.name == name && (schema.isEmpty() || t.schema == schema))
            return &t;
    return nullptr;
}

bool SchemaSnapshot::isEmpty() const
{
    return tables.isEmpty() && views.isEmpty() && sequences.isEmpty() && enums.isEmpty() && domains.isEmpty();
}

QList<SchemaChange> diffSchemas(const SchemaSnapshot &before, const SchemaSnapshot &after)
{
    QList<SchemaChange> out;
    {
        const QSet<QString> a(before.schemas.begin(), before.schemas.end()), b(after.schemas.begin(), after.schemas.end());
        for (const QString &s : before.schemas)
            if (!b.contains(s))
                out.append(change(SchemaChange::Action::Removed, QStringLiteral("schema"), {}, s));
        for (const QString &s : after.schemas)
            if (!a.contains(s))
                out.append(change(SchemaChange::Action::Added, QStringLiteral("schema"), {}, s));
    }
    auto qname = [](const auto &x) { return qualified(x.schema, x.name); };
    diffLists(out, before.enums, after.enums, QStringLiteral("enum"), {}, qname,
              [](const SchemaEnum &e) { return QStringLiteral("(%1)").arg(e.labels.join(QStringLiteral(", "))); },
              [](QList<SchemaChange> &o, const QString &n, const SchemaEnum &x, const SchemaEnum &y) {
                  o.append(change(SchemaChange::Action::Changed, QStringLiteral("enum"), {}, n, QStringLiteral("labels"),
                                  x.labels.join(QStringLiteral(", ")), y.labels.join(QStringLiteral(", "))));
              });
    diffLists(out, before.domains, after.domains, QStringLiteral("domain"), {}, qname, domainSummary,
              [](QList<SchemaChange> &o, const QString &n, const SchemaDomain &x, const SchemaDomain &y) {
                  o.append(change(SchemaChange::Action::Changed, QStringLiteral("domain"), {}, n, QStringLiteral("definition"),
                                  domainSummary(x), domainSummary(y)));
              });
    diffLists(out, before.tables, after.tables, QStringLiteral("table"), {}, qname, tableSummary,
              [](QList<SchemaChange> &o, const QString &, const SchemaTable &x, const SchemaTable &y) { diffTable(o, x, y); });
    diffLists(out, before.views, after.views, QStringLiteral("view"), {}, qname,
              [](const SchemaView &v) { return (v.materialized ? QStringLiteral("materialized: ") : QString()) + v.definition; },
              [](QList<SchemaChange> &o, const QString &n, const SchemaView &x, const SchemaView &y) {
                  if (x.materialized != y.materialized)
                      o.append(change(SchemaChange::Action::Changed, QStringLiteral("view"), {}, n, QStringLiteral("materialized"),
                                      x.materialized ? QStringLiteral("yes") : QStringLiteral("no"),
                                      y.materialized ? QStringLiteral("yes") : QStringLiteral("no")));
                  if (x.definition != y.definition)
                      o.append(change(SchemaChange::Action::Changed, QStringLiteral("view"), {}, n, QStringLiteral("definition"),
                                      x.definition, y.definition));
              });
    diffLists(out, before.sequences, after.sequences, QStringLiteral("sequence"), {}, qname, sequenceSummary,
              [](QList<SchemaChange> &o, const QString &n, const SchemaSequence &x, const SchemaSequence &y) {
                  o.append(change(SchemaChange::Action::Changed, QStringLiteral("sequence"), {}, n, QStringLiteral("definition"),
                                  sequenceSummary(x), sequenceSummary(y)));
              });
    return out;
}

QString SchemaChange::path() const
{
    return table.isEmpty() ? name : table + QLatin1Char('.') + name;
}

QString SchemaChange::text() const
{
    // Indexes, constraints and triggers belong to a table but have their own names: "ix on t".
    const bool part = objectKind == QLatin1String("index") || objectKind == QLatin1String("constraint")
                      || objectKind == QLatin1String("trigger");
    const QString who = part ? QStringLiteral("%1 on %2").arg(name, table) : path();
    switch (action) {
    case Action::Added:
        return QStringLiteral("+ %1 %2 %3").arg(objectKind, who, after).trimmed();
    case Action::Removed:
        return QStringLiteral("- %1 %2 %3").arg(objectKind, who, before).trimmed();
    case Action::Changed:
        if (attribute == QLatin1String("nullable"))
            return QStringLiteral("~ %1 %2: %3 → %4").arg(objectKind, who, before, after);
        return QStringLiteral("~ %1 %2 %3: %4 → %5").arg(objectKind, who, attribute, before, after);
    }
    return {};
}

QJsonObject SchemaChange::toJson() const
{
    static const char *actions[] = {"added", "removed", "changed"};
    QJsonObject o{{QStringLiteral("action"), QString::fromLatin1(actions[int(action)])},
                  {QStringLiteral("kind"), objectKind},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("text"), text()}};
    if (!table.isEmpty())
        o.insert(QStringLiteral("table"), table);
    if (!attribute.isEmpty())
        o.insert(QStringLiteral("attribute"), attribute);
    if (!before.isEmpty())
        o.insert(QStringLiteral("before"), before);
    if (!after.isEmpty())
        o.insert(QStringLiteral("after"), after);
    return o;
}

SchemaChange SchemaChange::fromJson(const QJsonObject &o)
{
    SchemaChange c;
    const QString a = o.value(QStringLiteral("action")).toString();
    c.action = a == QLatin1String("added") ? Action::Added : a == QLatin1String("removed") ? Action::Removed : Action::Changed;
    c.objectKind = o.value(QStringLiteral("kind")).toString();
    c.table = o.value(QStringLiteral("table")).toString();
    c.name = o.value(QStringLiteral("name")).toString();
    c.attribute = o.value(QStringLiteral("attribute")).toString();
    c.before = o.value(QStringLiteral("before")).toString();
    c.after = o.value(QStringLiteral("after")).toString();
    return c;
}

QString renderChanges(const QList<SchemaChange> &changes)
{
    QString out;
    for (const SchemaChange &c : changes)
        out += c.text() + QLatin1Char('\n');
    return out;
}

QString renderSnapshot(const SchemaSnapshot &s)
{
    QString out;
    for (const QString &sc : s.schemas)
        out += QStringLiteral("schema %1\n").arg(sc);
    for (const SchemaEnum &e : s.enums)
        out += QStringLiteral("enum %1 (%2)\n").arg(qualified(e.schema, e.name), e.labels.join(QStringLiteral(", ")));
    for (const SchemaDomain &d : s.domains)
        out += QStringLiteral("domain %1 %2\n").arg(qualified(d.schema, d.name), domainSummary(d));
    for (const SchemaTable &t : s.tables) {
        out += QStringLiteral("%1 %2%3\n").arg(t.kind, qualified(t.schema, t.name), collationSummary(t.charset, t.collation));
        for (const SchemaColumn &c : t.columns)
            out += QStringLiteral("  column %1 %2\n").arg(c.name, columnSummary(c));
        for (const SchemaConstraint &c : t.constraints)
            out += QStringLiteral("  %1 %2 %3\n").arg(constraintKindName(c.kind), c.name.isEmpty() ? QStringLiteral("-") : c.name,
                                                     constraintSummary(c));
        for (const SchemaIndex &i : t.indexes)
            out += QStringLiteral("  index %1 %2\n").arg(i.name, indexSummary(i));
        for (const SchemaTrigger &tr : t.triggers)
            out += QStringLiteral("  trigger %1 %2\n").arg(tr.name, tr.definition);
    }
    for (const SchemaView &v : s.views)
        out += QStringLiteral("%1 %2 %3\n").arg(v.materialized ? QStringLiteral("materialized view") : QStringLiteral("view"),
                                               qualified(v.schema, v.name), v.definition.simplified());
    for (const SchemaSequence &q : s.sequences)
        out += QStringLiteral("sequence %1 %2\n").arg(qualified(q.schema, q.name), sequenceSummary(q));
    return out;
}

QJsonObject SchemaSnapshot::toJson() const
{
    QJsonArray ts;
    for (const SchemaTable &t : tables) {
        QJsonArray cols, cons, idx, trg;
        for (const SchemaColumn &c : t.columns)
            cols.append(QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("type"), c.type},
                                    {QStringLiteral("nullable"), c.nullable}, {QStringLiteral("default"), c.defaultValue},
                                    {QStringLiteral("identity"), c.identity}, {QStringLiteral("generated"), c.generated},
                                    {QStringLiteral("charset"), c.charset}, {QStringLiteral("collation"), c.collation}});
        for (const SchemaConstraint &c : t.constraints)
            cons.append(QJsonObject{{QStringLiteral("kind"), constraintKindName(c.kind)}, {QStringLiteral("name"), c.name},
                                    {QStringLiteral("columns"), strings(c.columns)}, {QStringLiteral("definition"), c.definition}});
        for (const SchemaIndex &i : t.indexes)
            idx.append(QJsonObject{{QStringLiteral("name"), i.name}, {QStringLiteral("columns"), strings(i.columns)},
                                   {QStringLiteral("unique"), i.unique}, {QStringLiteral("method"), i.method},
                                   {QStringLiteral("predicate"), i.predicate}});
        for (const SchemaTrigger &x : t.triggers)
            trg.append(QJsonObject{{QStringLiteral("name"), x.name}, {QStringLiteral("definition"), x.definition}});
        ts.append(QJsonObject{{QStringLiteral("schema"), t.schema}, {QStringLiteral("name"), t.name},
                              {QStringLiteral("kind"), t.kind}, {QStringLiteral("charset"), t.charset},
                              {QStringLiteral("collation"), t.collation}, {QStringLiteral("columns"), cols},
                              {QStringLiteral("constraints"), cons}, {QStringLiteral("indexes"), idx},
                              {QStringLiteral("triggers"), trg}});
    }
    QJsonArray vs, ss, es, ds;
    for (const SchemaView &v : views)
        vs.append(QJsonObject{{QStringLiteral("schema"), v.schema}, {QStringLiteral("name"), v.name},
                              {QStringLiteral("materialized"), v.materialized}, {QStringLiteral("definition"), v.definition}});
    for (const SchemaSequence &q : sequences)
        ss.append(QJsonObject{{QStringLiteral("schema"), q.schema}, {QStringLiteral("name"), q.name},
                              {QStringLiteral("definition"), sequenceSummary(q)}});
    for (const SchemaEnum &e : enums)
        es.append(QJsonObject{{QStringLiteral("schema"), e.schema}, {QStringLiteral("name"), e.name},
                              {QStringLiteral("labels"), strings(e.labels)}});
    for (const SchemaDomain &d : domains)
        ds.append(QJsonObject{{QStringLiteral("schema"), d.schema}, {QStringLiteral("name"), d.name},
                              {QStringLiteral("definition"), domainSummary(d)}});
    return QJsonObject{{QStringLiteral("dialect"), dialect}, {QStringLiteral("schemas"), strings(schemas)},
                       {QStringLiteral("tables"), ts}, {QStringLiteral("views"), vs}, {QStringLiteral("sequences"), ss},
                       {QStringLiteral("enums"), es}, {QStringLiteral("domains"), ds}};
}

} // namespace retort::core

// ---- reading -------------------------------------------------------------------------------

namespace retort::core {

Result<SchemaSnapshot> SchemaSnapshot::read(const ScopedConnection &connection, const ReadOptions &options)
{
    if (connection.isPostgres())
        return readPgSnapshot(connection.database(), options);
    if (connection.isMysql())
        return readMysqlSnapshot(connection.database(), options);
    return readSqliteSnapshot(connection.database(), options);
}

Result<SchemaSnapshot> SchemaSnapshot::read(const QString &url, const QString &workingDir, const ReadOptions &options,
                                            const QString &password)
{
    auto u = SqlUrl::parse(url);
    if (!u)
        return u.error();
    if (u->isSqlite() && !u->isSqliteMemory() && !QFileInfo::exists(u->sqliteFile(workingDir))) {
        SchemaSnapshot empty;
        empty.dialect = QStringLiteral("sqlite");
        return empty;
    }
    auto conn = ScopedConnection::open(*u, workingDir, password, 5, true);
    if (!conn)
        return conn.error();
    return read(*conn, options);
}

} // namespace retort::core
