// The editor's "disk vs. editor" diff against GNU `diff -u` as the oracle: the same hunks,
// the same headers, removed lines before added ones.
#include "project/textdiff.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace retort::core;

namespace {

QString numbered(int from, int to, const QString &prefix = QStringLiteral("line "))
{
    QString s;
    for (int i = from; i <= to; ++i)
        s += prefix + QString::number(i) + QLatin1Char('\n');
    return s;
}

// `diff -u` of the two texts, without its two name lines.
QString gnuDiff(const QString &before, const QString &after)
{
    QTemporaryDir dir;
    for (const auto &[name, text] : {std::pair{QStringLiteral("a"), before}, std::pair{QStringLiteral("b"), after}}) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            return QStringLiteral("cannot write");
        f.write(text.toUtf8());
    }
    QProcess p;
    p.setWorkingDirectory(dir.path());
    p.start(QStringLiteral("diff"), {QStringLiteral("-u"), QStringLiteral("a"), QStringLiteral("b")});
    p.waitForFinished(30000);
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    return out.section(QLatin1Char('\n'), 2);
}

} // namespace

class tst_TextDiff : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void likeDiffU_data();
    void likeDiffU();
    void removedBeforeAdded();
    void equalTextsGiveNothing();
};

void tst_TextDiff::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("diff")).isEmpty())
        QSKIP("GNU diff is not installed");
}

void tst_TextDiff::likeDiffU_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    const QString ten = numbered(1, 10);
    QTest::newRow("one line changed") << ten << QString(ten).replace(QStringLiteral("line 5\n"), QStringLiteral("LINE five\n"));
    QTest::newRow("two lines become three")
        << ten << QString(ten).replace(QStringLiteral("line 4\nline 5\n"), QStringLiteral("four\nfive\nfive and a half\n"));
    QTest::newRow("added at the end") << ten << ten + QStringLiteral("# reviewed\n");
    QTest::newRow("removed at the start") << ten << numbered(3, 10);
    QTest::newRow("one line file") << QStringLiteral("a\n") << QStringLiteral("b\n");
    QTest::newRow("from empty") << QString() << QStringLiteral("x\ny\n");
    QTest::newRow("to empty") << QStringLiteral("x\ny\n") << QString();
    QTest::newRow("two hunks") << numbered(1, 30)
                               << QString(numbered(1, 30))
                                      .replace(QStringLiteral("line 3\n"), QStringLiteral("three\n"))
                                      .replace(QStringLiteral("line 25\n"), QStringLiteral("twenty-five\n"));
    QTest::newRow("hunks that touch") << numbered(1, 20)
                                      << QString(numbered(1, 20))
                                             .replace(QStringLiteral("line 5\n"), QStringLiteral("five\n"))
                                             .replace(QStringLiteral("line 11\n"), QStringLiteral("eleven\n"));
    QTest::newRow("no newline at the end, after") << ten << QString(ten).chopped(1);
    QTest::newRow("no newline at the end, both") << QStringLiteral("a\nb") << QStringLiteral("a\nc");
    QTest::newRow("migration edit") << QStringLiteral("def upgrade():\n    op.add_column('t', sa.Column('a', sa.Integer()))\n\n\n"
                                                      "def downgrade():\n    op.drop_column('t', 'a')\n# changed elsewhere\n")
                                    << QStringLiteral("def upgrade():\n    op.add_column('t', sa.Column('a', sa.Integer()))\n\n\n"
                                                      "def downgrade():\n    op.drop_column('t', 'a')\n\n# reviewed\n");
}

void tst_TextDiff::likeDiffU()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    const QString ours = unifiedDiff(before, after, QStringLiteral("a"), QStringLiteral("b"));
    QCOMPARE(ours.section(QLatin1Char('\n'), 0, 1), QStringLiteral("--- a\n+++ b"));
    QCOMPARE(ours.section(QLatin1Char('\n'), 2), gnuDiff(before, after));
}

void tst_TextDiff::removedBeforeAdded()
{
    const QString d = unifiedDiff(QStringLiteral("keep\nold\n"), QStringLiteral("keep\nnew\n"), QStringLiteral("disk"),
                                  QStringLiteral("editor"));
    QCOMPARE(d, QStringLiteral("--- disk\n+++ editor\n@@ -1,2 +1,2 @@\n keep\n-old\n+new\n"));
}

void tst_TextDiff::equalTextsGiveNothing()
{
    QCOMPARE(unifiedDiff(QStringLiteral("same\n"), QStringLiteral("same\n"), QStringLiteral("a"), QStringLiteral("b")), QString());
}

QTEST_GUILESS_MAIN(tst_TextDiff)
#include "tst_textdiff.moc"
