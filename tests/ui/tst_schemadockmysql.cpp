// The schema dock on a MySQL project (a throwaway MariaDB): the tree, the CREATE statement
// one keystroke from a selected table. (What a failed step left is the Run dock's: tst_runcontroller.)
#include "../integration/mariadbserver.h"
#include "../integration/replayfixture.h"
#include "inspector/schemadock.h"
#include "project/scriptdirectory.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>
#include <QTreeView>

using namespace retort;
using namespace testsupport;

class tst_SchemaDockMysql : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void treeAndCreateStatement();

private:
    std::shared_ptr<const core::Project> project(const QString &database, const QByteArray &extraRevision = {});
    std::unique_ptr<MariaDbServer> m_server;
    QTemporaryDir m_tmp;
};

void tst_SchemaDockMysql::initTestCase()
{
    m_server = std::make_unique<MariaDbServer>();
    QVERIFY2(m_server->isRunning(), qPrintable(m_server->error()));
    QCOMPARE(m_server->sql(QStringLiteral("CREATE DATABASE shop; CREATE DATABASE halfway")).exitCode, 0);
    const RunResult r = m_server->source(QStringLiteral(RETORT_SOURCE_DIR "/tests/data/mysql/schema.sql"), QStringLiteral("shop"));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
}

void tst_SchemaDockMysql::cleanupTestCase()
{
    m_server.reset();
}

std::shared_ptr<const core::Project> tst_SchemaDockMysql::project(const QString &database, const QByteArray &extraRevision)
{
    const QString dir = m_tmp.filePath(database);
    if (!copyTree(QStringLiteral(RETORT_SOURCE_DIR "/examples/coffee-shop"), dir))
        return {};
    QFile ini(dir + QStringLiteral("/alembic.ini"));
    ini.open(QIODevice::ReadOnly);
    QString text = QString::fromUtf8(ini.readAll());
    ini.close();
    text.replace(QRegularExpression(QStringLiteral("sqlalchemy.url = .*")), QStringLiteral("sqlalchemy.url = ") + m_server->url(database));
    ini.open(QIODevice::WriteOnly | QIODevice::Truncate);
    ini.write(text.toUtf8());
    ini.close();
    if (!extraRevision.isEmpty()) {
        QFile f(dir + QStringLiteral("/alembic/versions/f00f00f00f03_loyalty.py"));
        f.open(QIODevice::WriteOnly);
        f.write(extraRevision);
    }
    return loadProject(dir);
}

void tst_SchemaDockMysql::treeAndCreateStatement()
{
    ui::SchemaDock dock;
    dock.resize(600, 700);
    dock.show();
    QSignalSpy loaded(&dock, &ui::SchemaDock::objectsLoaded);
    auto p = project(QStringLiteral("shop"));
    QVERIFY(p);
    dock.setProject(p);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 20000);
    QVERIFY2(dock.isConnected(), qPrintable(dock.statusLabel()->text()));
    QVERIFY(dock.statusLabel()->text().contains(QStringLiteral("mysql+pymysql://retort:XXXXX@127.0.0.1")));
    QCOMPARE(loaded.first().first().toInt(), 7); // tables, views, the sequence of the shop database

    // Select customers in the tree: its \d; then Ctrl+Shift+D: the server's SHOW CREATE text.
    auto *proxy = qobject_cast<QSortFilterProxyModel *>(dock.tree()->model());
    const QModelIndexList hits = proxy->match(proxy->index(0, 0), Qt::DisplayRole, QStringLiteral("customers"), 1,
                                              Qt::MatchRecursive | Qt::MatchExactly);
    QCOMPARE(hits.size(), 1);
    QSignalSpy answered(&dock, &ui::SchemaDock::commandAnswered);
    dock.tree()->setFocus();
    dock.tree()->setCurrentIndex(hits.first());
    QTRY_VERIFY(dock.output()->toPlainText().startsWith(QStringLiteral("                                                          Table \"shop.customers\"")));
    QTest::keyClick(dock.tree(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    const QString expected = m_server->sql(QStringLiteral("SHOW CREATE TABLE customers"), QStringLiteral("shop")).out.section(QLatin1Char('\t'), 1);
    QTRY_COMPARE(dock.output()->toPlainText(), expected.chopped(1) + QStringLiteral(";\n"));
    QVERIFY(dock.tree()->actions().contains(dock.showCreateAction()));
}

QTEST_MAIN(tst_SchemaDockMysql)
#include "tst_schemadockmysql.moc"
