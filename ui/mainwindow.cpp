#include "mainwindow.h"

#include "db/sqlurl.h"
#include "editor/migrationeditor.h"
#include "graph/dotexport.h"
#include "graph/graphdelegate.h"
#include "graph/graphexport.h"
#include "graph/graphpanel.h"
#include "inspector/schemadock.h"
#include "background.h"
#include "lint/lints.h"
#include "lint/operations.h"
#include "run/newrevisiondialog.h"
#include "run/runpanel.h"
#include "run/sqlview.h"
#include "schema/driftbadge.h"
#include "schema/schemadifftab.h"
#include "editor/migrationlexer.h"
#include "lint/structure.h"
#include "models/problemsmodel.h"
#include "models/revisionmodel.h"
#include "panels/detailsview.h"
#include "projectsession.h"
#include "prompter.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QFontDatabase>
#include <QTabWidget>
#include <QTimer>
#include <QSortFilterProxyModel>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>

namespace retort::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Retort"));
    setAcceptDrops(true);
    m_session = new ProjectSession(this);
    m_model = new RevisionModel(this);
    m_problems = new ProblemsModel(this);

    m_graph = new GraphPanel(m_model, this);
    m_details = new DetailsView(this);
    m_editor = new MigrationEditor(this);
    m_rightSplitter = new QSplitter(Qt::Vertical, this);
    // Details, and the selected revision's SQL as Alembic renders it offline.
    m_detailTabs = new QTabWidget(this);
    m_detailTabs->addTab(m_details, tr("Details"));
    m_sqlView = new QsciScintilla(this);
    auto *sqlLexer = new MigrationLexer(m_sqlView);
    sqlLexer->setSqlOnly(true);
    sqlLexer->setDefaultFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_sqlView->setLexer(sqlLexer);
    m_sqlView->setUtf8(true);
    m_sqlView->setReadOnly(true);
    m_sqlView->setText(tr("-- Select a revision: its upgrade and downgrade SQL (alembic --sql) appear here."));
    m_detailTabs->addTab(m_sqlView, tr("SQL"));
    connect(m_detailTabs, &QTabWidget::currentChanged, this, [this] { renderSqlTab(); });
    // What the selected revision does to the schema (ui/schema/).
    auto *schemaTab = new SchemaDiffTab(this);
    m_detailTabs->addTab(schemaTab, tr("Schema"));
    m_rightSplitter->addWidget(m_detailTabs);
    m_rightSplitter->addWidget(m_editor);
    m_rightSplitter->setStretchFactor(0, 1);
    m_rightSplitter->setStretchFactor(1, 3);
    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->addWidget(m_graph);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 1);
    m_mainSplitter->setStretchFactor(1, 1);
    m_graph->setMinimumWidth(360);
    setCentralWidget(m_mainSplitter);

    m_problemsView = new QTableView(this);
    m_problemsView->setModel(m_problems);
    m_problemsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_problemsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_problemsView->horizontalHeader()->setSectionResizeMode(ProblemsModel::MessageColumn, QHeaderView::Stretch);
    m_problemsView->verticalHeader()->hide();
    m_problemsView->setWordWrap(false);
    m_problemsDock = new QDockWidget(tr("Problems"), this);
    m_problemsDock->setObjectName(QStringLiteral("problemsDock"));
    m_problemsDock->setWidget(m_problemsView);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);

    m_schema = new SchemaDock(this);
    m_schemaDockWidget = new QDockWidget(tr("Schema"), this);
    m_schemaDockWidget->setObjectName(QStringLiteral("schemaDock"));
    m_schemaDockWidget->setWidget(m_schema);
    addDockWidget(Qt::RightDockWidgetArea, m_schemaDockWidget);
    connect(m_schema, &SchemaDock::revisionActivated, this, &MainWindow::selectRevision);

    m_run = new RunPanel(m_session, this);
    m_runDock = new QDockWidget(tr("Run"), this);
    m_runDock->setObjectName(QStringLiteral("runDock"));
    m_runDock->setWidget(m_run);
    addDockWidget(Qt::BottomDockWidgetArea, m_runDock);
    tabifyDockWidget(m_problemsDock, m_runDock);
    m_problemsDock->raise();
    connect(m_graph, &GraphPanel::selectionChanged, m_run, &RunPanel::setSelectedRevisions);
    connect(m_graph, &GraphPanel::selectionChanged, schemaTab, &SchemaDiffTab::setRevisions);
    connect(m_session, &ProjectSession::projectLoaded, schemaTab, &SchemaDiffTab::setProject);
    connect(m_graph, &GraphPanel::mergeRequested, this, [this] {
        if (const auto p = m_session->project()) {
            QStringList heads;
            for (int h : p->map.heads())
                heads.append(p->map.at(h).id);
            mergeHeads(heads);
        }
    });
    connect(m_run, &RunPanel::runStarted, this, [this] { m_runDock->show(); m_runDock->raise(); });
    connect(m_run, &RunPanel::stepChanged, m_model, &RevisionModel::setRunningRevision);
    connect(m_run, &RunPanel::runFinished, m_schema, &SchemaDock::refresh);
    connect(m_run, &RunPanel::stairwayFinished, m_model, [this](const QHash<QString, bool> &passed, int) {
        m_model->setStairwayResults(passed);
    });
    connect(m_run, &RunPanel::failedAt, this, [this](const QString &revision, int line, const QString &file) {
        if (!revision.isEmpty())
            selectRevision(revision);
        if (!file.isEmpty() && file != m_editor->path())
            m_editor->openFile(file);
        if (line > 0)
            m_editor->goToLine(line);
    });
    connect(m_run, &RunPanel::revisionCreated, this, [this](const QString &path) { m_pendingOpenPath = path; });
    connect(m_run, &RunPanel::sqlReady, this, [this](const QString &title, const QString &sql) {
        (new SqlView(title, sql, this))->show();
    });
    connect(m_run, &RunPanel::revisionSqlReady, this, [this](const QString &revision, const QString &sql) {
        if (revision == m_shownRevision)
            m_sqlView->setText(sql);
    });
    connect(m_run, &RunPanel::runFinished, this, [this] {
        // A render skipped while something else ran.
        QTimer::singleShot(0, this, [this] { renderSqlTab(); });
    });

    m_projectLabel = new QLabel(this);
    m_urlLabel = new QLabel(this);
    m_currentLabel = new QLabel(this);
    m_headsLabel = new QLabel(this);
    statusBar()->addWidget(m_projectLabel);
    statusBar()->addWidget(m_urlLabel, 1);
    statusBar()->addPermanentWidget(m_currentLabel);
    statusBar()->addPermanentWidget(m_headsLabel);
    auto *driftBadge = new DriftBadge(this);
    statusBar()->addPermanentWidget(driftBadge);
    connect(m_session, &ProjectSession::projectLoaded, driftBadge, &DriftBadge::setProject);
    connect(m_session, &ProjectSession::databasePositionChanged, driftBadge, [driftBadge] { driftBadge->recheck(); });

    createActions();

    connect(m_session, &ProjectSession::projectLoaded, this, &MainWindow::onProjectLoaded);
    connect(m_session, &ProjectSession::loadFailed, this, [this](const QString &message) {
        m_projectLabel->setText(tr("Could not open the project"));
        m_problems->setProblems({{core::Diagnostic::Severity::Error, QStringLiteral("project"), message,
                                  m_session->location(), 0, {}}});
        m_problemsDock->show();
        m_details->showNothing(message);
        emit loadFailed(message);
    });
    connect(m_session, &ProjectSession::databasePositionChanged, this, [this](const QStringList &current, const QString &) {
        m_model->setCurrentRevisions(current);
        if (const auto p = m_session->project(); p && m_details->revision() >= 0)
            m_details->showRevision(p, m_details->revision(), current);
        updateStatus();
    });
    connect(m_session, &ProjectSession::fileChanged, this, [this](const QString &path) {
        if (path == m_editor->path())
            m_editor->fileChangedOnDisk();
    });
    connect(m_graph, &GraphPanel::revisionSelected, this, &MainWindow::onRevisionSelected);
    connect(m_graph, &GraphPanel::openFileRequested, this, [this](const QString &id) {
        onRevisionSelected(id);
        m_editor->textEdit()->setFocus();
    });
    connect(m_details, &DetailsView::revisionLinkActivated, this, &MainWindow::selectRevision);
    connect(m_editor, &MigrationEditor::fileSaved, m_session, [this] { m_session->reload(); });
    connect(m_problemsView, &QTableView::activated, this, &MainWindow::openProblem);

    restoreLayout();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *openFolder = file->addAction(tr("&Open Project Folder…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Alembic Project"));
        if (!dir.isEmpty())
            openProject(dir);
    });
    openFolder->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open alembic.&ini…"), this, [this] {
        const QString ini = QFileDialog::getOpenFileName(this, tr("Open Alembic Configuration"), QString(),
                                                         tr("Alembic configuration (*.ini pyproject.toml);;All files (*)"));
        if (!ini.isEmpty())
            openProject(ini);
    });
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    QAction *save = file->addAction(tr("&Save"), m_editor, &MigrationEditor::save);
    save->setShortcut(QKeySequence::Save);
    QAction *reload = file->addAction(tr("Re&load Project"), m_session, &ProjectSession::reload);
    reload->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *find = edit->addAction(tr("&Find in File…"), this, [this] { m_editor->showFind(false); });
    find->setShortcut(QKeySequence::Find);
    QAction *replace = edit->addAction(tr("&Replace in File…"), this, [this] { m_editor->showFind(true); });
    replace->setShortcut(QKeySequence::Replace);

    QMenu *graph = menuBar()->addMenu(tr("&Graph"));
    QAction *filter = graph->addAction(tr("&Filter Revisions"), this, [this] {
        m_graph->searchField()->setFocus();
        m_graph->searchField()->selectAll();
    });
    filter->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    QAction *refresh = graph->addAction(tr("&Refresh Database"), this, [this] {
        m_session->refreshDatabase();
        m_schema->refresh();
    });
    refresh->setShortcut(QKeySequence::Refresh);
    graph->addSeparator();
    graph->addAction(tr("Export as &SVG…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Graph"), QStringLiteral("revisions.svg"),
                                                          tr("SVG (*.svg)"));
        QString error;
        if (!path.isEmpty() && !exportGraph(path, &error))
            Prompter::instance()->showText(this, tr("Export Failed"), error);
    });
    graph->addAction(tr("Export as &PNG…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Graph"), QStringLiteral("revisions.png"),
                                                          tr("PNG (*.png)"));
        QString error;
        if (!path.isEmpty() && !exportGraph(path, &error))
            Prompter::instance()->showText(this, tr("Export Failed"), error);
    });
    graph->addAction(tr("Export as &DOT…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Graph"), QStringLiteral("revisions.dot"),
                                                          tr("Graphviz DOT (*.dot)"));
        QString error;
        if (!path.isEmpty() && !exportGraph(path, &error))
            Prompter::instance()->showText(this, tr("Export Failed"), error);
    });

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    QAction *upHeadsForBar = nullptr;
    QAction *upHeads = run->addAction(tr("Upgrade to &Heads"), this, [this] { m_run->upgrade(QStringLiteral("heads")); });
    upHeads->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    QAction *upHere = run->addAction(tr("&Upgrade to Selected Revision"), this, [this] {
        if (!m_graph->selectedRevision().isEmpty())
            m_run->upgrade(m_graph->selectedRevision());
    });
    QAction *upOne = run->addAction(tr("Upgrade One Step (+1)"), this, [this] { m_run->upgrade(QStringLiteral("+1")); });
    run->addSeparator();
    QAction *downHere = run->addAction(tr("&Downgrade to Selected Revision"), this, [this] {
        if (!m_graph->selectedRevision().isEmpty())
            m_run->downgrade(m_graph->selectedRevision());
    });
    QAction *downBranch = run->addAction(tr("Downgrade This Branch by One"), this, [this] {
        if (!m_graph->selectedRevision().isEmpty())
            m_run->downgrade(m_graph->selectedRevision() + QStringLiteral("@-1"));
    });
    QAction *downOne = run->addAction(tr("Downgrade One Step (-1)"), this, [this] { m_run->downgrade(QStringLiteral("-1")); });
    downOne->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    run->addAction(tr("Downgrade to Base"), this, [this] { m_run->downgrade(QStringLiteral("base")); });
    run->addSeparator();
    QAction *stampHere = run->addAction(tr("&Stamp Selected Revision"), this, [this] {
        if (!m_graph->selectedRevision().isEmpty())
            m_run->stamp(m_graph->selectedRevision());
    });
    run->addAction(tr("Stamp Heads"), this, [this] { m_run->stamp(QStringLiteral("heads")); });
    run->addAction(tr("Stamp Base"), this, [this] { m_run->stamp(QStringLiteral("base")); });
    run->addSeparator();
    QAction *sqlHere = run->addAction(tr("Show SQL of Selected Revision"), this, [this] {
        m_detailTabs->setCurrentWidget(m_sqlView);
        renderSqlTab();
    });
    QAction *mergeSel = run->addAction(tr("&Merge Selected Heads…"), this, [this] { mergeHeads(m_graph->selectedRevisions()); });
    QAction *newRev = run->addAction(tr("&New Revision…"), this, &MainWindow::newRevision);
    run->addAction(tr("Stairway &Test"), m_run, &RunPanel::runStairway);
    newRev->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    run->addSeparator();
    run->addAction(tr("Choose &Alembic…"), this, [this] {
        const QString program = QFileDialog::getOpenFileName(this, tr("Python interpreter or alembic executable"),
                                                             QStringLiteral("/usr/bin"));
        if (!program.isEmpty())
            m_run->setConfiguredAlembic(program);
    });
    run->addAction(tr("Find Alembic Automatically"), this, [this] { m_run->setConfiguredAlembic(QString()); });
    run->addSeparator();
    QAction *cancelRun = run->addAction(tr("&Cancel Run"), m_run, &RunPanel::cancel);
    cancelRun->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    upHeadsForBar = upHeads;
    m_runActions = {upHeadsForBar, downOne, cancelRun};
    m_graph->setContextActions({upHere, downHere, downBranch, stampHere, sqlHere, mergeSel, newRev});
    Q_UNUSED(upOne);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_problemsDock->toggleViewAction());
    view->addAction(m_schemaDockWidget->toggleViewAction());
    view->addAction(m_runDock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Retort"), this, [this] {
        QMessageBox::about(this, tr("About Retort"),
                           tr("<b>Retort</b> %1<br>A desktop workbench for Alembic database migrations.")
                               .arg(QApplication::applicationVersion()));
    });

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->addAction(openFolder);
    bar->addAction(save);
    bar->addAction(refresh);
    bar->addSeparator();
    bar->addActions(m_runActions);
    updateRecentMenu();
}

void MainWindow::openProject(const QString &folderOrIni)
{
    if (!m_editor->maybeSave())
        return;
    m_editor->clear();
    m_shownRevision.clear();
    m_details->showNothing(tr("Loading %1…").arg(folderOrIni));
    m_projectLabel->setText(tr("Loading…"));
    m_session->open(QFileInfo(folderOrIni).absoluteFilePath());
}

void MainWindow::openLastProject()
{
    const QString last = QSettings().value(QStringLiteral("project/last")).toString();
    if (!last.isEmpty() && QFileInfo::exists(last))
        openProject(last);
}

void MainWindow::onProjectLoaded(const std::shared_ptr<const core::Project> &project)
{
    const QString keep = m_graph->selectedRevision().isEmpty() ? m_shownRevision : m_graph->selectedRevision();
    m_sqlShownFor.clear(); // files may have changed: render the SQL again when shown
    m_restoringSelection = true;
    m_model->setProject(project);
    m_model->setCurrentRevisions(m_session->currentRevisions());
    const QList<core::Diagnostic> structural = core::structuralProblems(*project);
    m_problems->setProblems(structural);
    // Review lints read every file: off the GUI thread, then merged into the problems.
    runInBackground(this, [project] { return core::lintProject(*project); },
                    [this, project, structural](QList<core::Diagnostic> lints) {
                        if (m_session->project() != project)
                            return;
                        QHash<QString, QStringList> messages;
                        QHash<QString, int> severity;
                        for (const core::Diagnostic &d : std::as_const(lints)) {
                            messages[d.revision].append(QStringLiteral("[%1] %2").arg(d.rule, d.message));
                            severity[d.revision] = std::max(severity.value(d.revision, -1), int(d.severity));
                        }
                        m_model->setFindings(messages, severity);
                        m_problems->setProblems(structural + lints);
                    });
    m_schema->setProject(project);
    m_run->setProject(project);
    if (m_problems->errorCount() > 0)
        m_problemsDock->show();
    bool selected = !keep.isEmpty() && m_graph->selectRevision(keep);
    if (!selected && m_model->rowCount() > 0) {
        m_graph->view()->setCurrentIndex(m_graph->proxy()->index(0, 0));
        selected = true;
    }
    m_restoringSelection = false;
    const QString now = m_graph->selectedRevision();
    if (!now.isEmpty() && now != m_shownRevision)
        onRevisionSelected(now);
    else if (!now.isEmpty()) {
        // Same revision, new snapshot: refresh what depends on it without touching the editor.
        const int idx = project->map.indexOf(now);
        m_details->showRevision(project, idx, m_session->currentRevisions());
        const core::RevisionFile &f = project->map.fileOf(idx);
        if (f.path == m_editor->path())
            m_editor->setFunctionLines(f.upgradeLine, f.downgradeLine);
    } else if (!project->map.isValid()) {
        m_details->showNothing(project->map.loadError().message);
    }
    if (!m_pendingOpenPath.isEmpty()) {
        // A revision `alembic revision` or `merge` just wrote: show it.
        for (int i = 0; i < project->map.size(); ++i) {
            if (project->map.fileOf(i).path == m_pendingOpenPath || QFileInfo(project->map.fileOf(i).path) == QFileInfo(m_pendingOpenPath)) {
                m_pendingOpenPath.clear();
                selectRevision(project->map.at(i).id);
                break;
            }
        }
    }
    addRecent(m_session->location());
    QSettings().setValue(QStringLiteral("project/last"), m_session->location());
    setWindowTitle(tr("%1 — Retort").arg(project->config.displayName()));
    updateStatus();
    emit projectLoaded();
}

void MainWindow::renderSqlTab()
{
    if (m_detailTabs->currentWidget() != m_sqlView || m_shownRevision.isEmpty() || m_sqlShownFor == m_shownRevision)
        return;
    if (!m_run->isAlembicReady()) {
        m_sqlView->setText(tr("-- %1").arg(m_run->alembicDescription()));
        return;
    }
    if (m_run->isRunning() || m_run->isStairwayRunning())
        return; // rendered when the run ends
    m_sqlView->setText(tr("-- Rendering the SQL of %1 with Alembic (--sql)…").arg(m_shownRevision));
    if (m_run->revisionSql(m_shownRevision))
        m_sqlShownFor = m_shownRevision; // requested: not again until the files change
}

void MainWindow::onRevisionSelected(const QString &id)
{
    const auto project = m_session->project();
    if (!project || m_restoringSelection)
        return;
    const int idx = project->map.indexOf(id);
    if (idx < 0)
        return;
    const core::RevisionFile &f = project->map.fileOf(idx);
    if (f.path != m_editor->path() && m_editor->isModified()) {
        if (!m_editor->maybeSave()) {
            // Stay where the unsaved edits are.
            m_restoringSelection = true;
            m_graph->selectRevision(m_shownRevision);
            m_restoringSelection = false;
            return;
        }
    }
    m_shownRevision = id;
    m_details->showRevision(project, idx, m_session->currentRevisions());
    renderSqlTab();
    if (!m_editor->openFile(f.path, f.upgradeLine, f.downgradeLine))
        statusBar()->showMessage(m_editor->errorString(), 8000);
}

bool MainWindow::selectRevision(const QString &target)
{
    // Full ids, unique prefixes, labels and symbols (head, label@head) all select.
    QString id = target;
    if (const auto p = m_session->project(); p && p->map.indexOf(target) < 0) {
        const auto r = p->map.resolveOne(target);
        if (r && *r >= 0)
            id = p->map.at(*r).id;
    }
    if (m_graph->selectRevision(id))
        return true;
    // Hidden by the filter: clear it and try again.
    m_graph->setFilter(QString());
    return m_graph->selectRevision(id);
}

void MainWindow::openProblem(const QModelIndex &index)
{
    const QString revision = index.data(ProblemsModel::RevisionRole).toString();
    const QString file = index.data(ProblemsModel::FileRole).toString();
    const int line = index.data(ProblemsModel::LineRole).toInt();
    const auto project = m_session->project();
    if (!revision.isEmpty() && project && project->map.indexOf(revision) >= 0
        && project->map.fileOf(project->map.indexOf(revision)).path == file) {
        selectRevision(revision);
    } else if (!file.isEmpty() && QFileInfo(file).isFile()) {
        if (!m_editor->openFile(file))
            return;
    } else {
        return;
    }
    m_editor->goToLine(line);
}

bool MainWindow::exportGraph(const QString &path, QString *error)
{
    QString message;
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        message = exportGraphSvg(*m_model, *m_graph->delegate(), path);
    } else if (path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) {
        message = exportGraphPng(*m_model, *m_graph->delegate(), path);
    } else if (path.endsWith(QLatin1String(".dot"), Qt::CaseInsensitive) || path.endsWith(QLatin1String(".gv"))) {
        QFile f(path);
        if (!m_session->project())
            message = tr("No project is open.");
        else if (!f.open(QIODevice::WriteOnly) || f.write(core::toDot(m_session->project()->map).toUtf8()) < 0)
            message = tr("Cannot write %1: %2").arg(path, f.errorString());
    } else {
        message = tr("Export to .svg, .png or .dot.");
    }
    if (error)
        *error = message;
    return message.isEmpty();
}

QString MainWindow::statusText() const
{
    return QStringList{m_projectLabel->text(), m_urlLabel->text(), m_currentLabel->text(), m_headsLabel->text()}.join(QStringLiteral(" | "));
}

void MainWindow::updateStatus()
{
    const auto project = m_session->project();
    if (!project) {
        m_projectLabel->setText(m_session->location().isEmpty() ? tr("No project — File > Open or drop a folder here")
                                                                 : m_projectLabel->text());
        m_urlLabel->clear();
        m_currentLabel->clear();
        m_headsLabel->clear();
        return;
    }
    const int revisions = project->map.size();
    m_projectLabel->setText((revisions == 1 ? tr("<b>%1</b> — 1 revision") : tr("<b>%1</b> — %2 revisions").arg(QStringLiteral("%1"), QString::number(revisions)))
                                .arg(project->config.displayName().toHtmlEscaped()));
    const auto url = core::SqlUrl::parse(project->config.sqlalchemyUrl);
    m_urlLabel->setText(url ? url->masked() : core::maskPasswords(project->config.sqlalchemyUrl));
    const QStringList current = m_session->currentRevisions();
    if (!m_session->databaseError().isEmpty())
        m_currentLabel->setText(tr("Database: %1").arg(m_session->databaseError()));
    else if (current.isEmpty())
        m_currentLabel->setText(tr("Database: at base (no revision applied)"));
    else
        m_currentLabel->setText(tr("Current: %1").arg(current.join(QStringLiteral(", "))));
    const size_t heads = project->map.heads().size();
    m_headsLabel->setText(heads > 1 ? tr("<b style='color:#b35900'>%1 heads</b>").arg(heads)
                                    : heads == 1 ? tr("1 head") : tr("no head"));
}

void MainWindow::addRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("project/recent")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 10)
        recent.removeLast();
    settings.setValue(QStringLiteral("project/recent"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("project/recent")).toStringList();
    for (const QString &path : recent)
        m_recentMenu->addAction(path, this, [this, path] { openProject(path); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::saveLayout()
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/mainSplitter"), m_mainSplitter->saveState());
    s.setValue(QStringLiteral("window/rightSplitter"), m_rightSplitter->saveState());
    s.setValue(QStringLiteral("window/graphHeader"), m_graph->view()->header()->saveState());
}

void MainWindow::restoreLayout()
{
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray())) {
        resize(1500, 900);
        m_mainSplitter->setSizes({640, 520});
        m_graph->view()->setColumnWidth(0, 330);
        resizeDocks({m_schemaDockWidget}, {340}, Qt::Horizontal);
        m_rightSplitter->setSizes({200, 420});
        resizeDocks({m_problemsDock, m_runDock}, {230, 230}, Qt::Vertical);
    }
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_mainSplitter->restoreState(s.value(QStringLiteral("window/mainSplitter")).toByteArray());
    m_rightSplitter->restoreState(s.value(QStringLiteral("window/rightSplitter")).toByteArray());
    m_graph->view()->header()->restoreState(s.value(QStringLiteral("window/graphHeader")).toByteArray());
}

bool MainWindow::mergeHeads(const QStringList &heads)
{
    const auto project = m_session->project();
    if (!project || heads.size() < 2) {
        statusBar()->showMessage(tr("Select two or more heads to merge (Ctrl+click in the graph)."), 6000);
        return false;
    }
    for (const QString &h : heads) {
        const int i = project->map.indexOf(h);
        if (i < 0 || !project->map.at(i).isHead()) {
            statusBar()->showMessage(tr("%1 is not a head; only heads can be merged.").arg(h), 6000);
            return false;
        }
    }
    // What each branch changes since they parted; collisions first.
    const core::BranchChanges changes = core::branchChanges(*project, heads);
    QString html = tr("<p>Merging <b>%1</b>. What each branch changes since they parted:</p><table border='1' cellspacing='0' "
                      "cellpadding='4'><tr><th>Head</th><th>Revisions</th><th>Tables and columns</th></tr>")
                       .arg(heads.join(QStringLiteral(", ")).toHtmlEscaped());
    for (const core::BranchChanges::Branch &b : changes.branches) {
        QStringList cells;
        for (const QString &c : b.changes)
            cells.append(changes.overlaps.contains(c) ? QStringLiteral("<b style='color:#c01c28'>%1</b>").arg(c.toHtmlEscaped())
                                                      : c.toHtmlEscaped());
        html += QStringLiteral("<tr><td><code>%1</code></td><td>%2</td><td>%3</td></tr>")
                    .arg(b.head.toHtmlEscaped())
                    .arg(b.revisions.size())
                    .arg(cells.isEmpty() ? tr("(no schema changes found)") : cells.join(QStringLiteral(", ")));
    }
    html += QStringLiteral("</table>");
    if (changes.overlaps.isEmpty())
        html += tr("<p>The branches change different things.</p>");
    else
        html += tr("<p style='color:#c01c28'><b>Both branches change %1.</b> Check that their migrations agree before "
                   "merging.</p>").arg(changes.overlaps.join(QStringLiteral(", ")).toHtmlEscaped());
    const auto message = Prompter::instance()->askText(this, tr("Merge Heads"), html, tr("Message of the merge revision:"),
                                                       tr("merge %1").arg(heads.join(QStringLiteral(" and "))));
    if (!message)
        return false;
    return m_run->merge(heads, *message);
}

void MainWindow::newRevision()
{
    if (!m_session->project())
        return;
    NewRevisionDialog dialog(QStringLiteral("head"), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_run->newRevision(dialog.message(), dialog.autogenerate(), dialog.head(), dialog.branchLabel(), dialog.splice(),
                       dialog.dependsOn());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_editor->maybeSave()) {
        event->ignore();
        return;
    }
    saveLayout();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = event->mimeData()->urls().first().toLocalFile();
    if (!path.isEmpty()) {
        openProject(path);
        event->acceptProposedAction();
    }
}

} // namespace retort::ui
