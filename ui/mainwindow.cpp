#include "mainwindow.h"

#include "actionhandler.h"
#include "db/sqlurl.h"
#include "editor/migrationeditor.h"
#include "editor/migrationlexer.h"
#include "graph/graphdelegate.h"
#include "graph/graphexport.h"
#include "graph/graphpanel.h"
#include "git/branchforecaster.h"
#include "git/branchoverlay.h"
#include "git/mergebanner.h"
#include "git/reparenteditor.h"
#include "inspector/schemadock.h"
#include "models/problemsmodel.h"
#include "models/revisionmodel.h"
#include "panels/detailsview.h"
#include "databases.h"
#include "projectsession.h"
#include "prompter.h"
#include "run/runcontroller.h"
#include "run/runpanel.h"
#include "run/sqlpreview.h"
#include "run/sqlview.h"
#include "schema/driftbadge.h"
#include "schema/schemadifftab.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace retort::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Retort"));
    setAcceptDrops(true);
    m_session = new ProjectSession(this);
    m_model = new RevisionModel(this);
    m_problems = new ProblemsModel(this);
    m_preview = new SqlPreview(this);

    m_graph = new GraphPanel(m_model, this);
    m_details = new DetailsView(this);
    m_editor = new MigrationEditor(this);
    // Opening a revision shows the text the snapshot already read: no file read here.
    m_editor->setContentSource([session = m_session](const QString &path) { return session->fileContent(path); });
    connect(m_editor, &MigrationEditor::openFailed, this, [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    m_rightSplitter = new QSplitter(Qt::Vertical, this);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    // Details, and the current revision's SQL as Alembic renders it offline.
    m_detailTabs = new QTabWidget(this);
    m_detailTabs->setObjectName(QStringLiteral("detailTabs"));
    m_detailTabs->addTab(m_details, tr("Details"));
    m_sqlView = new QsciScintilla(this);
    m_sqlView->setObjectName(QStringLiteral("sqlView"));
    auto *sqlLexer = new MigrationLexer(m_sqlView);
    sqlLexer->setSqlOnly(true);
    sqlLexer->setDefaultFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_sqlView->setLexer(sqlLexer);
    m_sqlView->setUtf8(true);
    m_sqlView->setReadOnly(true);
    m_sqlView->setText(tr("-- Select a revision: its upgrade and downgrade SQL (alembic --sql) appear here."));
    m_detailTabs->addTab(m_sqlView, tr("SQL"));
    connect(m_detailTabs, &QTabWidget::currentChanged, this, &MainWindow::renderSqlTab);
    // What the selected revision does to the schema (ui/schema/).
    auto *schemaTab = new SchemaDiffTab(this);
    m_detailTabs->addTab(schemaTab, tr("Schema"));
    connect(m_session, &ProjectSession::selectionChanged, schemaTab, &SchemaDiffTab::setRevisions);
    connect(m_session, &ProjectSession::projectLoaded, schemaTab, &SchemaDiffTab::setProject);
    schemaTab->followDatabases(m_session->databases());
    m_rightSplitter->addWidget(m_detailTabs);
    m_rightSplitter->addWidget(m_editor);
    m_rightSplitter->setStretchFactor(0, 1);
    m_rightSplitter->setStretchFactor(1, 3);
    m_rightSplitter->setChildrenCollapsible(false);
    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(createBranchForecast());
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 1);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setChildrenCollapsible(false);
    setCentralWidget(m_mainSplitter);

    m_problemsView = new QTableView(this);
    m_problemsView->setModel(m_problems);
    m_problemsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_problemsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_problemsView->horizontalHeader()->setSectionResizeMode(ProblemsModel::SeverityColumn, QHeaderView::ResizeToContents);
    m_problemsView->horizontalHeader()->setSectionResizeMode(ProblemsModel::MessageColumn, QHeaderView::Stretch);
    // file:line:col whole (an elided one lost the line and column first).
    m_problemsView->horizontalHeader()->setSectionResizeMode(ProblemsModel::LocationColumn, QHeaderView::ResizeToContents);
    m_problemsView->verticalHeader()->hide();
    m_problemsView->setWordWrap(false);
    // With nothing to list, one line says so instead of an empty table.
    m_noProblems = new QLabel(tr("No problems"), this);
    m_noProblems->setObjectName(QStringLiteral("noProblems"));
    m_noProblems->setMargin(6);
    m_noProblems->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    auto *problemsStack = new QStackedWidget(this);
    problemsStack->addWidget(m_noProblems);
    problemsStack->addWidget(m_problemsView);
    m_problemsDock = new QDockWidget(tr("Problems"), this);
    m_problemsDock->setObjectName(QStringLiteral("problemsDock"));
    m_problemsDock->setWidget(problemsStack);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);

    m_schema = new SchemaDock(this);
    m_schema->setDatabases(m_session->databases());
    m_model->setDatabases(m_session->databases());
    m_schemaDockWidget = new QDockWidget(tr("Schema"), this);
    m_schemaDockWidget->setObjectName(QStringLiteral("schemaDock"));
    m_schemaDockWidget->setWidget(m_schema);
    // At the bottom, full width: a \d+ of nine columns fits beside the object tree.
    addDockWidget(Qt::BottomDockWidgetArea, m_schemaDockWidget);
    connect(m_schemaDockWidget, &QDockWidget::dockLocationChanged, m_schema, [this](Qt::DockWidgetArea area) {
        m_schema->setOrientation(area == Qt::LeftDockWidgetArea || area == Qt::RightDockWidgetArea ? Qt::Vertical : Qt::Horizontal);
    });
    m_schema->setOrientation(Qt::Horizontal);

    m_run = new RunController(m_session, this);
    // Runs go to the active database (the ini's own by default).
    m_run->followDatabases(m_session->databases());
    m_run->setPromptParent(this);
    m_runDock = new QDockWidget(tr("Run"), this);
    m_runDock->setObjectName(QStringLiteral("runDock"));
    m_runPanel = new RunPanel(m_run, m_runDock);
    m_runDock->setWidget(m_runPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_runDock);
    tabifyDockWidget(m_problemsDock, m_runDock);
    tabifyDockWidget(m_runDock, m_schemaDockWidget);
    m_schemaDockWidget->raise();

    m_actions = new ActionHandler(m_session, m_run, m_editor, this);
    connect(m_problems, &QAbstractItemModel::modelReset, this,
            [this, problemsStack] { problemsStack->setCurrentIndex(m_problems->rowCount() > 0 ? 1 : 0); });

    m_projectLabel = new QLabel(this);
    m_urlLabel = new QLabel(this);
    m_currentLabel = new QLabel(this);
    m_headsLabel = new QLabel(this);
    // Status texts never set the window's minimum width.
    for (QLabel *l : {m_projectLabel, m_urlLabel, m_currentLabel, m_headsLabel})
        l->setMinimumWidth(1);
    m_projectLabel->setObjectName(QStringLiteral("projectLabel"));
    statusBar()->addWidget(m_projectLabel);
    statusBar()->addWidget(m_urlLabel, 1);
    statusBar()->addPermanentWidget(m_currentLabel);
    statusBar()->addPermanentWidget(m_headsLabel);
    // Whether the database is where its version table says (ui/schema/).
    auto *driftBadge = new DriftBadge(m_session->databases(), this);
    statusBar()->addPermanentWidget(driftBadge);
    connect(m_graph, &GraphPanel::driftRequested, driftBadge, &DriftBadge::showDetails);
    connect(m_session->databases(), &Databases::activeChanged, this, &MainWindow::updateStatus);

    createMenus();
    connectSession();
    restoreLayout();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::connectSession()
{
    // Session -> views.
    connect(m_session, &ProjectSession::projectOpening, this, [this](const QString &location) {
        m_forecaster->setProject(nullptr);
        m_mergeBanner->setCheckout(nullptr);
        m_model->setBranchOverlay({}, {}, {});
        m_model->setProject(nullptr);
        m_model->setDatabaseState({}, {});
        m_problems->setProblems({});
        m_schema->setProject(nullptr);
        m_preview->setProject(nullptr);
        m_details->showNothing(tr("Loading %1…").arg(location));
        m_sqlView->setText(QString());
        m_sqlFor.clear();
        m_projectLabel->setText(tr("Loading…"));
    });
    connect(m_session, &ProjectSession::projectLoaded, this, &MainWindow::onProjectLoaded);
    connect(m_session, &ProjectSession::loadFailed, this, [this](const QString &message) {
        m_projectLabel->setText(tr("Could not open the project"));
        m_problemsDock->show();
        m_problemsDock->raise();
        m_details->showNothing(message);
        emit loadFailed(message);
    });
    connect(m_session, &ProjectSession::problemsChanged, this, [this](const QList<core::Diagnostic> &problems) {
        m_problems->setProblems(problems);
        QHash<QString, QStringList> messages;
        QHash<QString, int> severity;
        for (const core::Diagnostic &d : problems) {
            if (d.revision.isEmpty())
                continue;
            messages[d.revision].append(QStringLiteral("[%1] %2").arg(d.rule, d.message));
            severity[d.revision] = std::max(severity.value(d.revision, -1), int(d.severity));
        }
        m_model->setFindings(messages, severity);
        if (m_problems->errorCount() > 0)
            m_problemsDock->show();
    });
    connect(m_session, &ProjectSession::currentRevisionChanged, this, &MainWindow::showCurrentRevision);
    connect(m_session, &ProjectSession::databasePositionChanged, this, [this](const QStringList &current, const QString &error) {
        m_model->setDatabaseState(current, m_session->appliedRevisions(), isPositionKnown());
        if (const auto c = m_session->databases()->activeConnection(); c && error.isEmpty()) {
            const auto url = core::SqlUrl::parse(c->url);
            m_mergeBanner->setDatabase(current, url ? url->masked() : core::maskPasswords(c->url));
        } else {
            m_mergeBanner->setDatabase({}, {});
        }
        if (const auto p = m_session->project(); p && m_details->revision() >= 0)
            m_details->showRevision(p, m_details->revision(), current, m_session->appliedRevisions());
        updateStatus();
    });
    connect(m_session, &ProjectSession::runStateChanged, this, [this] { m_model->setRunState(m_session->runState()); });
    connect(m_session, &ProjectSession::fileChanged, this, [this](const QString &path) {
        if (path == m_editor->path())
            m_editor->fileChangedOnDisk();
    });
    // A folder's change (chmod 000 on it, a rename) tells the file nothing: after every
    // reload the open file is read again (in the pool) to see whether it still can be.
    for (auto signal : {&ProjectSession::projectLoaded})
        connect(m_session, signal, m_editor, [this] {
            if (!m_editor->path().isEmpty())
                m_editor->fileChangedOnDisk();
        });
    connect(m_session, &ProjectSession::loadFailed, m_editor, [this] {
        if (!m_editor->path().isEmpty())
            m_editor->fileChangedOnDisk();
    });

    // Views -> session.
    connect(m_graph, &GraphPanel::revisionSelected, this, [this](const QString &id) { requestRevision(id); });
    connect(m_graph, &GraphPanel::selectionChanged, m_session, &ProjectSession::setSelectedRevisions);
    // While the filter hid the session's revision the view's current row moved to a
    // neighbour; once it shows again, it is the current row again, in view.
    connect(m_graph, &GraphPanel::filterChanged, this, [this] { m_graph->showRevision(m_session->currentRevision()); });
    connect(m_graph, &GraphPanel::openFileRequested, this, [this](const QString &id) {
        requestRevision(id, [this] { m_editor->textEdit()->setFocus(); });
    });
    connect(m_graph, &GraphPanel::mergeRequested, this, [this] {
        if (const auto p = m_session->project()) {
            QStringList heads;
            for (int h : p->map.heads())
                heads.append(p->map.at(h).id);
            m_run->mergeHeads(heads);
        }
    });
    connect(m_details, &DetailsView::revisionLinkActivated, this, [this](const QString &id) { selectRevision(id); });
    connect(m_schema, &SchemaDock::revisionActivated, this, [this](const QString &id) { selectRevision(id); });
    connect(m_editor, &MigrationEditor::saveFailed, this, [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_editor, &MigrationEditor::fileSaved, m_session, [this] { m_session->reload(); });
    connect(m_problemsView, &QTableView::activated, this, &MainWindow::openProblem);

    // Runs.
    connect(m_run, &RunController::runStarted, this, [this] {
        m_runDock->show();
        m_runDock->raise();
    });
    connect(m_run, &RunController::runFinished, m_schema, &SchemaDock::refresh);
    connect(m_run, &RunController::alembicLocated, this, [this] {
        m_preview->setAlembic(m_run->alembic());
        m_sqlFor.clear();
        renderSqlTab();
    });
    connect(m_run, &RunController::failedAt, this, [this](const QString &revision, int line, const QString &file) {
        const auto mark = [this, line, file] {
            if (!file.isEmpty() && file != m_editor->path() && !m_editor->openFile(file))
                return;
            m_editor->setFailureLine(line);
            if (line > 0)
                m_editor->goToLine(line);
        };
        if (!revision.isEmpty())
            selectRevision(revision, mark);
        else
            mark();
    });
    connect(m_session, &ProjectSession::runStateChanged, m_editor, [this] {
        if (m_session->runState().running)
            m_editor->setFailureLine(0);
    });
    connect(m_run, &RunController::revisionCreated, this, [this](const QString &path) { m_pendingOpenPath = path; });

    // The SQL preview: its own job, never a run.
    connect(m_preview, &SqlPreview::revisionSqlReady, this, &MainWindow::showRevisionSql);
    connect(m_preview, &SqlPreview::rangeSqlReady, this, [this](const QString &title, const QString &sql, const QString &error) {
        (new SqlView(title, error.isEmpty() ? sql : tr("-- Alembic could not render this offline (--sql):\n%1\n").arg(error) + sql,
                     this))
            ->show();
    });
}

void MainWindow::createMenus()
{
    using A = ActionHandler;
    auto act = [this](A::Id id) { return m_actions->action(id); };
    connect(act(A::OpenFolder), &QAction::triggered, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Alembic Project"));
        if (!dir.isEmpty())
            openProject(dir);
    });
    connect(act(A::OpenIni), &QAction::triggered, this, [this] {
        const QString ini = QFileDialog::getOpenFileName(this, tr("Open Alembic Configuration"), QString(),
                                                         tr("Alembic configuration (*.ini pyproject.toml);;All files (*)"));
        if (!ini.isEmpty())
            openProject(ini);
    });
    connect(act(A::Quit), &QAction::triggered, this, &QWidget::close);
    connect(act(A::FilterRevisions), &QAction::triggered, this, [this] {
        m_graph->searchField()->setFocus();
        m_graph->searchField()->selectAll();
    });
    connect(act(A::RefreshDatabase), &QAction::triggered, m_schema, &SchemaDock::refresh);
    connect(act(A::ExportSvg), &QAction::triggered, this, [this] { exportTo(QStringLiteral("svg"), tr("SVG (*.svg)")); });
    connect(act(A::ExportPng), &QAction::triggered, this, [this] { exportTo(QStringLiteral("png"), tr("PNG (*.png)")); });
    connect(act(A::ExportDot), &QAction::triggered, this, [this] { exportTo(QStringLiteral("dot"), tr("Graphviz DOT (*.dot)")); });
    connect(act(A::ShowSql), &QAction::triggered, this, &MainWindow::showSqlTab);
    connect(act(A::UpgradeSqlSelected), &QAction::triggered, this, [this] {
        m_preview->renderRange(true, SqlPreview::range(true, m_session->currentRevision(), m_session->currentRevisions()));
    });
    connect(act(A::UpgradeSqlHeads), &QAction::triggered, this, [this] {
        m_preview->renderRange(true, SqlPreview::range(true, QStringLiteral("heads"), m_session->currentRevisions()));
    });
    connect(act(A::DowngradeSqlSelected), &QAction::triggered, this, [this] {
        m_preview->renderRange(false, SqlPreview::range(false, m_session->currentRevision(), m_session->currentRevisions()));
    });
    connect(act(A::MergeSelected), &QAction::triggered, this, [this] { m_run->mergeHeads(m_session->selectedRevisions()); });
    connect(act(A::NewRevision), &QAction::triggered, this, &MainWindow::newRevision);
    connect(act(A::ChooseAlembic), &QAction::triggered, this, [this] {
        const QString program = QFileDialog::getOpenFileName(this, tr("Python interpreter or alembic executable"),
                                                             QStringLiteral("/usr/bin"));
        if (!program.isEmpty())
            m_run->setConfiguredAlembic(program);
    });
    // The editor's find bar answers its shortcuts wherever the focus is in the window.
    m_editor->addAction(act(A::Find));
    m_editor->addAction(act(A::Replace));

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addActions({act(A::OpenFolder), act(A::OpenIni)});
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addActions({act(A::Save), act(A::ReloadProject)});
    file->addSeparator();
    file->addAction(act(A::Quit));

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addActions({act(A::Find), act(A::Replace)});

    QMenu *graph = menuBar()->addMenu(tr("&Graph"));
    graph->addActions({act(A::FilterRevisions), act(A::RefreshDatabase)});
    graph->addSeparator();
    graph->addActions({act(A::ExportSvg), act(A::ExportPng), act(A::ExportDot)});
    graph->addSeparator();
    graph->addActions({m_mergeBanner->reparentAction(), m_mergeBanner->mergeAction()});

    const QList<QAction *> upgrade{act(A::UpgradeSelected), act(A::UpgradeHeads), act(A::UpgradeOne)};
    const QList<QAction *> downgrade{act(A::DowngradeSelected), act(A::DowngradeBranch), act(A::DowngradeOne),
                                     act(A::DowngradeBase)};
    const QList<QAction *> stamp{act(A::StampSelected), act(A::StampHeads), act(A::StampBase)};
    const QList<QAction *> sql{act(A::ShowSql), act(A::UpgradeSqlSelected), act(A::UpgradeSqlHeads),
                               act(A::DowngradeSqlSelected)};
    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addActions(upgrade);
    run->addSeparator();
    run->addActions(downgrade);
    run->addSeparator();
    run->addActions(stamp);
    run->addSeparator();
    run->addActions(sql);
    run->addSeparator();
    run->addActions({act(A::MergeSelected), act(A::NewRevision), act(A::Stairway)});
    run->addSeparator();
    run->addActions({act(A::ChooseAlembic), act(A::FindAlembic)});
    run->addSeparator();
    run->addAction(act(A::CancelRun));
    m_runPanel->setActions(upgrade, downgrade, stamp, sql, act(A::Stairway), act(A::CancelRun));
    m_graph->setContextActions({act(A::UpgradeSelected), act(A::DowngradeSelected), act(A::DowngradeBranch),
                                act(A::StampSelected), act(A::ShowSql), act(A::MergeSelected), act(A::NewRevision)});

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
    bar->addActions({act(A::OpenFolder), act(A::Save), act(A::RefreshDatabase)});
    bar->addSeparator();
    bar->addActions({act(A::UpgradeHeads), act(A::DowngradeOne), act(A::CancelRun)});
    updateRecentMenu();
}

bool MainWindow::mayCancelTheRun(const QString &leaving)
{
    if (!m_run->isRunning())
        return true;
    const QString database = !m_run->target().name.isEmpty() ? m_run->target().name : m_session->databases()->active();
    return Prompter::instance()->confirm(
        this, tr("Cancel the Run?"),
        tr("<b>%1</b> is still running on <b>%2</b>. %3 cancels it: the step under way is interrupted, and the "
           "database keeps what was committed before it.<br><br>Cancel the run?")
            .arg(m_run->title().toHtmlEscaped(), database.toHtmlEscaped(), leaving.toHtmlEscaped()));
}

void MainWindow::openProject(const QString &folderOrIni)
{
    const QString location = QFileInfo(folderOrIni).absoluteFilePath();
    if (!mayCancelTheRun(tr("Opening %1").arg(QDir::toNativeSeparators(location))))
        return;
    // After the unsaved edits are saved (in the pool) or discarded; never over them.
    m_editor->maybeSave([this, location](bool proceed) {
        if (!proceed)
            return;
        m_editor->clear();
        m_session->open(location);
    });
}

void MainWindow::openLastProject()
{
    const QString last = QSettings().value(QStringLiteral("project/last")).toString();
    if (!last.isEmpty() && QFileInfo::exists(last))
        openProject(last);
}

bool MainWindow::isPositionKnown() const
{
    // An unreachable database (or none configured) is "not read", never "all pending";
    // a SQLite file not created yet is: everything is pending there. Asked after every
    // reload too, where the database's last answer still holds.
    // A database asked for the first time has no position until it answers.
    const DatabaseStatus &st = m_session->databases()->activeStatus();
    return !m_session->databases()->connections().isEmpty() && st.read && !st.error.isValid();
}

void MainWindow::onProjectLoaded(const std::shared_ptr<const core::Project> &project)
{
    m_model->setProject(project);
    m_model->setDatabaseState(m_session->currentRevisions(), m_session->appliedRevisions(), isPositionKnown());
    m_mergeBanner->setCheckout(project);
    m_forecaster->setProject(project);
    m_model->setRunState(m_session->runState());
    m_schema->setProject(project);
    m_run->setProject(project);
    m_preview->setProject(project);
    m_editor->lexer()->setPythonVersion(project->config.flavor.grammar());
    if (!project->map.isValid())
        m_details->showNothing(project->map.loadError().message);
    addRecent(m_session->location());
    QSettings().setValue(QStringLiteral("project/last"), m_session->location());
    setWindowTitle(tr("%1 — Retort").arg(project->config.displayName()));
    updateStatus();
    // The session emits currentRevisionChanged right after this; a revision file that
    // `alembic revision`/`merge` just wrote is shown then.
    if (!m_pendingOpenPath.isEmpty()) {
        const QFileInfo created(m_pendingOpenPath);
        for (int i = 0; i < project->map.size(); ++i) {
            if (QFileInfo(project->map.fileOf(i).path) == created) {
                m_pendingOpenPath.clear();
                const QString id = project->map.at(i).id;
                QMetaObject::invokeMethod(this, [this, id] { selectRevision(id); }, Qt::QueuedConnection);
                break;
            }
        }
    }
    QMetaObject::invokeMethod(this, [this] { emit projectLoaded(); }, Qt::QueuedConnection);
}

QWidget *MainWindow::createBranchForecast()
{
    m_forecaster = new BranchForecaster(this);
    m_forecaster->setObjectName(QStringLiteral("branchForecaster"));
    m_mergeBanner = new MergeBanner(m_forecaster, this);
    auto *column = new QWidget(this);
    auto *layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_mergeBanner);
    layout->addWidget(m_graph, 1);
    connect(m_forecaster, &BranchForecaster::forecastChanged, this, &MainWindow::onForecastChanged);
    connect(m_mergeBanner, &MergeBanner::mergeRequested, this, [this](const QStringList &heads) { m_run->mergeHeads(heads); });
    connect(m_mergeBanner, &MergeBanner::reparentRequested, this, [this](const core::ForecastProblem &problem) {
        const QString stays = m_editor->path();
        const auto done = std::make_shared<bool>(false);
        selectRevision(problem.revision, [this, problem, done] {
            *done = true;
            if (m_session->currentRevision() != problem.revision)
                return;
            const QString why = reparentInEditor(m_editor, problem);
            if (why.isEmpty())
                m_mergeBanner->setReparented(problem);
            else
                m_mergeBanner->setNotice(tr("Not re-parented: %1").arg(why));
        });
        if (!*done && !m_editor->isSaving())
            m_mergeBanner->setNotice(tr("Not re-parented: %1 stays open with its unsaved edits.").arg(stays));
    });
    return column;
}

void MainWindow::onForecastChanged()
{
    // Ghost rows change the rows; the graph shows the session's revision again afterwards.
    showForecastInModel(m_model, *m_forecaster);
    m_graph->showRevision(m_session->currentRevision());
}

void MainWindow::requestRevision(const QString &id, std::function<void()> then)
{
    const auto project = m_session->project();
    const int idx = project ? project->map.indexOf(id) : -1;
    if (idx < 0) {
        // A ghost row (only the merge target has it): nothing to show, the session's revision stays.
        m_graph->showRevision(m_session->currentRevision());
        return;
    }
    const QString path = project->map.fileOf(idx).path;
    if (path == m_editor->path() || (!m_editor->isModified() && !m_editor->isSaving())) {
        if (m_session->setCurrentRevision(id) && then)
            then();
        return;
    }
    m_editor->maybeSave([this, id, then](bool proceed) {
        // Stayed where the unsaved edits are (or their save failed): the graph shows the
        // session's revision again. Saved: the revision asked for, if the snapshot still has it.
        if (proceed && m_session->setCurrentRevision(id)) {
            if (then)
                then();
            return;
        }
        m_graph->showRevision(m_session->currentRevision());
    });
}

void MainWindow::requestFile(const QString &path, std::function<void()> then)
{
    if (path != m_editor->path() && (m_editor->isModified() || m_editor->isSaving())) {
        m_editor->maybeSave([this, path, then](bool proceed) {
            if (proceed)
                requestFile(path, then);
        });
        return;
    }
    m_session->setCurrentFile(path);
    if (m_editor->path() == path)
        then();
}

void MainWindow::showCurrentRevision(const QString &id)
{
    const auto project = m_session->project();
    m_graph->showRevision(id);
    const int idx = project && !id.isEmpty() ? project->map.indexOf(id) : -1;
    if (idx < 0 && project && !m_session->currentFile().isEmpty()) {
        // A file that is no revision: the details name it and its problems, the editor shows it.
        const QString file = m_session->currentFile();
        QStringList problems;
        for (const core::Diagnostic &d : m_session->problems())
            if (core::concernsFile(d, file))
                problems.append(d.line > 0 ? tr("line %1: %2").arg(d.line).arg(d.message) : d.message);
        m_details->showFile(file, problems);
        if (file != m_editor->path() && !m_editor->isModified())
            m_editor->openFile(file);
        renderSqlTab();
        return;
    }
    if (idx < 0) {
        if (project && project->map.isValid())
            m_details->showNothing();
        return;
    }
    m_details->showRevision(project, idx, m_session->currentRevisions(), m_session->appliedRevisions());
    const core::RevisionFile &f = project->map.fileOf(idx);
    if (f.path != m_editor->path() && m_editor->isModified()) {
        // A revision picked by hand has asked already (requestRevision); here the session
        // moved by itself (a reload dropped the edited file's revision): the edits stay
        // open without a question, which would come back with every later reload.
        statusBar()->showMessage(tr("%1 keeps its unsaved edits; save or discard them to open %2.")
                                     .arg(QFileInfo(m_editor->path()).fileName(), f.fileName),
                                 8000);
    } else if (!m_editor->openFile(f.path, f.upgradeLine, f.downgradeLine)) {
        statusBar()->showMessage(m_editor->errorString(), 8000);
    }
    renderSqlTab();
}

bool MainWindow::selectRevision(const QString &target, std::function<void()> then)
{
    // Full ids, unique prefixes, labels and symbols (head, label@head) all select.
    const auto p = m_session->project();
    if (!p)
        return false;
    QString id = target;
    if (p->map.indexOf(target) < 0) {
        const auto r = p->map.resolveOne(target);
        if (!r || *r < 0)
            return false;
        id = p->map.at(*r).id;
    }
    if (!m_graph->isVisibleRevision(id))
        m_graph->setFilter(QString()); // hidden by the filter: clear it
    requestRevision(id, std::move(then));
    return m_session->currentRevision() == id;
}

void MainWindow::showSqlTab()
{
    m_detailTabs->setCurrentWidget(m_sqlView);
    renderSqlTab();
}

void MainWindow::renderSqlTab()
{
    const QString id = m_session->currentRevision();
    const auto project = m_session->project();
    if (m_detailTabs->currentWidget() != m_sqlView || id.isEmpty() || !project)
        return;
    if (m_sqlFor == id && m_sqlSnapshot == project.get())
        return;
    if (!m_run->isAlembicReady()) {
        m_sqlView->setText(tr("-- %1").arg(m_run->alembicDescription()));
        return;
    }
    m_sqlView->setText(tr("-- Rendering the SQL of %1 with Alembic (--sql)…").arg(id));
    if (m_preview->renderRevision(id)) {
        m_sqlFor = id;
        m_sqlSnapshot = project.get();
    }
}

void MainWindow::showRevisionSql(const RevisionSql &sql)
{
    if (sql.revision == m_session->currentRevision())
        m_sqlView->setText(sql.text());
}

void MainWindow::openProblem(const QModelIndex &index)
{
    const QString revision = index.data(ProblemsModel::RevisionRole).toString();
    const QString file = index.data(ProblemsModel::FileRole).toString();
    const int line = index.data(ProblemsModel::LineRole).toInt();
    const int column = index.data(ProblemsModel::ColumnRole).toInt();
    const auto project = m_session->project();
    const auto there = [this, line, column] { m_editor->goToLine(line, column); };
    if (!revision.isEmpty() && project && project->map.indexOf(revision) >= 0
        && project->map.fileOf(project->map.indexOf(revision)).path == file) {
        selectRevision(revision, there);
    } else if (!file.isEmpty()) {
        // A file no revision of the snapshot is in (it does not parse): shown as itself, so
        // the details do not go on naming the revision picked before.
        requestFile(file, there);
    }
}

void MainWindow::exportTo(const QString &suffix, const QString &filter)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Graph"), QStringLiteral("revisions.") + suffix, filter);
    if (path.isEmpty())
        return;
    const QString error = exportGraph(*m_model, *m_graph->delegate(), path);
    if (!error.isEmpty())
        Prompter::instance()->showText(this, tr("Export Failed"), error);
}

void MainWindow::newRevision()
{
    if (!m_session->project())
        return;
    const auto request = Prompter::instance()->askNewRevision(this, QStringLiteral("head"));
    if (!request || request->message.trimmed().isEmpty())
        return;
    m_run->newRevision(request->message.trimmed(), request->autogenerate, request->head, request->branchLabel, request->splice,
                       request->dependsOn);
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
    // The active database: the State column, the Schema dock and runs follow it.
    if (const auto c = m_session->databases()->activeConnection()) {
        const auto url = core::SqlUrl::parse(c->url);
        m_urlLabel->setText(QStringLiteral("%1: %2").arg(c->name, url ? url->masked() : core::maskPasswords(c->url)));
    } else {
        m_urlLabel->clear();
    }
    const QStringList current = m_session->currentRevisions();
    m_currentLabel->setToolTip(QString());
    if (const QString error = m_session->databaseError(); !error.isEmpty()) {
        // A driver's message can be a paragraph: elided here (whole in the tooltip and the
        // Schema dock), it never squeezes the project's name out of the status bar.
        const QString text = tr("Database: %1").arg(error);
        m_currentLabel->setText(m_currentLabel->fontMetrics().elidedText(text, Qt::ElideRight, 380));
        m_currentLabel->setToolTip(text);
    } else if (!m_session->databases()->activeStatus().read) {
        m_currentLabel->setText(m_session->databases()->activeStatus().reading ? tr("Database: connecting…")
                                                                               : tr("Database: not read yet"));
    } else if (current.isEmpty())
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
        // A first window of 1500x900, or the whole of a smaller screen (without a window
        // manager nothing else would keep it from running past the screen's edge).
        QSize size(1500, 900);
        if (const QScreen *shownOn = screen())
            size = size.boundedTo(shownOn->availableGeometry().size());
        resize(size);
        m_defaultLayoutPending = true;  // proportions of the size the window is shown at
    }
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_mainSplitter->restoreState(s.value(QStringLiteral("window/mainSplitter")).toByteArray());
    m_rightSplitter->restoreState(s.value(QStringLiteral("window/rightSplitter")).toByteArray());
    m_graph->view()->header()->restoreState(s.value(QStringLiteral("window/graphHeader")).toByteArray());
}

void MainWindow::applyDefaultLayout()
{
    // Without a saved layout: the graph (whose Message column takes its spare width) gets a
    // little more than half, the docks under a third of the height, the details enough for the
    // message wrapped and its table, the rest is the editor's. At 1024x700 as at 1920x1080.
    const int w = width();
    const int h = height();
    m_mainSplitter->setSizes({w * 60 / 100, w * 40 / 100});
    // The docks: under a third of the height, enough for a failed run's message and some of
    // its log at 700 px (a quarter left the log three lines).
    const int dock = std::clamp(h * 3 / 10, 140, 300);
    resizeDocks({m_problemsDock, m_runDock, m_schemaDockWidget}, {dock, dock, dock}, Qt::Vertical);
    const int centre = std::max(200, h - dock - 110);
    const int details = std::clamp(centre * 2 / 5, 150, 260);
    m_rightSplitter->setSizes({details, centre - details});
}

void MainWindow::showEvent(QShowEvent *event)
{
    if (m_defaultLayoutPending) {
        m_defaultLayoutPending = false;
        applyDefaultLayout();
        // The docks' share once the window's layout has settled at its shown size.
        QTimer::singleShot(0, this, &MainWindow::applyDefaultLayout);
    }
    QMainWindow::showEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_closeApproved && !mayCancelTheRun(tr("Closing the window"))) {
        event->ignore();
        return;
    }
    if (!m_closeApproved && (m_editor->isModified() || m_editor->isSaving())) {
        // Closes now when the edits are discarded; after the save is written when they are
        // saved (the window stays, edits and all, when it fails); never when cancelled.
        auto asking = std::make_shared<bool>(true);
        auto proceedNow = std::make_shared<bool>(false);
        m_editor->maybeSave([this, asking, proceedNow](bool proceed) {
            if (*asking) {
                *proceedNow = proceed;
                return;
            }
            if (proceed) {
                m_closeApproved = true;
                close();
            }
        });
        *asking = false;
        if (!*proceedNow) {
            event->ignore();
            return;
        }
    }
    m_closeApproved = false;
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
