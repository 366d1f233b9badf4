#pragma once

#include <QSet>
#include <QTextBrowser>

#include <memory>

namespace retort::core { struct Project; }

namespace retort::ui {

// What a revision is: id, message, dates, parents, children, labels, depends_on, file and
// whether the database has it. Links select the revision they name.
class DetailsView : public QTextBrowser
{
    Q_OBJECT
public:
    explicit DetailsView(QWidget *parent = nullptr);
    // `current`: the database's heads; `applied`: every revision applied under them.
    void showRevision(const std::shared_ptr<const core::Project> &project, int revision, const QStringList &current,
                      const QSet<QString> &applied);
    void showNothing(const QString &message = QString());
    // A file that is no revision of the snapshot (it does not parse, say) and what is wrong
    // with it: the editor shows that file, so this pane names it instead of a revision.
    void showFile(const QString &path, const QStringList &problems);
    QString file() const { return m_file; }
    int revision() const { return m_revision; }

signals:
    void revisionLinkActivated(const QString &id);

private:
    int m_revision = -1;
    QString m_file;
    QString m_html; // what is shown: the same page is not laid out again
};

} // namespace retort::ui
