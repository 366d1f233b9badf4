#include "mainwindow.h"

#include "models/revisionmodel.h"
#include "project/scriptdirectory.h"

#include <QHeaderView>
#include <QLabel>
#include <QSettings>
#include <QStatusBar>
#include <QTreeView>

namespace retort::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Retort"));
    m_model = new RevisionModel(this);
    m_view = new QTreeView(this);
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    setCentralWidget(m_view);
    m_status = new QLabel(this);
    statusBar()->addWidget(m_status, 1);
    resize(1100, 700);
}

MainWindow::~MainWindow() = default;

bool MainWindow::openProject(const QString &folderOrIni)
{
    auto cfg = core::ProjectConfig::open(folderOrIni);
    if (!cfg) {
        m_status->setText(cfg.error().message);
        return false;
    }
    auto project = core::ScriptDirectory::load(*cfg);
    if (!project) {
        m_status->setText(project.error().message);
        return false;
    }
    auto shared = std::make_shared<const core::Project>(std::move(*project));
    m_model->setProject(shared);
    m_projectPath = folderOrIni;
    QSettings().setValue(QStringLiteral("project/last"), folderOrIni);
    m_status->setText(tr("%1 — %n revision(s)", nullptr, shared->map.size()).arg(shared->config.displayName()));
    setWindowTitle(tr("%1 — Retort").arg(shared->config.displayName()));
    emit projectLoaded();
    return true;
}

void MainWindow::openLastProject()
{
    const QString last = QSettings().value(QStringLiteral("project/last")).toString();
    if (!last.isEmpty())
        openProject(last);
}

} // namespace retort::ui
