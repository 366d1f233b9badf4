#pragma once

#include <QMainWindow>

#include <memory>

class QTreeView;
class QLabel;

namespace retort::core { struct Project; }

namespace retort::ui {

class RevisionModel;

// The workbench window: wires docks, actions and the project loader. Holds no logic of its own.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a project folder or alembic.ini; problems appear in the window, never as a crash.
    bool openProject(const QString &folderOrIni);
    void openLastProject();
    RevisionModel *revisionModel() const { return m_model; }
    QTreeView *revisionView() const { return m_view; }

signals:
    void projectLoaded();

private:
    RevisionModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
    QLabel *m_status = nullptr;
    QString m_projectPath;
};

} // namespace retort::ui
