#pragma once

#include "db/versiontable.h"
#include "project/scriptdirectory.h"
#include "result.h"
#include "run/alembiclocator.h"
#include "run/schemareplay.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>

namespace retort::ui {

// One named database of a project. The password is never part of it: it lives in
// Databases' memory for the session only.
struct DatabaseConnection
{
    QString name;
    QString url;            // SQLAlchemy URL, without a password
    QStringList xArgs;      // -x arguments a run passes (an env.py that builds its URL from them)
    bool production = false;
    bool fromIni = false;   // the project's sqlalchemy.url: follows the ini, cannot be removed

    bool operator==(const DatabaseConnection &) const = default;
};

// Whether a database is where its version table says (core::DriftCheck's answer, as data).
struct DriftResult
{
    enum class State { Unchecked, Checking, NoDrift, Drift, Unknown };
    State state = State::Unchecked;
    int differences = 0;
    QString details;        // the report as text (what the diff window shows)
    QStringList handMade;   // "column employees.nickname": made outside the migrations
};

// What Retort last read from one database.
struct DatabaseStatus
{
    bool reading = false;
    bool read = false;          // a reading has arrived (successful or not)
    bool exists = false;        // false: a SQLite file that is not there yet, or no answer
    bool tableExists = false;
    QStringList heads;          // the version table's rows
    QSet<QString> applied;      // every revision under the heads
    core::Error error;          // core::isAuthenticationFailure: the server wants a (right) password
    DriftResult drift;

    // Read, and the answer is a position (the file may not exist yet).
    bool isConnected() const { return read && !error.isValid() && exists; }
};

// The project's named databases (the ini's sqlalchemy.url, saved ones, URLs entered by
// hand), each with its position and drift, one of them active: the one the State column,
// the Schema dock and runs follow. Owned by ProjectSession; views observe its signals and
// never copy its state. Connections are saved per project in QSettings without passwords;
// passwords stay in memory for the session, also after a failed connect; only an
// authentication failure forgets one (and asks again through passwordRequired).
// Reading, testing and drift run in the background pool. Lives on the GUI thread.
class Databases : public QObject
{
    Q_OBJECT
public:
    explicit Databases(QObject *parent = nullptr);
    ~Databases() override;

    // A new snapshot: the list is rebuilt from the ini and the saved connections; the
    // statuses, passwords and drift results of unchanged connections stay.
    void setProject(std::shared_ptr<const core::Project> project);
    std::shared_ptr<const core::Project> project() const { return m_project; }

    const QList<DatabaseConnection> &connections() const { return m_connections; }
    int indexOf(const QString &name) const;
    std::optional<DatabaseConnection> connection(const QString &name) const;
    const DatabaseStatus &status(const QString &name) const;

    QString active() const { return m_active; }
    std::optional<DatabaseConnection> activeConnection() const { return connection(m_active); }
    const DatabaseStatus &activeStatus() const { return status(m_active); }
    // Makes `name` active and connects (reads it); false for a name that is not in the list.
    bool setActive(const QString &name);

    // Each returns an empty string, or one line saying why nothing changed.
    QString add(const DatabaseConnection &connection, const QString &password = QString());
    QString edit(const QString &name, const DatabaseConnection &connection);
    QString remove(const QString &name);

    void setPassword(const QString &name, const QString &password);
    bool hasPassword(const QString &name) const { return m_passwords.contains(name); }
    // The URL with the session's password in it: for background jobs and Alembic only.
    QString urlWithPassword(const QString &name) const;

    // Re-reads every database; `forceDrift`: SQLite drift is checked again even when the
    // files and the position are unchanged (the schema may have been changed by hand).
    void refresh(bool forceDrift = false);
    // Reads one; `interactive`: a person asked, so a password may be asked for.
    void read(const QString &name, bool interactive = false);
    // A run's step committed: the version table of `name` now holds `heads` (what the next
    // read will say); a read still under way about the older position is dropped.
    void setCommittedHeads(const QString &name, const QStringList &heads);
    // Gives up on a read under way (a server that takes the connection and never answers):
    // its answer, whenever the pool's connect returns, is dropped, and the status says it was
    // not answering. False when `name` is not being read.
    bool cancelRead(const QString &name);
    // Connects and reads the version table; the answer is one line (tested).
    void test(const QString &name);
    // Replays the migrations on a scratch database and compares; a cached answer (same
    // files, same position) is reused unless `force`.
    void checkDrift(const QString &name, bool force = false);

    // Names as the graph header shows them (at most 4 characters).
    static QString shortName(const QString &name);

signals:
    void connectionsChanged();
    void activeChanged(const QString &name);
    void statusChanged(const QString &name);
    void driftChanged(const QString &name);
    void tested(const QString &name, bool ok, const QString &line);
    // The server refused the credentials of a read a person asked for: ask for a password,
    // then setPassword() and read() again.
    void passwordRequired(const QString &name, const retort::core::Error &error);

private:
    void load();
    void save() const;
    static QString settingsGroup(const core::Project *project);
    void finishRead(const QString &name, quint64 generation, bool interactive, const core::Result<core::DatabasePosition> &answer);
    QString driftKey(const QString &name) const;
    struct DriftAnswer
    {
        core::Result<core::AlembicCommand> alembic = core::makeError(core::Error::Code::None, {});
        core::Result<core::DriftReport> report = core::makeError(core::Error::Code::None, {});
    };
    void startNextDrift();
    void finishDrift(const QString &name, quint64 generation, const DriftAnswer &answer);

    std::shared_ptr<const core::Project> m_project;
    QList<DatabaseConnection> m_connections;
    QHash<QString, DatabaseStatus> m_status;
    QHash<QString, QString> m_passwords;
    QHash<QString, quint64> m_readGeneration;
    QHash<QString, quint64> m_driftGeneration;
    QHash<QString, QString> m_driftKey;            // the key the shown drift answer was computed for
    QHash<QString, std::shared_ptr<std::atomic<bool>>> m_driftCancel;
    QStringList m_driftQueue;                      // checks waiting for the one running
    QString m_driftRunning;
    quint64 m_driftRunningGeneration = 0;
    std::optional<core::AlembicCommand> m_alembic;
    QSet<QString> m_asked;       // asked for a password by itself once this session
    QSet<QString> m_forceDrift;  // the next read's drift check ignores the cache
    QSet<QString> m_testing;     // the next read answers tested()
    QString m_active;
    quint64 m_nextGeneration = 0;
};

} // namespace retort::ui
