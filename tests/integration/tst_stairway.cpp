// The stairway test on a project with one deliberately broken downgrade among good ones:
// exactly that revision fails, with the schema difference; the scratch database goes away.
#include "cli/commands.h"
#include "run/stairway.h"
#include "testsupport.h"

#include <QTest>

using namespace retort::core;
using namespace testsupport;

class tst_Stairway : public QObject
{
    Q_OBJECT
private slots:
    void sqlite();
    void postgres();

private:
    static QString projectWithBrokenDowngrade(const QTemporaryDir &tmp);
    static void checkResults(const QList<StairwayStep> &steps);
};

QString tst_Stairway::projectWithBrokenDowngrade(const QTemporaryDir &tmp)
{
    const QString project = copyExample(tmp);
    // After the merge: a column whose downgrade forgets to drop it, then a good revision.
    QFile bad(project + QStringLiteral("/alembic/versions/d00d00d00d01_add_employee_nickname.py"));
    bad.open(QIODevice::WriteOnly);
    bad.write("\"\"\"add employees.nickname\n\nRevision ID: d00d00d00d01\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
              "revision = 'd00d00d00d01'\ndown_revision = '7f2e4c9b1d83'\nbranch_labels = None\ndepends_on = None\n\n\n"
              "def upgrade():\n    op.add_column('employees', sa.Column('nickname', sa.String(40)))\n    "
              "op.create_index('ix_employees_nickname', 'employees', ['nickname'])\n\n\n"
              "def downgrade():\n    op.drop_index('ix_employees_nickname', table_name='employees')\n");
    bad.close();
    QFile good(project + QStringLiteral("/alembic/versions/e00e00e00e02_add_customer_points.py"));
    good.open(QIODevice::WriteOnly);
    good.write("\"\"\"add customers.points\n\nRevision ID: e00e00e00e02\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
               "revision = 'e00e00e00e02'\ndown_revision = 'd00d00d00d01'\nbranch_labels = None\ndepends_on = None\n\n\n"
               "def upgrade():\n    op.add_column('customers', sa.Column('points', sa.Integer(), server_default='0', nullable=False))\n\n\n"
               "def downgrade():\n    with op.batch_alter_table('customers') as batch_op:\n        batch_op.drop_column('points')\n");
    good.close();
    return project;
}

void tst_Stairway::checkResults(const QList<StairwayStep> &steps)
{
    QCOMPARE(steps.size(), 10);
    QStringList failed;
    for (const StairwayStep &st : steps) {
        if (st.status == StairwayStep::Status::Failed)
            failed.append(st.revision);
        else
            QVERIFY2(st.status == StairwayStep::Status::Passed, qPrintable(st.revision + QStringLiteral(": ") + st.reason + QLatin1Char('\n') + st.log));
    }
    QCOMPARE(failed, QStringList{QStringLiteral("d00d00d00d01")});
    const StairwayStep &bad = *std::find_if(steps.begin(), steps.end(), [](const StairwayStep &s) { return s.revision == QLatin1String("d00d00d00d01"); });
    QCOMPARE(bad.reason, QStringLiteral("downgrade did not restore the schema"));
    // The difference names what the downgrade left behind: the column.
    QVERIFY2(bad.diff.contains(QStringLiteral("+ column employees.nickname ")), qPrintable(bad.diff));
    QVERIFY(!bad.diff.contains(QStringLiteral("ix_employees_nickname")));
}

void tst_Stairway::sqlite()
{
    QTemporaryDir tmp;
    const QString project = projectWithBrokenDowngrade(tmp);
    auto cfg = ProjectConfig::open(project);
    QVERIFY(cfg);
    auto loaded = ScriptDirectory::load(*cfg);
    QVERIFY(loaded);
    auto alembic = AlembicLocator::locate(project, systemPython());
    QVERIFY2(alembic, alembic ? "" : qPrintable(alembic.error().message));
    Stairway stairway(*loaded, *alembic);
    int progressCalls = 0;
    stairway.setProgress([&](int, int, const QString &) { ++progressCalls; });
    auto steps = stairway.run();
    QVERIFY2(steps, steps ? "" : qPrintable(steps.error().message));
    checkResults(*steps);
    QCOMPARE(progressCalls, 11);
    // The project's own database was never touched, and the scratch file is gone.
    QVERIFY(!QFile::exists(project + QStringLiteral("/coffee.db")));
    const QString scratch = stairway.scratchDescription().section(QLatin1Char(' '), -1);
    QVERIFY(scratch.endsWith(QStringLiteral("stairway.db")));
    QVERIFY(!QFile::exists(scratch));

    // The command line: exit 1, the failing revision and its diff.
    const auto out = CommandLine::run({QStringLiteral("stairway"), QStringLiteral("--alembic"), systemPython()}, project);
    QCOMPARE(out.exitCode, 1);
    const QString text = QString::fromStdString(out.out);
    QVERIFY(text.contains(QStringLiteral("FAIL  d00d00d00d01  add employees.nickname  (downgrade did not restore the schema)")));
    QVERIFY(text.contains(QStringLiteral("pass  e00e00e00e02")));
    QVERIFY(text.contains(QStringLiteral("10 revisions, 1 failed")));
}

void tst_Stairway::postgres()
{
    PostgresServer pg;
    QVERIFY2(pg.isRunning(), qPrintable(pg.error()));
    QTemporaryDir tmp;
    const QString project = projectWithBrokenDowngrade(tmp);
    auto cfg = ProjectConfig::open(project);
    QVERIFY(cfg);
    auto loaded = ScriptDirectory::load(*cfg);
    QVERIFY(loaded);
    auto alembic = AlembicLocator::locate(project, systemPython());
    QVERIFY(alembic);
    Stairway stairway(*loaded, *alembic);
    stairway.setBaseUrl(pg.url(QStringLiteral("postgres")));
    auto steps = stairway.run();
    QVERIFY2(steps, steps ? "" : qPrintable(steps.error().message));
    checkResults(*steps);
    // The scratch database was dropped.
    const RunResult dbs = pg.psql(QStringLiteral("SELECT datname FROM pg_database"));
    QVERIFY(!dbs.out.contains(QStringLiteral("retort_stairway")));
    QVERIFY(!stairway.scratchDescription().contains(QString::fromLatin1(PostgresServer::Password)));
}

QTEST_GUILESS_MAIN(tst_Stairway)
#include "tst_stairway.moc"
