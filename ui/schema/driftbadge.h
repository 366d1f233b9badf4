#pragma once

#include "project/scriptdirectory.h"
#include "run/alembiclocator.h"

#include <QToolButton>

#include <atomic>
#include <memory>
#include <optional>

class QPlainTextEdit;

namespace retort::ui {

// The status bar's drift badge: whether the project's database is where its version table
// says, from core::DriftCheck run in the background (the database only read, the migrations
// replayed on a scratch database). recheck() when the database position changes (the
// session reports it after every load and run); a newer check cancels the one in flight. A click opens the differences and the
// revision to stamp, if one matches. Retort proposes; the user decides. On SQLite it checks
// by itself; on a server (where the replay creates a scratch database) only when clicked.
class DriftBadge : public QToolButton
{
    Q_OBJECT
public:
    enum class State { Idle, Checking, NoDrift, Drift, Unknown };
    Q_ENUM(State)

    explicit DriftBadge(QWidget *parent = nullptr);
    ~DriftBadge() override;

    State state() const { return m_state; }
    // What the details window shows (the report as text).
    QString detailsText() const { return m_details; }
    QPlainTextEdit *detailsView() const { return m_view; }

public slots:
    void setProject(std::shared_ptr<const retort::core::Project> project);
    void recheck();
    void showDetails();

signals:
    void checked(retort::ui::DriftBadge::State state);

private:
    void setState(State state, const QString &text, const QString &details);

    std::shared_ptr<const core::Project> m_project;
    std::optional<core::AlembicCommand> m_alembic;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    quint64 m_generation = 0;
    bool m_asked = false;
    State m_state = State::Idle;
    QString m_details;
    QPlainTextEdit *m_view = nullptr;
};

} // namespace retort::ui
