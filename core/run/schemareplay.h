#pragma once

#include "project/scriptdirectory.h"
#include "run/alembiclocator.h"
#include "schema/schemasnapshot.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <optional>

namespace retort::core {

// What one revision does to the schema, replayed on a scratch database of the project's
// dialect: the changes its upgrade makes, and what its downgrade leaves different from
// before the upgrade (empty when the downgrade restores the schema).
struct RevisionSchemaDiff
{
    QString revision;
    QString dialect;
    QList<SchemaChange> upgrade;
    QList<SchemaChange> downgradeLeftovers;
    QString downgradeTarget;    // empty: no downgrade undoes exactly this revision
    QString downgradeError;     // the downgrade failed: Alembic's message
    QString log;
    bool fromCache = false;

    QJsonObject toJson() const;
    static RevisionSchemaDiff fromJson(const QJsonObject &o);
};

// Computes RevisionSchemaDiff, cached on disk by the content of every file the answer
// depends on (the revision and its ancestors, env.py) so a second ask is instant.
// Blocking; run off the GUI thread.
class RevisionDiffer
{
public:
    RevisionDiffer(const Project &project, AlembicCommand alembic);
    void setBaseUrl(const QString &url) { m_baseUrl = url; }
    // The user's -x key=value arguments, for env.py; part of the cache key.
    void setXArguments(const QStringList &args) { m_xArgs = args; }
    // Default: <cache location>/schema-diff. Empty string: no cache.
    void setCacheDir(const QString &dir) { m_cacheDir = dir; }
    void setCancelFlag(const std::atomic<bool> *flag) { m_cancel = flag; }

    Result<RevisionSchemaDiff> compute(const QString &revision);
    // The key the cache file is named by (exposed for tests).
    QString cacheKey(int revision, const QString &dialect) const;

private:
    const Project &m_project;
    AlembicCommand m_alembic;
    QString m_baseUrl;
    QStringList m_xArgs;
    QString m_cacheDir;
    const std::atomic<bool> *m_cancel = nullptr;
};

// Whether a database is where its version table says: its live schema against the schema
// the migrations give at the recorded revision(s), replayed on a scratch database. When
// they differ, the replay walks the whole history to name a revision whose schema is the
// live one. The user's database is only read.
struct DriftReport
{
    QString url;                 // masked
    QStringList recorded;        // the version table's heads
    bool versionTableExists = false;
    QList<SchemaChange> changes; // replayed (expected) -> live: "+" only in the database
    QList<QStringList> matches;  // heads whose replayed schema equals the live one (not the recorded)
    // A step applied in part (a failed run on a database without transactional DDL): the
    // next revision whose upgrade makes every change found, and the ones it makes that are
    // not there. Empty when no single next revision explains the differences.
    struct PartialStep
    {
        QString revision;
        QString message;
        int total = 0;                   // changes its upgrade makes
        QList<SchemaChange> missing;     // of those, not in the database
        QString replayError;             // its upgrade fails on the scratch database too
    };
    std::optional<PartialStep> partial;
    // "MySQL" / "MariaDB" when the database commits each DDL statement as it runs (a failed
    // step keeps what ran before the failure); empty for SQLite and PostgreSQL.
    QString ddlCommittedBy;
    QString scratch;             // where the replay ran
    QString log;

    bool hasDrift() const { return !changes.isEmpty(); }
    // "table audit_log", "column employees.nickname": present live, made by no migration.
    QStringList handMade() const;
    // What the user can do, one line each: the revision to stamp, or for a step applied in
    // part the two ways out (finish by hand and stamp, or undo by hand). Retort only proposes.
    QStringList advice() const;
    QJsonObject toJson() const;
};

class DriftCheck
{
public:
    DriftCheck(const Project &project, AlembicCommand alembic);
    void setUrl(const QString &url) { m_url = url; }
    // The user's -x key=value arguments, for env.py in the replays.
    void setXArguments(const QStringList &args) { m_xArgs = args; }
    void setCancelFlag(const std::atomic<bool> *flag) { m_cancel = flag; }
    Result<DriftReport> run();

private:
    const Project &m_project;
    AlembicCommand m_alembic;
    QString m_url;
    QStringList m_xArgs;
    const std::atomic<bool> *m_cancel = nullptr;
};

} // namespace retort::core
