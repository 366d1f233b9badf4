#include "actionhandler.h"

#include "editor/migrationeditor.h"
#include "projectsession.h"
#include "run/runcontroller.h"

#include <QAction>

namespace retort::ui {

ActionHandler::ActionHandler(ProjectSession *session, RunController *run, MigrationEditor *editor, QObject *parent)
    : QObject(parent), m_session(session), m_run(run), m_editor(editor)
{
    make(OpenFolder, tr("&Open Project Folder…"))->setShortcut(QKeySequence::Open);
    make(OpenIni, tr("Open alembic.&ini…"));
    make(Save, tr("&Save"))->setShortcut(QKeySequence::Save);
    make(ReloadProject, tr("Re&load Project"))->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    make(Quit, tr("&Quit"))->setShortcut(QKeySequence::Quit);
    // The editor's find bar: one action each, so the shortcut is never ambiguous (an
    // ambiguous shortcut does nothing and the next keys go into the file).
    make(Find, tr("&Find in File…"))->setShortcut(QKeySequence::Find);
    // QKeySequence::Replace is empty under some X11 desktops (the real window then typed the
    // next keys into the file): Ctrl+H always, plus the platform's own binding.
    QList<QKeySequence> replaceKeys = QKeySequence::keyBindings(QKeySequence::Replace);
    if (!replaceKeys.contains(QKeySequence(Qt::CTRL | Qt::Key_H)))
        replaceKeys.prepend(QKeySequence(Qt::CTRL | Qt::Key_H));
    make(Replace, tr("&Replace in File…"))->setShortcuts(replaceKeys);
    make(FilterRevisions, tr("&Filter Revisions"))->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    make(RefreshDatabase, tr("&Refresh Database"))->setShortcut(QKeySequence::Refresh);
    make(ExportSvg, tr("Export as &SVG…"));
    make(ExportPng, tr("Export as &PNG…"));
    make(ExportDot, tr("Export as &DOT…"));
    make(UpgradeHeads, tr("Upgrade to &Heads"))->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    make(UpgradeSelected, tr("&Upgrade to Selected Revision"));
    make(UpgradeOne, tr("Upgrade One Step (+1)"));
    make(DowngradeSelected, tr("&Downgrade to Selected Revision"));
    make(DowngradeBranch, tr("Downgrade This Branch by One (REV@-1)"));
    make(DowngradeOne, tr("Downgrade One Step (-1)"))->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    make(DowngradeBase, tr("Downgrade to Base (everything)"));
    make(StampSelected, tr("&Stamp Selected Revision"));
    make(StampHeads, tr("Stamp Heads"));
    make(StampBase, tr("Stamp Base"));
    make(ShowSql, tr("Show SQL of Selected Revision"));
    make(UpgradeSqlSelected, tr("Upgrade SQL to the Selected Revision"));
    make(UpgradeSqlHeads, tr("Upgrade SQL to Heads"));
    make(DowngradeSqlSelected, tr("Downgrade SQL to the Selected Revision"));
    make(MergeSelected, tr("&Merge Selected Heads…"));
    make(NewRevision, tr("&New Revision…"))->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    make(Stairway, tr("Stairway &Test"))
        ->setToolTip(tr("Upgrade, downgrade and upgrade again every revision on a scratch database, comparing the schema "
                        "each time."));
    make(ChooseAlembic, tr("Choose &Alembic…"));
    make(FindAlembic, tr("Find Alembic Automatically"));
    make(CancelRun, tr("&Cancel Run"))->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));

    auto selected = [this] { return m_session->currentRevision(); };
    connect(action(Save), &QAction::triggered, m_editor, &MigrationEditor::save);
    connect(action(ReloadProject), &QAction::triggered, m_session, &ProjectSession::reload);
    connect(action(Find), &QAction::triggered, m_editor, [this] { m_editor->showFind(false); });
    connect(action(Replace), &QAction::triggered, m_editor, [this] { m_editor->showFind(true); });
    connect(action(RefreshDatabase), &QAction::triggered, m_session, &ProjectSession::refreshDatabase);
    connect(action(UpgradeHeads), &QAction::triggered, m_run, [this] { m_run->upgrade(QStringLiteral("heads")); });
    connect(action(UpgradeSelected), &QAction::triggered, m_run, [this, selected] { m_run->upgrade(selected()); });
    connect(action(UpgradeOne), &QAction::triggered, m_run, [this] { m_run->upgrade(QStringLiteral("+1")); });
    connect(action(DowngradeSelected), &QAction::triggered, m_run, [this, selected] { m_run->downgrade(selected()); });
    connect(action(DowngradeBranch), &QAction::triggered, m_run,
            [this, selected] { m_run->downgrade(selected() + QStringLiteral("@-1")); });
    connect(action(DowngradeOne), &QAction::triggered, m_run, [this] { m_run->downgrade(QStringLiteral("-1")); });
    connect(action(DowngradeBase), &QAction::triggered, m_run, [this] { m_run->downgrade(QStringLiteral("base")); });
    connect(action(StampSelected), &QAction::triggered, m_run, [this, selected] { m_run->stamp(selected()); });
    connect(action(StampHeads), &QAction::triggered, m_run, [this] { m_run->stamp(QStringLiteral("heads")); });
    connect(action(StampBase), &QAction::triggered, m_run, [this] { m_run->stamp(QStringLiteral("base")); });
    connect(action(Stairway), &QAction::triggered, m_run, &RunController::runStairway);
    connect(action(FindAlembic), &QAction::triggered, m_run, [this] { m_run->setConfiguredAlembic(QString()); });
    connect(action(CancelRun), &QAction::triggered, m_run, &RunController::cancel);
    QList<QKeySequence> owned;
    for (QAction *a : m_actions)
        if (a)
            owned += a->shortcuts();
    m_editor->reserveShortcuts(owned);

    for (auto signal : {&ProjectSession::runStateChanged})
        connect(m_session, signal, this, &ActionHandler::updateActions);
    connect(m_session, &ProjectSession::projectLoaded, this, &ActionHandler::updateActions);
    connect(m_session, &ProjectSession::projectOpening, this, &ActionHandler::updateActions);
    connect(m_session, &ProjectSession::loadFailed, this, &ActionHandler::updateActions);
    connect(m_session, &ProjectSession::currentRevisionChanged, this, &ActionHandler::updateActions);
    connect(m_session, &ProjectSession::selectionChanged, this, &ActionHandler::updateActions);
    connect(m_session, &ProjectSession::databasePositionChanged, this, &ActionHandler::updateActions);
    connect(m_editor, &MigrationEditor::modificationChanged, this, &ActionHandler::updateActions);
    connect(m_editor, &MigrationEditor::fileOpened, this, &ActionHandler::updateActions);
    connect(m_editor, &MigrationEditor::savingChanged, this, &ActionHandler::updateActions);
    connect(m_run, &RunController::alembicLocated, this, &ActionHandler::updateActions);
    updateActions();
}

QAction *ActionHandler::make(Id id, const QString &text)
{
    auto *a = new QAction(text, this);
    m_actions[size_t(id)] = a;
    return a;
}

void ActionHandler::updateActions()
{
    const auto project = m_session->project();
    const bool open = bool(project);
    const RunState &run = m_session->runState();
    const bool idle = open && !run.running;
    const bool canRun = idle && m_run->isAlembicReady();
    // Runs go to the active database (MainWindow hands it to the RunController as its target).
    const bool canChange = canRun;
    const QString current = m_session->currentRevision();
    const int idx = open && !current.isEmpty() ? project->map.indexOf(current) : -1;
    const bool hasRevision = idx >= 0;
    const bool applied = hasRevision && m_session->isApplied(current);
    const QStringList heads = m_session->currentRevisions();

    // One save at a time: while one is written the action waits for its answer.
    action(Save)->setEnabled(m_editor->isModified() && !m_editor->isSaving());
    action(ReloadProject)->setEnabled(!m_session->location().isEmpty());
    action(Find)->setEnabled(!m_editor->path().isEmpty());
    action(Replace)->setEnabled(!m_editor->path().isEmpty());
    action(FilterRevisions)->setEnabled(open);
    action(RefreshDatabase)->setEnabled(open);
    for (Id id : {ExportSvg, ExportPng, ExportDot})
        action(id)->setEnabled(open && project->map.size() > 0);

    action(UpgradeHeads)->setEnabled(canChange);
    action(UpgradeOne)->setEnabled(canChange);
    // Upgrading to what the database already has does nothing; downgrading to what it does
    // not have is not a downgrade.
    action(UpgradeSelected)->setEnabled(canChange && hasRevision && !applied);
    action(DowngradeSelected)->setEnabled(canChange && applied && !heads.contains(current));
    action(DowngradeBranch)->setEnabled(canChange && applied);
    action(DowngradeOne)->setEnabled(canChange && !heads.isEmpty());
    action(DowngradeBase)->setEnabled(canChange && !heads.isEmpty());
    action(StampSelected)->setEnabled(canChange && hasRevision);
    action(StampHeads)->setEnabled(canChange);
    action(StampBase)->setEnabled(canChange);
    action(ShowSql)->setEnabled(hasRevision);
    action(UpgradeSqlSelected)->setEnabled(canRun && hasRevision);
    action(UpgradeSqlHeads)->setEnabled(canRun);
    action(DowngradeSqlSelected)->setEnabled(canRun && hasRevision);
    bool allHeads = m_session->selectedRevisions().size() >= 2;
    for (const QString &id : m_session->selectedRevisions()) {
        const int i = open ? project->map.indexOf(id) : -1;
        allHeads = allHeads && i >= 0 && project->map.at(i).isHead();
    }
    action(MergeSelected)->setEnabled(canRun && allHeads);
    action(NewRevision)->setEnabled(canRun);
    action(Stairway)->setEnabled(canRun);
    action(ChooseAlembic)->setEnabled(open && !run.running);
    action(FindAlembic)->setEnabled(open && !run.running);
    action(CancelRun)->setEnabled(run.running);
}

} // namespace retort::ui
