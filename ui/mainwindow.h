#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QSplitter;
class QTableView;
class QMenu;
class QDockWidget;
class QTabWidget;
class QsciScintilla;

namespace retort::core { struct Project; }

namespace retort::ui {

class BranchForecaster;
class DetailsView;
class MergeBanner;
class GraphPanel;
class MigrationEditor;
class ProblemsModel;
class ProjectSession;
class RevisionModel;
class SchemaDock;
class RunPanel;

// The workbench window. It only wires things together: the session (loading, watching,
// database position), the graph panel, the details, the editor and the problems dock.
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
    bool selectRevision(const QString &id);
    bool exportGraph(const QString &path, QString *error = nullptr);

    ProjectSession *session() const { return m_session; }
    RevisionModel *revisionModel() const { return m_model; }
    ProblemsModel *problemsModel() const { return m_problems; }
    GraphPanel *graphPanel() const { return m_graph; }
    MigrationEditor *editor() const { return m_editor; }
    DetailsView *details() const { return m_details; }
    QTabWidget *detailTabs() const { return m_detailTabs; }
    QsciScintilla *sqlView() const { return m_sqlView; }
    QTableView *problemsView() const { return m_problemsView; }
    SchemaDock *schemaDock() const { return m_schema; }
    RunPanel *runPanel() const { return m_run; }
    BranchForecaster *branchForecaster() const { return m_forecaster; }
    MergeBanner *mergeBanner() const { return m_mergeBanner; }
    // Merges `heads` after showing what each branch changes (asks for the message).
    bool mergeHeads(const QStringList &heads);
    void newRevision();
    QString statusText() const;

signals:
    void projectLoaded();
    void loadFailed(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void onProjectLoaded(const std::shared_ptr<const core::Project> &project);
    void onRevisionSelected(const QString &id);
    void createBranchForecast();
    void onForecastChanged();
    void openProblem(const QModelIndex &index);
    void updateStatus();
    void updateRecentMenu();
    void addRecent(const QString &path);
    void saveLayout();
    void restoreLayout();

    ProjectSession *m_session;
    RevisionModel *m_model;
    ProblemsModel *m_problems;
    GraphPanel *m_graph;
    DetailsView *m_details;
    QTabWidget *m_detailTabs;
    QsciScintilla *m_sqlView;
    QString m_sqlShownFor;
    QList<QAction *> m_runActions;
    void renderSqlTab();
    MigrationEditor *m_editor;
    QTableView *m_problemsView;
    QDockWidget *m_problemsDock;
    QDockWidget *m_schemaDockWidget;
    SchemaDock *m_schema;
    QDockWidget *m_runDock;
    RunPanel *m_run;
    BranchForecaster *m_forecaster = nullptr;
    MergeBanner *m_mergeBanner = nullptr;
    QString m_pendingOpenPath;
    QSplitter *m_mainSplitter;
    QSplitter *m_rightSplitter;
    QMenu *m_recentMenu = nullptr;
    QLabel *m_projectLabel;
    QLabel *m_urlLabel;
    QLabel *m_currentLabel;
    QLabel *m_headsLabel;
    QString m_shownRevision;
    bool m_restoringSelection = false;
};

} // namespace retort::ui
