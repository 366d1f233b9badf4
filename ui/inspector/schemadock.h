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

class InspectorWorker;

// A saved database connection. The password is never stored: it is asked for when the
// server wants one and kept in memory for the session.
struct SavedConnection
{
    QString name;
    QString url;          // without password
    bool production = false;
};

// The schema inspector dock: a connection picker, a tree of schemas → tables, views,
// materialized views, sequences, indexes (filterable), a psql-style command line, the \d
// text of what is selected, and the migrations whose upgrade() touches the selected table.
class SchemaDock : public QWidget
{
    Q_OBJECT
public:
    explicit SchemaDock(QWidget *parent = nullptr);
    ~SchemaDock() override;

    void setProject(std::shared_ptr<const core::Project> project);
    // Connects to the project's database, or to a saved connection by name.
    void connectToProject();
    void connectTo(const QString &url, const QString &label, const QString &password = {});
    void refresh();
    // Vertical in a side dock, horizontal (objects | \d) in a bottom or top dock.
    void setOrientation(Qt::Orientation orientation);
    void runCommand(const QString &command);
    // The CREATE statement of the selected relation (MySQL's SHOW CREATE text).
    void showCreateStatement();

    QList<SavedConnection> savedConnections() const;
    void saveConnection(const SavedConnection &c);
    bool isProductionConnection() const;
    QString connectionLabel() const;

    QTreeView *tree() const { return m_tree; }
    QLineEdit *filterField() const { return m_filter; }
    QLineEdit *commandLine() const { return m_command; }
    QPlainTextEdit *output() const { return m_output; }
    QListWidget *migrations() const { return m_migrations; }
    QLabel *statusLabel() const { return m_status; }
    QAction *showCreateAction() const { return m_showCreate; }
    bool isConnected() const { return m_connected; }

signals:
    void revisionActivated(const QString &id);
    void connectedChanged(bool connected);
    void commandAnswered(const QString &command);
    void objectsLoaded(int count);

private:
    void onConnected(bool ok, const QString &message, bool isPostgres);
    void fillTree(const QList<core::DbObject> &objects);
    void showObject(const QModelIndex &index);
    void updateMigrations(const QString &table);
    void addConnectionDialog();
    void clearShown();

    InspectorWorker *m_worker;
    std::shared_ptr<const core::Project> m_project;
    QComboBox *m_connections;
    QPushButton *m_connectButton;
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
    QString m_pendingText;
    QString m_currentUrl;
    QString m_currentLabel;
    QString m_shownUrl; // the database whose objects and \d are on screen
    QString m_password;
    bool m_connected = false;
    bool m_production = false;
    bool m_askedPassword = false;
};

} // namespace retort::ui
