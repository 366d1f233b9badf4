#pragma once

#include "project/scriptdirectory.h"
#include "run/alembicdriver.h"
#include "schema/schemasnapshot.h"

#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace retort::core {

// A scratch database next to the user's: a new SQLite file in a temporary folder, or on
// PostgreSQL a database created on the same server (and dropped again with FORCE when
// this object goes away). The user's database is never written.
class ScratchDatabase
{
public:
    // `baseUrl`: the database whose dialect and server to use; `purpose` names it ("stairway").
    static Result<std::unique_ptr<ScratchDatabase>> create(const QString &baseUrl, const QString &workingDir, const QString &purpose);
    ~ScratchDatabase();

    QString url() const { return m_url; }                 // with the password: for Alembic only
    QString description() const { return m_description; } // password masked: for people
    bool isPostgres() const { return m_postgres; }

private:
    ScratchDatabase() = default;
    QTemporaryDir m_dir;
    QString m_url;
    QString m_description;
    bool m_postgres = false;
    std::function<void()> m_drop;
};

// The project's migrations replayed on a scratch database through one Alembic driver:
// what the stairway, `retort diff` and `retort drift` are built on. `xArgs` are the user's
// -x key=value arguments, handed to env.py as `alembic -x` does. Blocking; one thread.
class Replay
{
public:
    Replay(const Project &project, AlembicCommand alembic, QStringList xArgs = {});

    // Creates the scratch database (from `baseUrl`, default sqlalchemy.url) and opens the
    // project in the driver, pointed at it.
    Result<bool> start(const QString &baseUrl, const QString &purpose);
    AlembicDriver &driver() { return *m_driver; }
    ScratchDatabase &scratch() { return *m_scratch; }
    Result<SchemaSnapshot> snapshot() const;
    SchemaSnapshot::ReadOptions readOptions() const;
    // A downgrade target that undoes exactly `revision` when the database is at `heads`
    // (empty when no single target does).
    QString downgradeTarget(const QString &revision, const QStringList &heads) const;
    // The heads after upgrading `revision` from `heads`.
    QStringList headsAfter(const QString &revision, const QStringList &heads) const;
    const Project &project() const { return m_project; }

private:
    const Project &m_project;
    AlembicCommand m_alembic;
    QStringList m_xArgs;
    std::unique_ptr<ScratchDatabase> m_scratch;
    std::unique_ptr<AlembicDriver> m_driver; // destroyed first: it may hold scratch connections
};

} // namespace retort::core
