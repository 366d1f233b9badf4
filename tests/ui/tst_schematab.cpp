// The details' Schema tab on its own, with real parts: a copy of the example with a revision
// whose downgrade forgets an index, the project read by the engine, Debian's Alembic
// replaying on a scratch SQLite file in the background.
#include "db/connection.h"
#include "db/sqlurl.h"
#include "project/projectconfig.h"
#include "project/scriptdirectory.h"
#include "schema/schemachangemodel.h"
#include "databases.h"
#include "schema/driftbadge.h"
#include "schema/schemadifftab.h"
#include "../integration/replayfixture.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QCryptographicHash>
#include <QPlainTextEdit>
#include <QSqlQuery>
#include <QHeaderView>
#include <QTableView>
#include <QTest>
#include <QWindow>

using namespace retort;
using namespace testsupport;

class tst_SchemaTab : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void showsUpgradeAndLeftovers();
    void driftBadge();
    void activeConnectionsXArguments();

private:
    QTemporaryDir m_home;
};

void tst_SchemaTab::initTestCase()
{
    // Settings and the diff cache of this run stay in a folder of its own.
    qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
    QSettings().setValue(QStringLiteral("run/alembic"), systemPython());
}

void tst_SchemaTab::showsUpgradeAndLeftovers()
{
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    QFile f(project + QStringLiteral("/alembic/versions/a11a11a11a11_index.py"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("\"\"\"index employee names\n\nRevision ID: a11a11a11a11\n\"\"\"\nfrom alembic import op\n\n"
            "revision = 'a11a11a11a11'\ndown_revision = '7f2e4c9b1d83'\nbranch_labels = None\ndepends_on = None\n\n\n"
            "def upgrade():\n    op.create_index('ix_employees_name_lookup', 'employees', ['name'])\n\n\n"
            "def downgrade():\n    pass\n");
    f.close();
    const auto shared = loadProject(project);
    QVERIFY(shared);

    ui::SchemaDiffTab tab;
    QAbstractItemModelTester tester(tab.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    tab.resize(800, 300);
    tab.setProject(shared);
    // Hidden: nothing is replayed.
    tab.setRevisions({QStringLiteral("a11a11a11a11")});
    QVERIFY(!tab.isComputing());
    QSignalSpy shown(&tab, &ui::SchemaDiffTab::diffShown);
    tab.show();
    QVERIFY(tab.isComputing());
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 120000);
    QCOMPARE(shown.first().first().toString(), QStringLiteral("a11a11a11a11"));
    QCOMPARE(tab.model()->rowCount(), 2);
    auto cell = [&](int row, int column) { return tab.model()->index(row, column).data().toString(); };
    QCOMPARE(cell(0, ui::SchemaChangeModel::StepColumn), QStringLiteral("upgrade"));
    QCOMPARE(cell(0, ui::SchemaChangeModel::ObjectColumn), QStringLiteral("+ index ix_employees_name_lookup on employees"));
    QCOMPARE(cell(0, ui::SchemaChangeModel::AfterColumn), QStringLiteral("(name)"));
    QCOMPARE(cell(1, ui::SchemaChangeModel::StepColumn), QStringLiteral("downgrade leaves"));
    QVERIFY2(tab.statusText().contains(QStringLiteral("a11a11a11a11: the upgrade makes 1 change. Its downgrade leaves 1 difference behind.")), qPrintable(tab.statusText()));

    // A revision whose round trip is clean, then back: the second answer is the cache's.
    tab.setRevisions({QStringLiteral("c5a8830e41f7")});
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, 120000);
    QCOMPARE(tab.model()->rowCount(), 1);
    QCOMPARE(cell(0, ui::SchemaChangeModel::ObjectColumn), QStringLiteral("~ column employees.password_hash (nullable)"));
    QCOMPARE(cell(0, ui::SchemaChangeModel::BeforeColumn), QStringLiteral("nullable"));
    QCOMPARE(cell(0, ui::SchemaChangeModel::AfterColumn), QStringLiteral("not null"));
    QVERIFY(tab.statusText().contains(QStringLiteral("Its downgrade restores the schema.")));
    // The pane at 1024x700 is ~400 px: Before and After still fit their values; wide, the
    // Change column (the one people read) takes the room and is not elided either.
    auto *view = tab.findChild<QTableView *>();
    QVERIFY(view);
    const auto fits = [view](int column) {
        return view->horizontalHeader()->sectionSize(column) >= static_cast<QAbstractItemView *>(view)->sizeHintForColumn(column);
    };
    tab.resize(400, 300);
    QTRY_VERIFY(fits(ui::SchemaChangeModel::BeforeColumn) && fits(ui::SchemaChangeModel::AfterColumn));
    tab.resize(1000, 300);
    QTRY_VERIFY(fits(ui::SchemaChangeModel::ObjectColumn));
    QVERIFY(fits(ui::SchemaChangeModel::BeforeColumn) && fits(ui::SchemaChangeModel::AfterColumn));
    tab.resize(800, 300);
    tab.setRevisions({QStringLiteral("a11a11a11a11")});
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 3, 60000);
    QVERIFY2(tab.statusText().contains(QStringLiteral("cached")), qPrintable(tab.statusText()));

    // Two revisions selected: nothing to show, and a stale answer never lands.
    tab.setRevisions({QStringLiteral("c5a8830e41f7"), QStringLiteral("a11a11a11a11")});
    QCOMPARE(tab.model()->rowCount(), 0);
    QVERIFY(tab.statusText().startsWith(QStringLiteral("Select one revision")));
}

void tst_SchemaTab::driftBadge()
{
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    QCOMPARE(alembic(project, {QStringLiteral("upgrade"), QStringLiteral("heads")}).exitCode, 0);
    const auto shared = loadProject(project);
    QVERIFY(shared);
    const QString db = project + QStringLiteral("/coffee.db");

    // The badge is a view of the project's databases: a SQLite one is checked by itself.
    ui::Databases databases;
    ui::DriftBadge badge(&databases);
    QSignalSpy checked(&badge, &ui::DriftBadge::checked);
    badge.show();
    databases.setProject(shared);
    databases.refresh();
    QTRY_COMPARE(badge.state(), ui::DriftBadge::State::Checking);
    QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, 120000);
    QCOMPARE(badge.state(), ui::DriftBadge::State::NoDrift);
    QCOMPARE(badge.text(), QStringLiteral("No drift"));

    {
        auto c = core::ScopedConnection::open(*core::SqlUrl::parse(QStringLiteral("sqlite:///") + db), QString(), {}, 5, false);
        QVERIFY(c);
        QSqlQuery q(c->database());
        QVERIFY(q.exec(QStringLiteral("ALTER TABLE employees ADD COLUMN nickname TEXT")));
    }
    QFile file(db);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
    file.close();
    // Same files, same position: only a refresh a person asks for checks again.
    databases.refresh(true);
    QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 2, 120000);
    QCOMPARE(badge.state(), ui::DriftBadge::State::Drift);
    QCOMPARE(badge.text(), QStringLiteral("Drift: 1 difference"));
    // A click shows the differences, named.
    QTest::mouseClick(&badge, Qt::LeftButton);
    QVERIFY(badge.detailsView() && badge.detailsView()->isVisible());
    // A window of its own, parented to the badge's window.
    QVERIFY(badge.detailsView()->isWindow());
    QCOMPARE(badge.detailsView()->parentWidget(), badge.window());
    QCOMPARE(badge.detailsView()->windowType(), Qt::Dialog);
    QVERIFY(badge.detailsView()->windowHandle());
    QCOMPARE(badge.detailsView()->windowHandle()->transientParent(), badge.window()->windowHandle());
    const QString details = badge.detailsView()->toPlainText();
    QVERIFY2(details.contains(QStringLiteral("+ column employees.nickname TEXT")), qPrintable(details));
    QVERIFY(details.contains(QStringLiteral("Made outside the migrations: column employees.nickname.")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256), before);
}

void tst_SchemaTab::activeConnectionsXArguments()
{
    // An env.py that refuses to run without -x tenant=NAME: the Schema tab's replay and the
    // drift check run it with the active connection's -x arguments, and other arguments
    // (another schema) are asked again.
    QTemporaryDir tmp;
    const QString project = copyExample(tmp);
    QVERIFY(writeTenantProject(project));
    QCOMPARE(alembic(project, {QStringLiteral("-x"), QStringLiteral("tenant=acme"), QStringLiteral("upgrade"), QStringLiteral("heads")}).exitCode, 0);
    const QString db = project + QStringLiteral("/coffee.db");
    QFile file(db);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
    file.close();
    const auto shared = loadProject(project);
    QVERIFY(shared);

    ui::Databases databases;
    databases.setProject(shared);
    const QString ini = databases.active();
    QVERIFY(!ini.isEmpty());
    QCOMPARE(databases.edit(ini, {QString(), QString(), {QStringLiteral("tenant=acme")}, false, false}), QString());

    ui::SchemaDiffTab tab;
    tab.followDatabases(&databases);
    tab.setProject(shared);
    tab.setRevisions({QStringLiteral("ab12ab12ab12")});
    QSignalSpy shown(&tab, &ui::SchemaDiffTab::diffShown);
    tab.resize(800, 300);
    tab.show();
    QTRY_VERIFY2_WITH_TIMEOUT(shown.count() == 1, qPrintable(tab.statusText()), 120000);
    auto object = [&] { return tab.model()->index(0, ui::SchemaChangeModel::ObjectColumn).data().toString(); };
    QCOMPARE(tab.model()->rowCount(), 1);
    QCOMPARE(object(), QStringLiteral("+ table acme_ledger"));
    QVERIFY2(tab.statusText().contains(QStringLiteral("Its downgrade restores the schema.")), qPrintable(tab.statusText()));

    databases.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(databases.status(ini).drift.state, ui::DriftResult::State::NoDrift, 120000);

    // Other -x arguments: the tab shows their table, and the database (made with acme) drifted.
    QCOMPARE(databases.edit(ini, {QString(), QString(), {QStringLiteral("tenant=beta")}, false, false}), QString());
    QTRY_VERIFY2_WITH_TIMEOUT(shown.count() == 2, qPrintable(tab.statusText()), 120000);
    QCOMPARE(object(), QStringLiteral("+ table beta_ledger"));
    QTRY_COMPARE_WITH_TIMEOUT(databases.status(ini).drift.state, ui::DriftResult::State::Drift, 120000);
    const ui::DriftResult &d = databases.status(ini).drift;
    QCOMPARE(d.differences, 2);
    QCOMPARE(d.handMade, QStringList{QStringLiteral("table acme_ledger")});
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256), before);
}

QTEST_MAIN(tst_SchemaTab)
#include "tst_schematab.moc"
