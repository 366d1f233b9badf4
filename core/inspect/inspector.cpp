#include "inspector.h"

#include "db/sqlurl.h"
#include "db/mysqlurl.h"
#include "inspect/mysqlinspector.h"
#include "inspect/pginspector.h"
#include "inspect/sqliteinspector.h"

#include <QRegularExpression>

namespace retort::core {

Result<DescribeCommand> DescribeCommand::parse(const QString &textIn)
{
    const QString text = textIn.trimmed();
    static const QRegularExpression re(QStringLiteral("^\\\\d([tivsmEn]*)(S?)(\\+?)(?:\\s+(.*))?$"));
    const auto m = re.match(text);
    if (!m.hasMatch()) {
        return makeError(Error::Code::Usage,
                         QStringLiteral("Unsupported command: %1. Use \\d, \\d NAME, \\d+ NAME, \\dt, \\di, \\dv, "
                                        "\\dm, \\ds or \\dn, with an optional pattern.")
                             .arg(text));
    }
    DescribeCommand c;
    const QString letters = m.captured(1);
    c.verbose = !m.captured(3).isEmpty();
    QString pattern = m.captured(4).trimmed();
    if (!pattern.isEmpty()) {
        c.hasPattern = true;
        c.pattern = pattern;
    }
    if (letters == QLatin1String("n")) {
        c.kind = Kind::ListSchemas;
    } else if (letters.isEmpty()) {
        c.kind = c.hasPattern ? Kind::Describe : Kind::ListRelations;
        c.types = QStringLiteral("tvmsE");
    } else if (letters.contains(QLatin1Char('n'))) {
        return makeError(Error::Code::Usage, QStringLiteral("\\dn cannot be combined with other letters."));
    } else {
        c.kind = Kind::ListRelations;
        c.types = letters;
    }
    return c;
}

Error DescribeCommand::notFound() const
{
    return makeError(Error::Code::Resolution, hasPattern ? QStringLiteral("Did not find any relation named \"%1\".").arg(pattern)
                                                         : QStringLiteral("Did not find any relations."));
}

Result<QString> Inspector::run(const QString &command)
{
    auto parsed = DescribeCommand::parse(command);
    if (!parsed)
        return parsed.error();
    return run(*parsed);
}

Result<std::unique_ptr<Inspector>> Inspector::connect(const QString &urlText, const QString &workingDir,
                                                      const QString &password)
{
    auto url = SqlUrl::parse(urlText);
    if (!url)
        return url.error();
    if (url->isPostgres())
        return PgInspector::connect(*url, workingDir, password);
    if (url->isSqlite())
        return SqliteInspector::connect(*url, workingDir);
    if (isMysqlUrl(*url))
        return MysqlInspector::connect(*url, workingDir, password);
    return makeError(Error::Code::Database,
                     QStringLiteral("Retort inspects SQLite, PostgreSQL and MySQL/MariaDB databases; %1 is a %2 database.")
                         .arg(url->masked(), url->dialect));
}

} // namespace retort::core
