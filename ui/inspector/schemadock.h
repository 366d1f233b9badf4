#pragma once

#include "inspect/inspector.h"

#include <QWidget>

#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTreeView;
class QPushButton;
class QSplitter;

namespace retort::core { struct Project; }

namespace retort::ui {

class Databases;
class InspectorWorker;

// The schema inspector dock: the project's connections (Databases': choosing one connects
// and makes it active; add / edit / remove / test), a tree of schemas → tables, views,
// materialized views, sequences, indexes (filterable), a psql-style command line, the \d
// text of what is selected, and the migrations whose upgrade() touches the selected table.
class SchemaDock : public QWidget
{
    Q_OBJECT
public:
    explicit SchemaDock(QWidget *parent = nullptr);
    ~SchemaDock() override;

    // The session's databases; without one the dock keeps its own (setProject feeds it).
    void setDatabases(Databases *databases);
    Databases *databases() const { return m_databases; }
    void setProject(std::shared_ptr<const core::Project> project);
    void refresh();
    // The connection buttons' work, also for the menu: each goes through the Prompter.
    void addConnection();
    void editConnection();
    void removeConnection();
    void testConnection();
    // Vertical in a side dock, horizontal (objects | \d) in a bottom or top dock.
    void setOrientation(Qt::Orientation orientation);
    void runCommand(const QString &command);
    // The CREATE statement of the selected relation (MySQL's SHOW CREATE text).
    void showCreateStatement();

    QTreeView *tree() const { return m_tree; }
    QLineEdit *filterField() const { return m_filter; }
    QLineEdit *commandLine() const { return m_command; }
    QPlainTextEdit *output() const { return m_output; }
    QListWidget *migrations() const { return m_migrations; }
    QLabel *statusLabel() const { return m_status; }
    QAction *showCreateAction() const { return m_showCreate; }
    QComboBox *connectionPicker() const { return m_connections; }
    bool isConnected() const { return m_connected; }

signals:
    void revisionActivated(const QString &id);
    void connectedChanged(bool connected);
    void commandAnswered(const QString &command);
    void objectsLoaded(int count);

private:
    void onConnected(bool ok, const QString &message, bool isPostgres);
    void fillConnections();
    void followActive();
    void askPassword(const QString &name, const core::Error &error);
    void connectInspector(const QString &url, const QString &password);
    void fillTree(const QList<core::DbObject> &objects);
    void showObject(const QModelIndex &index);
    void updateMigrations(const QString &table);
    void clearShown();

    InspectorWorker *m_worker;
    Databases *m_databases = nullptr;
    Databases *m_ownDatabases = nullptr;
    std::shared_ptr<const core::Project> m_project;
    QComboBox *m_connections;
    QPushButton *m_editButton;
    QPushButton *m_removeButton;
    QPushButton *m_testButton;
    QPushButton *m_connectButton;  // Cancel while a connect waits for an answer, Retry after it failed
    QLabel *m_status;
    QLineEdit *m_filter;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTreeView *m_tree;
    QSplitter *m_split;
    QLineEdit *m_command;
    QPlainTextEdit *m_output;
    QListWidget *m_migrations;
    QAction *m_showCreate;
    QStringList m_history;
    int m_historyPos = 0;
    int m_nextId = 1;
    int m_pendingCommand = 0;
    int m_pendingObjects = 0;
    int m_migrationsRequest = 0; // the newest table whose migrations are being looked up
    QString m_migrationsTable;   // the table the list is of (the tree's selection or the last \d)
    QString m_pendingText;
    QString m_currentUrl;      // what the inspector is connected (or connecting) to
    QString m_currentPassword;
    QString m_shownUrl; // the database whose objects and \d are on screen
    bool m_connected = false;
    bool m_filling = false;    // the picker is being refilled: its signals are not a choice
};

} // namespace retort::ui
