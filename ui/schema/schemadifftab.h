#pragma once

#include "project/scriptdirectory.h"
#include "run/alembiclocator.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QLabel;
class QTableView;

namespace retort::ui {

class SchemaChangeModel;

// The details' Schema tab: what the selected revision's upgrade changes in the schema and
// what its downgrade leaves different, replayed on a scratch database by
// core::RevisionDiffer in the background (cached by file content). Only computed while
// the tab is visible; a newer selection cancels the replay in flight and only the newest
// answer is shown. Holds no state of the session: it is handed the project and selection.
class SchemaDiffTab : public QWidget
{
    Q_OBJECT
public:
    explicit SchemaDiffTab(QWidget *parent = nullptr);
    ~SchemaDiffTab() override;

    SchemaChangeModel *model() const { return m_model; }
    QString statusText() const;
    bool isComputing() const { return m_computing; }

public slots:
    void setProject(std::shared_ptr<const retort::core::Project> project);
    void setRevisions(const QStringList &ids);

signals:
    void diffShown(const QString &revision);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void start();
    void setStatus(const QString &text);

    std::shared_ptr<const core::Project> m_project;
    std::optional<core::AlembicCommand> m_alembic;
    QString m_revision;
    QString m_shown;           // the revision whose answer is on screen
    quint64 m_generation = 0;
    bool m_computing = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QLabel *m_status;
    QTableView *m_view;
    SchemaChangeModel *m_model;
};

} // namespace retort::ui
