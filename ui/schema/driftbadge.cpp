#include "driftbadge.h"

#include "databases.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QMenu>
#include <QPlainTextEdit>

namespace retort::ui {

namespace {

DriftBadge::State toBadge(DriftResult::State s)
{
    switch (s) {
    case DriftResult::State::Unchecked: return DriftBadge::State::Idle;
    case DriftResult::State::Checking: return DriftBadge::State::Checking;
    case DriftResult::State::NoDrift: return DriftBadge::State::NoDrift;
    case DriftResult::State::Drift: return DriftBadge::State::Drift;
    case DriftResult::State::Unknown: return DriftBadge::State::Unknown;
    }
    return DriftBadge::State::Idle;
}

} // namespace

DriftBadge::DriftBadge(Databases *databases, QWidget *parent) : QToolButton(parent), m_databases(databases)
{
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    setPopupMode(QToolButton::MenuButtonPopup);
    setMenu(new QMenu(this));
    connect(menu(), &QMenu::aboutToShow, this, &DriftBadge::fillMenu);
    connect(this, &QToolButton::clicked, this, [this] { showDetails(); });
    connect(m_databases, &Databases::driftChanged, this, [this](const QString &name) {
        update(name);
        const DriftResult::State s = m_databases->activeStatus().drift.state;
        if (name == m_databases->active() && s != DriftResult::State::Checking && s != DriftResult::State::Unchecked)
            emit checked(toBadge(s));
    });
    connect(m_databases, &Databases::activeChanged, this, [this] { update(m_databases->active()); });
    connect(m_databases, &Databases::connectionsChanged, this, [this] { update(m_databases->active()); });
    connect(m_databases, &Databases::statusChanged, this, [this](const QString &name) {
        if (name == m_databases->active())
            update(name);
    });
    update(m_databases->active());
}

DriftBadge::~DriftBadge()
{
    delete m_view;
}

DriftBadge::State DriftBadge::state() const
{
    return toBadge(m_databases->activeStatus().drift.state);
}

QPlainTextEdit *DriftBadge::detailsView() const
{
    return m_view;
}

QString DriftBadge::detailsText() const
{
    return m_view ? m_view->toPlainText() : QString();
}

void DriftBadge::update(const QString &database)
{
    const QString active = m_databases->active();
    const DriftResult &d = m_databases->activeStatus().drift;
    QString text;
    if (active.isEmpty()) {
        text = tr("Drift: —");
        setToolTip(tr("No database to check: the project has no sqlalchemy.url and no connection."));
    } else {
        switch (d.state) {
        case DriftResult::State::Unchecked: text = tr("Drift: check"); break;
        case DriftResult::State::Checking: text = tr("Drift: checking…"); break;
        case DriftResult::State::NoDrift: text = tr("No drift"); break;
        case DriftResult::State::Drift:
            text = d.differences == 1 ? tr("Drift: 1 difference") : tr("Drift: %1 differences").arg(d.differences);
            break;
        case DriftResult::State::Unknown: text = tr("Drift: unknown"); break;
        }
        setToolTip(d.state == DriftResult::State::Unchecked
                       ? tr("Click to compare %1 with its migrations: they are replayed on a scratch database (on a "
                            "server: created there and dropped afterwards); the database itself is only read.").arg(active)
                       : tr("Whether the schema of %1 is the one its recorded revision gives; click for the details, the "
                            "arrow for the other databases.").arg(active));
    }
    // The other connected databases that drifted, by name.
    for (const DatabaseConnection &c : m_databases->connections()) {
        const DatabaseStatus &st = m_databases->status(c.name);
        if (c.name != active && st.isConnected() && st.drift.state == DriftResult::State::Drift)
            text += QStringLiteral(" · %1 \u2260%2").arg(c.name).arg(st.drift.differences);
    }
    setText(text);
    QPalette pal = palette();
    const bool drift = d.state == DriftResult::State::Drift || text.contains(QChar(0x2260));
    pal.setColor(QPalette::ButtonText, drift ? QColor(0xb0, 0x30, 0x20) : QPalette().color(QPalette::WindowText));
    setPalette(pal);
    if (m_view && database == m_shownFor)
        m_view->setPlainText(m_databases->status(database).drift.details);
}

void DriftBadge::fillMenu()
{
    menu()->clear();
    for (const DatabaseConnection &c : m_databases->connections()) {
        const DatabaseStatus &st = m_databases->status(c.name);
        QString line;
        if (!st.isConnected())
            line = tr("%1: not connected").arg(c.name);
        else {
            switch (st.drift.state) {
            case DriftResult::State::Unchecked: line = tr("%1: check drift").arg(c.name); break;
            case DriftResult::State::Checking: line = tr("%1: checking…").arg(c.name); break;
            case DriftResult::State::NoDrift: line = tr("%1: no drift").arg(c.name); break;
            case DriftResult::State::Drift: line = tr("%1: %n difference(s)", nullptr, st.drift.differences).arg(c.name); break;
            case DriftResult::State::Unknown: line = tr("%1: unknown (check again)").arg(c.name); break;
            }
        }
        QAction *a = menu()->addAction(line, this, [this, name = c.name] { showDetails(name); });
        a->setEnabled(st.isConnected());
    }
}

void DriftBadge::showDetails(const QString &database)
{
    const QString name = database.isEmpty() ? m_databases->active() : database;
    if (name.isEmpty())
        return;
    const DriftResult &d = m_databases->status(name).drift;
    // Not checked (or the check could not finish): this click asks for it.
    if (d.state == DriftResult::State::Unchecked || d.state == DriftResult::State::Unknown)
        m_databases->checkDrift(name, true);
    if (!m_view) {
        // A modeless dialog of the main window's: transient for it (kept above it, placed over
        // it by the window manager), closed with it, never a stray top-level.
        m_view = new QPlainTextEdit(window());
        m_view->setWindowFlags(Qt::Dialog);
        m_view->setObjectName(QStringLiteral("driftDetails"));
        m_view->setReadOnly(true);
        m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        // Its sentences wrap: at 760 px the first line ("No drift: the schema of <url> is the
        // one ...") ran off the right edge.
        m_view->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        m_view->resize(760, 380);
        // A window with no buttons: Esc closes it, as it closes every dialog.
        m_view->installEventFilter(this);
    }
    m_shownFor = name;
    m_view->setWindowTitle(tr("Drift — %1").arg(name));
    m_view->setPlainText(m_databases->status(name).drift.details);
    m_view->show();
    m_view->raise();
}

bool DriftBadge::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        m_view->close();
        return true;
    }
    return QToolButton::eventFilter(watched, event);
}

} // namespace retort::ui
