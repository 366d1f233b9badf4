#include "formatting.h"

#include "python/syntaxtree.h"

#include <QJsonArray>

#include <algorithm>

namespace retort::core {

// Alembic prints branch labels and next revisions from Python sets, in an order that
// changes from run to run; Retort prints them sorted.
QString sortedLabels(const Revision &r)
{
    return r.branchLabels.join(QStringLiteral(", ")); // RevisionMap keeps them sorted
}

QStringList nextRevisionIds(const RevisionMap &map, int rev)
{
    QStringList ids;
    for (int n : map.at(rev).next)
        ids.append(map.at(n).id);
    ids.sort();
    return ids;
}

QString formatDownRevision(const Revision &r)
{
    if (r.downRevisions.isEmpty())
        return QStringLiteral("<base>");
    if (r.downRevisions.size() == 1)
        return r.downRevisions.first();
    return r.downRevisions.join(QStringLiteral(", "));
}

namespace {

// Appends pieces to a QString with one bounds check each (QString::append costs a call and
// its checks per piece; `retort history` formats ~15 pieces for each of 10,000 revisions).
class TextBuilder
{
public:
    explicit TextBuilder(qsizetype capacity) : m_text(capacity, Qt::Uninitialized) {}
    TextBuilder &operator<<(QStringView piece)
    {
        if (m_used + piece.size() > m_text.size())
            m_text.resize(std::max(m_text.size() * 2, m_used + piece.size()));
        std::copy(piece.begin(), piece.end(), m_text.data() + m_used);
        m_used += piece.size();
        return *this;
    }
    TextBuilder &operator<<(const QStringList &items)  // joined by ", "
    {
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (i > 0)
                *this << u", ";
            *this << items[i];
        }
        return *this;
    }
    QString take()
    {
        m_text.truncate(m_used);
        return std::move(m_text);
    }

private:
    QString m_text;
    qsizetype m_used = 0;
};

} // namespace

QString headOnly(const RevisionMap &map, int rev, const FormatOptions &o)
{
    const Revision &r = map.at(rev);
    TextBuilder text(128);
    if (o.includeParents) {
        if (r.downRevisions.isEmpty())
            text << u"<base>";  // formatDownRevision()
        else
            text << r.downRevisions;
        if (!r.dependencies.isEmpty())
            text << u" (" << r.dependencies << u")";
        text << u" -> ";
    }
    text << r.id;
    if (o.includeBranches && !r.branchLabels.isEmpty())
        text << u" (" << r.branchLabels << u")";  // sortedLabels()
    // head_indicators defaults to True in Alembic, so these always show.
    if (r.isRealHead())
        text << u" (head)";
    if (r.isHead() && !r.isRealHead())
        text << u" (effective head)";
    if (o.current)
        text << u" (current)";
    if (o.treeIndicators) {
        if (r.isBranchPoint())
            text << u" (branchpoint)";
        if (r.isMergePoint())
            text << u" (mergepoint)";
    }
    if (o.includeDoc)
        text << u", " << map.fileOf(rev).docView();
    return text.take();
}

QString logEntry(const RevisionMap &map, int rev, bool current)
{
    const Revision &r = map.at(rev);
    QString entry = QStringLiteral("Rev: %1%2%3%4%5\n")
                        .arg(r.id, r.isHead() ? QStringLiteral(" (head)") : QString(),
                             r.isBranchPoint() ? QStringLiteral(" (branchpoint)") : QString(),
                             r.isMergePoint() ? QStringLiteral(" (mergepoint)") : QString(),
                             current ? QStringLiteral(" (current)") : QString());
    if (r.isMergePoint())
        entry += QStringLiteral("Merges: %1\n").arg(formatDownRevision(r));
    else
        entry += QStringLiteral("Parent: %1\n").arg(formatDownRevision(r));
    if (!r.dependencies.isEmpty())
        entry += QStringLiteral("Also depends on: %1\n").arg(r.dependencies.join(QStringLiteral(", ")));
    if (r.isBranchPoint()) {
        entry += QStringLiteral("Branches into: %1\n").arg(nextRevisionIds(map, rev).join(QStringLiteral(", ")));
    }
    if (!r.branchLabels.isEmpty())
        entry += QStringLiteral("Branch names: %1\n").arg(sortedLabels(r));
    entry += QStringLiteral("Path: %1\n").arg(map.fileOf(rev).path);
    QStringList paras;
    // Script.log_entry: longdoc.splitlines(), Python's line boundaries (\f, \v, \x1c-\x1e, \x85, U+2028/9 too).
    for (const QString &line : python::pySplitLines(map.fileOf(rev).longDoc))
        paras.append(QStringLiteral("    ") + line);
    entry += QStringLiteral("\n%1\n").arg(paras.join(QLatin1Char('\n')));
    return entry;
}

QString cmdFormat(const RevisionMap &map, int rev, const FormatOptions &o)
{
    if (o.verbose)
        return logEntry(map, rev, o.current);
    return headOnly(map, rev, o);
}

QJsonObject revisionJson(const RevisionMap &map, int rev)
{
    const Revision &r = map.at(rev);
    const RevisionFile &f = map.fileOf(rev);
    QJsonObject o;
    o.insert(QStringLiteral("revision"), r.id);
    o.insert(QStringLiteral("down_revisions"), QJsonArray::fromStringList(r.downRevisions));
    o.insert(QStringLiteral("depends_on"), QJsonArray::fromStringList(r.dependencies));
    o.insert(QStringLiteral("branch_labels"), QJsonArray::fromStringList(r.branchLabels));
    QStringList next;
    for (int n : r.next)
        next.append(map.at(n).id);
    o.insert(QStringLiteral("next_revisions"), QJsonArray::fromStringList(next));
    o.insert(QStringLiteral("is_head"), r.isHead());
    o.insert(QStringLiteral("is_base"), r.isBase());
    o.insert(QStringLiteral("is_branch_point"), r.isBranchPoint());
    o.insert(QStringLiteral("is_merge_point"), r.isMergePoint());
    o.insert(QStringLiteral("doc"), f.doc());
    o.insert(QStringLiteral("create_date"), f.createDate());
    o.insert(QStringLiteral("path"), f.path);
    o.insert(QStringLiteral("upgrade_line"), f.upgradeLine);
    o.insert(QStringLiteral("downgrade_line"), f.downgradeLine);
    o.insert(QStringLiteral("downgrade_empty"), f.downgradeEmpty);
    return o;
}

} // namespace retort::core
