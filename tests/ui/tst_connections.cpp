// Several named databases per project, each alone with the session (no MainWindow): real
// SQLite files at different revisions side by side in the graph model, a throwaway
// PostgreSQL as a second connection whose password is answered through a scripted
// Prompter, connections that persist, drift per database and clean connection errors.
#include "../integration/testsupport.h"
#include "sqlitestamp.h"
#include "databases.h"
#include "db/connection.h"
#include "db/sqlurl.h"
#include "graph/graphpanel.h"
#include "graph/statedelegate.h"
#include "graph/stateheader.h"
#include "inspector/connectiondialog.h"
#include "inspector/schemadock.h"
#include "models/revisionmodel.h"
#include "projectsession.h"
#include "prompter.h"
#include "scriptedprompter.h"
#include "schema/driftbadge.h"
#include "schema/schemachangemodel.h"
#include "schema/schemadifftab.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QCryptographicHash>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QTreeView>

using namespace retort;
using namespace retort::ui;

namespace {

const QString kMerge = QStringLiteral("7f2e4c9b1d83");
const QString kOrders = QStringLiteral("4b6d9e2f8a01");
const QString kMenu = QStringLiteral("9a3c5f71e8d6");
const QString kIni = QStringLiteral("alembic.ini");


using testsupport::ScriptedPrompter;

DatabaseMark markOf(const RevisionModel &model, const QString &revision, const QString &database)
{
    const QModelIndex idx = model.index(model.rowOfRevision(revision), RevisionModel::StateColumn);
    for (const DatabaseMark &m : idx.data(RevisionModel::DatabasesRole).value<QList<DatabaseMark>>())
        if (m.name == database)
            return m;
    return {};
}

} // namespace

class tst_Connections : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void twoSqliteDatabasesSideBySide();
    void addEditRemovePersist();
    void addThroughTheDockAndChoosingConnects();
    void postgresPasswordAskedOnceThenKept();
    void deadServerGivesOneCleanLine_data();
    void deadServerGivesOneCleanLine();
    void driftPerDatabase();
    void dialogButtonsStayWhenTheProblemGoes();

private:
    void load(ProjectSession &session);
    QTemporaryDir m_home;
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_project;
    ScriptedPrompter m_prompter;
};

void tst_Connections::initTestCase()
{
    // Settings of this run stay in a folder of their own.
    qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("RetortTests"));
    QSettings().setValue(QStringLiteral("run/alembic"), testsupport::systemPython());
    Prompter::setInstance(&m_prompter);
}

void tst_Connections::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_project = testsupport::copyExample(*m_tmp);
    QVERIFY(!m_project.isEmpty());
    m_prompter = ScriptedPrompter();
    m_prompter.confirmWhenUnscripted = true; // these tests say yes unless they say otherwise
}

void tst_Connections::cleanup()
{
    QSettings().remove(QStringLiteral("databases"));
}

void tst_Connections::load(ProjectSession &session)
{
    QSignalSpy db(&session, &ProjectSession::databasePositionChanged);
    QSignalSpy loaded(&session, &ProjectSession::projectLoaded);
    session.open(m_project);
    QVERIFY(loaded.wait(20000));
    QVERIFY(db.count() > 0 || db.wait(20000));
}

void tst_Connections::twoSqliteDatabasesSideBySide()
{
    stampDatabase(m_project + QStringLiteral("/coffee.db"), {kOrders});
    stampDatabase(m_project + QStringLiteral("/staging.db"), {kMenu});
    ProjectSession session;
    load(session);
    Databases *dbs = session.databases();
    QCOMPARE(dbs->active(), kIni);
    QSignalSpy status(dbs, &Databases::statusChanged);
    QCOMPARE(dbs->add({QStringLiteral("staging"), QStringLiteral("sqlite:///staging.db"), {}, false, false}), QString());
    dbs->read(QStringLiteral("staging"));
    QTRY_VERIFY(dbs->status(QStringLiteral("staging")).isConnected());

    // Each database's applied set follows its own version table.
    const QSet<QString> ini = dbs->status(kIni).applied;
    const QSet<QString> staging = dbs->status(QStringLiteral("staging")).applied;
    QVERIFY(ini.contains(kOrders) && !ini.contains(kMenu) && !ini.contains(kMerge));
    QVERIFY(staging.contains(kMenu) && !staging.contains(kOrders) && !staging.contains(kMerge));
    QVERIFY(ini.contains(QStringLiteral("1e0b7a66d2c4")) && staging.contains(QStringLiteral("1e0b7a66d2c4")));
    QCOMPARE(session.currentRevisions(), QStringList{kOrders}); // the active one

    // The graph shows both: the State column for the active one, a mark for the other.
    RevisionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProject(session.project());
    model.setDatabaseState(session.currentRevisions(), session.appliedRevisions());
    model.setDatabases(dbs);
    QCOMPARE(model.otherDatabaseCount(), 1);
    auto state = [&](const QString &id) { return model.index(model.rowOfRevision(id), RevisionModel::StateColumn); };
    QCOMPARE(state(kOrders).data(RevisionModel::StateRole).toInt(), int(RevisionModel::State::Applied));
    QCOMPARE(state(kMenu).data(RevisionModel::StateRole).toInt(), int(RevisionModel::State::Pending));
    DatabaseMark m = markOf(model, kMenu, QStringLiteral("staging"));
    QVERIFY(m.applied && m.current);
    QCOMPARE(m.shortName, QStringLiteral("stag"));
    m = markOf(model, kOrders, QStringLiteral("staging"));
    QCOMPARE(m.name, QStringLiteral("staging"));
    QVERIFY(!m.applied && !m.current);
    QVERIFY(!markOf(model, kMerge, QStringLiteral("staging")).applied);
    QVERIFY(model.headerData(RevisionModel::StateColumn, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("stag = staging")));
    QVERIFY(state(kMenu).data(Qt::ToolTipRole).toString().contains(QStringLiteral("staging: applied, recorded at this revision")));

    // Choosing staging makes it active: the session's position (the State column's) follows,
    // and the strip now shows the ini's database.
    QSignalSpy position(&session, &ProjectSession::databasePositionChanged);
    QVERIFY(dbs->setActive(QStringLiteral("staging")));
    QVERIFY(position.wait(10000));
    QCOMPARE(session.currentRevisions(), QStringList{kMenu});
    QVERIFY(session.isApplied(kMenu) && !session.isApplied(kOrders));
    QVERIFY(markOf(model, kOrders, kIni).current);
    QCOMPARE(model.headerData(RevisionModel::StateColumn, Qt::Horizontal).toString(), QStringLiteral("State: stag | others"));

    // The graph panel gives the strip its room.
    GraphPanel panel(&model);
    const int oneOther = panel.view()->columnWidth(RevisionModel::StateColumn);
    QCOMPARE(oneOther, panel.stateDelegate()->columnWidth(panel.view()->font(), {QStringLiteral("ini")}, false));
    QVERIFY(oneOther > panel.stateDelegate()->columnWidth(panel.view()->font(), {}, false));
}

void tst_Connections::addEditRemovePersist()
{
    stampDatabase(m_project + QStringLiteral("/coffee.db"), {kOrders});
    ProjectSession session;
    load(session);
    Databases *dbs = session.databases();
    QSignalSpy changed(dbs, &Databases::connectionsChanged);
    // A URL typed with its password: the password is kept in memory only.
    QCOMPARE(dbs->add({QStringLiteral("prod"), QStringLiteral("postgresql://app:t0ps3cret@db.example:5433/shop"),
                       {QStringLiteral("db=prod")}, true, false}),
             QString());
    QCOMPARE(changed.count(), 1);
    QVERIFY(dbs->hasPassword(QStringLiteral("prod")));
    QCOMPARE(dbs->connection(QStringLiteral("prod"))->url, QStringLiteral("postgresql://app@db.example:5433/shop"));
    QCOMPARE(dbs->urlWithPassword(QStringLiteral("prod")), QStringLiteral("postgresql://app:t0ps3cret@db.example:5433/shop"));
    QVERIFY(!dbs->add({QStringLiteral("prod"), QStringLiteral("sqlite:///x.db"), {}, false, false}).isEmpty());
    QVERIFY(dbs->add({QStringLiteral("bad"), QStringLiteral("not a url"), {}, false, false}).contains(QStringLiteral("Could not parse")));
    QCOMPARE(dbs->connections().size(), 2);
    QSettings().sync();
    {
        QFile ini(QSettings().fileName());
        QVERIFY(ini.open(QIODevice::ReadOnly));
        const QByteArray text = ini.readAll();
        QVERIFY(text.contains("db.example"));
        QVERIFY2(!text.contains("t0ps3cret"), text.constData());
    }

    // Another session of the same project finds it, without the password.
    {
        ProjectSession again;
        load(again);
        const auto prod = again.databases()->connection(QStringLiteral("prod"));
        QVERIFY(prod);
        QVERIFY(prod->production);
        QCOMPARE(prod->xArgs, QStringList{QStringLiteral("db=prod")});
        QVERIFY(!again.databases()->hasPassword(QStringLiteral("prod")));
    }

    // Edit: a new name and URL; the password stays with the connection.
    QCOMPARE(dbs->edit(QStringLiteral("prod"), {QStringLiteral("production"), QStringLiteral("postgresql://app@db2.example/shop"),
                                                 {QStringLiteral("db=prod"), QStringLiteral("tenant=acme")}, true, false}),
             QString());
    QVERIFY(!dbs->connection(QStringLiteral("prod")));
    QCOMPARE(dbs->connection(QStringLiteral("production"))->url, QStringLiteral("postgresql://app@db2.example/shop"));
    QVERIFY(dbs->hasPassword(QStringLiteral("production")));
    // The project's own connection keeps its URL; its flags are editable.
    QVERIFY(!dbs->edit(kIni, {kIni, QStringLiteral("sqlite:///other.db"), {}, false, true}).isEmpty());
    QCOMPARE(dbs->edit(kIni, {kIni, QString(), {QStringLiteral("db=dev")}, false, true}), QString());
    QVERIFY(!dbs->remove(kIni).isEmpty());
    {
        ProjectSession again;
        load(again);
        QVERIFY(!again.databases()->connection(QStringLiteral("prod")));
        QCOMPARE(again.databases()->connection(QStringLiteral("production"))->xArgs,
                 (QStringList{QStringLiteral("db=prod"), QStringLiteral("tenant=acme")}));
        QCOMPARE(again.databases()->connection(kIni)->xArgs, QStringList{QStringLiteral("db=dev")});
    }

    // Remove: gone, here and in the next session.
    QVERIFY(dbs->setActive(QStringLiteral("production")));
    QCOMPARE(dbs->remove(QStringLiteral("production")), QString());
    QCOMPARE(dbs->active(), kIni); // the active one went: the project's own takes over
    QVERIFY(!dbs->hasPassword(QStringLiteral("production")));
    ProjectSession again;
    load(again);
    QCOMPARE(again.databases()->connections().size(), 1);
    QCOMPARE(again.databases()->active(), kIni);
}

void tst_Connections::addThroughTheDockAndChoosingConnects()
{
    stampDatabase(m_project + QStringLiteral("/coffee.db"), {kOrders});
    stampDatabase(m_project + QStringLiteral("/staging.db"), {kMenu});
    ProjectSession session;
    SchemaDock dock;
    dock.setDatabases(session.databases());
    dock.resize(900, 400);
    dock.show();
    load(session);
    dock.setProject(session.project());
    QTRY_VERIFY(dock.isConnected());

    // Add… goes through the Prompter; a clash brings the form back with what was typed.
    m_prompter.forms = {{kIni, QStringLiteral("sqlite:///staging.db"), {}, false, false},
                        {QStringLiteral("staging"), QStringLiteral("sqlite:///staging.db"), {}, false, false}};
    QSignalSpy position(&session, &ProjectSession::databasePositionChanged);
    dock.addConnection();
    QCOMPARE(m_prompter.formsShown.size(), 2);
    QCOMPARE(m_prompter.formsShown[1].url, QStringLiteral("sqlite:///staging.db"));
    // A new connection is chosen at once: it connects and becomes active.
    QCOMPARE(session.databases()->active(), QStringLiteral("staging"));
    QVERIFY(position.wait(10000));
    QCOMPARE(session.currentRevisions(), QStringList{kMenu});
    QTRY_VERIFY(dock.isConnected());
    QTRY_VERIFY(dock.statusLabel()->text().startsWith(QStringLiteral("staging — sqlite:///staging.db")));

    // Choosing the other entry in the picker connects to it.
    const int ini = dock.connectionPicker()->findData(kIni);
    QVERIFY(ini >= 0);
    dock.connectionPicker()->setCurrentIndex(ini);
    emit dock.connectionPicker()->activated(ini);
    QCOMPARE(session.databases()->active(), kIni);
    QTRY_COMPARE(session.currentRevisions(), QStringList{kOrders});

    // Test: one line (once the dock's own connection has answered and said where it is).
    QTRY_VERIFY(dock.isConnected());
    QTRY_VERIFY(dock.statusLabel()->text().startsWith(kIni));
    QSignalSpy tested(session.databases(), &Databases::tested);
    dock.testConnection();
    QVERIFY(tested.wait(10000));
    QCOMPARE(tested.first().at(1).toBool(), true);
    const QString iniUrl = core::SqlUrl::parse(session.project()->config.sqlalchemyUrl)->masked();
    QTRY_COMPARE(dock.statusLabel()->text(), QStringLiteral("%1: connected; at %2.").arg(iniUrl, kOrders));

    // Remove asks first; the project's own connection cannot be removed.
    session.databases()->setActive(QStringLiteral("staging"));
    m_prompter.confirmWhenUnscripted = false;
    dock.removeConnection();
    QVERIFY(session.databases()->connection(QStringLiteral("staging")));
    m_prompter.confirmWhenUnscripted = true;
    dock.removeConnection();
    QCOMPARE(m_prompter.confirms, 2);
    QVERIFY(!session.databases()->connection(QStringLiteral("staging")));
    QCOMPARE(dock.connectionPicker()->count(), 1);
}

void tst_Connections::postgresPasswordAskedOnceThenKept()
{
    testsupport::PostgresServer server;
    if (!server.isRunning())
        QSKIP(qPrintable(server.error()));
    QCOMPARE(server.psql(QStringLiteral("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); "
                                        "INSERT INTO alembic_version VALUES ('%1')").arg(kMenu)).exitCode, 0);
    stampDatabase(m_project + QStringLiteral("/coffee.db"), {kOrders});
    ProjectSession session;
    SchemaDock dock;
    dock.setDatabases(session.databases());
    dock.show();
    load(session);
    Databases *dbs = session.databases();
    const QString url = QStringLiteral("postgresql://retort@127.0.0.1:%1/postgres").arg(server.port());
    QCOMPARE(dbs->add({QStringLiteral("pg"), url, {}, false, false}), QString());

    // A wrong password first, then the right one: asked twice, through the Prompter.
    m_prompter.passwords = {QStringLiteral("wrong"), QString::fromLatin1(testsupport::PostgresServer::Password)};
    QVERIFY(dbs->setActive(QStringLiteral("pg")));
    QTRY_VERIFY_WITH_TIMEOUT(dbs->status(QStringLiteral("pg")).isConnected(), 20000);
    QCOMPARE(m_prompter.passwordReasons.size(), 2);
    QVERIFY2(m_prompter.passwordReasons[0].contains(QStringLiteral("no password supplied")), qPrintable(m_prompter.passwordReasons[0]));
    const QString wrong = m_prompter.passwordReasons[1];
    QVERIFY2(wrong.contains(QStringLiteral("password authentication failed")), qPrintable(wrong));
    QVERIFY(!wrong.contains(QLatin1Char('\n')) && !wrong.contains(QStringLiteral("QPSQL")) && !wrong.contains(QStringLiteral("()")));
    QCOMPARE(dbs->status(QStringLiteral("pg")).heads, QStringList{kMenu});
    QCOMPARE(session.currentRevisions(), QStringList{kMenu});
    QTRY_VERIFY_WITH_TIMEOUT(dock.isConnected(), 20000);

    // Reconnecting (a refresh, choosing it again, a test) never asks again.
    QSignalSpy status(dbs, &Databases::statusChanged);
    session.refreshDatabase();
    QTRY_VERIFY(!dbs->status(QStringLiteral("pg")).reading && dbs->status(QStringLiteral("pg")).read);
    dbs->setActive(kIni);
    QVERIFY(dbs->setActive(QStringLiteral("pg")));
    QSignalSpy tested(dbs, &Databases::tested);
    dbs->test(QStringLiteral("pg"));
    QVERIFY(tested.wait(20000));
    QVERIFY(tested.first().at(1).toBool());
    QVERIFY(dbs->status(QStringLiteral("pg")).isConnected());
    QCOMPARE(m_prompter.passwordReasons.size(), 2);
    QVERIFY(dbs->urlWithPassword(QStringLiteral("pg")).contains(QStringLiteral(":s3cret-pw@")));
    // The password never reached the settings.
    QSettings().sync();
    QFile ini(QSettings().fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains("s3cret-pw"));

    // Another session locks the version table: the read is given up after the answer timeout
    // (here 2 s) as "not answering" on one line, the dock says so, and the window was never
    // waiting (the test's own event loop ran throughout). Released, a refresh reads it again.
    core::setAnswerTimeoutSeconds(2);
    const auto restoreTimeout = qScopeGuard([] { core::setAnswerTimeoutSeconds(15); });
    QProcess locker;
    locker.start(testsupport::PostgresServer::psqlProgram(),
                 {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-h"), server.socketDir(), QStringLiteral("-p"),
                  QString::number(server.port()), QStringLiteral("-U"), QString::fromLatin1(testsupport::PostgresServer::User),
                  QStringLiteral("-d"), QStringLiteral("postgres"), QStringLiteral("-c"),
                  QStringLiteral("BEGIN; LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600);")});
    const auto release = [&server, &locker] {
        server.psql(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' "
                                   "AND pid <> pg_backend_pid()"));
        locker.waitForFinished(10000);
    };
    auto releaseOnFailure = qScopeGuard(release);
    QTRY_VERIFY(server.psql(QStringLiteral("SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = "
                                           "'alembic_version' AND l.mode = 'AccessExclusiveLock' AND l.granted"))
                    .out.contains(QLatin1Char('1')));
    session.refreshDatabase();
    QTRY_VERIFY_WITH_TIMEOUT(!dbs->status(QStringLiteral("pg")).reading && dbs->status(QStringLiteral("pg")).read, 20000);
    const core::Error hung = dbs->status(QStringLiteral("pg")).error;
    QVERIFY2(core::isNotAnswering(hung), qPrintable(hung.message));
    QVERIFY2(hung.message.startsWith(QStringLiteral("Cannot read postgresql://retort@127.0.0.1:%1/postgres: not answering")
                                         .arg(server.port()))
                 && !hung.message.contains(QLatin1Char('\n')),
             qPrintable(hung.message));
    QTRY_VERIFY(dock.connectionPicker()->currentText().contains(QStringLiteral("not answering")));
    releaseOnFailure.dismiss();
    release();
    session.refreshDatabase();
    QTRY_VERIFY_WITH_TIMEOUT(dbs->status(QStringLiteral("pg")).isConnected(), 20000);
    QCOMPARE(dbs->status(QStringLiteral("pg")).heads, QStringList{kMenu});

    // The Schema tab replays on a scratch database of the active connection's dialect: on
    // this server (created there with the session's password, dropped again), then on a
    // scratch SQLite file once the ini's database is active again.
    SchemaDiffTab tab;
    tab.followDatabases(dbs);
    tab.setProject(session.project());
    tab.setRevisions({QStringLiteral("1e0b7a66d2c4")});
    QSignalSpy shown(&tab, &SchemaDiffTab::diffShown);
    tab.show();
    QTRY_VERIFY2_WITH_TIMEOUT(shown.count() == 1, qPrintable(tab.statusText()), 120000);
    QVERIFY2(tab.statusText().contains(QStringLiteral("(postgresql")), qPrintable(tab.statusText()));
    QVERIFY(!server.psql(QStringLiteral("SELECT datname FROM pg_database")).out.contains(QStringLiteral("retort_")));
    dbs->setActive(kIni);
    QTRY_VERIFY2_WITH_TIMEOUT(shown.count() == 2, qPrintable(tab.statusText()), 120000);
    QVERIFY2(tab.statusText().contains(QStringLiteral("(sqlite")), qPrintable(tab.statusText()));
    QCOMPARE(tab.model()->index(0, SchemaChangeModel::ObjectColumn).data().toString(),
             QStringLiteral("+ index ix_employees_email on employees"));
}

void tst_Connections::deadServerGivesOneCleanLine_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
    QTest::newRow("mysql") << QStringLiteral("mysql+pymysql");
}

void tst_Connections::deadServerGivesOneCleanLine()
{
    QFETCH(QString, scheme);
    ProjectSession session;
    load(session);
    Databases *dbs = session.databases();
    const int port = testsupport::freePort();
    QCOMPARE(dbs->add({QStringLiteral("dead"), QStringLiteral("%1://app@127.0.0.1:%2/shop").arg(scheme).arg(port), {}, false, false},
                      QStringLiteral("pw")),
             QString());
    QSignalSpy tested(dbs, &Databases::tested);
    dbs->test(QStringLiteral("dead"));
    QVERIFY(tested.wait(20000));
    QCOMPARE(tested.first().at(1).toBool(), false);
    const QString line = tested.first().at(2).toString();
    QVERIFY2(!line.contains(QLatin1Char('\n')), qPrintable(line));
    QVERIFY2(line.startsWith(QStringLiteral("Cannot connect to %1://app@127.0.0.1:%2/shop: ").arg(scheme).arg(port)), qPrintable(line));
    // The reason names the server; the driver's own words, not an errno or Qt's tail.
    QVERIFY2(line.count(QStringLiteral("127.0.0.1")) == 2, qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(line));
    QVERIFY2(!line.contains(QStringLiteral("in progress")), qPrintable(line));
    QVERIFY2(!line.contains(QStringLiteral("Unable to connect")) && !line.contains(QStringLiteral("()")), qPrintable(line));
    QVERIFY2(!line.contains(QRegularExpression(QStringLiteral("\\(\\d+\\)"))), qPrintable(line));
    QVERIFY(!core::isAuthenticationFailure(dbs->status(QStringLiteral("dead")).error));
    // A failed connect that is not about the password keeps the password; nothing was asked.
    QVERIFY(dbs->hasPassword(QStringLiteral("dead")));
    QVERIFY(m_prompter.passwordReasons.isEmpty());
}

void tst_Connections::driftPerDatabase()
{
    QCOMPARE(testsupport::alembic(m_project, {QStringLiteral("upgrade"), QStringLiteral("heads")}).exitCode, 0);
    const QString db = m_project + QStringLiteral("/coffee.db");
    const QString hand = m_project + QStringLiteral("/hand.db");
    QVERIFY(QFile::copy(db, hand));
    {
        auto c = core::ScopedConnection::open(*core::SqlUrl::parse(QStringLiteral("sqlite:///") + hand), QString(), {}, 5, false);
        QVERIFY(c);
        QSqlQuery q(c->database());
        QVERIFY(q.exec(QStringLiteral("ALTER TABLE employees ADD COLUMN nickname TEXT")));
    }
    auto sum = [](const QString &path) {
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
    };
    const QByteArray before = sum(hand);

    ProjectSession session;
    Databases *dbs = session.databases();
    DriftBadge badge(dbs);
    QSignalSpy drift(dbs, &Databases::driftChanged);
    load(session);
    QCOMPARE(dbs->add({QStringLiteral("hand"), QStringLiteral("sqlite:///hand.db"), {}, false, false}), QString());
    dbs->read(QStringLiteral("hand"));
    // SQLite databases are checked by themselves, in the pool.
    QTRY_COMPARE_WITH_TIMEOUT(dbs->status(kIni).drift.state, DriftResult::State::NoDrift, 120000);
    QTRY_COMPARE_WITH_TIMEOUT(dbs->status(QStringLiteral("hand")).drift.state, DriftResult::State::Drift, 120000);
    const DriftResult &r = dbs->status(QStringLiteral("hand")).drift;
    QCOMPARE(r.differences, 1);
    QCOMPARE(r.handMade, QStringList{QStringLiteral("column employees.nickname")});
    QCOMPARE(badge.state(), DriftBadge::State::NoDrift);
    QCOMPARE(badge.text(), QStringLiteral("No drift · hand \u22601"));

    // Nothing changed: a reload's reading takes the cached answer, no replay.
    const int answers = int(drift.count());
    QSignalSpy position(&session, &ProjectSession::databasePositionChanged);
    session.reload();
    QVERIFY(position.wait(20000));
    QTRY_VERIFY(dbs->status(QStringLiteral("hand")).read && !dbs->status(QStringLiteral("hand")).reading);
    QTest::qWait(50);
    QCOMPARE(dbs->status(QStringLiteral("hand")).drift.state, DriftResult::State::Drift);
    QCOMPARE(int(drift.count()), answers);

    // In the graph: a drift mark on the revision hand.db is at; a click shows its differences.
    RevisionModel model;
    model.setProject(session.project());
    model.setDatabaseState(session.currentRevisions(), session.appliedRevisions());
    model.setDatabases(dbs);
    const DatabaseMark m = markOf(model, kMerge, QStringLiteral("hand"));
    QVERIFY(m.current && m.drift);
    QCOMPARE(m.differences, 1);
    QVERIFY(!markOf(model, kOrders, QStringLiteral("hand")).drift);
    QCOMPARE(model.index(model.rowOfRevision(kMerge), RevisionModel::StateColumn).data(RevisionModel::DriftRole).toInt(), 0);

    GraphPanel panel(&model);
    panel.resize(900, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy requested(&panel, &GraphPanel::driftRequested);
    connect(&panel, &GraphPanel::driftRequested, &badge, &DriftBadge::showDetails);
    const QModelIndex cell = panel.proxy()->mapFromSource(model.index(model.rowOfRevision(kMerge), RevisionModel::StateColumn));
    const QRect rect = panel.view()->visualRect(cell);
    QStyleOptionViewItem option;
    option.initFrom(panel.view());
    option.rect = rect;
    option.font = panel.view()->font();
    QPoint hit;
    for (int x = rect.left(); x <= rect.right() && hit.isNull(); ++x)
        if (panel.stateDelegate()->driftAt(option, cell, QPoint(x, rect.center().y())) == QLatin1String("hand"))
            hit = QPoint(x + 3, rect.center().y());
    QVERIFY(!hit.isNull());
    QTest::mouseClick(panel.view()->viewport(), Qt::LeftButton, {}, hit);
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.first().first().toString(), QStringLiteral("hand"));
    QVERIFY(badge.detailsView() && badge.detailsView()->isVisible());
    QCOMPARE(badge.detailsDatabase(), QStringLiteral("hand"));
    const QString details = badge.detailsText();
    QVERIFY2(details.contains(QStringLiteral("+ column employees.nickname TEXT")), qPrintable(details));
    QVERIFY(details.contains(QStringLiteral("Made outside the migrations: column employees.nickname.")));

    // The header carries the marks too, over the strip's column, whichever rows are in sight.
    auto *header = qobject_cast<StateHeader *>(panel.view()->header());
    QVERIFY(header);
    auto headerMarks = [&] {
        return model.headerData(RevisionModel::StateColumn, Qt::Horizontal, RevisionModel::DatabasesRole).value<QList<DatabaseMark>>();
    };
    QCOMPARE(headerMarks().size(), 1);
    QVERIFY(headerMarks().first().drift);
    QCOMPARE(headerMarks().first().differences, 1);
    panel.view()->scrollToBottom(); // the recorded row out of sight: the header still shows it
    auto headerHit = [&](const QString &name) {
        const int left = header->sectionViewportPosition(RevisionModel::StateColumn);
        for (int x = left; x < left + header->sectionSize(RevisionModel::StateColumn); ++x)
            if (header->driftAt(QPoint(x, header->height() / 2)) == name)
                return QPoint(x + 3, header->height() / 2);
        return QPoint();
    };
    const QPoint headerPoint = headerHit(QStringLiteral("hand"));
    QVERIFY(!headerPoint.isNull());
    badge.detailsView()->close();
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, headerPoint);
    QCOMPARE(requested.count(), 2);
    QCOMPARE(requested.last().first().toString(), QStringLiteral("hand"));
    QVERIFY(badge.detailsView()->isVisible());
    QVERIFY(headerHit(kIni).isNull()); // the active database has no drift: no mark of its own
    // Its sentences wrap; Esc closes it (it has no buttons: a keyboard user had no way out).
    QCOMPARE(badge.detailsView()->lineWrapMode(), QPlainTextEdit::WidgetWidth);
    QTest::keyClick(badge.detailsView(), Qt::Key_Escape);
    QVERIFY(!badge.detailsView()->isVisible());

    // Choosing hand.db makes its drift the State column's and the badge's, and the header's.
    dbs->setActive(QStringLiteral("hand"));
    QTRY_COMPARE(badge.state(), DriftBadge::State::Drift);
    QTRY_COMPARE(model.index(model.rowOfRevision(kMerge), RevisionModel::StateColumn).data(RevisionModel::DriftRole).toInt(), 1);
    QCOMPARE(badge.text(), QStringLiteral("Drift: 1 difference"));
    QCOMPARE(model.headerData(RevisionModel::StateColumn, Qt::Horizontal, RevisionModel::DriftRole).toInt(), 1);
    QTRY_VERIFY(!headerHit(QStringLiteral("hand")).isNull());
    QVERIFY(!headerMarks().first().drift); // alembic.ini, beside it, has none
    // The databases were only read.
    QCOMPARE(sum(hand), before);
}

// Typing the name clears "Give the connection a name."; Save must stay where the pointer is
// going (the first click on it used to miss as the form shrank under it).
void tst_Connections::dialogButtonsStayWhenTheProblemGoes()
{
    DatabaseConnection fresh;
    fresh.url = QStringLiteral("sqlite:///coffee.db");
    ConnectionDialog dialog(fresh);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *save = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
    QVERIFY(save);
    auto *name = dialog.findChild<QLineEdit *>();  // the first field: the name
    QVERIFY(name);
    name->clear();
    QCoreApplication::processEvents();
    QVERIFY(!save->isEnabled());
    const QPoint before = save->mapTo(&dialog, QPoint());
    const QSize dialogBefore = dialog.size();
    QTest::keyClicks(name, QStringLiteral("local"));
    QCoreApplication::processEvents();
    QVERIFY(save->isEnabled());
    QCOMPARE(save->mapTo(&dialog, QPoint()), before);
    QCOMPARE(dialog.size(), dialogBefore);
}

QTEST_MAIN(tst_Connections)
#include "tst_connections.moc"
