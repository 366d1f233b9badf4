#include "schemadock.h"

#include "background.h"
#include "databases.h"
#include "prompter.h"
#include "db/connection.h"
#include "db/sqlurl.h"
#include "inspector/inspectorworker.h"
#include "lint/operations.h"
#include "project/scriptdirectory.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

#include <functional>

namespace retort::ui {

namespace {

enum Roles { SchemaRole = Qt::UserRole + 1, NameRole, KindRole };

// Up/Down walk through earlier commands, like psql's readline history.
class HistoryFilter : public QObject
{
public:
    HistoryFilter(QStringList *history, int *pos, QLineEdit *edit) : QObject(edit), m_history(history), m_pos(pos), m_edit(edit) {}

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() != QEvent::KeyPress)
            return false;
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key != Qt::Key_Up && key != Qt::Key_Down)
            return false;
        if (m_history->isEmpty())
            return true;
        *m_pos = std::clamp(*m_pos + (key == Qt::Key_Up ? -1 : 1), 0, int(m_history->size()));
        m_edit->setText(*m_pos < m_history->size() ? m_history->at(*m_pos) : QString());
        return true;
    }

private:
    QStringList *m_history;
    int *m_pos;
    QLineEdit *m_edit;
};

QString groupTitle(const QString &kind)
{
    if (kind == QLatin1String("table") || kind == QLatin1String("partitioned table"))
        return QObject::tr("Tables");
    if (kind == QLatin1String("view"))
        return QObject::tr("Views");
    if (kind == QLatin1String("materialized view"))
        return QObject::tr("Materialized views");
    if (kind == QLatin1String("sequence"))
        return QObject::tr("Sequences");
    if (kind == QLatin1String("index") || kind == QLatin1String("partitioned index"))
        return QObject::tr("Indexes");
    return QObject::tr("Other");
}

// "name" or "schema"."name", quoted the way \d patterns need.
QString patternFor(const QString &schema, const QString &name, bool withSchema)
{
    auto quote = [](QString s) { return QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"'); };
    return withSchema ? quote(schema) + QLatin1Char('.') + quote(name) : quote(name);
}

// The relation a `\d NAME` / `\d+ schema.NAME` command names, unquoted; empty for any
// other command and for patterns (psql wildcards name many relations).
QString relationNamedBy(const QString &command)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^\\d\+?\s+(?:(?:"(?:[^"]|"")+"|\w+)\.)?("(?:[^"]|"")+"|\w+)\s*$)"));
    const QString name = re.match(command).captured(1);
    if (!name.startsWith(QLatin1Char('"')))
        return name;
    return name.mid(1, name.size() - 2).replace(QStringLiteral("\"\""), QStringLiteral("\""));
}

// Shows the connection form until `apply` takes what it returns (an empty answer) or the
// person cancels. Nothing typed is lost: the form comes back with it and the reason.
std::optional<DatabaseConnection> askUntilAccepted(QWidget *parent, QLabel *status, const QString &title,
                                                   DatabaseConnection draft,
                                                   const std::function<QString(const DatabaseConnection &)> &apply)
{
    for (;;) {
        const auto c = Prompter::instance()->editConnection(parent, title, draft);
        if (!c)
            return std::nullopt;
        const QString why = apply(*c);
        if (why.isEmpty())
            return c;
        status->setText(why);
        draft = *c;
    }
}

} // namespace

SchemaDock::SchemaDock(QWidget *parent) : QWidget(parent), m_worker(new InspectorWorker(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto *top = new QHBoxLayout;
    m_connections = new QComboBox(this);
    m_connections->setMinimumContentsLength(18);
    m_connections->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_connections->setToolTip(tr("Choosing a database connects to it and makes it the active one: the graph's State "
                                 "column, this dock and runs follow it"));
    auto *add = new QPushButton(tr("Add…"), this);
    add->setToolTip(tr("Add a named connection: a PostgreSQL or MySQL/MariaDB server, a SQLite file or a URL"));
    m_editButton = new QPushButton(tr("Edit…"), this);
    m_editButton->setToolTip(tr("Edit the chosen connection (name, URL, -x arguments, production)"));
    m_removeButton = new QPushButton(tr("Remove"), this);
    m_testButton = new QPushButton(tr("Test"), this);
    m_testButton->setToolTip(tr("Connect and read the version table"));
    top->addWidget(m_connections, 1);
    for (QPushButton *b : {add, m_editButton, m_removeButton, m_testButton}) {
        b->setAutoDefault(false);
        top->addWidget(b);
    }
    layout->addLayout(top);
    m_status = new QLabel(tr("Not connected."), this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Beside the status line: Cancel while a server has not answered yet, Retry once it
    // failed (not answering, refused); the GUI never waits for either.
    m_connectButton = new QPushButton(this);
    m_connectButton->setObjectName(QStringLiteral("connectButton"));
    m_connectButton->setAutoDefault(false);
    m_connectButton->hide();
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_connectButton, 0, Qt::AlignTop);
    layout->addLayout(statusRow);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_split = split;
    auto *treeBox = new QWidget(split);
    auto *treeLayout = new QVBoxLayout(treeBox);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    m_filter = new QLineEdit(treeBox);
    m_filter->setPlaceholderText(tr("Filter objects"));
    m_filter->setClearButtonEnabled(true);
    treeLayout->addWidget(m_filter);
    m_model = new QStandardItemModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortLocaleAware(true);
    m_proxy->sort(0);
    m_tree = new QTreeView(treeBox);
    m_tree->setModel(m_proxy);
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    treeLayout->addWidget(m_tree);
    // One keystroke from a selected relation to the statement that creates it.
    m_showCreate = new QAction(tr("Show CREATE Statement"), this);
    m_showCreate->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_showCreate->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_showCreate->setToolTip(tr("The statement that creates the selected table or view (MySQL: SHOW CREATE)"));
    addAction(m_showCreate);
    m_tree->addAction(m_showCreate);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_showCreate, &QAction::triggered, this, &SchemaDock::showCreateStatement);

    auto *outBox = new QWidget(split);
    auto *outLayout = new QVBoxLayout(outBox);
    outLayout->setContentsMargins(0, 0, 0, 0);
    m_command = new QLineEdit(outBox);
    m_command->setPlaceholderText(tr("\\d, \\d NAME, \\d+ NAME, \\dt, \\di, \\dv, \\dm, \\ds, \\dn — with patterns"));
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_command->installEventFilter(new HistoryFilter(&m_history, &m_historyPos, m_command));
    outLayout->addWidget(m_command);
    m_output = new QPlainTextEdit(outBox);
    m_output->setReadOnly(true);
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    outLayout->addWidget(m_output, 1);
    auto *migBox = new QWidget(split);
    auto *migLayout = new QVBoxLayout(migBox);
    migLayout->setContentsMargins(0, 0, 0, 0);
    auto *migLabel = new QLabel(tr("Migrations that touch it:"), migBox);
    migLayout->addWidget(migLabel);
    m_migrations = new QListWidget(migBox);
    migLayout->addWidget(m_migrations, 1);
    split->addWidget(treeBox);
    split->addWidget(outBox);
    split->addWidget(migBox);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 1);
    split->setSizes({200, 300, 90});
    layout->addWidget(split, 1);

    connect(m_worker, &InspectorWorker::connected, this, &SchemaDock::onConnected);
    connect(m_worker, &InspectorWorker::objectsLoaded, this, [this](int id, const QList<core::DbObject> &objects, const QString &error) {
        if (id != m_pendingObjects)
            return;
        if (!error.isEmpty()) {
            m_status->setText(error);
            return;
        }
        fillTree(objects);
        emit objectsLoaded(int(objects.size()));
    });
    connect(m_worker, &InspectorWorker::commandFinished, this, [this](int id, const QString &text, const QString &error) {
        if (id != m_pendingCommand)
            return;
        m_output->setPlainText(error.isEmpty() ? text : error);
        emit commandAnswered(m_pendingText);
    });
    connect(m_worker, &InspectorWorker::rowsLoaded, this, [this](int, const QStringList &rows, const QString &error) {
        QString text = m_output->toPlainText();
        text += tr("\nRows of the version table:\n");
        text += error.isEmpty() ? (rows.isEmpty() ? tr("  (none: the database is at base)") : QStringLiteral("  ") + rows.join(QStringLiteral("\n  ")))
                                : error;
        m_output->setPlainText(text);
    });
    connect(m_connections, &QComboBox::activated, this, [this](int i) {
        if (!m_filling && m_databases)
            m_databases->setActive(m_connections->itemData(i).toString());
    });
    connect(add, &QPushButton::clicked, this, &SchemaDock::addConnection);
    connect(m_editButton, &QPushButton::clicked, this, &SchemaDock::editConnection);
    connect(m_removeButton, &QPushButton::clicked, this, &SchemaDock::removeConnection);
    connect(m_testButton, &QPushButton::clicked, this, &SchemaDock::testConnection);
    connect(m_connectButton, &QPushButton::clicked, this, [this] {
        if (!m_databases)
            return;
        const QString name = m_databases->active();
        if (m_databases->status(name).reading)
            m_databases->cancelRead(name);
        else
            m_databases->read(name, true);
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &t) {
        m_proxy->setFilterFixedString(t);
        if (!t.isEmpty())
            m_tree->expandAll();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &idx) {
        showObject(idx);
    });
    connect(m_command, &QLineEdit::returnPressed, this, [this] {
        const QString cmd = m_command->text().trimmed();
        if (cmd.isEmpty())
            return;
        m_history.append(cmd);
        m_historyPos = int(m_history.size());
        runCommand(cmd);
        m_command->clear();
    });
    connect(m_migrations, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        emit revisionActivated(item->data(Qt::UserRole).toString());
    });
    m_ownDatabases = new Databases(this);
    setDatabases(m_ownDatabases);
}

SchemaDock::~SchemaDock() = default;

void SchemaDock::setDatabases(Databases *databases)
{
    if (m_databases == databases)
        return;
    if (m_databases)
        disconnect(m_databases, nullptr, this, nullptr);
    m_databases = databases;
    connect(m_databases, &Databases::connectionsChanged, this, &SchemaDock::fillConnections);
    connect(m_databases, &Databases::activeChanged, this, [this] {
        fillConnections();
        followActive();
    });
    connect(m_databases, &Databases::statusChanged, this, [this](const QString &name) {
        fillConnections();
        if (name == m_databases->active())
            followActive();
    });
    connect(m_databases, &Databases::passwordRequired, this, &SchemaDock::askPassword);
    connect(m_databases, &Databases::tested, this, [this](const QString &, bool, const QString &line) { m_status->setText(line); });
    fillConnections();
}

void SchemaDock::fillConnections()
{
    const bool was = m_filling;
    m_filling = true;
    m_connections->clear();
    const QString active = m_databases->active();
    for (const DatabaseConnection &c : m_databases->connections()) {
        const DatabaseStatus &st = m_databases->status(c.name);
        QString text = c.name;
        if (c.production)
            text += tr(" (production)");
        if (core::isAuthenticationFailure(st.error))
            text += tr(" — password needed");
        else if (core::isNotAnswering(st.error))
            text += tr(" — not answering");
        else if (st.error.isValid())
            text += tr(" — unreachable");
        m_connections->addItem(text, c.name);
        const auto url = core::SqlUrl::parse(c.url);
        m_connections->setItemData(m_connections->count() - 1, url ? url->masked() : core::maskPasswords(c.url), Qt::ToolTipRole);
        if (c.name == active)
            m_connections->setCurrentIndex(m_connections->count() - 1);
    }
    if (m_connections->count() == 0)
        m_connections->addItem(m_project ? tr("(no database: add a connection)") : tr("(no project)"));
    const auto current = m_databases->connection(active);
    m_editButton->setEnabled(bool(current));
    m_removeButton->setEnabled(current && !current->fromIni);
    m_testButton->setEnabled(bool(current));
    m_filling = was;
}

void SchemaDock::followActive()
{
    const auto c = m_databases->activeConnection();
    if (!c) {
        m_connectButton->hide();
        clearShown();
        m_connected = false;
        m_currentUrl.clear();
        m_worker->disconnectNow();
        m_status->setText(m_project ? tr("The project has no sqlalchemy.url; add a named connection.") : tr("No project open."));
        return;
    }
    const DatabaseStatus &st = m_databases->activeStatus();
    const auto parsed = core::SqlUrl::parse(c->url);
    const QString masked = parsed ? parsed->masked() : core::maskPasswords(c->url);
    const bool retry = !st.reading && st.read && st.error.isValid() && !core::isAuthenticationFailure(st.error);
    m_connectButton->setText(st.reading ? tr("Cancel") : tr("Retry"));
    m_connectButton->setToolTip(st.reading ? tr("Stop waiting for %1 to answer").arg(masked)
                                           : tr("Connect to %1 again").arg(masked));
    m_connectButton->setVisible(st.reading || retry);
    if (c->url != m_shownUrl)
        clearShown(); // another database: the old \d and its migrations are not this one's
    if (st.reading || !st.read) {
        if (!m_connected || c->url != m_currentUrl)
            m_status->setText(tr("Connecting to %1…").arg(masked));
        return;
    }
    if (st.error.isValid()) {
        m_connected = false;
        m_currentUrl.clear();
        m_model->clear();
        m_status->setText(core::isAuthenticationFailure(st.error)
                              ? tr("%1 — choose it again to give the password.").arg(st.error.message)
                              : st.error.message);
        emit connectedChanged(false);
        return;
    }
    if (!st.exists) {
        m_connected = false;
        m_currentUrl.clear();
        m_model->clear();
        m_status->setText(tr("%1: the database file does not exist yet (an upgrade creates it).").arg(masked));
        emit connectedChanged(false);
        return;
    }
    const QString password = m_databases->urlWithPassword(c->name);
    if (!m_connected || c->url != m_currentUrl || password != m_currentPassword)
        connectInspector(c->url, password);
}

void SchemaDock::connectInspector(const QString &url, const QString &passwordUrl)
{
    m_currentUrl = url;
    m_currentPassword = passwordUrl;
    m_shownUrl = url;
    m_connected = false;
    m_worker->connectTo(passwordUrl, m_project ? m_project->config.baseDir : QString(), QString());
}

void SchemaDock::askPassword(const QString &name, const core::Error &error)
{
    const std::optional<QString> pw = Prompter::instance()->askPassword(window(), name, error.message);
    if (!pw) {
        fillConnections();
        return;
    }
    m_databases->setPassword(name, *pw);
    m_databases->read(name, true);
}

void SchemaDock::addConnection()
{
    if (!m_project) {
        m_status->setText(tr("Open a project first: connections belong to a project."));
        return;
    }
    const auto added = askUntilAccepted(window(), m_status, tr("Add Database Connection"), DatabaseConnection(),
                                        [this](const DatabaseConnection &c) { return m_databases->add(c); });
    if (added)
        m_databases->setActive(added->name);
}

void SchemaDock::editConnection()
{
    const auto current = m_databases->activeConnection();
    if (!current)
        return;
    askUntilAccepted(window(), m_status, tr("Edit Connection %1").arg(current->name), *current,
                     [this, name = current->name](const DatabaseConnection &c) { return m_databases->edit(name, c); });
}

void SchemaDock::removeConnection()
{
    const auto current = m_databases->activeConnection();
    if (!current)
        return;
    if (!Prompter::instance()->confirm(window(), tr("Remove Connection"),
                                       tr("Remove the connection <b>%1</b> from this project? The database itself is not "
                                          "touched.").arg(current->name.toHtmlEscaped())))
        return;
    const QString why = m_databases->remove(current->name);
    if (!why.isEmpty())
        m_status->setText(why);
}

void SchemaDock::testConnection()
{
    if (const auto current = m_databases->activeConnection()) {
        m_status->setText(tr("Testing %1…").arg(current->name));
        m_databases->test(current->name);
    }
}

void SchemaDock::setProject(std::shared_ptr<const core::Project> project)
{
    const bool changed = !m_project || !project || m_project->config.baseDir != project->config.baseDir;
    m_project = std::move(project);
    if (changed)
        clearShown(); // nothing of another project's database stays on screen
    if (m_databases == m_ownDatabases) {
        m_databases->setProject(m_project);
        m_databases->refresh();
    }
    if (!m_project) {
        m_connected = false;
        m_currentUrl.clear();
        m_status->setText(tr("No project open."));
        fillConnections();
        return;
    }
    fillConnections();
    // The new snapshot's files, for the table the list is of: the one the output shows.
    if (m_connected)
        updateMigrations(m_migrationsTable);
}

void SchemaDock::onConnected(bool ok, const QString &message, bool isPostgres)
{
    Q_UNUSED(isPostgres);
    m_connected = ok;
    const auto c = m_databases->activeConnection();
    if (!ok) {
        m_model->clear();
        m_status->setText(message);
        emit connectedChanged(false);
        return;
    }
    const auto parsed = core::SqlUrl::parse(m_currentUrl);
    m_status->setText(tr("%1 — %2%3")
                          .arg(c ? c->name : QString(), parsed ? parsed->masked() : QString(),
                               c && c->production ? tr(" — PRODUCTION") : QString()));
    refresh();
    emit connectedChanged(true);
}

void SchemaDock::setOrientation(Qt::Orientation orientation)
{
    // Wide and short (a bottom dock): objects beside the \d text, so a \d+ table fits.
    if (m_split->orientation() == orientation)
        return;
    m_split->setOrientation(orientation);
    // The \d text gets the spare room: the tree and the migrations keep their width.
    const bool wide = orientation == Qt::Horizontal;
    m_split->setStretchFactor(0, wide ? 0 : 2);
    m_split->setStretchFactor(1, wide ? 1 : 3);
    m_split->setStretchFactor(2, wide ? 0 : 1);
    if (wide)
        m_split->setSizes({220, std::max(400, width() - 440), 220});
    else
        m_split->setSizes({200, 300, 90});
}

void SchemaDock::clearShown()
{
    m_model->clear();
    m_output->clear();
    m_migrations->clear();
    m_migrationsTable.clear();
    ++m_migrationsRequest;
    m_shownUrl.clear();
}

void SchemaDock::refresh()
{
    if (!m_connected) {
        // Not there before (an SQLite file an upgrade has just created): read it again; the
        // answer connects.
        if (m_project && m_databases->activeConnection())
            m_databases->read(m_databases->active(), true);
        return;
    }
    m_pendingObjects = m_nextId++;
    m_worker->loadObjects(m_pendingObjects);
}

void SchemaDock::fillTree(const QList<core::DbObject> &objects)
{
    const QString selected = m_tree->currentIndex().data(NameRole).toString();
    m_model->clear();
    QHash<QString, QStandardItem *> schemas;
    QHash<QString, QStandardItem *> groups;
    for (const core::DbObject &o : objects) {
        QStandardItem *&schema = schemas[o.schema];
        if (!schema) {
            schema = new QStandardItem(o.schema);
            schema->setEditable(false);
            schema->setData(o.schema, SchemaRole);
            schema->setData(QStringLiteral("schema"), KindRole);
            m_model->appendRow(schema);
        }
        const QString title = groupTitle(o.kind);
        QStandardItem *&group = groups[o.schema + QLatin1Char('/') + title];
        if (!group) {
            group = new QStandardItem(title);
            group->setEditable(false);
            schema->appendRow(group);
        }
        auto *item = new QStandardItem(o.kind == QLatin1String("index") && !o.table.isEmpty()
                                           ? QStringLiteral("%1  (%2)").arg(o.name, o.table)
                                           : o.name);
        item->setEditable(false);
        item->setData(o.schema, SchemaRole);
        item->setData(o.name, NameRole);
        item->setData(o.kind, KindRole);
        item->setToolTip(QStringLiteral("%1 %2.%3").arg(o.kind, o.schema, o.name));
        group->appendRow(item);
    }
    m_tree->expandToDepth(0);
    if (!selected.isEmpty()) {
        const QModelIndexList hits = m_proxy->match(m_proxy->index(0, 0), NameRole, selected, 1, Qt::MatchRecursive | Qt::MatchExactly);
        if (!hits.isEmpty())
            m_tree->setCurrentIndex(hits.first());
    }
}

void SchemaDock::showObject(const QModelIndex &index)
{
    const QString name = index.data(NameRole).toString();
    if (name.isEmpty())
        return;
    const QString schema = index.data(SchemaRole).toString();
    runCommand(QStringLiteral("\\d ") + patternFor(schema, name, true));
    const QString versionTable = m_project ? m_project->config.versionTable : QStringLiteral("alembic_version");
    if (name == versionTable)
        m_worker->sampleRows(m_nextId++, schema, name);
}

void SchemaDock::updateMigrations(const QString &table)
{
    // Reading every revision file is slow in a large project: done off the GUI thread,
    // and only the newest selection's answer is shown.
    m_migrations->clear();
    m_migrationsTable = table;
    const int request = ++m_migrationsRequest;
    if (!m_project || table.isEmpty())
        return;
    runInBackground(
        this, [project = m_project, table] { return core::revisionsTouching(*project, table); },
        [this, project = m_project, table, request](const QList<int> &revisions) {
            if (request != m_migrationsRequest)
                return;
            for (int r : revisions) {
                const core::RevisionFile &f = project->map.fileOf(r);
                auto *item = new QListWidgetItem(
                    QStringLiteral("%1  %2").arg(project->map.at(r).id, f.doc().section(QLatin1Char('\n'), 0, 0)), m_migrations);
                item->setData(Qt::UserRole, project->map.at(r).id);
            }
            if (m_migrations->count() == 0)
                m_migrations->addItem(tr("(no migration in this project names %1)").arg(table));
        });
}

void SchemaDock::showCreateStatement()
{
    const QModelIndex index = m_tree->currentIndex();
    const QString name = index.data(NameRole).toString();
    if (name.isEmpty() || !m_connected) {
        m_output->setPlainText(tr("Select a table or view in the tree first."));
        return;
    }
    m_pendingCommand = m_nextId++;
    m_pendingText = tr("CREATE statement of %1").arg(name);
    m_worker->createStatements(m_pendingCommand, patternFor(index.data(SchemaRole).toString(), name, true));
}

void SchemaDock::runCommand(const QString &command)
{
    m_pendingCommand = m_nextId++;
    m_pendingText = command;
    m_worker->runCommand(m_pendingCommand, command);
    updateMigrations(relationNamedBy(command));
}

} // namespace retort::ui
