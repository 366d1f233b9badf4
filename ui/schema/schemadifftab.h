#pragma once

#include "project/scriptdirectory.h"
#include "run/alembiclocator.h"

#include <QPointer>
#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QLabel;
class QTableView;

namespace retort::ui {

class SchemaChangeModel;
class Databases;

// The details' Schema tab: what the selected revision's upgrade changes in the schema and
// what its downgrade leaves different, replayed on a scratch database by
// core::RevisionDiffer in the background (cached by file content). Only computed while
// the tab is visible; a newer selection cancels the replay in flight and only the newest
// answer is shown. Holds no state of the session: it is handed the project and selection,
// and follows the active connection of Databases for the dialect (and server) of the scratch
// database and the -x arguments env.py is given.
class SchemaDiffTab : public QWidget
{
    Q_OBJECT
public:
    explicit SchemaDiffTab(QWidget *parent = nullptr);
    ~SchemaDiffTab() override;

    SchemaChangeModel *model() const { return m_model; }
    QString statusText() const;
    bool isComputing() const { return m_computing; }
    // From then on the replays run on a scratch database of the active connection's dialect
    // (on a server: created there), with its -x arguments; a change of either asks again.
    // Without it: the ini's sqlalchemy.url and no -x.
    void followDatabases(Databases *databases);

public slots:
    void setProject(std::shared_ptr<const retort::core::Project> project);
    void setRevisions(const QStringList &ids);

signals:
    void diffShown(const QString &revision);

protected:
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void start();
    void fitColumns();
    void setStatus(const QString &text);
    void targetChanged();
    QString baseUrl() const;
    QStringList xArguments() const;

    std::shared_ptr<const core::Project> m_project;
    std::optional<core::AlembicCommand> m_alembic;
    QString m_revision;
    QString m_shown;           // the revision whose answer is on screen
    QPointer<Databases> m_databases;
    QString m_shownTarget;     // the base URL and -x arguments last asked with
    quint64 m_generation = 0;
    bool m_computing = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QLabel *m_status;
    QTableView *m_view;
    SchemaChangeModel *m_model;
};

} // namespace retort::ui
