#pragma once

#include <QObject>

#include <array>

class QAction;

namespace retort::ui {

class MigrationEditor;
class ProjectSession;
class RunController;

// Every operation of the workbench as one QAction, created once (like Tiled's
// MapDocumentActionHandler). The same object goes into the menu bar, the toolbar, the Run
// dock's buttons and the graph's context menu; updateActions() is the one place that
// enables them, from the session's state (project, current revision, selection, applied
// revisions, run state) and the editor's. Operations that belong to the window (file
// dialogs, merge, export) are connected by MainWindow; run operations go to the RunController.
class ActionHandler : public QObject
{
    Q_OBJECT
public:
    enum Id {
        OpenFolder, OpenIni, Save, ReloadProject, Quit,
        Find, Replace,
        FilterRevisions, RefreshDatabase, ExportSvg, ExportPng, ExportDot,
        UpgradeHeads, UpgradeSelected, UpgradeOne,
        DowngradeSelected, DowngradeBranch, DowngradeOne, DowngradeBase,
        StampSelected, StampHeads, StampBase,
        ShowSql, UpgradeSqlSelected, UpgradeSqlHeads, DowngradeSqlSelected,
        MergeSelected, NewRevision, Stairway,
        ChooseAlembic, FindAlembic, CancelRun,
        Count
    };

    ActionHandler(ProjectSession *session, RunController *run, MigrationEditor *editor, QObject *parent = nullptr);

    QAction *action(Id id) const { return m_actions[size_t(id)]; }
    // Recomputes every action's enabled state; called on each change it depends on.
    void updateActions();

private:
    QAction *make(Id id, const QString &text);

    ProjectSession *m_session;
    RunController *m_run;
    MigrationEditor *m_editor;
    std::array<QAction *, Count> m_actions{};
};

} // namespace retort::ui
