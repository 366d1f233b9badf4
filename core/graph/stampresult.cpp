#include "stampresult.h"

namespace retort::core {

namespace {

Error crash(const char *exception, const QString &message)
{
    Error e = makeError(Error::Code::Revision, message);
    e.exception = QLatin1String(exception);
    return e;
}

} // namespace

Result<StampResult> stampResult(const RevisionMap &map, const QString &target, const QStringList &currentHeads, bool purge)
{
    StampResult out;
    // HeadMaintainer's heads (a set in Alembic; here in the table's order, new rows last).
    QStringList heads = currentHeads;
    heads.removeDuplicates();
    if (purge) {
        out.deleted = heads;
        heads.clear();
    }
    auto steps = map.stampSteps(target, heads);
    if (!steps)
        return steps.error();

    // HeadMaintainer._delete_version / _insert_version / _update_version, with their asserts
    // and the set's KeyError.
    auto remove = [&](const QString &id) -> std::optional<Error> {
        if (!heads.removeOne(id))
            return crash("KeyError", QStringLiteral("Stamping %1 would delete the row %2, which an earlier step of the "
                                                    "same stamp already removed (Alembic fails with KeyError)")
                                         .arg(target, id));
        out.deleted.append(id);
        return std::nullopt;
    };
    auto insert = [&](const QString &id) -> std::optional<Error> {
        if (heads.contains(id))
            return crash("AssertionError", QStringLiteral("Stamping %1 would insert the row %2 twice (Alembic fails "
                                                          "with AssertionError)")
                                               .arg(target, id));
        heads.append(id);
        out.inserted.append(id);
        return std::nullopt;
    };
    auto update = [&](const QString &from, const QString &to) -> std::optional<Error> {
        if (heads.contains(to))
            return crash("AssertionError", QStringLiteral("Stamping %1 would update the row %2 to %3, which the table "
                                                          "already holds (Alembic fails with AssertionError)")
                                               .arg(target, from, to));
        const qsizetype i = heads.indexOf(from);
        if (i < 0)
            return crash("KeyError", QStringLiteral("Stamping %1 would update the row %2, which an earlier step of the "
                                                    "same stamp already removed (Alembic fails with KeyError)")
                                         .arg(target, from));
        heads[i] = to;
        out.updated.append({from, to});
        return std::nullopt;
    };
    auto anyMissing = [&heads](const QStringList &ids) {
        return std::any_of(ids.cbegin(), ids.cend(), [&heads](const QString &id) { return !heads.contains(id); });
    };

    // HeadMaintainer.update_to_step with StampStep's should_* answers.
    for (const StampStep &step : *steps) {
        std::optional<Error> failed;
        if (!step.upgrade && step.branchMove) {
            failed = remove(step.from.first());
        } else if (step.upgrade && (step.branchMove || anyMissing(step.from)) && anyMissing(step.to)) {
            failed = insert(step.to.first());
        } else if (step.from.size() > 1) {
            for (qsizetype i = 0; i + 1 < step.from.size() && !failed; ++i)
                failed = remove(step.from[i]);
            if (!failed)
                failed = update(step.from.last(), step.to.first());
        } else if (step.from.size() == 1 && step.to.size() == 1) {
            failed = update(step.from.first(), step.to.first());
        } else {
            failed = crash("AssertionError", QStringLiteral("Stamping %1 would move no row to %2, which the table "
                                                            "already holds (Alembic fails with AssertionError)")
                                                 .arg(target, step.to.join(QStringLiteral(", "))));
        }
        if (failed)
            return *failed;
    }
    out.rows = heads;
    return out;
}

} // namespace retort::core
