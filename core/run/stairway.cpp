#include "stairway.h"

#include "run/replay.h"

#include <QElapsedTimer>

namespace retort::core {

Stairway::Stairway(const Project &project, AlembicCommand alembic) : m_project(project), m_alembic(std::move(alembic)) {}

Result<QList<StairwayStep>> Stairway::run()
{
    const RevisionMap &map = m_project.map;
    if (!map.isValid())
        return map.loadError();
    auto plan = map.upgradePlan(QStringLiteral("heads"), {});
    if (!plan)
        return plan.error();

    Replay replay(m_project, m_alembic, m_xArgs);
    if (auto started = replay.start(m_baseUrl, QStringLiteral("stairway")); !started)
        return started.error();
    m_scratchDescription = replay.scratch().description();
    AlembicDriver &driver = replay.driver();
    driver.setCancelFlag(m_cancel);

    QList<StairwayStep> steps;
    for (const PlanStep &s : *plan) {
        StairwayStep st;
        st.revision = map.at(s.revision).id;
        st.message = s.doc;
        steps.append(st);
    }
    QStringList applied; // current heads of the scratch database
    bool stopped = false;
    // The schema before the next step: the previous step's final snapshot.
    auto current = replay.snapshot();
    if (!current)
        return current.error();
    SchemaSnapshot before = *current;
    auto logOf = [](const DriverOutcome &o) {
        QString text = o.log.join(QLatin1Char('\n'));
        if (!o.ok && !o.error.isEmpty())
            text += (text.isEmpty() ? QString() : QStringLiteral("\n")) + QStringLiteral("FAILED: ") + o.error;
        return text.isEmpty() ? text : text + QLatin1Char('\n');
    };
    for (qsizetype i = 0; i < steps.size(); ++i) {
        StairwayStep &st = steps[i];
        QElapsedTimer timer;
        timer.start();
        if (m_progress)
            m_progress(int(i), int(steps.size()), st.revision);
        if (stopped || (m_cancel && m_cancel->load())) {
            st.status = StairwayStep::Status::Skipped;
            st.reason = stopped ? QStringLiteral("not reached: an earlier step left the scratch database unusable")
                                : QStringLiteral("cancelled");
            continue;
        }
        const DriverOutcome up = driver.upgrade(st.revision);
        st.log += logOf(up);
        if (!up.ok) {
            st.status = up.cancelled ? StairwayStep::Status::Skipped : StairwayStep::Status::Failed;
            st.reason = up.cancelled ? QStringLiteral("cancelled") : up.crashed ? up.error : QStringLiteral("upgrade failed");
            stopped = true;
            continue;
        }
        auto after = replay.snapshot();
        if (!after)
            return after.error();
        const QStringList headsAfter = replay.headsAfter(st.revision, applied);
        const QString target = replay.downgradeTarget(st.revision, headsAfter);
        applied = headsAfter;
        if (target.isEmpty()) {
            st.status = StairwayStep::Status::Skipped;
            st.reason = QStringLiteral("no downgrade target undoes exactly this revision");
            before = *after;
            continue;
        }
        const DriverOutcome down = driver.downgrade(target);
        st.log += logOf(down);
        if (!down.ok) {
            st.status = down.cancelled ? StairwayStep::Status::Skipped : StairwayStep::Status::Failed;
            st.reason = down.cancelled ? QStringLiteral("cancelled") : down.crashed ? down.error : QStringLiteral("downgrade failed");
            stopped = true;
            continue;
        }
        auto undone = replay.snapshot();
        if (!undone)
            return undone.error();
        st.changes = diffSchemas(before, *undone);
        const DriverOutcome again = driver.upgrade(st.revision);
        st.log += logOf(again);
        if (!again.ok) {
            if (again.cancelled) {
                st.status = StairwayStep::Status::Skipped;
                st.reason = QStringLiteral("cancelled");
                stopped = true;
                continue;
            }
            // What the downgrade left behind makes the upgrade fail: record the step as applied
            // so the revisions after it are still tested.
            st.log += logOf(driver.stamp({st.revision}));
        }
        auto reapplied = replay.snapshot();
        if (!reapplied)
            return reapplied.error();
        if (!st.changes.isEmpty()) {
            st.status = StairwayStep::Status::Failed;
            st.reason = QStringLiteral("downgrade did not restore the schema");
        } else if (!again.ok) {
            st.status = StairwayStep::Status::Failed;
            st.reason = QStringLiteral("upgrade failed after the downgrade");
        } else if (!(*reapplied == *after)) {
            st.status = StairwayStep::Status::Failed;
            st.reason = QStringLiteral("upgrading again gives a different schema");
            st.changes = diffSchemas(*after, *reapplied);
        } else {
            st.status = StairwayStep::Status::Passed;
        }
        st.diff = renderChanges(st.changes);
        before = *reapplied;
        st.elapsedMs = timer.elapsed();
    }
    m_restarts = driver.restarts();
    if (m_progress)
        m_progress(int(steps.size()), int(steps.size()), QString());
    return steps;
}

} // namespace retort::core
