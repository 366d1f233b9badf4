#include "sqlpreview.h"

#include "project/scriptdirectory.h"

#include <QRegularExpression>

namespace retort::ui {

QString RevisionSql::text() const
{
    const QString from = parents.isEmpty() ? QStringLiteral("base") : parents.join(QStringLiteral(", "));
    QString out = QObject::tr("-- upgrade %1 (from %2)\n").arg(revision, from);
    out += upgradeError.isEmpty() ? upgrade
                                  : QObject::tr("-- Alembic could not render the upgrade offline (--sql):\n%1\n").arg(upgradeError);
    out += QObject::tr("\n-- downgrade %1 (to %2)\n").arg(revision, from);
    out += downgradeError.isEmpty()
               ? downgrade
               : QObject::tr("-- Alembic could not render the downgrade offline (--sql):\n%1\n").arg(downgradeError);
    return out;
}

SqlPreview::SqlPreview(QObject *parent) : QObject(parent), m_process(new core::AlembicProcess(this))
{
    qRegisterMetaType<RevisionSql>();
    connect(m_process, &core::AlembicProcess::finished, this, &SqlPreview::onFinished);
}

SqlPreview::~SqlPreview() = default;

void SqlPreview::setProject(std::shared_ptr<const core::Project> project)
{
    m_project = std::move(project);
}

void SqlPreview::setAlembic(const std::optional<core::AlembicCommand> &alembic)
{
    m_alembic = alembic;
}

bool SqlPreview::isBusy() const
{
    return m_phase != Phase::Idle;
}

QStringList SqlPreview::sqlLines(const QStringList &output)
{
    static const QRegularExpression log(QStringLiteral("^(INFO|WARNI?N?G?|ERROR|FAILED|DEBUG)\\b"));
    QStringList sql;
    for (const QString &line : output)
        if (!log.match(line).hasMatch())
            sql.append(line);
    return sql;
}

QString SqlPreview::stepSql(const QStringList &output, const QString &revision, bool upgrade)
{
    static const QRegularExpression heading(QStringLiteral("^-- Running (upgrade|downgrade) (.*?) -> (.*)$"));
    const QStringList lines = sqlLines(output);
    QStringList preamble, step;
    bool seenHeading = false, inStep = false;
    for (const QString &line : lines) {
        const auto m = heading.match(line);
        if (m.hasMatch()) {
            seenHeading = true;
            const QString side = upgrade ? m.captured(3) : m.captured(2);
            const QStringList ids = side.split(QLatin1Char(','), Qt::SkipEmptyParts);
            inStep = (m.captured(1) == QLatin1String("upgrade")) == upgrade
                     && std::any_of(ids.cbegin(), ids.cend(), [&](const QString &s) { return s.trimmed() == revision; });
            if (inStep)
                step.append(line);
            continue;
        }
        if (!seenHeading)
            preamble.append(line);
        else if (inStep)
            step.append(line);
    }
    while (!preamble.isEmpty() && preamble.last().trimmed().isEmpty())
        preamble.removeLast();
    QString out = preamble.join(QLatin1Char('\n'));
    if (!out.isEmpty())
        out += QLatin1Char('\n');
    out += step.join(QLatin1Char('\n'));
    if (!out.endsWith(QLatin1Char('\n')))
        out += QLatin1Char('\n');
    return out;
}

QString SqlPreview::range(bool upgrade, const QString &target, const QStringList &current)
{
    if (upgrade)
        return current.size() == 1 ? current.first() + QLatin1Char(':') + target : target;
    return (current.size() == 1 ? current.first() : QStringLiteral("heads")) + QLatin1Char(':') + target;
}

bool SqlPreview::renderRevision(const QString &revision)
{
    if (!isReady())
        return false;
    const int idx = m_project->map.indexOf(revision);
    if (idx < 0)
        return false;
    const core::Revision &r = m_project->map.at(idx);
    m_result = RevisionSql();
    m_result.revision = r.id;
    m_result.parents = r.downRevisions;
    // Alembic's offline ranges take one start revision. From the first parent the merge's
    // own step is still the step from all its parents ("-- Running upgrade p1, p2 -> m");
    // the other branches' steps Alembic renders on the way are left out by stepSql().
    const QString parent = r.downRevisions.isEmpty() ? QStringLiteral("base") : r.downRevisions.first();
    startPhase(Phase::RevisionUp, {QStringLiteral("upgrade"), parent + QLatin1Char(':') + r.id, QStringLiteral("--sql")});
    return true;
}

bool SqlPreview::renderRange(bool upgrade, const QString &range)
{
    if (!isReady())
        return false;
    m_rangeTitle = tr("SQL for %1 %2").arg(upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), range);
    startPhase(Phase::Range, {upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), range, QStringLiteral("--sql")});
    return true;
}

void SqlPreview::cancel()
{
    m_pending.clear();
    m_pendingPhase = Phase::Idle;
    if (m_process->isRunning())
        m_process->cancel();
    m_phase = Phase::Idle;
}

void SqlPreview::startPhase(Phase phase, const QStringList &args)
{
    if (m_process->isRunning()) {
        // The older request's answer is no longer wanted: stop it and start this one after.
        m_pending = args;
        m_pendingPhase = phase;
        m_phase = Phase::Idle;
        m_process->cancel();
        return;
    }
    m_phase = phase;
    m_process->start(*m_alembic, m_project->config.iniPath, args, m_project->config.baseDir);
}

QString SqlPreview::errorText() const
{
    // Alembic's FAILED line, then the lines of the traceback that say where.
    QString message = m_process->failureMessage();
    QStringList context;
    for (const QString &line : m_process->output())
        if (line.startsWith(QLatin1String("  File ")) || line.startsWith(QLatin1String("ERROR")))
            context.append(line);
    QString text = QStringLiteral("-- ") + message;
    for (const QString &c : std::as_const(context).mid(std::max<qsizetype>(0, context.size() - 4)))
        if (!c.contains(message))
            text += QStringLiteral("\n-- ") + c.trimmed();
    return text;
}

void SqlPreview::onFinished(int exitCode, bool crashedOrCancelled)
{
    if (!m_pending.isEmpty()) {
        const QStringList args = m_pending;
        const Phase phase = m_pendingPhase;
        m_pending.clear();
        m_pendingPhase = Phase::Idle;
        startPhase(phase, args);
        return;
    }
    const bool ok = exitCode == 0 && !crashedOrCancelled;
    const Phase phase = m_phase;
    m_phase = Phase::Idle;
    switch (phase) {
    case Phase::Idle:
        return;
    case Phase::RevisionUp: {
        if (ok)
            m_result.upgrade = stepSql(m_process->output(), m_result.revision, true);
        else
            m_result.upgradeError = errorText();
        const QString parent = m_result.parents.isEmpty() ? QStringLiteral("base") : m_result.parents.first();
        startPhase(Phase::RevisionDown,
                   {QStringLiteral("downgrade"), m_result.revision + QLatin1Char(':') + parent, QStringLiteral("--sql")});
        return;
    }
    case Phase::RevisionDown:
        if (ok)
            m_result.downgrade = stepSql(m_process->output(), m_result.revision, false);
        else
            m_result.downgradeError = errorText();
        emit revisionSqlReady(m_result);
        return;
    case Phase::Range: {
        const QString sql = sqlLines(m_process->output()).join(QLatin1Char('\n'));
        emit rangeSqlReady(m_rangeTitle, sql, ok ? QString() : errorText());
        return;
    }
    }
}

} // namespace retort::ui
