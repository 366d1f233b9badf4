#include "mysqlurl.h"

#include <QStringList>

namespace retort::core {

bool isMysqlUrl(const SqlUrl &url)
{
    return url.dialect == QLatin1String("mysql") || url.dialect == QLatin1String("mariadb");
}

Error configureMysqlConnection(QSqlDatabase &db, const SqlUrl &url, const QString &password, int connectTimeoutSeconds)
{
    QStringList opts;
    QStringList unsupported;
    const QString socket = url.query.value(QStringLiteral("unix_socket"));
    // libmysqlclient treats host "localhost" as "use the default socket"; PyMySQL and the
    // other pure-Python drivers connect over TCP to it. Follow the driver the URL names so
    // Retort reaches the same server Alembic does.
    const bool tcpDriver = url.driver == QLatin1String("pymysql") || url.driver == QLatin1String("mysqlconnector")
        || url.driver == QLatin1String("aiomysql") || url.driver == QLatin1String("asyncmy")
        || url.driver == QLatin1String("cymysql");
    QString host = url.host.isEmpty() ? QStringLiteral("localhost") : url.host;
    if (!socket.isEmpty()) {
        opts << QStringLiteral("UNIX_SOCKET=") + socket;
    } else if (tcpDriver) {
        opts << QStringLiteral("MYSQL_OPT_PROTOCOL=MYSQL_PROTOCOL_TCP");
    }
    db.setHostName(host);
    db.setPort(url.port > 0 ? url.port : 3306);
    db.setDatabaseName(url.database);
    db.setUserName(url.username);
    db.setPassword(password.isEmpty() ? url.password : password);
    opts << QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=%1").arg(url.query.value(QStringLiteral("connect_timeout"),
                                                                               QString::number(connectTimeoutSeconds)));
    for (auto it = url.query.begin(); it != url.query.end(); ++it) {
        const QString &key = it.key();
        const QString &value = it.value();
        if (key == QLatin1String("unix_socket") || key == QLatin1String("connect_timeout")) {
            continue;
        } else if (key == QLatin1String("charset") || key == QLatin1String("use_unicode")
                   || key == QLatin1String("binary_prefix") || key == QLatin1String("client_flag")) {
            // These shape how the Python driver encodes data rows. Retort reads names and
            // definitions only, which the utf8mb4 session QMYSQL opens represents in full.
            continue;
        } else if (key == QLatin1String("read_timeout") || key == QLatin1String("write_timeout")) {
            opts << QStringLiteral("MYSQL_OPT_%1=%2").arg(key.toUpper(), value);
        } else if (key == QLatin1String("ssl_ca") || key == QLatin1String("ssl_cert") || key == QLatin1String("ssl_key")
                   || key == QLatin1String("ssl_capath") || key == QLatin1String("ssl_cipher")) {
            opts << QStringLiteral("MYSQL_OPT_%1=%2").arg(key.toUpper(), value);
        } else if (key == QLatin1String("compress")) {
            if (value == QLatin1String("true") || value == QLatin1String("1"))
                opts << QStringLiteral("CLIENT_COMPRESS");
        } else if (key == QLatin1String("local_infile") || key == QLatin1String("autocommit")) {
            // Only matter to statements Retort never sends (LOAD DATA, data writes).
            continue;
        } else if (key == QLatin1String("ssl_check_hostname")) {
            // QMYSQL has no switch for it: the client library's own host-name check applies.
            continue;
        } else {
            unsupported << key;
        }
    }
    if (!unsupported.isEmpty()) {
        return makeError(Error::Code::Database,
                         QStringLiteral("The database URL %1 has query options Retort cannot pass to MySQL: %2. "
                                        "Supported: unix_socket, charset, connect_timeout, read_timeout, write_timeout, "
                                        "ssl_ca, ssl_cert, ssl_key, ssl_capath, ssl_cipher, compress.")
                             .arg(url.masked(), unsupported.join(QStringLiteral(", "))));
    }
    db.setConnectOptions(opts.join(QLatin1Char(';')));
    return {};
}

QString quoteMysqlIdentifier(const QString &name)
{
    QString q = name;
    q.replace(QLatin1Char('`'), QStringLiteral("``"));
    return QLatin1Char('`') + q + QLatin1Char('`');
}

} // namespace retort::core
