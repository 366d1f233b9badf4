#pragma once

#include <QMainWindow>

#include <functional>
#include <memory>

class QDockWidget;
class QLabel;
class QMenu;
class QSplitter;
class QTabWidget;
class QTableView;
class QsciScintilla;

namespace retort::core { struct Project; }

namespace retort::ui {

class ActionHandler;
class BranchForecaster;
class MergeBanner;
class DetailsView;
class GraphPanel;
class MigrationEditor;
class ProblemsModel;
class ProjectSession;
class RevisionModel;
class RunController;
class RunPanel;
class SchemaDock;
class SqlPreview;
struct RevisionSql;

// The workbench window. It only wires: the session (the one owner of state) to the views
// that show it (graph, details, SQL tab, editor, problems, schema and run docks), and the
// ActionHandler's actions into menus, toolbar, the Run dock and the graph's context menu.
// Tests reach the parts through the session and findChild(), not through getters here.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a project folder or alembic.ini; the result arrives as projectLoaded() or
    // loadFailed() (problems are shown in the window, never as a crash).
    void openProject(const QString &folderOrIni);
    void openLastProject();
    // Makes a revision (id, unique prefix, label, symbol) current, as a click in the graph
    // does: asks about unsaved edits first; clears a filter that hides it.
    // `then` runs once the revision is current: at once, or after the save of unsaved edits
    // the person chose (never when they stay). True when it is current on return.
    bool selectRevision(const QString &target, std::function<void()> then = {});
    void showSqlTab();

    ProjectSession *session() const { return m_session; }
    QString statusText() const;

signals:
    void projectLoaded();
    void loadFailed(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createMenus();
    // Opening another project or closing the window cancels a run going on: true when none
    // goes on or the person agrees (`leaving` says what would cancel it).
    bool mayCancelTheRun(const QString &leaving);
    void connectSession();
    void onProjectLoaded(const std::shared_ptr<const core::Project> &project);
    // The graph asks for a revision (a click, a key): the session decides.
    void requestRevision(const QString &id, std::function<void()> then = {});
    // A file that is no revision (the Problems dock's jump to a file that does not parse).
    void requestFile(const QString &path, std::function<void()> then);
    // The session's current revision changed: every view shows it.
    void showCurrentRevision(const QString &id);
    void renderSqlTab();
    void showRevisionSql(const RevisionSql &sql);
    void openProblem(const QModelIndex &index);
    bool isPositionKnown() const;
    // The git side: the merge-target strip above the graph, its marks in the graph, its actions.
    QWidget *createBranchForecast();
    void onForecastChanged();
    void exportTo(const QString &suffix, const QString &filter);
    void newRevision();
    void updateStatus();
    void updateRecentMenu();
    void addRecent(const QString &path);
    void saveLayout();
    void restoreLayout();
    void applyDefaultLayout();

    ProjectSession *m_session;
    RevisionModel *m_model;
    ProblemsModel *m_problems;
    SqlPreview *m_preview;
    GraphPanel *m_graph;
    DetailsView *m_details;
    QTabWidget *m_detailTabs;
    QsciScintilla *m_sqlView;
    MigrationEditor *m_editor;
    QTableView *m_problemsView;
    QLabel *m_noProblems;
    QDockWidget *m_problemsDock;
    QDockWidget *m_schemaDockWidget;
    SchemaDock *m_schema;
    QDockWidget *m_runDock;
    RunController *m_run;
    RunPanel *m_runPanel;
    ActionHandler *m_actions;
    BranchForecaster *m_forecaster;
    MergeBanner *m_mergeBanner;
    QSplitter *m_mainSplitter;
    QSplitter *m_rightSplitter;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_projectLabel;
    QLabel *m_urlLabel;
    QLabel *m_currentLabel;
    QLabel *m_headsLabel;
    QString m_sqlFor;          // the revision (and snapshot) the SQL tab was rendered for: a cache key
    const void *m_sqlSnapshot = nullptr;
    QString m_pendingOpenPath; // a file `alembic revision`/`merge` just wrote, selected once loaded
    bool m_defaultLayoutPending = false;
    bool m_closeApproved = false;  // unsaved edits saved (in the pool) or discarded: close() closes  // no saved layout: proportions applied when first shown
};

} // namespace retort::ui
