#include "driftbadge.h"

#include "background.h"
#include "db/sqlurl.h"
#include "run/schemareplay.h"

#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QSettings>

namespace retort::ui {

namespace {

struct Answer
{
    core::Result<core::AlembicCommand> alembic = core::makeError(core::Error::Code::None, {});
    core::Result<core::DriftReport> report = core::makeError(core::Error::Code::None, {});
};

QString reportText(const core::DriftReport &r)
{
    const QString at = r.recorded.isEmpty() ? QObject::tr("no revision (base)") : r.recorded.join(QStringLiteral(", "));
    if (!r.hasDrift())
        return QObject::tr("No drift: the schema of %1 is the one the migrations give at %2.\n").arg(r.url, at);
    QString text = QObject::tr("%1 is recorded at %2, but its schema differs from the one the migrations give there\n"
                               "(+ only in the database, - only in the migrations, ~ changed):\n\n")
                       .arg(r.url, at);
    for (const core::SchemaChange &c : r.changes)
        text += QStringLiteral("  ") + c.text() + QLatin1Char('\n');
    const QStringList hand = r.handMade();
    if (!hand.isEmpty())
        text += QObject::tr("\nMade outside the migrations: %1.\n").arg(hand.join(QStringLiteral(", ")));
    text += QLatin1Char('\n') + r.advice().join(QLatin1Char('\n')) + QLatin1Char('\n');
    text += QObject::tr("\nReplayed on a %1, removed afterwards; the database itself was only read.\n").arg(r.scratch);
    return text;
}

} // namespace

DriftBadge::DriftBadge(QWidget *parent) : QToolButton(parent)
{
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    setText(tr("Drift: —"));
    setToolTip(tr("Whether the database's schema is the one its recorded revision gives"));
    connect(this, &QToolButton::clicked, this, [this] {
        if (m_state == State::Idle && m_project && !m_project->config.sqlalchemyUrl.isEmpty()) {
            m_asked = true;
            recheck();
        } else {
            showDetails();
        }
    });
}

DriftBadge::~DriftBadge()
{
    if (m_cancel)
        m_cancel->store(true);
    delete m_view;
}

void DriftBadge::setProject(std::shared_ptr<const core::Project> project)
{
    const bool otherFolder = !m_project || !project || m_project->config.baseDir != project->config.baseDir;
    m_project = std::move(project);
    if (otherFolder)
        m_alembic.reset();
    // The session reads the database position after every load; that signal rechecks.
}

void DriftBadge::setState(State state, const QString &text, const QString &details)
{
    m_state = state;
    setText(text);
    m_details = details;
    QPalette pal = palette();
    pal.setColor(QPalette::ButtonText, state == State::Drift ? QColor(0xb0, 0x30, 0x20) : palette().color(QPalette::WindowText));
    setPalette(pal);
    if (m_view)
        m_view->setPlainText(m_details);
    if (state != State::Checking)
        emit checked(state);
}

void DriftBadge::recheck()
{
    if (m_cancel)
        m_cancel->store(true);
    const quint64 generation = ++m_generation;
    if (!m_project || m_project->config.sqlalchemyUrl.isEmpty()) {
        setState(State::Idle, tr("Drift: —"), tr("No database URL (sqlalchemy.url) to check."));
        return;
    }
    // On a server the check creates a scratch database next to the user's: only when asked.
    const auto url = core::SqlUrl::parse(m_project->config.sqlalchemyUrl);
    if (!m_asked && !(url && url->isSqlite())) {
        setState(State::Idle, tr("Drift: check"),
                 tr("Click to compare the database with its migrations: they are replayed on a scratch database "
                    "created on the same server and dropped afterwards."));
        return;
    }
    m_asked = false;
    setState(State::Checking, tr("Drift: checking…"), tr("Replaying the migrations on a scratch database…"));
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto cancel = m_cancel;
    auto project = m_project;
    const std::optional<core::AlembicCommand> known = m_alembic;
    const QString configured = QSettings().value(QStringLiteral("run/alembic")).toString();
    runInBackground(
        this,
        [project, known, configured, cancel] {
            Answer a;
            a.alembic = known ? core::Result<core::AlembicCommand>(*known)
                              : core::AlembicLocator::locate(project->config.baseDir, configured);
            if (!a.alembic)
                return a;
            core::DriftCheck check(*project, *a.alembic);
            check.setCancelFlag(cancel.get());
            a.report = check.run();
            return a;
        },
        [this, generation](Answer a) {
            if (generation != m_generation)
                return;
            if (!a.alembic) {
                setState(State::Unknown, tr("Drift: unknown"), a.alembic.error().message);
                return;
            }
            m_alembic = *a.alembic;
            if (!a.report) {
                setState(State::Unknown, tr("Drift: unknown"), a.report.error().message);
                return;
            }
            const core::DriftReport &r = *a.report;
            if (!r.hasDrift()) {
                setState(State::NoDrift, tr("No drift"), reportText(r));
                return;
            }
            const qsizetype n = r.changes.size();
            setState(State::Drift, n == 1 ? tr("Drift: 1 difference") : tr("Drift: %1 differences").arg(n), reportText(r));
        });
}

void DriftBadge::showDetails()
{
    if (!m_view) {
        m_view = new QPlainTextEdit;
        m_view->setReadOnly(true);
        m_view->setWindowTitle(tr("Drift"));
        m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_view->resize(720, 360);
    }
    m_view->setPlainText(m_details);
    m_view->show();
    m_view->raise();
}

} // namespace retort::ui
