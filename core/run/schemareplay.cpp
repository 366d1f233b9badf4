#include "schemareplay.h"

#include "db/sqlurl.h"
#include "db/versiontable.h"
#include "run/partialstep.h"
#include "run/replay.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

#include <algorithm>

namespace retort::core {

namespace {

QJsonArray changesJson(const QList<SchemaChange> &changes)
{
    QJsonArray a;
    for (const SchemaChange &c : changes)
        a.append(c.toJson());
    return a;
}

QList<SchemaChange> changesFromJson(const QJsonValue &v)
{
    QList<SchemaChange> out;
    for (const QJsonValue &x : v.toArray())
        out.append(SchemaChange::fromJson(x.toObject()));
    return out;
}

QString outcomeLog(const DriverOutcome &o)
{
    QString text = o.log.join(QLatin1Char('\n'));
    if (!o.ok && !o.error.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral("\n")) + QStringLiteral("FAILED: ") + o.error;
    return text.isEmpty() ? text : text + QLatin1Char('\n');
}

QStringList sorted(QStringList l)
{
    l.sort();
    return l;
}

} // namespace

// ---- RevisionSchemaDiff -------------------------------------------------------------------

QJsonObject RevisionSchemaDiff::toJson() const
{
    QJsonObject o{{QStringLiteral("revision"), revision},
                  {QStringLiteral("dialect"), dialect},
                  {QStringLiteral("upgrade"), changesJson(upgrade)},
                  {QStringLiteral("downgrade_target"), downgradeTarget},
                  {QStringLiteral("downgrade_leftovers"), changesJson(downgradeLeftovers)},
                  {QStringLiteral("cached"), fromCache}};
    if (!downgradeError.isEmpty())
        o.insert(QStringLiteral("downgrade_error"), downgradeError);
    return o;
}

RevisionSchemaDiff RevisionSchemaDiff::fromJson(const QJsonObject &o)
{
    RevisionSchemaDiff d;
    d.revision = o.value(QStringLiteral("revision")).toString();
    d.dialect = o.value(QStringLiteral("dialect")).toString();
    d.upgrade = changesFromJson(o.value(QStringLiteral("upgrade")));
    d.downgradeTarget = o.value(QStringLiteral("downgrade_target")).toString();
    d.downgradeLeftovers = changesFromJson(o.value(QStringLiteral("downgrade_leftovers")));
    d.downgradeError = o.value(QStringLiteral("downgrade_error")).toString();
    d.log = o.value(QStringLiteral("log")).toString();
    return d;
}

// ---- RevisionDiffer ----------------------------------------------------------------------

RevisionDiffer::RevisionDiffer(const Project &project, AlembicCommand alembic)
    : m_project(project), m_alembic(std::move(alembic)),
      m_cacheDir(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/retort/schema-diff"))
{
}

QString RevisionDiffer::cacheKey(int revision, const QString &dialect) const
{
    const RevisionMap &map = m_project.map;
    QCryptographicHash h(QCryptographicHash::Sha1);
    h.addData(QByteArrayLiteral("retort-schema-diff-2\n"));
    h.addData(dialect.toUtf8() + '\n' + m_alembic.version.toUtf8() + '\n');
    // env.py and the migrations may read -x arguments: another value, another answer.
    for (const QString &x : m_xArgs)
        h.addData("-x " + x.toUtf8() + '\n');
    auto addFile = [&](const QString &path) {
        QFile f(QDir(m_project.config.baseDir).absoluteFilePath(path));
        h.addData(path.toUtf8() + '\n');
        if (f.open(QIODevice::ReadOnly))
            h.addData(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha1).toHex() + '\n');
    };
    addFile(QDir(m_project.config.scriptLocation).filePath(QStringLiteral("env.py")));
    // The revision and everything it stands on, in a stable order.
    std::vector<int> todo{revision};
    QSet<int> seen;
    while (!todo.empty()) {
        const int r = todo.back();
        todo.pop_back();
        if (r < 0 || seen.contains(r))
            continue;
        seen.insert(r);
        for (int d : map.at(r).allDown)
            todo.push_back(d);
    }
    QList<int> all(seen.begin(), seen.end());
    std::sort(all.begin(), all.end(), [&](int a, int b) { return map.at(a).id < map.at(b).id; });
    for (int r : all) {
        h.addData(map.at(r).id.toUtf8() + '\n');
        if (map.at(r).file >= 0)
            addFile(map.files().at(map.at(r).file).path);
    }
    return QString::fromLatin1(h.result().toHex());
}

Result<RevisionSchemaDiff> RevisionDiffer::compute(const QString &spec)
{
    const RevisionMap &map = m_project.map;
    if (!map.isValid())
        return map.loadError();
    auto resolved = map.resolveOne(spec);
    if (!resolved)
        return resolved.error();
    const int idx = *resolved;
    if (idx < 0)
        return makeError(Error::Code::Resolution, QStringLiteral("'%1' is the base: it has no schema change of its own; name a revision.").arg(spec));
    const Revision &rev = map.at(idx);
    const QString base = m_baseUrl.isEmpty() ? m_project.config.sqlalchemyUrl : m_baseUrl;
    auto url = SqlUrl::parse(base);
    if (!url)
        return url.error();
    const QString dialect = url->isPostgres() ? QStringLiteral("postgresql") : url->dialect;
    const QString key = cacheKey(idx, dialect);
    const QString cacheFile = m_cacheDir.isEmpty() ? QString() : QDir(m_cacheDir).filePath(key + QStringLiteral(".json"));
    if (!cacheFile.isEmpty()) {
        QFile f(cacheFile);
        if (f.open(QIODevice::ReadOnly)) {
            const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
            if (doc.isObject() && doc.object().value(QStringLiteral("revision")).toString() == rev.id) {
                RevisionSchemaDiff d = RevisionSchemaDiff::fromJson(doc.object());
                d.fromCache = true;
                return d;
            }
        }
    }

    Replay replay(m_project, m_alembic, m_xArgs);
    if (auto started = replay.start(base, QStringLiteral("diff")); !started)
        return started.error();
    AlembicDriver &driver = replay.driver();
    driver.setCancelFlag(m_cancel);
    RevisionSchemaDiff d;
    d.revision = rev.id;
    d.dialect = dialect;
    QStringList heads;
    QStringList parents = rev.downRevisions;
    for (int dep : rev.resolvedDeps)
        parents.append(map.at(dep).id);
    for (const QString &p : std::as_const(parents)) {
        const DriverOutcome o = driver.upgrade(p);
        d.log += outcomeLog(o);
        if (!o.ok) {
            Error e = makeError(Error::Code::Database, QStringLiteral("Cannot replay the migrations up to %1 (before %2): %3").arg(p, rev.id, o.error));
            e.detail = d.log;
            return e;
        }
        heads = replay.headsAfter(p, heads);
    }
    auto before = replay.snapshot();
    if (!before)
        return before.error();
    const DriverOutcome up = driver.upgrade(rev.id);
    d.log += outcomeLog(up);
    if (!up.ok) {
        Error e = makeError(Error::Code::Database, QStringLiteral("The upgrade of %1 fails on a scratch database: %2").arg(rev.id, up.error));
        e.detail = d.log;
        return e;
    }
    auto after = replay.snapshot();
    if (!after)
        return after.error();
    d.upgrade = diffSchemas(*before, *after);
    heads = replay.headsAfter(rev.id, heads);
    d.downgradeTarget = replay.downgradeTarget(rev.id, heads);
    if (!d.downgradeTarget.isEmpty()) {
        const DriverOutcome down = driver.downgrade(d.downgradeTarget);
        d.log += outcomeLog(down);
        if (!down.ok) {
            d.downgradeError = down.error;
        } else {
            auto undone = replay.snapshot();
            if (!undone)
                return undone.error();
            d.downgradeLeftovers = diffSchemas(*before, *undone);
        }
    }
    if (!cacheFile.isEmpty() && !(m_cancel && m_cancel->load()) && !up.crashed) {
        QDir().mkpath(m_cacheDir);
        QSaveFile f(cacheFile);
        if (f.open(QIODevice::WriteOnly)) {
            QJsonObject o = d.toJson();
            o.insert(QStringLiteral("log"), d.log);
            f.write(QJsonDocument(o).toJson(QJsonDocument::Compact));
            f.commit();
        }
    }
    return d;
}

// ---- Drift -----------------------------------------------------------------------------------

QStringList DriftReport::handMade() const
{
    QStringList out;
    for (const SchemaChange &c : changes) {
        if (c.objectKind != QLatin1String("table") && c.objectKind != QLatin1String("column"))
            continue;
        if (c.action == SchemaChange::Action::Added)
            out.append(QStringLiteral("%1 %2").arg(c.objectKind, c.path()));
        else if (c.action == SchemaChange::Action::Changed && c.objectKind == QLatin1String("column"))
            out.append(QStringLiteral("column %1 (%2)").arg(c.path(), c.attribute));
    }
    out.removeDuplicates();
    return out;
}

QStringList DriftReport::advice() const
{
    QStringList out;
    if (!hasDrift())
        return out;
    for (const QStringList &m : matches) {
        const QString target = m.isEmpty() ? QStringLiteral("base") : m.join(QLatin1Char(' '));
        out.append(QStringLiteral("The schema is that of %1: stamp %1").arg(target));
    }
    const QString at = recorded.isEmpty() ? QStringLiteral("base") : recorded.join(QLatin1Char(' '));
    if (partial && !ddlCommittedBy.isEmpty()) {
        out.append(QStringLiteral("%1 commits each DDL statement as it runs: a step that failed midway kept the statements that "
                                  "ran before the failure (the + lines above), while the version table still names %2.")
                       .arg(ddlCommittedBy, at));
    }
    if (partial && partial->replayError.isEmpty()) {
        out.append(QStringLiteral("The database is part-way through %1 (%2): %3 of its %4 changes are there; missing:")
                       .arg(partial->revision, partial->message.section(QLatin1Char('\n'), 0, 0))
                       .arg(partial->total - partial->missing.size())
                       .arg(partial->total));
        for (const SchemaChange &c : partial->missing)
            out.append(QStringLiteral("  ") + c.text());
        out.append(QStringLiteral("Either make the missing changes by hand and stamp %1, or undo what is there by hand "
                                  "(what %1's downgrade does for it) and stay at %2.")
                       .arg(partial->revision, at));
    } else if (partial) {
        out.append(QStringLiteral("The next revision, %1 (%2), fails on a scratch database too: %3")
                       .arg(partial->revision, partial->message.section(QLatin1Char('\n'), 0, 0), partial->replayError));
        out.append(QStringLiteral("What is listed may be what it left behind: undo it by hand and stay at %1, or fix %2, "
                                  "finish it by hand and stamp %2.")
                       .arg(at, partial->revision));
    }
    if (matches.isEmpty() && !partial)
        out.append(QStringLiteral("No revision of this project gives this schema."));
    return out;
}

QJsonObject DriftReport::toJson() const
{
    QJsonArray m;
    for (const QStringList &h : matches)
        m.append(QJsonArray::fromStringList(h));
    QJsonObject o{{QStringLiteral("url"), url},
                  {QStringLiteral("recorded"), QJsonArray::fromStringList(recorded)},
                  {QStringLiteral("version_table"), versionTableExists},
                  {QStringLiteral("drift"), hasDrift()},
                  {QStringLiteral("changes"), changesJson(changes)},
                  {QStringLiteral("matches"), m},
                  {QStringLiteral("hand_made"), QJsonArray::fromStringList(handMade())},
                  {QStringLiteral("advice"), QJsonArray::fromStringList(advice())},
                  {QStringLiteral("scratch"), scratch}};
    if (partial) {
        QJsonObject p{{QStringLiteral("revision"), partial->revision},
                      {QStringLiteral("message"), partial->message},
                      {QStringLiteral("total"), partial->total},
                      {QStringLiteral("missing"), changesJson(partial->missing)}};
        if (!partial->replayError.isEmpty())
            p.insert(QStringLiteral("replay_error"), partial->replayError);
        if (!ddlCommittedBy.isEmpty())
            p.insert(QStringLiteral("ddl_committed_by"), ddlCommittedBy);
        o.insert(QStringLiteral("partial"), p);
    }
    if (!matches.isEmpty())
        o.insert(QStringLiteral("stamp"), matches.first().isEmpty() ? QStringLiteral("base") : matches.first().join(QLatin1Char(' ')));
    return o;
}

DriftCheck::DriftCheck(const Project &project, AlembicCommand alembic) : m_project(project), m_alembic(std::move(alembic)) {}

Result<DriftReport> DriftCheck::run()
{
    const ProjectConfig &cfg = m_project.config;
    const RevisionMap &map = m_project.map;
    if (!map.isValid())
        return map.loadError();
    const QString url = m_url.isEmpty() ? cfg.sqlalchemyUrl : m_url;
    if (url.isEmpty())
        return makeError(Error::Code::Config, QStringLiteral("No database URL: set sqlalchemy.url in %1 or pass --url.").arg(cfg.iniPath));
    auto parsed = SqlUrl::parse(url);
    if (!parsed)
        return parsed.error();
    DriftReport report;
    report.url = parsed->masked();
    report.ddlCommittedBy = ddlCommittingServer(*parsed);
    VersionTable::Options vo;
    vo.url = url;
    vo.workingDir = cfg.baseDir;
    vo.table = cfg.versionTable;
    vo.schema = cfg.versionTableSchema;
    auto position = VersionTable::read(vo);
    if (!position)
        return position.error();
    if (!position->databaseExists)
        return makeError(Error::Code::Database, QStringLiteral("There is no database at %1: nothing to compare.").arg(report.url));
    report.recorded = position->heads;
    report.versionTableExists = position->tableExists;

    SchemaSnapshot::ReadOptions ro;
    ro.versionTable = cfg.versionTable;
    ro.versionTableSchema = cfg.versionTableSchema;
    auto live = SchemaSnapshot::read(url, cfg.baseDir, ro);
    if (!live)
        return live.error();

    // The schema the migrations give at the recorded revision(s).
    SchemaSnapshot expectedSchema;
    {
        Replay replay(m_project, m_alembic, m_xArgs);
        if (auto started = replay.start(url, QStringLiteral("drift")); !started)
            return started.error();
        report.scratch = replay.scratch().description();
        replay.driver().setCancelFlag(m_cancel);
        for (const QString &h : std::as_const(report.recorded)) {
            if (map.indexOf(h) < 0)
                return makeError(Error::Code::Revision, QStringLiteral("The database is recorded at %1, which no revision file of this "
                                                                       "project defines: stamp it to a revision that exists.").arg(h));
            const DriverOutcome o = replay.driver().upgrade(h);
            report.log += outcomeLog(o);
            if (!o.ok) {
                Error e = makeError(Error::Code::Database, QStringLiteral("Cannot replay the migrations up to %1 on a %2: %3")
                                                                .arg(h, report.scratch, o.error));
                e.detail = report.log;
                return e;
            }
        }
        auto expected = replay.snapshot();
        if (!expected)
            return expected.error();
        expectedSchema = *expected;
        report.changes = diffSchemas(expectedSchema, *live);
    }
    if (!report.hasDrift())
        return report;

    // Which revision's schema is the live one? Replay the whole history, step by step.
    auto plan = map.upgradePlan(QStringLiteral("heads"), {});
    if (!plan)
        return report;
    Replay walk(m_project, m_alembic, m_xArgs);
    if (auto started = walk.start(url, QStringLiteral("drift")); !started)
        return started.error();
    walk.driver().setCancelFlag(m_cancel);
    const QStringList recorded = sorted(report.recorded);
    if (live->isEmpty() && !recorded.isEmpty())
        report.matches.append(QStringList{});
    // Everything the differences could be part of: only additions and changes the next step makes.
    auto explains = [&](const QList<SchemaChange> &stepChanges) {
        for (const SchemaChange &c : std::as_const(report.changes))
            if (!stepChanges.contains(c))
                return false;
        return true;
    };
    QStringList heads;
    for (const PlanStep &s : *plan) {
        if (m_cancel && m_cancel->load())
            break;
        const QString id = map.at(s.revision).id;
        const QStringList before = heads;
        const DriverOutcome o = walk.driver().upgrade(id);
        report.log += outcomeLog(o);
        // A next step of the recorded position: the walk is there exactly when its heads were.
        const bool nextStep = sorted(before) == recorded;
        if (!o.ok) {
            if (nextStep && !report.partial && report.matches.isEmpty())
                report.partial = DriftReport::PartialStep{id, s.doc, 0, {}, o.error};
            break;
        }
        heads = walk.headsAfter(id, heads);
        auto snap = walk.snapshot();
        if (!snap)
            return snap.error();
        if (*snap == *live && sorted(heads) != recorded)
            report.matches.append(heads);
        if (nextStep && !report.partial) {
            const QList<SchemaChange> stepChanges = diffSchemas(expectedSchema, *snap);
            if (!stepChanges.isEmpty() && explains(stepChanges) && stepChanges.size() > report.changes.size()) {
                DriftReport::PartialStep p{id, s.doc, int(stepChanges.size()), {}, {}};
                for (const SchemaChange &c : stepChanges)
                    if (!report.changes.contains(c))
                        p.missing.append(c);
                report.partial = p;
            }
        }
    }
    return report;
}

} // namespace retort::core
