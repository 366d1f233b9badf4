#include "connectiondialog.h"

#include "db/mysqlurl.h"
#include "db/sqlurl.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>

#include <algorithm>

namespace retort::ui {

namespace {

QString quoted(const QStringList &args)
{
    QStringList out;
    for (const QString &a : args)
        out.append(a.contains(QLatin1Char(' ')) ? QLatin1Char('"') + a + QLatin1Char('"') : a);
    return out.join(QLatin1Char(' '));
}

} // namespace

ConnectionDialog::ConnectionDialog(const DatabaseConnection &initial, QWidget *parent) : QDialog(parent), m_initial(initial)
{
    setWindowTitle(initial.name.isEmpty() ? tr("Add Database Connection") : tr("Edit Connection %1").arg(initial.name));
    m_form = new QFormLayout(this);
    m_name = new QLineEdit(initial.name, this);
    m_name->setPlaceholderText(tr("dev, staging, production…"));
    m_kind = new QComboBox(this);
    m_kind->addItems({tr("PostgreSQL"), tr("MySQL or MariaDB"), tr("SQLite file"), tr("URL (typed)")});
    m_host = new QLineEdit(QStringLiteral("localhost"), this);
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_port->setValue(5432);
    m_database = new QLineEdit(this);
    m_user = new QLineEdit(this);
    m_sslmode = new QComboBox(this);
    m_sslmode->addItems({QStringLiteral("prefer"), QStringLiteral("disable"), QStringLiteral("require"),
                         QStringLiteral("verify-ca"), QStringLiteral("verify-full")});
    m_file = new QLineEdit(this);
    m_file->setPlaceholderText(tr("app.db (relative to the project folder) or an absolute path"));
    m_url = new QLineEdit(this);
    m_url->setPlaceholderText(QStringLiteral("postgresql://user@host:5432/db?sslmode=require"));
    m_url->setToolTip(tr("The URL Retort reads the database at. When env.py builds its URL from -x arguments or the "
                         "environment, type here the URL it builds for this database."));
    m_xArgs = new QLineEdit(quoted(initial.xArgs), this);
    m_xArgs->setPlaceholderText(tr("db=staging tenant=acme"));
    m_xArgs->setToolTip(tr("Passed to Alembic as -x arguments on every run against this database (each word one -x)"));
    m_production = new QCheckBox(tr("Production database (runs ask for its name first)"), this);
    m_production->setChecked(initial.production);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #a61b1b"));
    m_form->addRow(tr("Name"), m_name);
    m_form->addRow(tr("Kind"), m_kind);
    m_form->addRow(tr("Host"), m_host);
    m_form->addRow(tr("Port"), m_port);
    m_form->addRow(tr("Database"), m_database);
    m_form->addRow(tr("User"), m_user);
    m_form->addRow(tr("SSL mode"), m_sslmode);
    m_form->addRow(tr("File"), m_file);
    m_form->addRow(tr("URL"), m_url);
    m_form->addRow(tr("-x arguments"), m_xArgs);
    m_form->addRow(m_production);
    m_form->addRow(new QLabel(tr("The password is asked for when connecting and kept only while Retort runs."), this));
    m_form->addRow(m_problem);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Save);
    m_form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // An existing URL is shown in its parts when the form can say all of it.
    int kind = Postgres;
    if (!initial.url.isEmpty()) {
        kind = TypedUrl;
        m_url->setText(initial.url);
        if (const auto u = core::SqlUrl::parse(initial.url); u && !initial.fromIni) {
            const QStringList keys = u->query.keys();
            if (u->isSqlite() && !u->isSqliteMemory() && keys.isEmpty()) {
                kind = Sqlite;
                m_file->setText(u->database);
            } else if ((u->isPostgres() && (keys.isEmpty() || keys == QStringList{QStringLiteral("sslmode")}) && u->driver.isEmpty())
                       || (core::isMysqlUrl(*u) && keys.isEmpty() && u->driver == QLatin1String("pymysql"))) {
                kind = u->isPostgres() ? Postgres : Mysql;
                m_host->setText(u->host);
                m_port->setValue(u->port > 0 ? u->port : (kind == Postgres ? 5432 : 3306));
                m_database->setText(u->database);
                m_user->setText(u->username);
                if (u->query.contains(QStringLiteral("sslmode")))
                    m_sslmode->setCurrentText(u->query.value(QStringLiteral("sslmode")));
            }
        }
    }
    if (initial.fromIni) {
        // The project's own URL comes from its configuration: only the flags are this form's.
        m_name->setReadOnly(true);
        m_kind->setEnabled(false);
        m_url->setReadOnly(true);
        m_url->setToolTip(tr("From sqlalchemy.url in the project's configuration"));
    }
    m_kind->setCurrentIndex(kind);
    showKind(kind);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int k) {
        if (m_port->value() == (k == Mysql ? 5432 : 3306))
            m_port->setValue(k == Mysql ? 3306 : 5432);
        showKind(k);
    });
    for (QLineEdit *e : {m_name, m_host, m_database, m_user, m_file, m_url})
        connect(e, &QLineEdit::textChanged, this, &ConnectionDialog::updateOk);
    updateOk();
    resize(560, sizeHint().height());
}

void ConnectionDialog::showKind(int kind)
{
    const bool server = kind == Postgres || kind == Mysql;
    for (QWidget *w : {static_cast<QWidget *>(m_host), static_cast<QWidget *>(m_port), static_cast<QWidget *>(m_database),
                       static_cast<QWidget *>(m_user)})
        m_form->setRowVisible(w, server);
    // MySQL takes ssl_ca/ssl_cert/ssl_key files in the URL instead.
    m_form->setRowVisible(m_sslmode, kind == Postgres);
    m_form->setRowVisible(m_file, kind == Sqlite);
    m_form->setRowVisible(m_url, kind == TypedUrl);
    updateOk();
    // Hidden rows give their height back.
    m_form->activate();
    if (isVisible())
        resize(width(), sizeHint().height());
}

QString ConnectionDialog::url() const
{
    const QString user = QString::fromUtf8(QUrl::toPercentEncoding(m_user->text().trimmed()));
    const QString host = m_host->text().trimmed();
    const QString db = m_database->text().trimmed();
    switch (m_kind->currentIndex()) {
    case Postgres:
        return QStringLiteral("postgresql://%1%2:%3/%4?sslmode=%5")
            .arg(user.isEmpty() ? QString() : user + QLatin1Char('@'), host, QString::number(m_port->value()), db,
                 m_sslmode->currentText());
    case Mysql:
        // The URL form Alembic projects use with PyMySQL.
        return QStringLiteral("mysql+pymysql://%1%2:%3/%4")
            .arg(user.isEmpty() ? QString() : user + QLatin1Char('@'), host, QString::number(m_port->value()), db);
    case Sqlite:
        return QStringLiteral("sqlite:///") + m_file->text().trimmed();
    default:
        return m_url->text().trimmed();
    }
}

void ConnectionDialog::updateOk()
{
    QString problem;
    if (m_name->text().trimmed().isEmpty())
        problem = tr("Give the connection a name.");
    else if ((m_kind->currentIndex() == Postgres || m_kind->currentIndex() == Mysql) && m_host->text().trimmed().isEmpty())
        problem = tr("Name the server's host.");
    else if (m_kind->currentIndex() == Sqlite && m_file->text().trimmed().isEmpty())
        problem = tr("Name the SQLite file.");
    else if (const auto parsed = core::SqlUrl::parse(url()); !parsed)
        problem = parsed.error().message;
    m_problem->setText(problem);
    // A solved problem leaves its lines empty rather than closing them: the buttons below
    // must not move up under a pointer on its way to Save.
    if (!problem.isEmpty())
        m_problem->setMinimumHeight(std::max(m_problem->minimumHeight(), m_problem->sizeHint().height()));
    if (m_ok)
        m_ok->setEnabled(problem.isEmpty());
}

DatabaseConnection ConnectionDialog::connection() const
{
    DatabaseConnection c = m_initial;
    c.name = m_name->text().trimmed();
    c.url = url();
    c.xArgs = QProcess::splitCommand(m_xArgs->text());
    c.production = m_production->isChecked();
    return c;
}

} // namespace retort::ui
