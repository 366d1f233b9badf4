#include "runpanel.h"

#include "runcontroller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QTextBlock>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace retort::ui {

namespace {

QToolButton *menuButton(const QString &text, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setPopupMode(QToolButton::InstantPopup);
    b->setMenu(new QMenu(b));
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return b;
}

const QString failedChunk = QStringLiteral("QProgressBar::chunk { background: #c01c28; }");

} // namespace

RunPanel::RunPanel(RunController *controller, QWidget *parent) : QWidget(parent), m_controller(controller)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    // One row for the buttons, which Alembic runs them and the production switch: the log
    // keeps the height (a dock at 1024x700 is a quarter of the window).
    auto *buttons = new QHBoxLayout;
    m_alembicLabel = new QLabel(tr("Looking for the project's Alembic…"), this);
    m_alembicLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_alembicLabel->setMinimumWidth(1);
    m_production = new QCheckBox(tr("Production database"), this);
    m_production->setToolTip(tr("Runs against a production database ask you to type its name first."));
    // Filled by setActions() with the window's actions: the same objects as the Run menu's.
    m_upgradeButton = menuButton(tr("Upgrade"), this);
    m_downgradeButton = menuButton(tr("Downgrade"), this);
    m_stampButton = menuButton(tr("Stamp"), this);
    m_sqlButton = menuButton(tr("SQL"), this);
    m_stairwayButton = new QToolButton(this);
    m_cancelButton = new QToolButton(this);
    for (QToolButton *b : {m_stairwayButton, m_cancelButton})
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QWidget *w : {static_cast<QWidget *>(m_upgradeButton), static_cast<QWidget *>(m_downgradeButton),
                       static_cast<QWidget *>(m_stampButton), static_cast<QWidget *>(m_sqlButton),
                       static_cast<QWidget *>(m_stairwayButton)})
        buttons->addWidget(w);
    buttons->addWidget(m_cancelButton);
    buttons->addSpacing(8);
    buttons->addWidget(m_alembicLabel, 1);
    buttons->addWidget(m_production);
    layout->addLayout(buttons);

    // The progress, the earlier runs and the log's search share one row, and the step under
    // way is said in the result line: at 1024x700 a failed run's message and several lines of
    // its log fit in the dock (three rows of controls left the log two lines).
    auto *status = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setMinimumWidth(80);
    m_history = new QComboBox(this);
    m_history->setToolTip(tr("Earlier runs"));
    m_history->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_history->setMinimumContentsLength(12);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search the log"));
    m_search->setClearButtonEnabled(true);
    status->addWidget(m_progress, 2);
    status->addWidget(m_history, 3);
    status->addWidget(m_search, 2);
    layout->addLayout(status);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    connect(m_result, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link == QLatin1String("cancel-merge"))
            m_controller->cancel();
    });
    layout->addWidget(m_result);

    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("runLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(50000);
    // Wrapped: what a failed step left behind is a sentence, read whole without scrolling
    // sideways (and without a scroll bar taking one of the dock's few lines).
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_log->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_log, 1);
    showProgress(0, 0);

    RunController *c = m_controller;
    connect(c, &RunController::alembicLocated, this, [this] { m_alembicLabel->setText(m_controller->alembicDescription()); });
    connect(c, &RunController::logCleared, m_log, &QPlainTextEdit::clear);
    connect(c, &RunController::lineAppended, this, &RunPanel::appendLine);
    connect(c, &RunController::progressChanged, this, &RunPanel::showProgress);
    connect(c, &RunController::runStarted, this, [this] {
        m_progress->setStyleSheet(QString());
        m_step.clear();
    });
    connect(c, &RunController::stepStarted, this, [this](const QString &, const QString &text) {
        m_step = text;
        showRunning();
    });
    connect(c, &RunController::statusChanged, m_result, &QLabel::setText);
    connect(c, &RunController::failedAt, this, [this] { m_progress->setStyleSheet(failedChunk); });
    connect(c, &RunController::runFinished, this, [this] { m_step.clear(); });
    connect(c, &RunController::historyChanged, this, &RunPanel::showHistory);
    connect(c, &RunController::targetChanged, this, &RunPanel::syncTarget);
    connect(m_history, &QComboBox::activated, this, [this](int i) {
        const auto &runs = m_controller->history();
        if (i >= 0 && i < runs.size() && !m_controller->isRunning()) {
            m_log->setPlainText(runs[i].log);
            m_result->setText(runs[i].status);
        }
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (!m_log->find(m_search->text())) {
            m_log->moveCursor(QTextCursor::Start);
            m_log->find(m_search->text());
        }
    });
    connect(m_production, &QCheckBox::toggled, m_controller, &RunController::setProduction);
    // Refresh the elapsed time while a run goes on.
    auto *tick = new QTimer(this);
    tick->setInterval(500);
    connect(tick, &QTimer::timeout, this, &RunPanel::showRunning);
    tick->start();
    syncTarget();
}

RunPanel::~RunPanel() = default;

void RunPanel::setActions(const QList<QAction *> &upgrade, const QList<QAction *> &downgrade, const QList<QAction *> &stamp,
                          const QList<QAction *> &sql, QAction *stairway, QAction *cancel)
{
    m_upgradeButton->menu()->addActions(upgrade);
    m_downgradeButton->menu()->addActions(downgrade);
    m_stampButton->menu()->addActions(stamp);
    m_sqlButton->menu()->addActions(sql);
    m_stairwayButton->setDefaultAction(stairway);
    m_cancelButton->setDefaultAction(cancel);
}

void RunPanel::syncTarget()
{
    const QSignalBlocker block(m_production);
    m_production->setChecked(m_controller->isProduction());
    const RunTarget &t = m_controller->target();
    m_production->setToolTip(tr("Runs go to %1. On a production database they ask you to type its name first.")
                                 .arg(t.name.isEmpty() ? m_controller->maskedUrl() : t.name));
}

void RunPanel::showRunning()
{
    if (!m_controller->isRunning() || m_controller->isStairwayRunning())
        return;
    const QString elapsed = QString::number(m_controller->elapsedMs() / 1000.0, 'f', 1);
    m_result->setText(m_step.isEmpty() ? tr("%1 — running for %2 s").arg(m_controller->title(), elapsed)
                                       : tr("%1 — running for %2 s: %3").arg(m_controller->title(), elapsed, m_step));
}

void RunPanel::showProgress(int done, int total)
{
    if (total <= 0 && done <= 0 && !m_controller->isRunning()) {
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_progress->setFormat(m_controller->history().isEmpty() ? tr("No run yet") : tr("No steps"));
        if (m_controller->history().isEmpty())
            m_progress->setStyleSheet(QString());
        return;
    }
    if (total <= 0) {
        // Running, no step known yet (a merge writes a file; a plan still being read): busy.
        m_progress->setRange(0, 0);
        return;
    }
    m_progress->setFormat(tr("%v / %m steps"));
    m_progress->setRange(0, total);
    m_progress->setValue(done);
}

void RunPanel::showHistory()
{
    m_history->clear();
    for (const RunRecord &r : m_controller->history())
        m_history->addItem(r.title);
    m_history->setCurrentIndex(m_history->count() ? 0 : -1);
    if (m_controller->history().isEmpty()) {
        m_result->clear();
        m_step.clear();
        showProgress(0, 0);
    }
}

void RunPanel::appendLine(const QString &line, core::AlembicProcess::Level level)
{
    QTextCharFormat format;
    switch (level) {
    case core::AlembicProcess::Level::Error: format.setForeground(QColor(0xc0, 0x1c, 0x28)); break;
    case core::AlembicProcess::Level::Warning: format.setForeground(QColor(0xb3, 0x59, 0x00)); break;
    case core::AlembicProcess::Level::Info: format.setForeground(palette().color(QPalette::Text)); break;
    case core::AlembicProcess::Level::Output: format.setForeground(palette().color(QPalette::PlaceholderText)); break;
    }
    QTextCursor cursor(m_log->document());
    cursor.movePosition(QTextCursor::End);
    if (!m_log->document()->isEmpty())
        cursor.insertBlock();
    cursor.insertText(line, format);
    m_log->ensureCursorVisible();
}

} // namespace retort::ui
