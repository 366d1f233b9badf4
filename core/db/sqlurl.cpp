#include "sqlurl.h"

#include <QDir>
#include <QRegularExpression>
#include <QUrl>

namespace retort::core {

namespace {

QString unquote(const QString &s)
{
    return QUrl::fromPercentEncoding(s.toUtf8());
}

QString quote(const QString &s)
{
    // SQLAlchemy quotes ':', '@', '/' and '%' in user names and passwords.
    return QString::fromUtf8(QUrl::toPercentEncoding(s, "!$&'()*+,;=-._~"));
}

} // namespace

Result<SqlUrl> SqlUrl::parse(const QString &urlIn)
{
    const QString url = urlIn.trimmed();
    static const QRegularExpression re(QStringLiteral(
        "^(?<name>[\\w\\+]+)://"
        "(?:(?<username>[^:/]*)(?::(?<password>[^@]*))?@)?"
        "(?:(?:\\[(?<ipv6host>[^/\\?]+)\\]|(?<ipv4host>[^/:\\?]+))?(?::(?<port>[^/\\?]*))?)?"
        "(?:/(?<database>[^\\?]*))?"
        "(?:\\?(?<query>.*))?$"),
        QRegularExpression::DotMatchesEverythingOption);
    const auto m = re.match(url);
    if (!m.hasMatch()) {
        return makeError(Error::Code::Database,
                         QStringLiteral("Could not parse SQLAlchemy URL from string '%1'").arg(maskPasswords(url)));
    }
    SqlUrl u;
    const QString name = m.captured(QStringLiteral("name"));
    const qsizetype plus = name.indexOf(QLatin1Char('+'));
    u.dialect = plus < 0 ? name : name.left(plus);
    u.driver = plus < 0 ? QString() : name.mid(plus + 1);
    u.username = unquote(m.captured(QStringLiteral("username")));
    u.password = unquote(m.captured(QStringLiteral("password")));
    u.host = m.captured(QStringLiteral("ipv6host"));
    if (u.host.isEmpty())
        u.host = m.captured(QStringLiteral("ipv4host"));
    const QString port = m.captured(QStringLiteral("port"));
    if (!port.isEmpty()) {
        bool ok = false;
        u.port = port.toInt(&ok);
        // SQLAlchemy takes any int; libpq then refuses all but 1..65535 when it connects.
        if (!ok || u.port < 1 || u.port > 65535) {
            return makeError(Error::Code::Database,
                             QStringLiteral("Invalid port '%1' in the database URL: a port is a number from 1 to 65535.")
                                 .arg(port));
        }
    }
    u.database = m.captured(QStringLiteral("database"));
    const QString query = m.captured(QStringLiteral("query"));
    if (!query.isEmpty()) {
        for (const QString &pair : query.split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
            const qsizetype eq = pair.indexOf(QLatin1Char('='));
            u.query.insert(unquote(pair.left(eq)), eq < 0 ? QString() : unquote(pair.mid(eq + 1)));
        }
    }
    if (!u.isSqlite())
        u.database = unquote(u.database);
    return u;
}

QString SqlUrl::masked(const QString &mask) const
{
    QString s = dialect;
    if (!driver.isEmpty())
        s += QLatin1Char('+') + driver;
    s += QStringLiteral("://");
    if (!username.isEmpty()) {
        s += quote(username);
        if (!password.isEmpty())
            s += QLatin1Char(':') + mask;
        s += QLatin1Char('@');
    }
    if (!host.isEmpty())
        s += host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    if (port >= 0)
        s += QLatin1Char(':') + QString::number(port);
    if (!database.isEmpty())
        s += QLatin1Char('/') + database;
    if (!query.isEmpty()) {
        QStringList parts;
        for (auto it = query.begin(); it != query.end(); ++it)
            parts.append(it.key() + QLatin1Char('=') + it.value());
        s += QLatin1Char('?') + parts.join(QLatin1Char('&'));
    }
    return s;
}

QString SqlUrl::sqliteFile(const QString &workingDir) const
{
    if (isSqliteMemory())
        return {};
    if (QDir::isAbsolutePath(database))
        return database;
    return QDir(workingDir).absoluteFilePath(database);
}

QString maskPasswords(const QString &text, const QString &mask)
{
    static const QRegularExpression re(QStringLiteral("([\\w+]+://[^:/@\\s]*):([^@\\s]*)@"));
    QString out = text;
    out.replace(re, QStringLiteral("\\1:") + QString(mask).replace(QLatin1Char('\\'), QStringLiteral("\\\\")) + QLatin1Char('@'));
    return out;
}

} // namespace retort::core
