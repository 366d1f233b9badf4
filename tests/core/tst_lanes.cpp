// Graph lanes against text fixtures, like `git log --graph`.
#include "graph/lanes.h"
#include "maphelpers.h"

#include <QTest>

using namespace retort::core;

class tst_Lanes : public QObject
{
    Q_OBJECT
private slots:
    void ascii_data();
    void ascii();
    void invariants();
    void coloursSurviveNewRevisionsOnTop();
};

static QString render(const RevisionMap &map)
{
    const std::vector<LaneRow> rows = computeLanes(map, map.displayOrder());
    return renderAsciiGraph(map, rows, [&map](int r) { return QLatin1Char(' ') + map.at(r).id; });
}

void tst_Lanes::ascii_data()
{
    QTest::addColumn<QStringList>("spec");
    QTest::addColumn<QString>("expected");
    QTest::newRow("line") << QStringList{"a:", "b:a", "c:b"} << "* c\n* b\n* a\n";
    QTest::newRow("branch and merge") << QStringList{"a:", "b:a", "c:b", "d:b", "e:c,d"}
                                      << "* e\n|\\\n* | c\n| * d\n|/\n* b\n* a\n";
    QTest::newRow("two heads") << QStringList{"a:", "b:a", "c:a"} << "* c\n| * b\n|/\n* a\n";
    QTest::newRow("two bases") << QStringList{"a:", "x:", "m:a,x"} << "* m\n|\\\n* | a\n  * x\n";
    QTest::newRow("depends_on is dashed") << QStringList{"a:", "x:", "y:x::a"} << "* y\n|.\n* | x\n  * a\n";
}

void tst_Lanes::ascii()
{
    QFETCH(QStringList, spec);
    QFETCH(QString, expected);
    const RevisionMap map = mapFromSpec(spec);
    QVERIFY(map.isValid());
    QCOMPARE(render(map), expected);
}

void tst_Lanes::invariants()
{
    // A wider graph: every row's node lane is inside its width; every edge ends at a lane that
    // the next row continues (so painting never leaves a dangling line).
    QStringList spec{"r0:"};
    for (int i = 1; i < 60; ++i) {
        QString downs = QStringLiteral("r%1").arg(i - 1);
        if (i % 7 == 0)
            downs = QStringLiteral("r%1,r%2").arg(i - 1).arg(i - 5);
        else if (i % 5 == 0)
            downs = QStringLiteral("r%1").arg(i - 3);
        spec.append(QStringLiteral("r%1:%2").arg(i).arg(downs));
    }
    const RevisionMap map = mapFromSpec(spec);
    QVERIFY(map.isValid());
    const std::vector<int> order = map.displayOrder();
    const std::vector<LaneRow> rows = computeLanes(map, order);
    QCOMPARE(rows.size(), order.size());
    for (size_t i = 0; i + 1 < rows.size(); ++i) {
        QVERIFY(rows[i].column < rows[i].width);
        QSet<int> bottoms, tops;
        for (const LaneSegment &s : rows[i].segments)
            if (s.kind != LaneSegment::Kind::IntoNode)
                bottoms.insert(s.toColumn);
        for (const LaneSegment &s : rows[i + 1].segments)
            if (s.kind != LaneSegment::Kind::OutOfNode)
                tops.insert(s.fromColumn);
        QCOMPARE(tops, bottoms);
    }
}

void tst_Lanes::coloursSurviveNewRevisionsOnTop()
{
    // A reload after `alembic revision` (a new head) and a new branch on top: every revision
    // that was there keeps its lane colour.
    const QStringList before{"a:", "b:a", "c:b", "d:b", "e:c,d", "f:e", "g:a"};
    QStringList after = before;
    after << "h:f" << "i:h" << "j:c";
    auto colours = [](const QStringList &spec) {
        const RevisionMap map = mapFromSpec(spec);
        QHash<QString, int> out;
        for (const LaneRow &row : computeLanes(map, map.displayOrder()))
            out.insert(map.at(row.revision).id, row.color);
        return out;
    };
    const auto was = colours(before);
    const auto now = colours(after);
    for (auto it = was.cbegin(); it != was.cend(); ++it)
        QVERIFY2(now.value(it.key()) == it.value(), qPrintable(it.key()));
    // The side branch still differs from the main line.
    QVERIFY(now.value(QStringLiteral("d")) != now.value(QStringLiteral("c")));
}

QTEST_GUILESS_MAIN(tst_Lanes)
#include "tst_lanes.moc"
