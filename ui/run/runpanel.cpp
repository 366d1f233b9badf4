#include "runpanel.h"

#include "background.h"
#include "db/sqlurl.h"
#include "projectsession.h"
#include "prompter.h"
#include "project/scriptdirectory.h"
#include "run/stairway.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QTextBlock>
#include <QTime>
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

} // namespace

RunPanel::RunPanel(ProjectSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_process(new core::AlembicProcess(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto *top = new QHBoxLayout;
    m_alembicLabel = new QLabel(tr("Looking for the project's Alembic…"), this);
    m_alembicLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_alembicLabel, 1);
    m_production = new QCheckBox(tr("Production database"), this);
    m_production->setToolTip(tr("Runs against a production database ask you to type its name first."));
    top->addWidget(m_production);
    layout->addLayout(top);

    auto *buttons = new QHBoxLayout;
    m_upgradeButton = menuButton(tr("Upgrade"), this);
    m_downgradeButton = menuButton(tr("Downgrade"), this);
    m_stampButton = menuButton(tr("Stamp"), this);
    auto *sqlButton = menuButton(tr("SQL"), this);
    auto *stairwayButton = new QPushButton(tr("Stairway Test"), this);
    stairwayButton->setToolTip(tr("Upgrade, downgrade and upgrade again every revision on a scratch database, comparing "
                                  "the schema each time."));
    connect(stairwayButton, &QPushButton::clicked, this, &RunPanel::runStairway);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setEnabled(false);
    for (QWidget *w : {static_cast<QWidget *>(m_upgradeButton), static_cast<QWidget *>(m_downgradeButton),
                       static_cast<QWidget *>(m_stampButton), static_cast<QWidget *>(sqlButton),
                       static_cast<QWidget *>(stairwayButton)})
        buttons->addWidget(w);
    buttons->addStretch(1);
    buttons->addWidget(m_cancelButton);
    layout->addLayout(buttons);

    auto selected = [this]() { return m_selected.isEmpty() ? QString() : m_selected.first(); };
    QMenu *up = m_upgradeButton->menu();
    up->addAction(tr("To the Selected Revision"), this, [this, selected] { if (!selected().isEmpty()) upgrade(selected()); });
    up->addAction(tr("To All Heads"), this, [this] { upgrade(QStringLiteral("heads")); });
    up->addAction(tr("One Step (+1)"), this, [this] { upgrade(QStringLiteral("+1")); });
    QMenu *down = m_downgradeButton->menu();
    down->addAction(tr("To the Selected Revision"), this, [this, selected] { if (!selected().isEmpty()) downgrade(selected()); });
    down->addAction(tr("This Branch by One (REV@-1)"), this, [this, selected] {
        if (!selected().isEmpty())
            downgrade(selected() + QStringLiteral("@-1"));
    });
    down->addAction(tr("One Step (-1)"), this, [this] { downgrade(QStringLiteral("-1")); });
    down->addAction(tr("To Base (everything)"), this, [this] { downgrade(QStringLiteral("base")); });
    QMenu *st = m_stampButton->menu();
    st->addAction(tr("Stamp the Selected Revision"), this, [this, selected] { if (!selected().isEmpty()) stamp(selected()); });
    st->addAction(tr("Stamp Heads"), this, [this] { stamp(QStringLiteral("heads")); });
    st->addAction(tr("Stamp Base"), this, [this] { stamp(QStringLiteral("base")); });
    QMenu *sql = sqlButton->menu();
    sql->addAction(tr("Upgrade SQL to the Selected Revision"), this, [this, selected] { previewSql(true, selected().isEmpty() ? QStringLiteral("heads") : selected()); });
    sql->addAction(tr("Upgrade SQL to Heads"), this, [this] { previewSql(true, QStringLiteral("heads")); });
    sql->addAction(tr("Downgrade SQL to the Selected Revision"), this, [this, selected] { if (!selected().isEmpty()) previewSql(false, selected()); });
    sql->addAction(tr("SQL of the Selected Revision"), this, [this, selected] { if (!selected().isEmpty()) revisionSql(selected()); });

    auto *status = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("No run yet"));
    m_stepLabel = new QLabel(this);
    status->addWidget(m_progress, 1);
    status->addWidget(m_stepLabel, 2);
    layout->addLayout(status);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);

    auto *logBar = new QHBoxLayout;
    m_history = new QComboBox(this);
    m_history->setToolTip(tr("Earlier runs"));
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search the log"));
    m_search->setClearButtonEnabled(true);
    logBar->addWidget(m_history, 2);
    logBar->addWidget(m_search, 1);
    layout->addLayout(logBar);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(50000);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_log, 1);

    connect(m_cancelButton, &QPushButton::clicked, this, &RunPanel::cancel);
    connect(m_process, &core::AlembicProcess::lineReceived, this, &RunPanel::appendLine);
    connect(m_process, &core::AlembicProcess::finished, this, &RunPanel::onFinished);
    connect(m_process, &core::AlembicProcess::stepStarted, this,
            [this](const QString &text, bool, const QString &, const QString &to) {
                // The revision a step is about: the "to" side of an upgrade, the "from" side of a downgrade.
                ++m_stepsDone;
                QString revision;
                for (const core::PlanStep &s : std::as_const(m_plan))
                    if (s.text() == text || (s.upgrade && s.to.join(QStringLiteral(", ")) == to))
                        revision = m_project ? m_project->map.at(s.revision).id : QString();
                if (revision.isEmpty() && m_kind == Kind::Downgrade) {
                    static const QRegularExpression from(QStringLiteral("^downgrade ([^ ]+) ->"));
                    revision = from.match(text).captured(1);
                }
                if (revision.isEmpty())
                    revision = to.section(QLatin1Char(','), 0, 0).trimmed();
                m_currentStepRevision = revision;
                m_progress->setMaximum(std::max<int>(int(m_plan.size()), m_stepsDone));
                m_progress->setValue(m_stepsDone - 1);
                m_stepLabel->setText(tr("Running %1").arg(text));
                emit stepChanged(revision);
            });
    connect(m_history, &QComboBox::activated, this, [this](int i) {
        if (i >= 0 && i < m_runs.size() && !isRunning())
            m_log->setPlainText(m_runs[i].second);
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (!m_log->find(m_search->text())) {
            m_log->moveCursor(QTextCursor::Start);
            m_log->find(m_search->text());
        }
    });
    connect(m_production, &QCheckBox::toggled, this, &RunPanel::setProduction);
    // Refresh the elapsed time while a run goes on.
    auto *tick = new QTimer(this);
    tick->setInterval(500);
    connect(tick, &QTimer::timeout, this, [this] {
        if (isRunning())
            m_result->setText(tr("%1 — running for %2 s").arg(m_title, QString::number(m_process->elapsedMs() / 1000.0, 'f', 1)));
    });
    tick->start();
    setEnabled(false);
}

RunPanel::~RunPanel() = default;

void RunPanel::setProject(std::shared_ptr<const core::Project> project)
{
    m_project = std::move(project);
    setEnabled(bool(m_project));
    if (!m_project)
        return;
    const QString anchor = m_project->config.iniPath.isEmpty() ? m_project->config.tomlPath : m_project->config.iniPath;
    m_production->blockSignals(true);
    m_production->setChecked(QSettings().value(QStringLiteral("production/") + anchor).toBool());
    m_production->blockSignals(false);
    if (m_locatedFor != m_project->config.baseDir)
        locate();
}

void RunPanel::locate()
{
    m_locatedFor = m_project->config.baseDir;
    m_alembic.reset();
    const QString dir = m_project->config.baseDir;
    const QString configured = QSettings().value(QStringLiteral("run/alembic")).toString();
    m_alembicLabel->setText(tr("Looking for the project's Alembic…"));
    runInBackground(this, [dir, configured] { return core::AlembicLocator::locate(dir, configured); },
                    [this](core::Result<core::AlembicCommand> r) {
                        if (r) {
                            m_alembic = *r;
                            m_alembicLabel->setText(tr("Alembic %1 — %2 (%3)").arg(r->version, r->display(), r->description));
                        } else {
                            m_alembicLabel->setText(r.error().message);
                        }
                        emit alembicLocated(r.isOk());
                    });
}

QString RunPanel::alembicDescription() const
{
    return m_alembicLabel->text();
}

void RunPanel::setConfiguredAlembic(const QString &program)
{
    QSettings().setValue(QStringLiteral("run/alembic"), program);
    if (m_project)
        locate();
}

bool RunPanel::isProduction() const
{
    return m_production->isChecked();
}

void RunPanel::setProduction(bool on)
{
    if (m_production->isChecked() != on)
        m_production->setChecked(on);
    if (m_project) {
        const QString anchor = m_project->config.iniPath.isEmpty() ? m_project->config.tomlPath : m_project->config.iniPath;
        QSettings().setValue(QStringLiteral("production/") + anchor, on);
    }
}

bool RunPanel::isRunning() const
{
    return m_process->isRunning();
}

QString RunPanel::maskedUrl() const
{
    if (!m_project)
        return {};
    const auto url = core::SqlUrl::parse(m_project->config.sqlalchemyUrl);
    return url ? url->masked() : core::maskPasswords(m_project->config.sqlalchemyUrl);
}

QString RunPanel::databaseName() const
{
    const auto url = core::SqlUrl::parse(m_project ? m_project->config.sqlalchemyUrl : QString());
    if (!url)
        return QStringLiteral("database");
    return url->isSqlite() ? QFileInfo(url->database).fileName() : url->database;
}

QString RunPanel::planHtml(const QString &action, const QString &target, const QList<core::PlanStep> &plan) const
{
    QString html = tr("<b>%1</b> to <code>%2</code> on <code>%3</code>").arg(action.toHtmlEscaped(), target.toHtmlEscaped(),
                                                                               maskedUrl().toHtmlEscaped());
    const QStringList current = m_session->currentRevisions();
    html += tr("<br>Database now at: <code>%1</code>").arg(current.isEmpty() ? tr("base") : current.join(QStringLiteral(", ")));
    if (plan.isEmpty()) {
        html += tr("<p>No migration steps.</p>");
    } else {
        html += (plan.size() == 1 ? tr("<p>1 step:</p><ol>") : tr("<p>%1 steps, in this order:</p><ol>").arg(plan.size()));
        for (const core::PlanStep &s : plan)
            html += QStringLiteral("<li><code>%1</code></li>").arg(s.text().toHtmlEscaped());
        html += QStringLiteral("</ol>");
    }
    // With several heads applied, say which branch a relative downgrade moves.
    if (current.size() > 1 && target.contains(QLatin1Char('-')) && !plan.isEmpty())
        html += tr("<p>Several heads are applied; this moves only the branch of <code>%1</code>.</p>")
                    .arg(m_project->map.at(plan.first().revision).id);
    return html;
}

bool RunPanel::start(Kind kind, const QStringList &args, const QString &title, const QList<core::PlanStep> &plan)
{
    if (!m_project || isRunning())
        return false;
    if (!m_alembic) {
        m_result->setText(tr("Cannot run: %1").arg(m_alembicLabel->text()));
        return false;
    }
    m_kind = kind;
    m_title = title;
    m_plan = plan;
    m_stepsDone = 0;
    m_currentStepRevision.clear();
    m_log->clear();
    resetProgress(int(plan.size()));
    m_stepLabel->clear();
    appendLine(QStringLiteral("$ %1 %2").arg(m_alembic->display(),
                                             (QStringList{QStringLiteral("-c"), m_project->config.iniPath} + args).join(QLatin1Char(' '))),
               core::AlembicProcess::Level::Output);
    for (const core::PlanStep &s : plan)
        appendLine(QStringLiteral("# plan: %1").arg(s.text()), core::AlembicProcess::Level::Output);
    m_cancelButton->setEnabled(kind != Kind::Sql);
    for (QWidget *w : {static_cast<QWidget *>(m_upgradeButton), static_cast<QWidget *>(m_downgradeButton),
                       static_cast<QWidget *>(m_stampButton)})
        w->setEnabled(false);
    m_result->setText(tr("%1 — running").arg(title));
    m_process->start(*m_alembic, m_project->config.iniPath, args, m_project->config.baseDir);
    emit runStarted(args);
    return true;
}

bool RunPanel::upgrade(const QString &target)
{
    if (!m_project || isRunning())
        return false;
    auto plan = m_project->map.upgradePlan(target, m_session->currentRevisions());
    if (!plan) {
        m_result->setText(tr("Cannot upgrade to %1: %2").arg(target, plan.error().message));
        return false;
    }
    if (isProduction()
        && !Prompter::instance()->confirm(this, tr("Upgrade a Production Database"), planHtml(tr("Upgrade"), target, *plan), databaseName()))
        return false;
    return start(Kind::Upgrade, {QStringLiteral("upgrade"), target}, tr("upgrade %1").arg(target), *plan);
}

bool RunPanel::downgrade(const QString &target)
{
    if (!m_project || isRunning())
        return false;
    auto plan = m_project->map.downgradePlan(target, m_session->currentRevisions());
    if (!plan) {
        m_result->setText(tr("Cannot downgrade to %1: %2").arg(target, plan.error().message));
        return false;
    }
    QString html = planHtml(tr("Downgrade"), target, *plan);
    html += tr("<p>Downgrades drop what these revisions created, data included.</p>");
    if (!Prompter::instance()->confirm(this, tr("Downgrade"), html, isProduction() ? databaseName() : QString()))
        return false;
    return start(Kind::Downgrade, {QStringLiteral("downgrade"), target}, tr("downgrade %1").arg(target), *plan);
}

bool RunPanel::stamp(const QString &target)
{
    if (!m_project || isRunning())
        return false;
    QString html = tr("<b>Stamp</b> <code>%1</code> on <code>%2</code>: the version table will say the database is at "
                      "<code>%1</code> without running any migration.")
                       .arg(target.toHtmlEscaped(), maskedUrl().toHtmlEscaped());
    if (!Prompter::instance()->confirm(this, tr("Stamp"), html, isProduction() ? databaseName() : QString()))
        return false;
    return start(Kind::Stamp, {QStringLiteral("stamp"), target}, tr("stamp %1").arg(target), {});
}

bool RunPanel::merge(const QStringList &heads, const QString &message)
{
    if (heads.size() < 2)
        return false;
    return start(Kind::Merge, QStringList{QStringLiteral("merge"), QStringLiteral("-m"), message} + heads,
                 tr("merge %1").arg(heads.join(QStringLiteral(", "))), {});
}

bool RunPanel::newRevision(const QString &message, bool autogenerate, const QString &head, const QString &branchLabel,
                           bool splice, const QString &dependsOn)
{
    QStringList args{QStringLiteral("revision"), QStringLiteral("-m"), message};
    if (autogenerate)
        args << QStringLiteral("--autogenerate");
    if (!head.isEmpty())
        args << QStringLiteral("--head") << head;
    if (!branchLabel.isEmpty())
        args << QStringLiteral("--branch-label") << branchLabel;
    if (splice)
        args << QStringLiteral("--splice");
    if (!dependsOn.isEmpty())
        args << QStringLiteral("--depends-on") << dependsOn;
    return start(Kind::Revision, args, tr("new revision \"%1\"").arg(message), {});
}

bool RunPanel::previewSql(bool upgradeDirection, const QString &target)
{
    if (!m_project)
        return false;
    const QStringList current = m_session->currentRevisions();
    QString range = target;
    if (upgradeDirection && current.size() == 1)
        range = current.first() + QLatin1Char(':') + target;
    else if (!upgradeDirection)
        range = (current.size() == 1 ? current.first() : QStringLiteral("heads")) + QLatin1Char(':') + target;
    return start(Kind::Sql, {upgradeDirection ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), range, QStringLiteral("--sql")},
                 tr("SQL for %1 %2").arg(upgradeDirection ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), range), {});
}

bool RunPanel::revisionSql(const QString &revision)
{
    if (!m_project || isRunning())
        return false;
    const int idx = m_project->map.indexOf(revision);
    if (idx < 0)
        return false;
    const core::Revision &r = m_project->map.at(idx);
    // Alembic's ranges take one start revision: a merge is shown from its first parent.
    const QString parent = r.downRevisions.isEmpty() ? QStringLiteral("base") : r.downRevisions.first();
    m_sqlRevision = r.id;
    m_sqlCombined.clear();
    m_sqlQueue = {{QStringLiteral("downgrade"), r.id + QLatin1Char(':') + parent, QStringLiteral("--sql")}};
    return start(Kind::Sql, {QStringLiteral("upgrade"), parent + QLatin1Char(':') + r.id, QStringLiteral("--sql")},
                 tr("SQL of %1").arg(r.id), {});
}

bool RunPanel::runStairway()
{
    if (!m_project || isRunning() || m_stairwayRunning || !m_alembic)
        return false;
    m_stairwayRunning = true;
    m_stairwayCancel = std::make_shared<std::atomic<bool>>(false);
    m_cancelButton->setEnabled(true);
    m_log->clear();
    m_title = tr("stairway test");
    const int total = m_project->map.size();
    resetProgress(total);
    m_result->setText(tr("Stairway test running on a scratch database…"));
    emit runStarted({QStringLiteral("stairway")});
    appendLine(tr("# stairway: for every revision, upgrade, snapshot the schema, downgrade, compare, upgrade again"),
               core::AlembicProcess::Level::Output);
    auto project = m_project;
    const core::AlembicCommand alembic = *m_alembic;
    auto cancelFlag = m_stairwayCancel;
    QPointer<RunPanel> self(this);
    runInBackground(this, [project, alembic, cancelFlag, self]() {
        core::Stairway stairway(*project, alembic);
        stairway.setCancelFlag(cancelFlag.get());
        stairway.setProgress([self](int done, int total, const QString &revision) {
            QMetaObject::invokeMethod(self, [self, done, total, revision] {
                if (!self)
                    return;
                self->m_progress->setMaximum(total);
                self->m_progress->setValue(done);
                if (!revision.isEmpty()) {
                    self->m_stepLabel->setText(tr("Testing %1").arg(revision));
                    emit self->stepChanged(revision);
                }
            }, Qt::QueuedConnection);
        });
        auto steps = stairway.run();
        return std::make_pair(std::move(steps), stairway.scratchDescription());
    }, [this](std::pair<core::Result<QList<core::StairwayStep>>, QString> r) {
        m_stairwayRunning = false;
        m_cancelButton->setEnabled(false);
        m_stepLabel->clear();
        emit stepChanged(QString());
        if (!r.first) {
            m_result->setText(tr("Stairway test could not run: %1").arg(r.first.error().message));
            emit stairwayFinished({}, -1);
            return;
        }
        QHash<QString, bool> passed;
        int failed = 0;
        for (const core::StairwayStep &st : *r.first) {
            const bool ok = st.status == core::StairwayStep::Status::Passed;
            const bool bad = st.status == core::StairwayStep::Status::Failed;
            if (st.status != core::StairwayStep::Status::Skipped)
                passed.insert(st.revision, ok);
            failed += bad ? 1 : 0;
            appendLine(QStringLiteral("%1  %2  %3%4").arg(ok ? QStringLiteral("pass") : bad ? QStringLiteral("FAIL") : QStringLiteral("skip"),
                                                        st.revision, st.message.section(QLatin1Char('\n'), 0, 0),
                                                        st.reason.isEmpty() ? QString() : QStringLiteral("  (") + st.reason + QLatin1Char(')')),
                       bad ? core::AlembicProcess::Level::Error : core::AlembicProcess::Level::Info);
            for (const QString &line : st.diff.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
                appendLine(QStringLiteral("    ") + line, core::AlembicProcess::Level::Output);
        }
        m_progress->setValue(m_progress->maximum());
        m_result->setText(failed ? tr("<b>Stairway test: %1 of %2 revisions failed</b> (%3, removed)").arg(failed).arg(r.first->size()).arg(r.second.toHtmlEscaped())
                                 : tr("Stairway test: all %1 revisions passed (%2, removed)").arg(r.first->size()).arg(r.second.toHtmlEscaped()));
        m_runs.prepend({m_result->text(), m_log->toPlainText()});
        m_history->insertItem(0, QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), m_title));
        m_history->setCurrentIndex(0);
        emit stairwayFinished(passed, failed);
    });
    return true;
}

void RunPanel::cancel()
{
    if (m_stairwayRunning && m_stairwayCancel) {
        m_stairwayCancel->store(true);
        appendLine(tr("# cancel requested: the stairway stops after the current revision"), core::AlembicProcess::Level::Warning);
        return;
    }
    if (!isRunning())
        return;
    appendLine(tr("# cancel requested: stopping the process group"), core::AlembicProcess::Level::Warning);
    m_process->cancel();
}

void RunPanel::resetProgress(int steps)
{
    m_progress->setFormat(tr("%v / %m steps"));
    m_progress->setRange(0, std::max(1, steps));
    m_progress->setValue(0);
}

void RunPanel::appendLine(const QString &line, core::AlembicProcess::Level level)
{
    if (m_kind == Kind::Sql && level == core::AlembicProcess::Level::Output && !line.startsWith(QLatin1String("$ ")))
        m_sqlBuffer += line + QLatin1Char('\n');
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
    // Where `alembic revision`/`merge` put the new file.
    static const QRegularExpression generating(QStringLiteral("Generating (.+\\.py) \\.\\.\\.\\s+done"));
    if (const auto m = generating.match(line); m.hasMatch())
        m_lastCreated = m.captured(1);
}

void RunPanel::onFinished(int exitCode, bool crashedOrCancelled)
{
    const bool ok = exitCode == 0 && !crashedOrCancelled;
    m_cancelButton->setEnabled(false);
    for (QWidget *w : {static_cast<QWidget *>(m_upgradeButton), static_cast<QWidget *>(m_downgradeButton),
                       static_cast<QWidget *>(m_stampButton)})
        w->setEnabled(true);
    const double seconds = m_process->elapsedMs() / 1000.0;
    if (ok) {
        m_progress->setValue(m_progress->maximum());
        m_result->setText(tr("%1 — done in %2 s").arg(m_title, QString::number(seconds, 'f', 1)));
    } else if (m_process->wasCancelled()) {
        m_result->setText(tr("%1 — cancelled after %2 s; %3 step(s) had started. The database position is re-read "
                             "from the version table.")
                              .arg(m_title, QString::number(seconds, 'f', 1), QString::number(m_stepsDone)));
    } else {
        QString where = m_currentStepRevision.isEmpty() ? QString() : tr(" in revision %1").arg(m_currentStepRevision);
        m_result->setText(tr("<b>%1 failed%2:</b> %3").arg(m_title.toHtmlEscaped(), where, m_process->failureMessage().toHtmlEscaped()));
        // Jump to the failing line of the revision file when the traceback names one.
        static const QRegularExpression frame(QStringLiteral("File \"([^\"]+\\.py)\", line (\\d+)"));
        QString file;
        int line = 0;
        for (const QString &l : m_process->output()) {
            const auto fm = frame.match(l);
            if (fm.hasMatch() && m_project) {
                for (const QString &loc : m_project->config.versionLocations)
                    if (fm.captured(1).startsWith(loc)) {
                        file = fm.captured(1);
                        line = fm.captured(2).toInt();
                    }
            }
        }
        emit failedAt(m_currentStepRevision, line, file);
    }
    m_stepLabel->clear();
    m_currentStepRevision.clear();
    emit stepChanged(QString());
    m_runs.prepend({m_result->text(), m_log->toPlainText()});
    m_history->insertItem(0, QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), m_title));
    m_history->setCurrentIndex(0);
    if (m_kind == Kind::Sql) {
        m_lastSql = ok ? m_sqlBuffer
                       : tr("-- Alembic could not render this offline (--sql):\n-- %1\n").arg(m_process->failureMessage())
                             + m_sqlBuffer;
        m_sqlBuffer.clear();
        if (m_sqlRevision.isEmpty()) {
            emit sqlReady(m_title, m_lastSql);
        } else {
            // One revision: its upgrade, then its downgrade.
            m_sqlCombined += (m_sqlQueue.isEmpty() ? tr("-- downgrade %1\n") : tr("-- upgrade %1\n")).arg(m_sqlRevision) + m_lastSql + QLatin1Char('\n');
            if (!m_sqlQueue.isEmpty()) {
                const QStringList next = m_sqlQueue.takeFirst();
                emit runFinished(ok);
                QTimer::singleShot(0, this, [this, next] {
                    start(Kind::Sql, next, tr("downgrade SQL of %1").arg(m_sqlRevision), {});
                });
                return;
            }
            m_lastSql = m_sqlCombined;
            const QString rev = m_sqlRevision;
            m_sqlRevision.clear();
            emit revisionSqlReady(rev, m_lastSql);
        }
    } else {
        m_session->refreshDatabase();
        if (m_kind == Kind::Merge || m_kind == Kind::Revision) {
            m_session->reload();
            if (ok && !m_lastCreated.isEmpty())
                emit revisionCreated(m_lastCreated);
        }
    }
    emit runFinished(ok);
}

} // namespace retort::ui
