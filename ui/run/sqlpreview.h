#pragma once

#include "run/alembicprocess.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

namespace retort::core { struct Project; }

namespace retort::ui {

// One revision's offline SQL, as Alembic renders it with --sql.
struct RevisionSql
{
    QString revision;
    QStringList parents;       // down revisions (empty: from base)
    QString upgrade;           // the upgrade step's SQL (a merge: the step from all its parents)
    QString downgrade;
    QString upgradeError;      // Alembic's own message when it cannot render offline
    QString downgradeError;
    // The text for the SQL tab: headed "-- upgrade REV (from ...)" then "-- downgrade REV (to ...)".
    QString text() const;
};

// The SQL preview: renders offline SQL with the project's Alembic (`--sql`) in a child
// process of its own. It is not a run: it never touches the run log, the run history, the
// run state, the database or the schema dock, and a newer request cancels the older one.
// Widget-free; lives on the GUI thread, never blocks.
class SqlPreview : public QObject
{
    Q_OBJECT
public:
    explicit SqlPreview(QObject *parent = nullptr);
    ~SqlPreview() override;

    void setProject(std::shared_ptr<const core::Project> project);
    void setAlembic(const std::optional<core::AlembicCommand> &alembic);
    bool isReady() const { return m_project && m_alembic.has_value(); }
    bool isBusy() const;

    // The upgrade and downgrade SQL of one revision; the answer is revisionSqlReady.
    bool renderRevision(const QString &revision);
    // `alembic upgrade|downgrade RANGE --sql`; the answer is rangeSqlReady.
    bool renderRange(bool upgrade, const QString &range);
    void cancel();

    // From Alembic's --sql output (log lines included), the SQL of the step whose
    // "-- Running upgrade ... -> REV" (or "-- Running downgrade REV -> ...") heading names
    // `revision`, with what precedes the first step (BEGIN, the version table). Pure.
    static QString stepSql(const QStringList &output, const QString &revision, bool upgrade);
    // The SQL lines of an --sql run: everything that is not one of Alembic's log lines.
    static QStringList sqlLines(const QStringList &output);
    // The --sql range for a preview from the database's heads: "cur:target" when one head is
    // applied (upgrade), "cur|heads:target" for a downgrade.
    static QString range(bool upgrade, const QString &target, const QStringList &currentHeads);

signals:
    void revisionSqlReady(const retort::ui::RevisionSql &sql);
    void rangeSqlReady(const QString &title, const QString &sql, const QString &error);

private:
    enum class Phase { Idle, RevisionUp, RevisionDown, Range };
    void startPhase(Phase phase, const QStringList &args);
    void onFinished(int exitCode, bool crashedOrCancelled);
    QString errorText() const;

    std::shared_ptr<const core::Project> m_project;
    std::optional<core::AlembicCommand> m_alembic;
    core::AlembicProcess *m_process;
    Phase m_phase = Phase::Idle;
    RevisionSql m_result;
    QString m_rangeTitle;
    QStringList m_pending;    // a request that arrived while the child was stopping
    Phase m_pendingPhase = Phase::Idle;
};

} // namespace retort::ui

Q_DECLARE_METATYPE(retort::ui::RevisionSql)
