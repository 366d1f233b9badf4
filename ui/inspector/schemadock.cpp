#include "schemadock.h"

#include "background.h"
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
#include <QInputDialog>
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

} // namespace

SchemaDock::SchemaDock(QWidget *parent) : QWidget(parent), m_worker(new InspectorWorker(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto *top = new QHBoxLayout;
    m_connections = new QComboBox(this);
    m_connections->setMinimumContentsLength(18);
    m_connections->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_connectButton = new QPushButton(tr("Connect"), this);
    auto *add = new QPushButton(tr("Add…"), this);
    add->setToolTip(tr("Add a named PostgreSQL or MySQL/MariaDB connection"));
    top->addWidget(m_connections, 1);
    top->addWidget(m_connectButton);
    top->addWidget(add);
    layout->addLayout(top);
    m_status = new QLabel(tr("Not connected."), this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

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
    connect(m_connectButton, &QPushButton::clicked, this, [this] {
        const int i = m_connections->currentIndex();
        if (i <= 0) {
            connectToProject();
        } else {
            const QList<SavedConnection> saved = savedConnections();
            if (i - 1 < saved.size())
                connectTo(saved[i - 1].url, saved[i - 1].name);
        }
    });
    connect(add, &QPushButton::clicked, this, &SchemaDock::addConnectionDialog);
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
    setEnabled(true);
}

SchemaDock::~SchemaDock() = default;

QList<SavedConnection> SchemaDock::savedConnections() const
{
    QList<SavedConnection> out;
    QSettings s;
    const int n = s.beginReadArray(QStringLiteral("connections"));
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        out.append({s.value(QStringLiteral("name")).toString(), s.value(QStringLiteral("url")).toString(),
                    s.value(QStringLiteral("production")).toBool()});
    }
    s.endArray();
    return out;
}

void SchemaDock::saveConnection(const SavedConnection &c)
{
    QList<SavedConnection> all = savedConnections();
    all.erase(std::remove_if(all.begin(), all.end(), [&c](const SavedConnection &x) { return x.name == c.name; }), all.end());
    all.append(c);
    QSettings s;
    s.beginWriteArray(QStringLiteral("connections"));
    for (int i = 0; i < all.size(); ++i) {
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("name"), all[i].name);
        s.setValue(QStringLiteral("url"), core::maskPasswords(all[i].url).replace(QStringLiteral(":XXXXX@"), QStringLiteral("@")));
        s.setValue(QStringLiteral("production"), all[i].production);
    }
    s.endArray();
    setProject(m_project); // refresh the combo
    m_connections->setCurrentIndex(m_connections->findText(c.name));
}

void SchemaDock::setProject(std::shared_ptr<const core::Project> project)
{
    const bool changed = !m_project || !project || m_project->config.sqlalchemyUrl != project->config.sqlalchemyUrl;
    m_project = std::move(project);
    if (changed)
        clearShown(); // nothing of another project's database stays on screen
    if (!m_project) {
        m_connected = false;
        m_currentUrl.clear();
        m_currentLabel.clear();
        m_status->setText(tr("No project open."));
    }
    const QString current = m_connections->currentText();
    m_connections->clear();
    m_connections->addItem(m_project ? tr("Project database") : tr("(no project)"));
    for (const SavedConnection &c : savedConnections())
        m_connections->addItem(c.production ? c.name + tr(" (production)") : c.name);
    const int keep = m_connections->findText(current);
    m_connections->setCurrentIndex(keep >= 0 ? keep : 0);
    if (changed && m_project && m_connections->currentIndex() == 0)
        connectToProject();
    else if (m_connected && !m_currentLabel.isEmpty())
        updateMigrations(m_tree->currentIndex().data(NameRole).toString());
}

void SchemaDock::connectToProject()
{
    if (!m_project)
        return;
    if (m_project->config.sqlalchemyUrl.isEmpty()) {
        m_status->setText(tr("The project has no sqlalchemy.url; add a named connection."));
        return;
    }
    m_production = false;
    connectTo(m_project->config.sqlalchemyUrl, tr("project database"));
}

void SchemaDock::connectTo(const QString &url, const QString &label, const QString &password)
{
    m_currentUrl = url;
    m_currentLabel = label;
    m_password = password;
    m_askedPassword = !password.isEmpty();
    for (const SavedConnection &c : savedConnections())
        if (c.name == label)
            m_production = c.production;
    const auto parsed = core::SqlUrl::parse(url);
    m_status->setText(tr("Connecting to %1…").arg(parsed ? parsed->masked() : core::maskPasswords(url)));
    if (url != m_shownUrl)
        clearShown(); // another database: the old \d and its migrations are not this one's
    m_shownUrl = url;
    m_connected = false;
    m_worker->connectTo(url, m_project ? m_project->config.baseDir : QString(), password);
}

void SchemaDock::onConnected(bool ok, const QString &message, bool isPostgres)
{
    m_connected = ok;
    if (!ok) {
        m_model->clear();
        // A server that wants a password: ask once, keep it for the session only.
        if (!m_askedPassword && (message.contains(QStringLiteral("password")) || message.contains(QStringLiteral("authentication")))
            && isVisible()) {
            bool accepted = false;
            const QString pw = QInputDialog::getText(this, tr("Password"), tr("Password for %1:").arg(m_currentLabel),
                                                     QLineEdit::Password, QString(), &accepted);
            if (accepted) {
                connectTo(m_currentUrl, m_currentLabel, pw);
                return;
            }
        }
        m_status->setText(message);
        emit connectedChanged(false);
        return;
    }
    const auto parsed = core::SqlUrl::parse(m_currentUrl);
    m_status->setText(tr("%1 — %2%3")
                          .arg(m_currentLabel, parsed ? parsed->masked() : QString(),
                               m_production ? tr(" — PRODUCTION") : QString()));
    Q_UNUSED(isPostgres);
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
    ++m_migrationsRequest;
    m_shownUrl.clear();
}

void SchemaDock::refresh()
{
    if (!m_connected) {
        // Not there before (an SQLite file an upgrade has just created): try again.
        if (m_project && !m_currentUrl.isEmpty())
            connectTo(m_currentUrl, m_currentLabel, m_password);
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

bool SchemaDock::isProductionConnection() const
{
    return m_production;
}

QString SchemaDock::connectionLabel() const
{
    return m_currentLabel;
}

void SchemaDock::addConnectionDialog()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Add Database Connection"));
    auto *form = new QFormLayout(&dialog);
    auto *kind = new QComboBox(&dialog);
    kind->addItems({tr("PostgreSQL"), tr("MySQL or MariaDB")});
    auto *name = new QLineEdit(&dialog);
    auto *host = new QLineEdit(QStringLiteral("localhost"), &dialog);
    auto *port = new QSpinBox(&dialog);
    port->setRange(1, 65535);
    port->setValue(5432);
    auto *database = new QLineEdit(&dialog);
    auto *user = new QLineEdit(&dialog);
    auto *sslmode = new QComboBox(&dialog);
    sslmode->addItems({QStringLiteral("prefer"), QStringLiteral("disable"), QStringLiteral("require"),
                       QStringLiteral("verify-ca"), QStringLiteral("verify-full")});
    auto *production = new QCheckBox(tr("This is a production database (runs ask for its name)"), &dialog);
    form->addRow(tr("Server"), kind);
    form->addRow(tr("Name"), name);
    form->addRow(tr("Host"), host);
    form->addRow(tr("Port"), port);
    form->addRow(tr("Database"), database);
    form->addRow(tr("User"), user);
    form->addRow(tr("SSL mode"), sslmode);
    connect(kind, &QComboBox::currentIndexChanged, &dialog, [form, port, sslmode](int i) {
        const bool mysql = i == 1;
        if (port->value() == (mysql ? 5432 : 3306))
            port->setValue(mysql ? 3306 : 5432);
        form->setRowVisible(sslmode, !mysql); // MySQL takes ssl_ca/ssl_cert/ssl_key files in the URL instead
    });
    form->addRow(production);
    form->addRow(new QLabel(tr("The password is asked for when connecting and kept only while Retort runs."), &dialog));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted || name->text().trimmed().isEmpty())
        return;
    // MySQL through the URL form Alembic projects use with PyMySQL.
    const QString userText = QString::fromUtf8(QUrl::toPercentEncoding(user->text()));
    const QString url = kind->currentIndex() == 1
        ? QStringLiteral("mysql+pymysql://%1@%2:%3/%4").arg(userText, host->text(), QString::number(port->value()), database->text())
        : QStringLiteral("postgresql://%1@%2:%3/%4?sslmode=%5")
              .arg(userText, host->text(), QString::number(port->value()), database->text(), sslmode->currentText());
    saveConnection({name->text().trimmed(), url, production->isChecked()});
}

} // namespace retort::ui
