#include "partialstep.h"

#include "db/mysqlurl.h"
#include "inspect/inspector.h"
#include "lint/operations.h"

#include <QRegularExpression>

namespace retort::core {

namespace {

QString oneLine(const QString &sql)
{
    return sql.simplified();
}

QString quoted(const QString &table)
{
    return QStringLiteral("\"%1\"").arg(QString(table).replace(QLatin1Char('"'), QStringLiteral("\"\"")));
}

// The table a DDL statement creates, alters, indexes or drops; empty for anything else.
QString tableOf(const QString &sql, bool *drops)
{
    static const QRegularExpression ddl(
        QStringLiteral("^\\s*(?:(CREATE)\\s+(?:TEMP(?:ORARY)?\\s+)?TABLE(?:\\s+IF\\s+NOT\\s+EXISTS)?|(ALTER)\\s+TABLE|(DROP)\\s+TABLE"
                       "(?:\\s+IF\\s+EXISTS)?|CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\\S+\\s+ON)\\s+"
                       "(?:[\"`\\[]?\\w+[\"`\\]]?\\.)?[\"`\\[]?(\\w+)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = ddl.match(sql);
    if (!m.hasMatch())
        return {};
    *drops = !m.captured(3).isEmpty();
    return m.captured(4);
}

} // namespace

bool commitsDdlImmediately(const SqlUrl &url)
{
    return isMysqlUrl(url);
}

QString ddlCommittingServer(const SqlUrl &url)
{
    if (!commitsDdlImmediately(url))
        return {};
    return url.dialect == QLatin1String("mariadb") ? QStringLiteral("MariaDB") : QStringLiteral("MySQL");
}

bool keepsDdlBeforeFirstDataChange(const SqlUrl &url)
{
    return url.isSqlite();
}

Result<FailedStepReport> failedStepReport(const Project &project, const QString &revision, bool upgrade, const QString &urlText,
                                          const QString &password, const std::optional<QList<ExecutedStatement>> &statements)
{
    auto url = SqlUrl::parse(urlText);
    if (!url)
        return url.error();
    FailedStepReport report;
    const bool sqlite = keepsDdlBeforeFirstDataChange(*url);
    if (!commitsDdlImmediately(*url) && !sqlite)
        return report;
    const int index = project.map.indexOf(revision);
    if (index < 0)
        return makeError(Error::Code::Resolution, QStringLiteral("No revision %1 in the project.").arg(revision));
    const QString direction = upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade");

    // On SQLite, with the statements as the driver saw them run, what was kept is known
    // statement by statement. (MySQL's DB-API cannot say; there the step's operations are named.)
    bool known = sqlite && statements.has_value();
    if (known)
        for (const ExecutedStatement &s : *statements)
            known = known && s.fate != ExecutedStatement::Fate::Unknown;
    QStringList named;
    QStringList droppedByKept;
    if (known) {
        for (const ExecutedStatement &s : *statements) {
            const bool kept = s.fate == ExecutedStatement::Fate::Committed;
            (kept ? report.kept : report.rolledBack).append(oneLine(s.sql));
            bool drops = false;
            const QString table = kept ? tableOf(s.sql, &drops) : QString();
            if (table.isEmpty())
                continue;
            QStringList &list = drops ? droppedByKept : named;
            if (!list.contains(table))
                list.append(table);
        }
        if (report.kept.isEmpty()) {
            report.summary = report.rolledBack.isEmpty()
                ? QStringLiteral("The unfinished step of %1's %2 ran no statement before it stopped: the database is as the "
                                 "previous step left it, and the version table names the revision before %1.")
                      .arg(revision, direction)
                : QStringLiteral("SQLite rolled the unfinished step of %1's %2 back: its first statement opened a transaction "
                                 "(pysqlite does so before a data change), so none of its %3 statement(s) is kept. The "
                                 "database is as the previous step left it; the version table names the revision before %1.")
                      .arg(revision, direction)
                      .arg(report.rolledBack.size());
            return report;
        }
    }

    auto inspector = Inspector::connect(urlText, project.config.baseDir, password);
    if (!inspector)
        return inspector.error();
    auto objects = (*inspector)->objects();
    if (!objects)
        return objects.error();
    QStringList existing;
    for (const DbObject &o : *objects)
        existing.append(o.name);
    if (!known) {
        for (const SchemaOperation &op : readOperations(project.map.fileOf(index), existing)) {
            if (op.inUpgrade != upgrade)
                continue;
            for (const QString &t : {op.table, op.op == QLatin1String("rename_table") ? op.target : QString()})
                if (!t.isEmpty() && !named.contains(t))
                    named.append(t);
        }
    }
    for (const QString &t : std::as_const(named)) {
        if (!existing.contains(t))
            continue;
        auto text = (*inspector)->run(QStringLiteral("\\d %1").arg(quoted(t)));
        if (!text)
            return text.error();
        report.tables.append(t);
        report.leftovers += *text;
    }
    for (const QString &t : std::as_const(droppedByKept))
        if (!existing.contains(t))
            report.dropped.append(t);

    if (sqlite && !known) {
        report.summary = QStringLiteral("SQLite keeps the DDL statements of an unfinished step that ran before its first data "
                                        "change (Alembic runs SQLite without transactional DDL); which statements of %1's %2 "
                                        "ran is not known. The version table still names the revision before %1. ")
                             .arg(revision, direction);
    } else if (sqlite) {
        report.summary = QStringLiteral("SQLite kept %1 statement(s) of %2's %3, which did not finish: Alembic runs SQLite "
                                        "without transactional DDL, and pysqlite commits each DDL statement as it runs until "
                                        "a data change opens a transaction. ")
                             .arg(report.kept.size())
                             .arg(revision, direction);
        if (!report.rolledBack.isEmpty())
            report.summary += QStringLiteral("The %1 statement(s) from the first data change on were rolled back. ")
                                  .arg(report.rolledBack.size());
        report.summary += QStringLiteral("The version table still names the revision before %1. ").arg(revision);
    } else {
        const QString dialect = ddlCommittingServer(*url);
        report.summary = QStringLiteral("%1 committed the statements before the failure: each DDL statement of %2's %3 that "
                                        "ran is kept, while the version table still names the revision before it. ")
                             .arg(dialect, revision, direction);
    }
    QStringList left;
    if (!report.tables.isEmpty())
        left.append(QStringLiteral("tables as they are now: %1").arg(report.tables.join(QStringLiteral(", "))));
    if (!report.dropped.isEmpty())
        left.append(QStringLiteral("dropped: %1").arg(report.dropped.join(QStringLiteral(", "))));
    if (left.isEmpty() && !known)
        report.summary += QStringLiteral("None of the tables the migration names is in the database now.");
    else
        report.summary += QStringLiteral("Left behind (%1). Undo it by hand and run again, or, if the step's work is all "
                                         "there, stamp %2.")
                              .arg(left.isEmpty() ? QStringLiteral("statements that name no table") : left.join(QStringLiteral("; ")),
                                   revision);
    return report;
}

} // namespace retort::core
