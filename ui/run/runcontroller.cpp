#include "runcontroller.h"

#include "background.h"
#include "databases.h"
#include "db/sqlurl.h"
#include "graph/stampresult.h"
#include "lint/operations.h"
#include "projectsession.h"
#include "prompter.h"
#include "project/scriptdirectory.h"
#include "run/stairway.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPointer>
#include <QRegularExpression>
#include <QSettings>
#include <QTime>

#include <mutex>

namespace retort::ui {

// One long-lived driver for one project and database. Only pool jobs touch it, one at a
// time (the mutex); its last reference goes in a pool job too (stopDrivers).
struct RunController::DriverSlot
{
    explicit DriverSlot(const core::AlembicCommand &alembic) : driver(std::make_unique<core::AlembicDriver>(alembic)) {}
    std::mutex mutex;
    std::unique_ptr<core::AlembicDriver> driver;
};

struct RunController::Job
{
    std::atomic<bool> cancel{false};
};

// What a driver run hands back to the GUI thread.
struct RunController::Finished
{
    quint64 generation = 0;
    core::DriverOutcome outcome;
    core::Error openError;
    bool openFailed = false;
    int newStarts = 0;
    QString unfinishedRevision;       // the step that began and did not end
    std::optional<core::FailedStepReport> report;
    QString reportError;
};

namespace {

// Calls `fn` on `context`'s thread, dropped if the context is gone by then.
template<typename Fn>
void post(const QPointer<RunController> &context, Fn fn)
{
    if (RunController *c = context.data())
        QMetaObject::invokeMethod(c, std::move(fn), Qt::QueuedConnection);
}

core::AlembicProcess::Level levelOf(const QString &line)
{
    using Level = core::AlembicProcess::Level;
    if (line.startsWith(QLatin1String("INFO")))
        return Level::Info;
    if (line.startsWith(QLatin1String("WARN")) || line.startsWith(QLatin1String("# cancel")))
        return Level::Warning;
    if (line.startsWith(QLatin1String("ERROR")) || line.startsWith(QLatin1String("FAILED")) || line.startsWith(QLatin1String("Traceback"))
        || line.startsWith(QLatin1String("  File ")))
        return Level::Error;
    return Level::Output;
}

// The innermost frame of a traceback inside one of the project's version locations.
std::pair<QString, int> failingFrame(const QStringList &lines, const QStringList &versionLocations)
{
    static const QRegularExpression frame(QStringLiteral("File \"([^\"]+\\.py)\", line (\\d+)"));
    std::pair<QString, int> found;
    for (const QString &l : lines) {
        const auto m = frame.match(l);
        if (!m.hasMatch())
            continue;
        for (const QString &loc : versionLocations)
            if (m.captured(1).startsWith(loc))
                found = {m.captured(1), m.captured(2).toInt()};
    }
    return found;
}

} // namespace

RunController::RunController(ProjectSession *session, QObject *parent)
    : QObject(parent), m_session(session), m_process(new core::AlembicProcess(this))
{
    connect(m_process, &core::AlembicProcess::lineReceived, this, [this](const QString &line, Level level) {
        if (m_kind == Kind::Merge || m_kind == Kind::Revision)
            onLine(line, level);
    });
    connect(m_process, &core::AlembicProcess::finished, this, &RunController::onProcessFinished);
    connect(m_process, &core::AlembicProcess::cancelStep, this, [this](const QString &signalName) {
        appendLine(tr("# cancel: sent %1 to Alembic's process group").arg(signalName), Level::Warning);
    });
    connect(m_session, &ProjectSession::projectOpening, this, &RunController::reset);
    // The drivers end with the application; the pool is joined at exit.
    if (QCoreApplication::instance())
        connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, this, &RunController::stopDrivers);
}

RunController::~RunController()
{
    if (m_job)
        m_job->cancel.store(true);
    stopDrivers();
}

void RunController::stopDrivers()
{
    // Each driver ends in the pool, after the run that holds it (if any) has seen its cancel.
    for (const std::shared_ptr<DriverSlot> &slot : std::as_const(m_drivers))
        backgroundPool().start([slot = std::shared_ptr<DriverSlot>(slot)]() mutable {
            {
                std::lock_guard lock(slot->mutex);
                slot->driver->stop();
            }
            slot.reset();
        });
    m_drivers.clear();
}

QString RunController::productionKey() const
{
    if (!m_project)
        return {};
    const QString anchor = m_project->config.iniPath.isEmpty() ? m_project->config.tomlPath : m_project->config.iniPath;
    return QStringLiteral("production/") + anchor;
}

void RunController::setProject(std::shared_ptr<const core::Project> project)
{
    const QString before = productionKey();
    m_project = std::move(project);
    if (!m_project)
        return;
    if (productionKey() != before) {
        // Another project: its active database, or its own as its ini names it.
        stopDrivers();
        if (m_databases) {
            targetActiveDatabase();
        } else {
            RunTarget t;
            t.production = QSettings().value(productionKey()).toBool();
            m_target = t;
            emit targetChanged();
        }
    }
    if (m_locatedFor != m_project->config.baseDir)
        locate();
}

void RunController::setTarget(const RunTarget &target)
{
    if (m_target == target)
        return;
    m_target = target;
    emit targetChanged();
}

void RunController::followDatabases(Databases *databases)
{
    if (m_databases)
        disconnect(m_databases, nullptr, this, nullptr);
    m_databases = databases;
    if (!databases)
        return;
    connect(databases, &Databases::activeChanged, this, &RunController::targetActiveDatabase);
    connect(databases, &Databases::connectionsChanged, this, &RunController::targetActiveDatabase);
    // A password given when the connection was read (statusChanged follows it).
    connect(databases, &Databases::statusChanged, this, [this](const QString &name) {
        if (const auto active = m_databases->activeConnection(); active && active->name == name)
            targetActiveDatabase();
    });
    targetActiveDatabase();
}

void RunController::targetActiveDatabase()
{
    if (!m_databases)
        return;
    const auto active = m_databases->activeConnection();
    RunTarget target;
    if (active) {
        target.xArgs = active->xArgs;
        if (!active->fromIni) {
            target.url = m_databases->urlWithPassword(active->name);
            target.name = active->name;
        }
    }
    target.production = active ? active->production : m_target.production;
    m_activeTarget = target;
    setTarget(target);
}

void RunController::setProduction(bool on)
{
    if (m_databases) {
        // The flag belongs to the connection: saved with it, and the target follows.
        if (auto active = m_databases->activeConnection()) {
            if (active->production != on) {
                active->production = on;
                m_databases->edit(active->name, *active);
            }
            return;
        }
    }
    if (m_project)
        QSettings().setValue(productionKey(), on);
    if (m_target.production == on)
        return;
    m_target.production = on;
    emit targetChanged();
}

QString RunController::targetUrl() const
{
    if (!m_target.url.isEmpty())
        return m_target.url;
    return m_project ? m_project->config.sqlalchemyUrl : QString();
}

QString RunController::maskedUrl() const
{
    const QString url = targetUrl();
    const auto parsed = core::SqlUrl::parse(url);
    return parsed ? parsed->masked() : core::maskPasswords(url);
}

QString RunController::databaseName() const
{
    const auto url = core::SqlUrl::parse(targetUrl());
    if (!url)
        return QStringLiteral("database");
    return url->isSqlite() ? QFileInfo(url->database).fileName() : url->database;
}

void RunController::locate()
{
    m_locatedFor = m_project->config.baseDir;
    m_alembic.reset();
    stopDrivers();
    const quint64 generation = ++m_locateGeneration;
    const QString dir = m_project->config.baseDir;
    const QString configured = QSettings().value(QStringLiteral("run/alembic")).toString();
    m_alembicDescription = tr("Looking for the project's Alembic…");
    runInBackground(this, [dir, configured] { return core::AlembicLocator::locate(dir, configured); },
                    [this, generation](core::Result<core::AlembicCommand> r) {
                        if (generation != m_locateGeneration)
                            return;
                        if (r) {
                            m_alembic = *r;
                            m_alembicDescription = tr("Alembic %1 — %2 (%3)").arg(r->version, r->display(), r->description);
                        } else {
                            m_alembicDescription = r.error().message;
                        }
                        emit alembicLocated(r.isOk());
                    });
}

void RunController::setConfiguredAlembic(const QString &program)
{
    QSettings().setValue(QStringLiteral("run/alembic"), program);
    if (m_project)
        locate();
}

void RunController::setStatus(const QString &html)
{
    m_status = html;
    emit statusChanged(html);
}

void RunController::appendLine(const QString &line, Level level)
{
    // Bounded like the view's document: the oldest lines go first.
    if (m_log.size() >= 50000)
        m_log.removeFirst();
    m_log.append({line, level});
    emit lineAppended(line, level);
    // Where `alembic revision`/`merge` put the new file.
    static const QRegularExpression generating(QStringLiteral("Generating (.+\\.py) \\.\\.\\.\\s+done"));
    if (const auto m = generating.match(line); m.hasMatch())
        m_lastCreated = m.captured(1);
}

QString RunController::planHtml(const QString &action, const QString &target, const QList<core::PlanStep> &plan) const
{
    QString where = QStringLiteral("<code>%1</code>").arg(maskedUrl().toHtmlEscaped());
    if (!m_target.name.isEmpty())
        where = QStringLiteral("<b>%1</b> (%2)").arg(m_target.name.toHtmlEscaped(), where);
    QString html = tr("<b>%1</b> to <code>%2</code> on %3").arg(action.toHtmlEscaped(), target.toHtmlEscaped(), where);
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

bool RunController::confirm(const QString &title, const QString &html, bool always)
{
    if (!always && !m_target.production)
        return true;
    return Prompter::instance()->confirm(m_promptParent, title, html, m_target.production ? databaseName() : QString());
}

bool RunController::canStart()
{
    if (!m_project || isRunning())
        return false;
    if (!m_alembic)
        setStatus(tr("Cannot run: %1").arg(m_alembicDescription));
    return m_alembic.has_value();
}

bool RunController::begin(Kind kind, const QString &title, const QList<core::PlanStep> &plan, const QString &commandLine)
{
    m_kind = kind;
    m_lastKind = kind;
    ++m_generation;
    m_job = std::make_shared<Job>();
    m_title = title;
    m_plan = plan;
    m_stepsDone = 0;
    m_stepsTotal = int(plan.size());
    m_currentStepRevision.clear();
    m_currentStepText.clear();
    m_failedStep = {};
    m_log.clear();
    emit logCleared();
    m_timer.start();
    appendLine(QStringLiteral("$ %1").arg(commandLine), Level::Output);
    for (const core::PlanStep &s : plan)
        appendLine(QStringLiteral("# plan: %1").arg(s.text()), Level::Output);
    setStatus(tr("%1 — running").arg(title));
    m_session->setRunning(true);
    emit progressChanged(0, m_stepsTotal);
    return true;
}

std::shared_ptr<RunController::DriverSlot> RunController::driverSlot()
{
    const QString key = QStringList{m_alembic->display(), m_project->config.iniPath, m_project->config.section, targetUrl(),
                                    m_target.xArgs.join(QLatin1Char('\x1f'))}
                            .join(QLatin1Char('\n'));
    auto &slot = m_drivers[key];
    if (!slot)
        slot = std::make_shared<DriverSlot>(*m_alembic);
    return slot;
}

bool RunController::startDriverRun(Kind kind, const QString &target, const QString &title, const QList<core::PlanStep> &plan)
{
    const QString op = kind == Kind::Upgrade ? QStringLiteral("upgrade") : kind == Kind::Downgrade ? QStringLiteral("downgrade")
                                                                                                   : QStringLiteral("stamp");
    QStringList shown{m_alembic->display(), QStringLiteral("-c"), m_project->config.iniPath};
    for (const QString &x : m_target.xArgs)
        shown << QStringLiteral("-x") << x;
    shown << op << target;
    begin(kind, title, plan, shown.join(QLatin1Char(' ')) + tr("   (on %1, through Retort's Alembic driver)").arg(maskedUrl()));
    emit runStarted({op, target});

    core::DriverProject project;
    project.iniPath = m_project->config.iniPath;
    project.section = m_project->config.section;
    project.workingDir = m_project->config.baseDir;
    project.url = m_target.url;
    project.xArgs = m_target.xArgs;
    const std::shared_ptr<DriverSlot> slot = driverSlot();
    const std::shared_ptr<Job> job = m_job;
    const std::shared_ptr<const core::Project> snapshot = m_project;
    const QString url = targetUrl();
    const quint64 generation = m_generation;
    const QPointer<RunController> self(this);
    backgroundPool().start([slot, job, snapshot, project, url, op, target, generation, self] {
        std::lock_guard lock(slot->mutex);
        core::AlembicDriver &driver = *slot->driver;
        const int startsBefore = driver.starts();
        driver.setLineHandler([self, generation](const QString &line) {
            post(self, [self, generation, line] {
                if (generation == self->m_generation)
                    self->onLine(line, levelOf(line));
            });
        });
        driver.setStepHandler([self, generation](bool up, const QStringList &from, const QStringList &to) {
            post(self, [self, generation, up, from, to] {
                if (generation == self->m_generation)
                    self->onStepFinished(up, from, to);
            });
        });
        driver.setCommitHandler([self, generation] {
            post(self, [self, generation] {
                if (generation == self->m_generation)
                    self->onStepCommitted();
            });
        });
        driver.setCancelFlag(&job->cancel);
        Finished f;
        f.generation = generation;
        // Opened for every run: the revision files and the ini may have changed since the last.
        auto opened = driver.open(project);
        if (!opened) {
            f.openFailed = true;
            f.openError = opened.error();
        } else if (!opened->ok) {
            f.outcome = *opened;
        } else {
            f.outcome = op == QLatin1String("upgrade") ? driver.upgrade(target)
                      : op == QLatin1String("downgrade") ? driver.downgrade(target)
                                                         : driver.stamp({target});
        }
        driver.setLineHandler({});
        driver.setStepHandler({});
        driver.setCancelFlag(nullptr);
        f.newStarts = driver.starts() - startsBefore;
        driver.releaseThread();

        // A step that began and did not end: on a database without transactional DDL, read
        // what it left (here, off the GUI thread, before the run is reported finished).
        if (!f.outcome.ok && !f.openFailed && op != QLatin1String("stamp")) {
            std::optional<core::RunningStep> last;
            int started = 0;
            for (const QString &l : std::as_const(f.outcome.log))
                if (auto s = core::parseRunningStep(l)) {
                    last = s;
                    ++started;
                }
            if (last && started > f.outcome.migrations) {
                f.unfinishedRevision = last->revision();
                auto report = core::failedStepReport(*snapshot, f.unfinishedRevision, last->upgrade, url, {},
                                                     f.outcome.crashed ? std::nullopt
                                                                       : std::optional(f.outcome.unfinishedStep));
                if (report)
                    f.report = *report;
                else
                    f.reportError = report.error().message;
            }
        }
        post(self, [self, f] { self->onDriverFinished(f); });
    });
    return true;
}

bool RunController::startProcessRun(Kind kind, const QStringList &args, const QString &title)
{
    QStringList shown{m_alembic->display()};
    if (!m_project->config.iniPath.isEmpty())
        shown << QStringLiteral("-c") << m_project->config.iniPath;
    begin(kind, title, {}, (shown + args).join(QLatin1Char(' ')));
    m_process->start(*m_alembic, m_project->config.iniPath, args, m_project->config.baseDir);
    emit runStarted(args);
    return true;
}

void RunController::onLine(const QString &line, Level level)
{
    appendLine(line, level);
    const auto step = core::parseRunningStep(line);
    if (!step)
        return;
    m_currentStepRevision = step->revision();
    m_currentStepText = step->text;
    m_stepsTotal = std::max(m_stepsTotal, m_stepsDone + 1);
    m_session->setRunningRevision(m_currentStepRevision);
    emit stepStarted(m_currentStepRevision, step->text);
    emit stepChanged(m_currentStepRevision);
    emit progressChanged(m_stepsDone, m_stepsTotal);
}

void RunController::onStepFinished(bool upgrade, const QStringList &from, const QStringList &to)
{
    const QString revision = m_currentStepRevision.isEmpty() ? (upgrade ? to : from).value(0) : m_currentStepRevision;
    ++m_stepsDone;
    m_stepsTotal = std::max(m_stepsTotal, m_stepsDone);
    m_stepFrom = from;
    m_stepTo = to;
    if (!m_currentStepRevision.isEmpty())
        emit stepFinished(revision);
    m_currentStepRevision.clear();
    m_currentStepText.clear();
    emit progressChanged(m_stepsDone, m_stepsTotal);
}

void RunController::onStepCommitted()
{
    // Committed, the version table has moved for everybody: the graph shows the step applied
    // now, not when the run ends (on SQLite every step commits; a failure later keeps it).
    // A step waiting for the run's one transaction (PostgreSQL) stays as it was.
    if (!m_databases || m_target != m_activeTarget)
        return;
    const QString name = m_databases->active();
    QStringList heads = m_databases->status(name).heads;
    for (const QString &id : std::as_const(m_stepFrom))
        heads.removeAll(id);
    for (const QString &id : std::as_const(m_stepTo))
        if (!heads.contains(id))
            heads.append(id);
    m_databases->setCommittedHeads(name, heads);
}

void RunController::onDriverFinished(const Finished &f)
{
    if (f.generation != m_generation)
        return;
    m_driverStarts += f.newStarts;
    const core::DriverOutcome &o = f.outcome;
    const QString seconds = QString::number(elapsedMs() / 1000.0, 'f', 1);
    const QString revision = f.unfinishedRevision;
    QString status;
    QString failedFile;
    int failedLine = 0;
    bool failed = false;
    if (f.openFailed) {
        appendLine(QStringLiteral("ERROR [retort] %1").arg(f.openError.message), Level::Error);
        for (const QString &l : f.openError.detail.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            appendLine(l, Level::Error);
        status = tr("<b>%1 did not start:</b> %2").arg(m_title.toHtmlEscaped(), f.openError.message.toHtmlEscaped());
    } else if (o.ok) {
        m_stepsDone = std::max(m_stepsDone, m_stepsTotal);
        m_stepsTotal = m_stepsDone;
        emit progressChanged(m_stepsDone, m_stepsTotal);
        status = tr("%1 — done in %2 s").arg(m_title, seconds);
    } else if (o.cancelled) {
        status = tr("%1 — cancelled after %2 s; %3 step(s) done%4. The database position is re-read from the version table.")
                     .arg(m_title, seconds, QString::number(m_stepsDone),
                          revision.isEmpty() ? QString() : tr(", the step of %1 was interrupted").arg(revision));
    } else if (o.crashed) {
        appendLine(QStringLiteral("ERROR [retort] %1").arg(o.error), Level::Error);
        status = tr("<b>%1 failed: the Alembic driver stopped</b> (%2). The next run starts a new one.")
                     .arg(m_title.toHtmlEscaped(), o.error.toHtmlEscaped());
        failed = true;
    } else {
        const QStringList traceback = o.traceback.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString &l : traceback)
            appendLine(l, l.startsWith(QLatin1String("  File ")) || l.startsWith(QLatin1String("Traceback")) ? Level::Error : Level::Output);
        appendLine(QStringLiteral("FAILED: %1").arg(o.error), Level::Error);
        const auto frame = failingFrame(traceback, m_project->config.versionLocations);
        failedFile = frame.first;
        failedLine = frame.second;
        const QString where = revision.isEmpty() ? QString() : tr(" in revision %1").arg(revision);
        const QString place = failedFile.isEmpty() ? QString()
                                                   : QStringLiteral(" (%1:%2)").arg(QFileInfo(failedFile).fileName()).arg(failedLine);
        status = tr("<b>%1 failed%2%3:</b> %4").arg(m_title.toHtmlEscaped(), where, place.toHtmlEscaped(),
                                                   o.error.section(QLatin1Char('\n'), 0, 0).toHtmlEscaped());
        failed = true;
    }
    if (f.report && !f.report->isEmpty()) {
        m_failedStep = *f.report;
        status += QStringLiteral("<br>") + m_failedStep.summary.toHtmlEscaped();
        appendLine(tr("# what the unfinished step of %1 left behind:").arg(revision), Level::Warning);
        appendLine(m_failedStep.summary, Level::Warning);
        for (const QString &s : std::as_const(m_failedStep.kept))
            appendLine(tr("#   kept:        %1").arg(s), Level::Warning);
        for (const QString &s : std::as_const(m_failedStep.rolledBack))
            appendLine(tr("#   rolled back: %1").arg(s), Level::Output);
        for (const QString &l : m_failedStep.leftovers.split(QLatin1Char('\n')))
            appendLine(l, Level::Output);
    } else if (!f.reportError.isEmpty()) {
        appendLine(tr("# cannot read what the unfinished step left: %1").arg(f.reportError), Level::Warning);
    }

    m_kind = Kind::None;
    m_session->setRunning(false);
    setStatus(status);
    if (failed) {
        m_session->setRunFailed(revision, failedFile, failedLine, o.error.section(QLatin1Char('\n'), 0, 0));
        emit failedAt(revision, failedLine, failedFile);
    }
    if (!m_failedStep.isEmpty())
        emit failedStepReported(m_failedStep);
    finish(o.ok && !f.openFailed, status);
}

void RunController::onProcessFinished(int exitCode, bool crashedOrCancelled)
{
    if (m_kind != Kind::Merge && m_kind != Kind::Revision)
        return;
    const bool ok = exitCode == 0 && !crashedOrCancelled;
    const QString seconds = QString::number(m_process->elapsedMs() / 1000.0, 'f', 1);
    m_kind = Kind::None;
    m_session->setRunning(false);
    QString status;
    if (ok)
        status = tr("%1 — done in %2 s").arg(m_title, seconds);
    else if (m_process->wasCancelled())
        status = tr("%1 — cancelled after %2 s.").arg(m_title, seconds);
    else
        status = tr("<b>%1 failed:</b> %2").arg(m_title.toHtmlEscaped(), m_process->failureMessage().toHtmlEscaped());
    setStatus(status);
    if (!ok && !m_process->wasCancelled()) {
        m_session->setRunFailed(QString(), QString(), 0, m_process->failureMessage());
        emit failedAt(QString(), 0, QString());
    }
    finish(ok, status);
}

void RunController::finish(bool ok, const QString &status)
{
    const Kind kind = m_lastKind;
    m_currentStepRevision.clear();
    m_currentStepText.clear();
    emit stepChanged(QString());
    QStringList text;
    text.reserve(m_log.size());
    for (const LogLine &l : std::as_const(m_log))
        text.append(l.text);
    m_history.prepend({QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), m_title), status,
                       text.join(QLatin1Char('\n')), ok});
    emit historyChanged();
    // A run that applied no migration step (a merge, a new revision, an upgrade with nothing
    // to do) ends with "No steps", not the "0 / 1" of a bar that was waiting for one.
    if (m_stepsTotal == 0)
        emit progressChanged(0, 0);
    if (kind != Kind::Stairway)
        m_session->refreshDatabase();
    if (kind == Kind::Merge || kind == Kind::Revision) {
        m_session->reload();
        if (ok && !m_lastCreated.isEmpty())
            emit revisionCreated(m_lastCreated);
    }
    emit runFinished(ok);
}

bool RunController::upgrade(const QString &target)
{
    if (!canStart())
        return false;
    auto plan = m_project->map.upgradePlan(target, m_session->currentRevisions());
    if (!plan) {
        setStatus(tr("Cannot upgrade to %1: %2").arg(target, plan.error().message));
        return false;
    }
    if (!confirm(tr("Upgrade a Production Database"), planHtml(tr("Upgrade"), target, *plan), false))
        return false;
    return startDriverRun(Kind::Upgrade, target, tr("upgrade %1").arg(target), *plan);
}

bool RunController::downgrade(const QString &target)
{
    if (!canStart())
        return false;
    const QStringList current = m_session->currentRevisions();
    auto plan = m_project->map.downgradePlan(target, current);
    if (!plan) {
        QString why = tr("Cannot downgrade to %1: %2").arg(target, plan.error().message);
        // Alembic's "Ambiguous walk" at a merge: say what it means and what to do instead.
        const int at = current.size() == 1 ? m_project->map.indexOf(current.first()) : -1;
        if (target.startsWith(QLatin1Char('-')) && at >= 0 && m_project->map.at(at).isMergePoint())
            why += tr(". %1 is a merge of %2: one step down is ambiguous. Select the parent whose branch should go back "
                      "and use Downgrade This Branch by One (PARENT@-1), or downgrade to a selected revision.")
                       .arg(current.first(), m_project->map.at(at).downRevisions.join(QStringLiteral(" and ")));
        setStatus(why);
        return false;
    }
    QString html = planHtml(tr("Downgrade"), target, *plan);
    html += tr("<p>Downgrades drop what these revisions created, data included.</p>");
    if (!confirm(tr("Downgrade"), html, true))
        return false;
    return startDriverRun(Kind::Downgrade, target, tr("downgrade %1").arg(target), *plan);
}

bool RunController::stamp(const QString &target)
{
    if (!canStart())
        return false;
    // The exact rows the version table will hold, as Alembic's stamp computes them.
    const QStringList before = m_session->currentRevisions();
    const auto result = core::stampResult(m_project->map, target, before);
    if (!result) {
        setStatus(tr("Cannot stamp %1: %2").arg(target, result.error().message));
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
    QString html = tr("<b>Stamp</b> <code>%1</code> on <code>%2</code>%3 without running any migration.")
                       .arg(target.toHtmlEscaped(), maskedUrl().toHtmlEscaped(),
                            m_target.name.isEmpty() ? QString() : QStringLiteral(" (<b>%1</b>)").arg(m_target.name.toHtmlEscaped()));
    html += tr("<p>Version table now: %1<br>Version table after: <b>%2</b></p>").arg(rowsHtml(before), rowsHtml(result->rows));
    QStringList changes;
    for (const QString &d : result->deleted)
        changes.append(tr("delete <code>%1</code>").arg(d.toHtmlEscaped()));
    for (const auto &u : result->updated)
        changes.append(tr("update <code>%1</code> → <code>%2</code>").arg(u.first.toHtmlEscaped(), u.second.toHtmlEscaped()));
    for (const QString &i : result->inserted)
        changes.append(tr("insert <code>%1</code>").arg(i.toHtmlEscaped()));
    html += changes.isEmpty() ? tr("<p>Nothing changes.</p>") : QStringLiteral("<ul><li>%1</li></ul>").arg(changes.join(QStringLiteral("</li><li>")));
    if (!confirm(tr("Stamp"), html, true))
        return false;
    return startDriverRun(Kind::Stamp, target, tr("stamp %1").arg(target), {});
}

bool RunController::merge(const QStringList &heads, const QString &message)
{
    if (heads.size() < 2 || !canStart())
        return false;
    return startProcessRun(Kind::Merge, QStringList{QStringLiteral("merge"), QStringLiteral("-m"), message} + heads,
                           tr("merge %1").arg(heads.join(QStringLiteral(", "))));
}

bool RunController::mergeHeads(const QStringList &heads)
{
    if (!m_project || heads.size() < 2) {
        setStatus(tr("Select two or more heads to merge (Ctrl+click in the graph)."));
        return false;
    }
    for (const QString &h : heads) {
        const int i = m_project->map.indexOf(h);
        if (i < 0 || !m_project->map.at(i).isHead()) {
            setStatus(tr("%1 is not a head; only heads can be merged.").arg(h));
            return false;
        }
    }
    // What each branch changes since they parted reads every revision's operations: in the
    // pool, and the dialog shows when the answer is back. cancel(), a newer request or
    // another project drops the answer.
    const quint64 job = ++m_mergePreview;
    setStatus(tr("Reading what each branch changes since they parted… <a href='cancel-merge'>Cancel</a>"));
    runInBackground(this, [project = m_project, heads] { return core::branchChanges(*project, heads); },
                    [this, job, heads, project = m_project](core::BranchChanges changes) {
                        if (job != m_mergePreview)
                            return;
                        m_mergePreviewDone = job;
                        setStatus(QString());
                        if (project != m_project) {
                            if (m_project)
                                mergeHeads(heads); // reloaded meanwhile: ask the new snapshot
                            return;
                        }
                        askMerge(heads, changes);
                    });
    return true;
}

bool RunController::isMergePreviewPending() const
{
    return m_mergePreview != m_mergePreviewDone;
}

bool RunController::askMerge(const QStringList &heads, const core::BranchChanges &changes)
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
    const auto message = Prompter::instance()->askText(m_promptParent, tr("Merge Heads"), html, tr("Message of the merge revision:"),
                                                       tr("merge %1").arg(heads.join(QStringLiteral(" and "))));
    if (!message)
        return false;
    return merge(heads, *message);
}

bool RunController::newRevision(const QString &message, bool autogenerate, const QString &head, const QString &branchLabel,
                                bool splice, const QString &dependsOn)
{
    if (!canStart())
        return false;
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
    return startProcessRun(Kind::Revision, args, tr("new revision \"%1\"").arg(message));
}

bool RunController::runStairway()
{
    if (!canStart())
        return false;
    begin(Kind::Stairway, tr("stairway test"), {},
          tr("stairway: for every revision, upgrade, snapshot the schema, downgrade, compare, upgrade again"));
    m_stepsTotal = m_project->map.size();
    emit progressChanged(0, m_stepsTotal);
    setStatus(tr("Stairway test running on a scratch database…"));
    emit runStarted({QStringLiteral("stairway")});
    auto project = m_project;
    const core::AlembicCommand alembic = *m_alembic;
    const std::shared_ptr<Job> job = m_job;
    const quint64 generation = m_generation;
    const QPointer<RunController> self(this);
    // The scratch database is of the target's dialect (on a server: created there), and
    // env.py gets the target's -x arguments, as a run on it would.
    const RunTarget target = m_target;
    runInBackground(this, [project, alembic, job, self, generation, target]() {
        core::Stairway stairway(*project, alembic);
        stairway.setBaseUrl(target.url);
        stairway.setXArguments(target.xArgs);
        stairway.setCancelFlag(&job->cancel);
        stairway.setProgress([self, generation](int done, int total, const QString &revision) {
            post(self, [self, generation, done, total, revision] {
                if (generation != self->m_generation)
                    return;
                self->m_stepsDone = done;
                self->m_stepsTotal = total;
                emit self->progressChanged(done, total);
                if (!revision.isEmpty()) {
                    self->m_currentStepRevision = revision;
                    self->m_currentStepText = tr("testing %1").arg(revision);
                    self->m_session->setRunningRevision(revision);
                    emit self->stepStarted(revision, self->m_currentStepText);
                    emit self->stepChanged(revision);
                }
            });
        });
        auto steps = stairway.run();
        return std::make_pair(std::move(steps), stairway.scratchDescription());
    }, [this, generation](std::pair<core::Result<QList<core::StairwayStep>>, QString> r) {
        if (generation != m_generation)
            return;
        m_kind = Kind::None;
        m_session->setRunning(false);
        if (!r.first) {
            const QString status = tr("Stairway test could not run: %1").arg(r.first.error().message.toHtmlEscaped());
            setStatus(status);
            finish(false, status);
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
                       bad ? Level::Error : Level::Info);
            for (const QString &line : st.diff.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
                appendLine(QStringLiteral("    ") + line, Level::Output);
        }
        m_stepsDone = m_stepsTotal;
        emit progressChanged(m_stepsDone, m_stepsTotal);
        const QString status = failed
            ? tr("<b>Stairway test: %1 of %2 revisions failed</b> (%3, removed)").arg(failed).arg(r.first->size()).arg(r.second.toHtmlEscaped())
            : tr("Stairway test: all %1 revisions passed (%2, removed)").arg(r.first->size()).arg(r.second.toHtmlEscaped());
        setStatus(status);
        m_session->setStairwayResults(passed);
        finish(failed == 0, status);
        emit stairwayFinished(passed, failed);
    });
    return true;
}

void RunController::cancel()
{
    if (isMergePreviewPending()) {
        m_mergePreviewDone = ++m_mergePreview; // the answer, when it comes, is dropped
        setStatus(tr("Merge cancelled."));
    }
    if (!isRunning())
        return;
    if (m_kind == Kind::Stairway) {
        m_job->cancel.store(true);
        appendLine(tr("# cancel requested: the stairway stops after the current revision"), Level::Warning);
    } else if (m_kind == Kind::Merge || m_kind == Kind::Revision) {
        m_process->cancel();
    } else if (!m_job->cancel.exchange(true)) {
        appendLine(tr("# cancel requested"), Level::Warning);
    }
}

void RunController::reset()
{
    // Another project: nothing of the old one's runs stays, and its drivers end.
    if (m_job)
        m_job->cancel.store(true);
    if (m_process->isRunning())
        m_process->cancel();
    ++m_generation;
    m_mergePreviewDone = ++m_mergePreview;
    if (m_kind != Kind::None) {
        m_kind = Kind::None;
        m_session->setRunning(false);
    }
    stopDrivers();
    m_title.clear();
    m_plan.clear();
    m_stepsDone = m_stepsTotal = 0;
    m_currentStepRevision.clear();
    m_currentStepText.clear();
    m_timer.invalidate();
    m_log.clear();
    m_history.clear();
    m_lastCreated.clear();
    m_failedStep = {};
    emit logCleared();
    emit historyChanged();
    emit progressChanged(0, 0);
    setStatus(QString());
}

} // namespace retort::ui
