// stampResult() against the oracle: the real Alembic stamps a real SQLite database set to
// the same heads, and the version table rows it leaves must be the rows we computed.
#include "../integration/testsupport.h"
#include "maphelpers.h"
#include "graph/stampresult.h"
#include "project/scriptdirectory.h"

#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace retort::core;

class tst_StampResult : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void matchesAlembic_data();
    void matchesAlembic();
    void stampingOneBranchKeepsTheOther();
    void failsWhereAlembicFails_data();
    void failsWhereAlembicFails();

private:
    QTemporaryDir m_tmp;
    QString m_project;
    std::optional<Project> m_loaded;
};

namespace {

QStringList rows(const QString &dbPath)
{
    QStringList out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("rows"));
        db.setDatabaseName(dbPath);
        if (db.open()) {
            QSqlQuery q(QStringLiteral("SELECT version_num FROM alembic_version"), db);
            while (q.next())
                out.append(q.value(0).toString());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("rows"));
    out.sort();
    return out;
}

bool setRows(const QString &dbPath, const QStringList &heads)
{
    QFile::remove(dbPath);
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("set"));
        db.setDatabaseName(dbPath);
        ok = db.open();
        QSqlQuery q(db);
        ok = ok && q.exec(QStringLiteral("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"));
        for (const QString &h : heads)
            ok = ok && q.exec(QStringLiteral("INSERT INTO alembic_version VALUES ('%1')").arg(h));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("set"));
    return ok;
}

} // namespace

void tst_StampResult::initTestCase()
{
    m_project = testsupport::copyExample(m_tmp);
    QVERIFY(!m_project.isEmpty());
    auto cfg = ProjectConfig::open(m_project);
    QVERIFY(cfg);
    auto p = ScriptDirectory::load(*cfg);
    QVERIFY(p);
    m_loaded = *p;
}

void tst_StampResult::matchesAlembic_data()
{
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("purge");
    const QString orders = QStringLiteral("4b6d9e2f8a01"), menu = QStringLiteral("9a3c5f71e8d6"),
                  merge = QStringLiteral("7f2e4c9b1d83"), branch = QStringLiteral("1e0b7a66d2c4"),
                  fill = QStringLiteral("c5a8830e41f7");
    QTest::newRow("base to a revision") << QStringList{} << menu << false;
    QTest::newRow("a sibling branch is added") << QStringList{orders} << menu << false;
    QTest::newRow("sibling, other way") << QStringList{menu} << orders << false;
    QTest::newRow("both heads to the merge") << QStringList{orders, menu} << merge << false;
    QTest::newRow("both heads to heads") << QStringList{orders, menu} << QStringLiteral("heads") << false;
    QTest::newRow("merge down to one parent") << QStringList{merge} << orders << false;
    QTest::newRow("down to an ancestor") << QStringList{orders} << fill << false;
    QTest::newRow("up the branch") << QStringList{branch} << orders << false;
    QTest::newRow("both heads down to the branch point") << QStringList{orders, menu} << branch << false;
    QTest::newRow("both heads to base") << QStringList{orders, menu} << QStringLiteral("base") << false;
    QTest::newRow("prefix") << QStringList{orders} << QStringLiteral("9a3c") << false;
    QTest::newRow("label@head") << QStringList{orders} << QStringLiteral("menu@head") << false;
    QTest::newRow("already there") << QStringList{orders} << orders << false;
    QTest::newRow("purge") << QStringList{orders} << menu << true;
}

void tst_StampResult::matchesAlembic()
{
    QFETCH(QStringList, current);
    QFETCH(QString, target);
    QFETCH(bool, purge);
    const auto ours = stampResult(m_loaded->map, target, current, purge);
    QVERIFY2(ours, qPrintable(ours ? QString() : ours.error().message));
    const QString db = m_project + QStringLiteral("/coffee.db");
    QVERIFY(setRows(db, current));
    QProcess alembic;
    alembic.setWorkingDirectory(m_project);
    QStringList args{QStringLiteral("-m"), QStringLiteral("alembic"), QStringLiteral("stamp"), target};
    if (purge)
        args << QStringLiteral("--purge");
    alembic.start(qEnvironmentVariable("RETORT_PYTHON", QStringLiteral("python3")), args);
    QVERIFY(alembic.waitForFinished(60000));
    QVERIFY2(alembic.exitCode() == 0, alembic.readAllStandardError().constData());
    QStringList computed = ours->rows;
    computed.sort();
    QCOMPARE(computed, rows(db));
}

void tst_StampResult::stampingOneBranchKeepsTheOther()
{
    // The case the old confirmation got wrong: "the database will be at X" — but X's
    // sibling head stays, two rows.
    const auto r = stampResult(m_loaded->map, QStringLiteral("9a3c5f71e8d6"), {QStringLiteral("4b6d9e2f8a01")});
    QVERIFY(r);
    QCOMPARE(r->rows, (QStringList{QStringLiteral("4b6d9e2f8a01"), QStringLiteral("9a3c5f71e8d6")}));
    QCOMPARE(r->inserted, QStringList{QStringLiteral("9a3c5f71e8d6")});
    QVERIFY(r->deleted.isEmpty());
    const auto none = stampResult(m_loaded->map, QStringLiteral("nosuch"), {});
    QVERIFY(!none);
}

// Where `alembic stamp` fails: its own texts for a CommandError, and the assertion or KeyError
// that escapes HeadMaintainer (the oracle's stamps on generated graphs found these).
void tst_StampResult::failsWhereAlembicFails_data()
{
    QTest::addColumn<QStringList>("spec");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<QString>("message");    // a CommandError's text, or empty
    QTest::addColumn<QString>("exception");  // what escapes Alembic otherwise
    QTest::newRow("head of two") << QStringList{"a:", "b:a", "c:a"} << "head" << QStringList{}
                                 << "Multiple heads are present; please specify a single target revision" << "";
    QTest::newRow("label@head of two") << QStringList{"a::la", "b:a", "c:a"} << "la@head" << QStringList{"b"}
                                       << "Multiple heads are present; please specify a single target revision" << "";
    QTest::newRow("unknown row") << QStringList{"a:", "b:a"} << "b" << QStringList{"zz"}
                                 << "Can't locate revision identified by 'zz'" << "";
    QTest::newRow("rows above and below") << QStringList{"a:", "b:a", "c:b"} << "b" << QStringList{"a", "c"} << ""
                                          << "AssertionError";
    QTest::newRow("empty target") << QStringList{"a:", "b:a"} << "" << QStringList{"a"} << "" << "AssertionError";
}

void tst_StampResult::failsWhereAlembicFails()
{
    QFETCH(QStringList, spec);
    QFETCH(QString, target);
    QFETCH(QStringList, current);
    QFETCH(QString, message);
    QFETCH(QString, exception);
    const RevisionMap map = mapFromSpec(spec);
    QVERIFY(map.isValid());
    const auto r = stampResult(map, target, current);
    QVERIFY2(!r, qPrintable(r ? r->rows.join(QLatin1Char(',')) : QString()));
    if (!message.isEmpty())
        QCOMPARE(r.error().message, message);
    QCOMPARE(r.error().exception, exception);
}

QTEST_GUILESS_MAIN(tst_StampResult)
#include "tst_stampresult.moc"
