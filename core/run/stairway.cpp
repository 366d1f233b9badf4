#include "stairway.h"

#include "db/connection.h"
#include "db/mysqlurl.h"
#include "db/sqlurl.h"
#include "inspect/inspector.h"
#include "project/textdiff.h"
#include "run/mysqlscratch.h"

#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

namespace retort::core {

namespace {

struct RunResult
{
    bool ok = false;
    QString output;
};

RunResult runAlembic(const AlembicCommand &alembic, const QString &ini, const QStringList &args, const QString &cwd)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setWorkingDirectory(cwd);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONIOENCODING"), QStringLiteral("utf-8"));
    p.setProcessEnvironment(env);
    p.start(alembic.program, alembic.prefix + QStringList{QStringLiteral("-c"), ini} + args);
    RunResult r;
    if (!p.waitForStarted(10000)) {
        r.output = p.errorString();
        return r;
    }
    p.waitForFinished(-1);
    r.output = maskPasswords(QString::fromUtf8(p.readAll()));
    r.ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    return r;
}

// The project's ini with every %(here)s made literal and sqlalchemy.url pointing elsewhere.
QString scratchIni(const ProjectConfig &cfg, const QString &url)
{
    QFile f(cfg.iniPath);
    QString text = f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QStringLiteral("[alembic]\n");
    text.replace(QStringLiteral("%(here)s"), QString(cfg.here).replace(QLatin1Char('%'), QStringLiteral("%%")));
    QString escaped = url;
    escaped.replace(QLatin1Char('%'), QStringLiteral("%%"));
    static const QRegularExpression urlLine(QStringLiteral("^sqlalchemy\\.url\\s*[=:].*$"), QRegularExpression::MultilineOption);
    if (urlLine.match(text).hasMatch())
        text.replace(urlLine, QStringLiteral("sqlalchemy.url = ") + escaped);
    else
        text.replace(QRegularExpression(QStringLiteral("^\\[%1\\]\\s*$").arg(QRegularExpression::escape(cfg.section)), QRegularExpression::MultilineOption),
                     QStringLiteral("[%1]\nsqlalchemy.url = %2").arg(cfg.section, escaped));
    if (!text.contains(QStringLiteral("script_location")))
        text.replace(QStringLiteral("[alembic]"), QStringLiteral("[alembic]\nscript_location = ") + cfg.scriptLocation);
    return text;
}

} // namespace

Stairway::Stairway(const Project &project, AlembicCommand alembic) : m_project(project), m_alembic(std::move(alembic)) {}

Result<QString> Stairway::snapshot(const QString &url)
{
    // Before the first step the scratch SQLite file does not exist: an empty schema.
    if (const auto u = SqlUrl::parse(url); u && u->isSqlite() && !QFile::exists(u->sqliteFile(m_project.config.baseDir)))
        return QString();
    auto inspector = Inspector::connect(url, m_project.config.baseDir);
    if (!inspector)
        return inspector.error();
    auto objects = (*inspector)->objects();
    if (!objects)
        return objects.error();
    QString out;
    const QString versionTable = m_project.config.versionTable;
    for (const DbObject &o : *objects) {
        if (o.name == versionTable || o.table == versionTable || o.name == versionTable + QStringLiteral("_pkc")
            || o.name.startsWith(QStringLiteral("sqlite_autoindex_") + versionTable))
            continue;
        auto text = (*inspector)->run(QStringLiteral("\\d \"%1\".\"%2\"").arg(o.schema, QString(o.name).replace(QLatin1Char('"'), QStringLiteral("\"\""))));
        if (!text)
            return text.error();
        out += *text;
    }
    return out;
}

Result<QList<StairwayStep>> Stairway::run()
{
    const RevisionMap &map = m_project.map;
    if (!map.isValid())
        return map.loadError();
    auto plan = map.upgradePlan(QStringLiteral("heads"), {});
    if (!plan)
        return plan.error();

    if (m_baseUrl.isEmpty() && m_project.config.sqlalchemyUrlError.isValid())
        return m_project.config.sqlalchemyUrlError;
    const QString base = m_baseUrl.isEmpty() ? m_project.config.sqlalchemyUrl : m_baseUrl;
    auto baseUrl = SqlUrl::parse(base);
    if (!baseUrl)
        return baseUrl.error();
    QTemporaryDir tmp;
    if (!tmp.isValid())
        return makeError(Error::Code::Io, QStringLiteral("Cannot create a temporary folder for the scratch database."));

    // The scratch database, and how to remove it afterwards.
    QString scratchUrl;
    std::function<void()> dropScratch = [] {};
    if (baseUrl->isSqlite()) {
        scratchUrl = QStringLiteral("sqlite:///%1").arg(tmp.filePath(QStringLiteral("stairway.db")));
        m_scratchDescription = QStringLiteral("scratch SQLite file %1").arg(tmp.filePath(QStringLiteral("stairway.db")));
    } else if (baseUrl->isPostgres()) {
        SqlUrl admin = *baseUrl;
        admin.database = QStringLiteral("postgres");
        auto conn = ScopedConnection::open(admin, m_project.config.baseDir, {}, 5, false);
        if (!conn)
            return conn.error();
        const QString name = QStringLiteral("retort_stairway_%1").arg(QRandomGenerator::global()->generate() % 1000000000u);
        QSqlQuery q(conn->database());
        if (!q.exec(QStringLiteral("CREATE DATABASE %1").arg(quoteIdentifier(name))))
            return makeError(Error::Code::Database, QStringLiteral("Cannot create the scratch database %1: %2")
                                                        .arg(name, q.lastError().databaseText()));
        SqlUrl scratch = *baseUrl;
        scratch.database = name;
        // masked() hides the password; rebuild the real URL for Alembic.
        scratchUrl = base;
        scratchUrl.replace(QRegularExpression(QStringLiteral("/[^/?]*(\\?|$)")), QStringLiteral("/%1\\1").arg(name));
        m_scratchDescription = QStringLiteral("scratch PostgreSQL database %1").arg(scratch.masked());
        dropScratch = [admin, name, this] {
            auto c = ScopedConnection::open(admin, m_project.config.baseDir, {}, 5, false);
            if (c) {
                QSqlQuery drop(c->database());
                drop.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quoteIdentifier(name)));
            }
        };
    } else if (isMysqlUrl(*baseUrl)) {
        auto scratch = createMysqlScratchDatabase(*baseUrl, base, m_project.config.baseDir);
        if (!scratch)
            return scratch.error();
        scratchUrl = scratch->url;
        m_scratchDescription = scratch->description;
        dropScratch = scratch->drop;
    } else {
        return makeError(Error::Code::Database,
                         QStringLiteral("The stairway test runs on SQLite, PostgreSQL and MySQL/MariaDB databases."));
    }
    struct Cleanup
    {
        std::function<void()> f;
        ~Cleanup() { f(); }
    } cleanup{dropScratch};

    const QString ini = tmp.filePath(QStringLiteral("alembic.ini"));
    {
        QFile f(ini);
        if (!f.open(QIODevice::WriteOnly))
            return makeError(Error::Code::Io, QStringLiteral("Cannot write %1").arg(ini));
        f.write(scratchIni(m_project.config, scratchUrl).toUtf8());
    }
    const QString cwd = m_project.config.baseDir;

    QList<StairwayStep> steps;
    for (const PlanStep &s : *plan) {
        StairwayStep st;
        st.revision = map.at(s.revision).id;
        st.message = s.doc;
        steps.append(st);
    }
    QStringList applied; // current heads of the scratch database
    bool stopped = false;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        StairwayStep &st = steps[i];
        if (m_progress)
            m_progress(int(i), int(steps.size()), st.revision);
        if (stopped || (m_cancel && m_cancel->load())) {
            st.status = StairwayStep::Status::Skipped;
            st.reason = stopped ? QStringLiteral("not reached: an earlier step left the scratch database unusable")
                                : QStringLiteral("cancelled");
            continue;
        }
        const int idx = map.indexOf(st.revision);
        auto before = snapshot(scratchUrl);
        if (!before)
            return before.error();
        RunResult up = runAlembic(m_alembic, ini, {QStringLiteral("upgrade"), st.revision}, cwd);
        st.log += up.output;
        if (!up.ok) {
            st.status = StairwayStep::Status::Failed;
            st.reason = QStringLiteral("upgrade failed");
            stopped = true;
            continue;
        }
        auto after = snapshot(scratchUrl);
        if (!after)
            return after.error();
        QStringList headsAfter = applied;
        for (const QString &d : map.at(idx).downRevisions)
            headsAfter.removeAll(d);
        headsAfter.append(st.revision);

        // A downgrade target that undoes exactly this revision.
        QStringList candidates;
        if (map.at(idx).downRevisions.size() <= 1)
            candidates << st.revision + QStringLiteral("@-1");
        candidates << map.at(idx).downRevisions;
        QString target;
        for (const QString &c : std::as_const(candidates)) {
            auto p = map.downgradePlan(c, headsAfter);
            if (p && p->size() == 1 && p->first().revision == idx) {
                target = c;
                break;
            }
        }
        if (target.isEmpty()) {
            st.status = StairwayStep::Status::Skipped;
            st.reason = QStringLiteral("no downgrade target undoes exactly this revision");
            applied = headsAfter;
            continue;
        }
        RunResult down = runAlembic(m_alembic, ini, {QStringLiteral("downgrade"), target}, cwd);
        st.log += down.output;
        if (!down.ok) {
            st.status = StairwayStep::Status::Failed;
            st.reason = QStringLiteral("downgrade failed");
            stopped = true;
            continue;
        }
        auto undone = snapshot(scratchUrl);
        if (!undone)
            return undone.error();
        st.diff = unifiedDiff(*before, *undone, QStringLiteral("schema before upgrade %1").arg(st.revision),
                              QStringLiteral("schema after downgrade %1").arg(target));
        RunResult again = runAlembic(m_alembic, ini, {QStringLiteral("upgrade"), st.revision}, cwd);
        st.log += again.output;
        if (!again.ok) {
            // What the downgrade left behind makes the upgrade fail: record the step as applied
            // so the revisions after it are still tested.
            RunResult stamp = runAlembic(m_alembic, ini, {QStringLiteral("stamp"), st.revision}, cwd);
            st.log += stamp.output;
        }
        applied = headsAfter;
        if (!st.diff.isEmpty()) {
            st.status = StairwayStep::Status::Failed;
            st.reason = QStringLiteral("downgrade did not restore the schema");
        } else if (!again.ok) {
            st.status = StairwayStep::Status::Failed;
            st.reason = QStringLiteral("upgrade failed after the downgrade");
        } else {
            auto reapplied = snapshot(scratchUrl);
            if (!reapplied)
                return reapplied.error();
            if (*reapplied != *after) {
                st.status = StairwayStep::Status::Failed;
                st.reason = QStringLiteral("upgrading again gives a different schema");
                st.diff = unifiedDiff(*after, *reapplied, QStringLiteral("first upgrade"), QStringLiteral("second upgrade"));
            } else {
                st.status = StairwayStep::Status::Passed;
            }
        }
    }
    if (m_progress)
        m_progress(int(steps.size()), int(steps.size()), QString());
    return steps;
}

} // namespace retort::core
