#include "mergeforecast.h"

#include <QFileInfo>
#include <QSet>

#include <future>

namespace retort::core {

namespace {

QStringList idsOf(const RevisionMap &map, const std::vector<int> &indices)
{
    QStringList out;
    for (int i : indices)
        out.append(map.at(i).id);
    return out;
}

QString revisesText(const QStringList &down)
{
    if (down.isEmpty())
        return QStringLiteral("a base");
    QStringList shortDown;
    for (const QString &d : down)
        shortDown.append(MergeForecast::shortId(d));
    return QStringLiteral("revises ") + shortDown.join(QStringLiteral(", "));
}

QString fileOfRevision(const RevisionMap &map, int index)
{
    return index >= 0 ? map.fileOf(index).path : QString();
}

} // namespace

QString MergeForecast::shortId(const QString &id)
{
    return id.size() <= 4 ? id : id.left(4) + QChar(0x2026);
}

Result<MergeForecast> MergeForecast::compute(const ProjectConfig &config, const QString &target, const QString &ours)
{
    const QString where = config.scriptLocation.isEmpty() ? config.baseDir : config.scriptLocation;
    auto repo = GitRepository::open(QFileInfo(where).exists() ? where : config.baseDir);
    if (!repo)
        return repo.error();
    auto files = repo->mergeFiles(config, target, ours);
    if (!files)
        return files.error();
    return fromFiles(config, *files);
}

MergeForecast MergeForecast::fromFiles(const ProjectConfig &config, const GitMergeFiles &files)
{
    MergeForecast f;
    f.m_target = files.targetName;
    f.m_targetCommit = files.target.commit;
    f.m_baseCommit = files.baseCommit;
    f.m_oursIsWorktree = files.oursIsWorktree;
    f.m_conflicts = files.conflicts;
    f.m_warnings = files.target.warnings + files.ours.warnings + files.merged.warnings;
    // Three reads of mostly the same files: side by side where there are cores for it.
    auto load = [&config](const GitVersionFiles &v) {
        return std::make_shared<Project>(ScriptDirectory::loadFromContents(config, v.files));
    };
    auto targetLoad = std::async(std::launch::async, load, std::cref(files.target));
    auto mergedLoad = std::async(std::launch::async, load, std::cref(files.merged));
    auto oursProject = load(files.ours);
    auto targetProject = targetLoad.get();
    auto mergedProject = mergedLoad.get();
    f.m_targetProject = targetProject;
    f.m_oursProject = oursProject;
    f.m_mergedProject = mergedProject;
    const RevisionMap &tm = targetProject->map;
    const RevisionMap &om = oursProject->map;
    const RevisionMap &mm = mergedProject->map;

    for (int i : om.displayOrder())
        if (tm.indexOf(om.at(i).id) == RevisionMap::None)
            f.m_newRevisions.append(om.at(i).id);
    for (int i : tm.displayOrder())
        if (om.indexOf(tm.at(i).id) == RevisionMap::None)
            f.m_targetOnly.append(tm.at(i).id);
    f.m_targetHeads = idsOf(tm, tm.heads());
    const QSet<QString> targetHeadSet(f.m_targetHeads.cbegin(), f.m_targetHeads.cend());

    QList<ForecastHead> theirs;
    for (int h : mm.heads()) {
        const Revision &r = mm.at(h);
        ForecastHead head{r.id, fileOfRevision(mm, h), r.downRevisions, tm.indexOf(r.id) == RevisionMap::None};
        (head.yours ? f.m_mergedHeads : theirs).append(head);
    }
    f.m_mergedHeads += theirs;

    for (const GitConflict &c : files.conflicts)
        f.m_problems.append({QStringLiteral("merge-conflict"), c.message, {}, c.path, 0, {}, {}});

    if (!mm.isValid()) {
        const Error &e = mm.loadError();
        f.m_problems.append({QStringLiteral("merged-map-broken"),
                             QStringLiteral("After merging into %1 Alembic could not load the revisions: %2").arg(f.m_target, e.message),
                             {}, e.file, e.line, {}, {}});
    }

    if (f.addsHeads()) {
        QStringList named;
        for (const ForecastHead &h : std::as_const(f.m_mergedHeads)) {
            named.append(QStringLiteral("%1 (%2, %3, %4)")
                             .arg(h.revision, h.yours ? QStringLiteral("yours") : f.m_target + QStringLiteral("'s"), h.file,
                                  h.downRevisions.isEmpty() ? QStringLiteral("a base")
                                                            : QStringLiteral("revises ") + h.downRevisions.join(QStringLiteral(", "))));
        }
        f.m_problems.append({QStringLiteral("more-heads"),
                             QStringLiteral("Merging into %1 would leave %2 heads (%1 has %3): %4. `alembic upgrade head` "
                                            "refuses multiple heads; re-parent yours onto %1's head or add a merge revision "
                                            "(alembic merge).")
                                 .arg(f.m_target)
                                 .arg(f.m_mergedHeads.size())
                                 .arg(f.m_targetHeads.size())
                                 .arg(named.join(QStringLiteral("; "))),
                             {}, {}, 0, {}, {}});
    }

    // A new revision must build on what the target has at its tip, not on something the
    // target has moved past.
    for (const QString &id : std::as_const(f.m_newRevisions)) {
        const int mi = mm.indexOf(id);
        if (mi == RevisionMap::None)
            continue;  // the merge dropped it (a conflict says why)
        const Revision &r = mm.at(mi);
        for (const QString &parent : r.downRevisions) {
            const int ti = tm.indexOf(parent);
            if (ti == RevisionMap::None || targetHeadSet.contains(parent))
                continue;
            QStringList suggested;
            for (int d : tm.descendants(ti, false))
                if (tm.at(d).isHead())
                    suggested.append(tm.at(d).id);
            if (suggested.isEmpty())
                suggested = f.m_targetHeads;
            const RevisionFile &rf = mm.fileOf(mi);
            const QString heads = f.m_targetHeads.size() == 1
                                      ? QStringLiteral("%1's head is %2").arg(f.m_target, f.m_targetHeads.first())
                                      : QStringLiteral("%1's heads are %2").arg(f.m_target, f.m_targetHeads.join(QStringLiteral(", ")));
            const QString onto = suggested.size() == 1 ? QStringLiteral("re-parent it onto %1").arg(suggested.first())
                                                       : QStringLiteral("re-parent it onto one of %1").arg(suggested.join(QStringLiteral(", ")));
            f.m_problems.append({QStringLiteral("forks-old-revision"),
                                 QStringLiteral("Revision %1 (%2:%3) revises %4, which is not a head of %5 (%6); %7, or add "
                                                "a merge revision.")
                                     .arg(id, rf.path)
                                     .arg(rf.downRevisionLine)
                                     .arg(parent, f.m_target, heads, onto),
                                 id, rf.path, rf.downRevisionLine, parent, suggested});
        }
    }
    return f;
}

QString MergeForecast::banner() const
{
    if (isClean())
        return {};
    if (addsHeads()) {
        QStringList parts;
        for (const ForecastHead &h : m_mergedHeads) {
            parts.append(QStringLiteral("%1 %2 (%3)")
                             .arg(h.yours ? QStringLiteral("yours") : m_target + QStringLiteral("'s"), shortId(h.revision),
                                  revisesText(h.downRevisions)));
        }
        return QStringLiteral("after merging into %1: %2 heads \u2014 %3")
            .arg(m_target)
            .arg(m_mergedHeads.size())
            .arg(parts.join(QStringLiteral(", ")));
    }
    const ForecastProblem &p = m_problems.first();
    if (p.rule == QLatin1String("forks-old-revision")) {
        return QStringLiteral("after merging into %1: yours %2 revises %3, which %1 has moved past (%1's head %4)")
            .arg(m_target, shortId(p.revision), shortId(p.parent),
                 p.suggestedParents.isEmpty() ? QString() : shortId(p.suggestedParents.first()));
    }
    if (p.rule == QLatin1String("merge-conflict")) {
        return QStringLiteral("after merging into %1: git conflict in %2").arg(m_target, p.file.section(QLatin1Char('/'), -1));
    }
    return QStringLiteral("after merging into %1: %2").arg(m_target, p.message);
}

std::optional<ForecastProblem> MergeForecast::reparentCandidate() const
{
    for (const ForecastProblem &p : m_problems)
        if (p.rule == QLatin1String("forks-old-revision") && p.suggestedParents.size() == 1)
            return p;
    return std::nullopt;
}

} // namespace retort::core
