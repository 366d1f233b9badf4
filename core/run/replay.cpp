#include "replay.h"

#include "db/connection.h"
#include "db/mysqlurl.h"
#include "db/sqlurl.h"
#include "run/mysqlscratch.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace retort::core {

Result<std::unique_ptr<ScratchDatabase>> ScratchDatabase::create(const QString &base, const QString &workingDir, const QString &purpose)
{
    auto baseUrl = SqlUrl::parse(base);
    if (!baseUrl)
        return baseUrl.error();
    std::unique_ptr<ScratchDatabase> s(new ScratchDatabase);
    if (!s->m_dir.isValid())
        return makeError(Error::Code::Io, QStringLiteral("Cannot create a temporary folder for the scratch database."));
    if (baseUrl->isSqlite()) {
        const QString file = s->m_dir.filePath(purpose + QStringLiteral(".db"));
        s->m_url = QStringLiteral("sqlite:///%1").arg(file);
        s->m_description = QStringLiteral("scratch SQLite file %1").arg(file);
        return s;
    }
    if (isMysqlUrl(*baseUrl)) {
        auto mysql = createMysqlScratchDatabase(*baseUrl, base, workingDir, purpose);
        if (!mysql)
            return mysql.error();
        s->m_url = mysql->url;
        s->m_description = mysql->description;
        s->m_drop = mysql->drop;
        return s;
    }
    if (!baseUrl->isPostgres())
        return makeError(Error::Code::Database,
                         QStringLiteral("Retort replays migrations on SQLite, PostgreSQL and MySQL/MariaDB databases; %1 is a %2 database.")
                             .arg(baseUrl->masked(), baseUrl->dialect));
    SqlUrl admin = *baseUrl;
    admin.database = QStringLiteral("postgres");
    auto conn = ScopedConnection::open(admin, workingDir, {}, 5, false);
    if (!conn)
        return conn.error();
    const QString name = QStringLiteral("retort_%1_%2").arg(purpose).arg(QRandomGenerator::global()->generate() % 1000000000u);
    QSqlQuery q(conn->database());
    const AnswerDeadline deadline(conn->database());
    if (!q.exec(QStringLiteral("CREATE DATABASE %1").arg(quoteIdentifier(name)))) {
        if (deadline.expired())
            return deadline.error();
        const QString code = q.lastError().nativeErrorCode();
        if (code == QLatin1String("42501")) {
            return makeError(Error::Code::Database,
                             QStringLiteral("The role %1 may not create databases on %2:%3, and Retort replays the migrations on a "
                                            "scratch database it creates next to yours (and drops after). Grant it with "
                                            "ALTER ROLE %1 CREATEDB, or pass --url with a server where it may.")
                                 .arg(baseUrl->username, baseUrl->host)
                                 .arg(baseUrl->port > 0 ? baseUrl->port : 5432));
        }
        return makeError(Error::Code::Database, QStringLiteral("Cannot create the scratch database %1: %2").arg(name, q.lastError().databaseText()));
    }
    SqlUrl scratch = *baseUrl;
    scratch.database = name;
    s->m_postgres = true;
    // masked() hides the password; rebuild the real URL for Alembic.
    s->m_url = base;
    s->m_url.replace(QRegularExpression(QStringLiteral("/[^/?]*(\\?|$)")), QStringLiteral("/%1\\1").arg(name));
    s->m_description = QStringLiteral("scratch PostgreSQL database %1").arg(scratch.masked());
    s->m_drop = [admin, name, workingDir] {
        auto c = ScopedConnection::open(admin, workingDir, {}, 5, false);
        if (c) {
            QSqlQuery drop(c->database());
            const AnswerDeadline deadline(c->database());
            drop.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quoteIdentifier(name)));
        }
    };
    return s;
}

ScratchDatabase::~ScratchDatabase()
{
    if (m_drop)
        m_drop();
}

Replay::Replay(const Project &project, AlembicCommand alembic, QStringList xArgs)
    : m_project(project), m_alembic(std::move(alembic)), m_xArgs(std::move(xArgs))
{
}

Result<bool> Replay::start(const QString &baseUrl, const QString &purpose)
{
    const ProjectConfig &cfg = m_project.config;
    const QString base = baseUrl.isEmpty() ? cfg.sqlalchemyUrl : baseUrl;
    if (base.isEmpty())
        return makeError(Error::Code::Config, QStringLiteral("No database URL: set sqlalchemy.url in %1 or pass --url.").arg(cfg.iniPath));
    if (cfg.iniPath.isEmpty())
        return makeError(Error::Code::Config, QStringLiteral("Replaying migrations needs an alembic.ini; this project is configured "
                                                             "by pyproject.toml only."));
    auto scratch = ScratchDatabase::create(base, cfg.baseDir, purpose);
    if (!scratch)
        return scratch.error();
    m_scratch = std::move(*scratch);
    m_driver = std::make_unique<AlembicDriver>(m_alembic);
    DriverProject p;
    p.iniPath = cfg.iniPath;
    p.section = cfg.section;
    p.workingDir = cfg.baseDir;
    p.url = m_scratch->url();
    p.xArgs = m_xArgs;
    p.guard = true;
    auto opened = m_driver->open(p);
    if (!opened)
        return opened.error();
    if (!opened->ok)
        return makeError(Error::Code::Io, opened->error);
    return true;
}

SchemaSnapshot::ReadOptions Replay::readOptions() const
{
    SchemaSnapshot::ReadOptions o;
    o.versionTable = m_project.config.versionTable;
    o.versionTableSchema = m_project.config.versionTableSchema;
    return o;
}

Result<SchemaSnapshot> Replay::snapshot() const
{
    return SchemaSnapshot::read(m_scratch->url(), m_project.config.baseDir, readOptions());
}

QStringList Replay::headsAfter(const QString &revision, const QStringList &heads) const
{
    const RevisionMap &map = m_project.map;
    QStringList after = heads;
    const int idx = map.indexOf(revision);
    if (idx < 0)
        return after;
    for (const QString &d : map.at(idx).downRevisions)
        after.removeAll(d);
    if (!after.contains(revision))
        after.append(revision);
    return after;
}

QString Replay::downgradeTarget(const QString &revision, const QStringList &heads) const
{
    const RevisionMap &map = m_project.map;
    const int idx = map.indexOf(revision);
    if (idx < 0)
        return {};
    QStringList candidates;
    if (map.at(idx).downRevisions.size() <= 1)
        candidates << revision + QStringLiteral("@-1");
    candidates << map.at(idx).downRevisions;
    for (const QString &c : std::as_const(candidates)) {
        auto p = map.downgradePlan(c, heads);
        if (p && p->size() == 1 && p->first().revision == idx)
            return c;
    }
    return {};
}

} // namespace retort::core
