#include "partialstep.h"

#include "db/mysqlurl.h"
#include "inspect/inspector.h"
#include "lint/operations.h"

namespace retort::core {

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

Result<FailedStepReport> failedStepReport(const Project &project, const QString &revision, bool upgrade, const QString &urlText,
                                          const QString &password)
{
    auto url = SqlUrl::parse(urlText);
    if (!url)
        return url.error();
    FailedStepReport report;
    if (!commitsDdlImmediately(*url))
        return report;
    const int index = project.map.indexOf(revision);
    if (index < 0)
        return makeError(Error::Code::Resolution, QStringLiteral("No revision %1 in the project.").arg(revision));
    auto inspector = Inspector::connect(urlText, project.config.baseDir, password);
    if (!inspector)
        return inspector.error();
    auto objects = (*inspector)->objects();
    if (!objects)
        return objects.error();
    QStringList existing;
    for (const DbObject &o : *objects)
        existing.append(o.name);

    const RevisionFile &file = project.map.fileOf(index);
    QStringList named;
    for (const SchemaOperation &op : readOperations(file, existing)) {
        if (op.inUpgrade != upgrade)
            continue;
        for (const QString &t : {op.table, op.op == QLatin1String("rename_table") ? op.target : QString()})
            if (!t.isEmpty() && !named.contains(t))
                named.append(t);
    }
    for (const QString &t : std::as_const(named)) {
        if (!existing.contains(t))
            continue;
        auto text = (*inspector)->run(QStringLiteral("\\d \"%1\"").arg(QString(t).replace(QLatin1Char('"'), QStringLiteral("\"\""))));
        if (!text)
            return text.error();
        report.tables.append(t);
        report.leftovers += *text;
    }
    const QString dialect = ddlCommittingServer(*url);
    report.summary = QStringLiteral("%1 committed the statements before the failure: each DDL statement of %2's %3 that ran "
                                    "is kept, while the version table still names the revision before it. ")
                         .arg(dialect, revision, upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"));
    report.summary += report.tables.isEmpty()
        ? QStringLiteral("None of the tables the migration names is in the database now.")
        : QStringLiteral("The tables it names as they are now: %1. Undo them by hand (or fix the migration so it can "
                         "run again over them) before the next run.")
              .arg(report.tables.join(QStringLiteral(", ")));
    return report;
}

} // namespace retort::core
