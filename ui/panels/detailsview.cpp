#include "detailsview.h"

#include "project/scriptdirectory.h"

#include <QFileInfo>
#include <QUrl>

namespace retort::ui {

DetailsView::DetailsView(QWidget *parent) : QTextBrowser(parent)
{
    setOpenLinks(false);
    setOpenExternalLinks(false);
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme() == QLatin1String("rev"))
            emit revisionLinkActivated(url.path());
    });
    showNothing();
}

void DetailsView::showFile(const QString &path, const QStringList &problems)
{
    m_revision = -1;
    m_file = path;
    m_html.clear();
    QString html = tr("<p><b>%1</b> is not a revision in the graph: Retort could not read it as one.</p>")
                       .arg(QFileInfo(path).fileName().toHtmlEscaped());
    if (!problems.isEmpty()) {
        html += QStringLiteral("<ul>");
        for (const QString &p : problems)
            html += QStringLiteral("<li>%1</li>").arg(p.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    html += tr("<p style='color:gray'>%1</p>").arg(QFileInfo(path).absolutePath().toHtmlEscaped());
    setHtml(html);
}

void DetailsView::showNothing(const QString &message)
{
    m_revision = -1;
    m_file.clear();
    m_html.clear();
    setHtml(QStringLiteral("<p style='color:gray'>%1</p>")
                .arg((message.isEmpty() ? tr("Select a revision to see its details.") : message).toHtmlEscaped()));
}

void DetailsView::showRevision(const std::shared_ptr<const core::Project> &project, int revision, const QStringList &current,
                               const QSet<QString> &applied)
{
    if (!project || revision < 0 || revision >= project->map.size()) {
        showNothing();
        return;
    }
    m_revision = revision;
    m_file.clear();
    const core::RevisionMap &map = project->map;
    const core::Revision &r = map.at(revision);
    const core::RevisionFile &f = map.fileOf(revision);
    auto link = [&map](int i) {
        return QStringLiteral("<a href='rev:%1'><code>%1</code></a>").arg(map.at(i).id.toHtmlEscaped());
    };
    auto links = [&](std::span<const int> revs) {
        QStringList out;
        for (int i : revs)
            out.append(link(i));
        return out.isEmpty() ? QStringLiteral("—") : out.join(QStringLiteral(", "));
    };
    // Applied: current, or an ancestor of a current revision.
    const QString appliedText = current.contains(r.id) ? tr("<b>yes — this is the database's current revision</b>")
                                : applied.contains(r.id) ? tr("yes")
                                                         : tr("no");
    QStringList kinds;
    if (r.isHead())
        kinds << tr("head");
    if (r.isBase())
        kinds << tr("base");
    if (r.isBranchPoint())
        kinds << tr("branch point");
    if (r.isMergePoint())
        kinds << tr("merge point");
    QString html;
    html += QStringLiteral("<h3 style='margin-bottom:2px'>%1</h3>").arg(f.doc().toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    html += QStringLiteral("<table cellspacing='2'>");
    auto row = [&html](const QString &k, const QString &v) {
        html += QStringLiteral("<tr><td style='color:gray;padding-right:8px'>%1</td><td>%2</td></tr>").arg(k, v);
    };
    row(tr("Revision"), QStringLiteral("<code>%1</code>%2").arg(r.id.toHtmlEscaped(),
                                                              kinds.isEmpty() ? QString() : QStringLiteral(" (") + kinds.join(QStringLiteral(", ")) + QLatin1Char(')')));
    row(tr("Created"), f.createDate().isEmpty() ? QStringLiteral("—") : f.createDate().toHtmlEscaped());
    row(r.isMergePoint() ? tr("Merges") : tr("Down revision"), links(r.down));
    row(tr("Next revisions"), links(r.next));
    if (!r.dependencies.isEmpty())
        row(tr("Depends on"), links(r.resolvedDeps));
    if (!r.branchLabels.isEmpty())
        row(tr("Branch labels"), r.branchLabels.join(QStringLiteral(", ")).toHtmlEscaped());
    row(tr("Applied"), appliedText);
    row(tr("File"), QStringLiteral("<code>%1</code>").arg(f.path.toHtmlEscaped()));
    if (f.downgradeLine > 0 && f.downgradeEmpty && !(f.upgradeLine > 0 && f.upgradeEmpty))
        row(tr("Downgrade"), tr("<span style='color:#b35900'>does nothing — this revision cannot be undone</span>"));
    html += QStringLiteral("</table>");
    const qsizetype cut = f.longDoc.indexOf(QStringLiteral("\n\n"));
    if (cut > 0) {
        html += QStringLiteral("<pre style='color:gray; white-space:pre-wrap'>%1</pre>").arg(f.longDoc.mid(cut + 2).toHtmlEscaped());
    }
    // Shown again after every reload and database read: an unchanged page keeps its layout and scroll.
    if (html == m_html)
        return;
    m_html = html;
    setHtml(html);
}

} // namespace retort::ui
