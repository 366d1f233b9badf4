#pragma once

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
    void showRevision(const std::shared_ptr<const core::Project> &project, int revision, const QStringList &current);
    void showNothing(const QString &message = QString());
    int revision() const { return m_revision; }

signals:
    void revisionLinkActivated(const QString &id);

private:
    int m_revision = -1;
};

} // namespace retort::ui
