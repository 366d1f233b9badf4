#include "runpanel.h"

#include "background.h"
#include "db/sqlurl.h"
#include "projectsession.h"
#include "prompter.h"
#include "project/scriptdirectory.h"
#include "run/stairway.h"
#include "graph/stampresult.h"
#include "run/partialstep.h"
#include "lint/operations.h"

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
    buttons->addStretch(1);
    buttons->addWidget(m_cancelButton);
    layout->addLayout(buttons);

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
    connect(m_result, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link == QLatin1String("cancel-merge"))
            cancel();
    });
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

    connect(m_process, &core::AlembicProcess::lineReceived, this, &RunPanel::appendLine);
    connect(m_process, &core::AlembicProcess::finished, this, &RunPanel::onFinished);
    connect(m_process, &core::AlembicProcess::cancelStep, this, [this](const QString &signalName) {
        appendLine(tr("# cancel: sent %1 to Alembic's process group").arg(signalName), core::AlembicProcess::Level::Warning);
    });
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
                m_session->setRunningRevision(revision);
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
    connect(m_session, &ProjectSession::projectOpening, this, &RunPanel::reset);
    setEnabled(false);
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

void RunPanel::reset()
{
    // Another project: nothing of the old one's runs stays on screen.
    if (isRunning())
        m_process->cancel();
    if (m_stairwayCancel)
        m_stairwayCancel->store(true);
    m_mergePreviewDone = ++m_mergePreview;
    m_log->clear();
    m_result->clear();
    m_stepLabel->clear();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("No run yet"));
    m_progress->setStyleSheet(QString());
    m_runs.clear();
    m_history->clear();
    m_lastCreated.clear();
}

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
    m_progress->setStyleSheet(QString());
    m_result->setText(tr("%1 — running").arg(title));
    m_session->setRunning(true);
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
        QString why = tr("Cannot downgrade to %1: %2").arg(target, plan.error().message);
        // Alembic's "Ambiguous walk" at a merge: say what it means and what to do instead.
        const QStringList current = m_session->currentRevisions();
        const int at = current.size() == 1 ? m_project->map.indexOf(current.first()) : -1;
        if (target.startsWith(QLatin1Char('-')) && at >= 0 && m_project->map.at(at).isMergePoint())
            why += tr(". %1 is a merge of %2: one step down is ambiguous. Select the parent whose branch should go back "
                      "and use Downgrade This Branch by One (PARENT@-1), or downgrade to a selected revision.")
                       .arg(current.first(), m_project->map.at(at).downRevisions.join(QStringLiteral(" and ")));
        m_result->setText(why);
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
    // The exact rows the version table will hold, as Alembic's stamp computes them.
    const QStringList before = m_session->currentRevisions();
    const auto result = core::stampResult(m_project->map, target, before);
    if (!result) {
        m_result->setText(tr("Cannot stamp %1: %2").arg(target, result.error().message));
        return false;
    }
    auto rowsHtml = [](const QStringList &rows) {
        if (rows.isEmpty())
            return tr("<i>no rows</i> (base)");
        QStringList cells;
        for (const QString &r : rows)
            cells.append(QStringLiteral("<code>%1</code>").arg(r.toHtmlEscaped()));
        return cells.join(QStringLiteral(", "));
    };
    QString html = tr("<b>Stamp</b> <code>%1</code> on <code>%2</code> without running any migration.")
                       .arg(target.toHtmlEscaped(), maskedUrl().toHtmlEscaped());
    html += tr("<p>Version table now: %1<br>Version table after: <b>%2</b></p>").arg(rowsHtml(before), rowsHtml(result->rows));
    QStringList changes;
    for (const QString &d : result->deleted)
        changes.append(tr("delete <code>%1</code>").arg(d.toHtmlEscaped()));
    for (const auto &u : result->updated)
        changes.append(tr("update <code>%1</code> → <code>%2</code>").arg(u.first.toHtmlEscaped(), u.second.toHtmlEscaped()));
    for (const QString &i : result->inserted)
        changes.append(tr("insert <code>%1</code>").arg(i.toHtmlEscaped()));
    html += changes.isEmpty() ? tr("<p>Nothing changes.</p>") : QStringLiteral("<ul><li>%1</li></ul>").arg(changes.join(QStringLiteral("</li><li>")));
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

bool RunPanel::mergeHeads(const QStringList &heads)
{
    if (!m_project || heads.size() < 2) {
        m_result->setText(tr("Select two or more heads to merge (Ctrl+click in the graph)."));
        return false;
    }
    for (const QString &h : heads) {
        const int i = m_project->map.indexOf(h);
        if (i < 0 || !m_project->map.at(i).isHead()) {
            m_result->setText(tr("%1 is not a head; only heads can be merged.").arg(h));
            return false;
        }
    }
    // What each branch changes since they parted reads every revision's operations: in the
    // pool, and the dialog shows when the answer is back. cancel(), a newer request or
    // another project drops the answer.
    const quint64 job = ++m_mergePreview;
    m_result->setText(tr("Reading what each branch changes since they parted… <a href='cancel-merge'>Cancel</a>"));
    runInBackground(this, [project = m_project, heads] { return core::branchChanges(*project, heads); },
                    [this, job, heads, project = m_project](core::BranchChanges changes) {
                        if (job != m_mergePreview)
                            return;
                        m_mergePreviewDone = job;
                        m_result->clear();
                        if (project != m_project) {
                            if (m_project)
                                mergeHeads(heads); // reloaded meanwhile: ask the new snapshot
                            return;
                        }
                        askMerge(heads, changes);
                    });
    return true;
}

bool RunPanel::isMergePreviewPending() const
{
    return m_mergePreview != m_mergePreviewDone;
}

bool RunPanel::askMerge(const QStringList &heads, const core::BranchChanges &changes)
{
    // Collisions first.
    QString html = tr("<p>Merging <b>%1</b>. What each branch changes since they parted:</p><table border='1' cellspacing='0' "
                      "cellpadding='4'><tr><th>Head</th><th>Revisions</th><th>Tables and columns</th></tr>")
                       .arg(heads.join(QStringLiteral(", ")).toHtmlEscaped());
    for (const core::BranchChanges::Branch &b : changes.branches) {
        QStringList cells;
        for (const QString &c : b.changes)
            cells.append(changes.overlaps.contains(c) ? QStringLiteral("<b style='color:#c01c28'>%1</b>").arg(c.toHtmlEscaped())
                                                      : c.toHtmlEscaped());
        html += QStringLiteral("<tr><td><code>%1</code></td><td>%2</td><td>%3</td></tr>")
                    .arg(b.head.toHtmlEscaped(), QString::number(b.revisions.size()),
                         cells.isEmpty() ? tr("(no schema changes found)") : cells.join(QStringLiteral(", ")));
    }
    html += QStringLiteral("</table>");
    if (changes.overlaps.isEmpty())
        html += tr("<p>The branches change different things.</p>");
    else
        html += tr("<p style='color:#c01c28'><b>Both branches change %1.</b> Check that their migrations agree before "
                   "merging.</p>").arg(changes.overlaps.join(QStringLiteral(", ")).toHtmlEscaped());
    const auto message = Prompter::instance()->askText(this, tr("Merge Heads"), html, tr("Message of the merge revision:"),
                                                       tr("merge %1").arg(heads.join(QStringLiteral(" and "))));
    if (!message)
        return false;
    return merge(heads, *message);
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

bool RunPanel::runStairway()
{
    if (!m_project || isRunning() || m_stairwayRunning || !m_alembic)
        return false;
    m_stairwayRunning = true;
    m_stairwayCancel = std::make_shared<std::atomic<bool>>(false);
    m_session->setRunning(true);
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
                    self->m_session->setRunningRevision(revision);
                    emit self->stepChanged(revision);
                }
            }, Qt::QueuedConnection);
        });
        auto steps = stairway.run();
        return std::make_pair(std::move(steps), stairway.scratchDescription());
    }, [this](std::pair<core::Result<QList<core::StairwayStep>>, QString> r) {
        m_stairwayRunning = false;
        m_session->setRunning(false);
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
        m_session->setStairwayResults(passed);
        emit stairwayFinished(passed, failed);
    });
    return true;
}

void RunPanel::cancel()
{
    if (isMergePreviewPending()) {
        m_mergePreviewDone = ++m_mergePreview; // the answer, when it comes, is dropped
        m_result->setText(tr("Merge cancelled."));
    }
    if (m_stairwayRunning && m_stairwayCancel) {
        m_stairwayCancel->store(true);
        appendLine(tr("# cancel requested: the stairway stops after the current revision"), core::AlembicProcess::Level::Warning);
        return;
    }
    if (!isRunning())
        return;
    m_process->cancel();
}

void RunPanel::reportPartialStep(const QString &revision, bool upgrade)
{
    // On a database that commits each DDL statement (MySQL, MariaDB), say what the failed
    // step left behind; read off the GUI thread.
    const auto project = m_project;
    runInBackground(this, [project, revision, upgrade] {
        return core::failedStepReport(*project, revision, upgrade, project->config.sqlalchemyUrl);
    }, [this, project, revision](core::Result<core::FailedStepReport> report) {
        if (project != m_project || !report || report->summary.isEmpty())
            return;
        m_result->setText(m_result->text() + QStringLiteral("<br>") + report->summary.toHtmlEscaped());
        appendLine(tr("# what the failed step of %1 left behind:").arg(revision), core::AlembicProcess::Level::Warning);
        for (const QString &l : report->leftovers.split(QLatin1Char('\n')))
            appendLine(l, core::AlembicProcess::Level::Output);
    });
}

void RunPanel::resetProgress(int steps)
{
    m_progress->setFormat(tr("%v / %m steps"));
    m_progress->setRange(0, std::max(1, steps));
    m_progress->setValue(0);
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
    // Where `alembic revision`/`merge` put the new file.
    static const QRegularExpression generating(QStringLiteral("Generating (.+\\.py) \\.\\.\\.\\s+done"));
    if (const auto m = generating.match(line); m.hasMatch())
        m_lastCreated = m.captured(1);
}

void RunPanel::onFinished(int exitCode, bool crashedOrCancelled)
{
    const bool ok = exitCode == 0 && !crashedOrCancelled;
    m_session->setRunning(false);
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
        m_progress->setStyleSheet(QStringLiteral("QProgressBar::chunk { background: #c01c28; }"));
        m_session->setRunFailed(m_currentStepRevision, file, line, m_process->failureMessage());
        if ((m_kind == Kind::Upgrade || m_kind == Kind::Downgrade) && !m_currentStepRevision.isEmpty())
            reportPartialStep(m_currentStepRevision, m_kind == Kind::Upgrade);
        emit failedAt(m_currentStepRevision, line, file);
    }
    m_stepLabel->clear();
    m_currentStepRevision.clear();
    emit stepChanged(QString());
    m_runs.prepend({m_result->text(), m_log->toPlainText()});
    m_history->insertItem(0, QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), m_title));
    m_history->setCurrentIndex(0);
    {
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
