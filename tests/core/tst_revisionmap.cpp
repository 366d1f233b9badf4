// The revision map: structure, errors with file and line, targets and plans.
// (Hundreds more cases run against Alembic itself in tst_differential.)
#include "maphelpers.h"

#include <QTest>

using namespace retort::core;

class tst_RevisionMap : public QObject
{
    Q_OBJECT
private slots:
    void structure();
    void labelsPropagate();
    void dependsOn();
    void errors_data();
    void errors();
    void labelAsDownRevision_data();
    void labelAsDownRevision();
    void targets_data();
    void targets();
    void plans_data();
    void plans();
    void displayOrderIsTopological();
    void planNeedsTheFunctions();
};

// a - b - c - e (merge) - f
//      \- d -/
static const QStringList kDiamond = {"a:", "b:a", "c:b", "d:b:feature", "e:c,d", "f:e"};

void tst_RevisionMap::structure()
{
    const RevisionMap map = mapFromSpec(kDiamond);
    QVERIFY(map.isValid());
    QCOMPARE(ids(map, map.heads()), QStringList{"f"});
    QCOMPARE(ids(map, map.bases()), QStringList{"a"});
    QVERIFY(map.at(map.indexOf("b")).isBranchPoint());
    QVERIFY(map.at(map.indexOf("e")).isMergePoint());
    QCOMPARE(ids(map, map.at(map.indexOf("b")).next), (QStringList{"c", "d"}));
    auto history = map.walkRevisions();
    QVERIFY(history.isOk());
    QCOMPARE(ids(map, *history), (QStringList{"f", "e", "c", "d", "b", "a"}));
}

void tst_RevisionMap::labelsPropagate()
{
    const RevisionMap map = mapFromSpec(kDiamond);
    // d's label reaches its descendants; below it the walk stops at the branch point b.
    QCOMPARE(map.at(map.indexOf("d")).branchLabels, QStringList{"feature"});
    QCOMPARE(map.at(map.indexOf("f")).branchLabels, QStringList{"feature"});
    QVERIFY(map.at(map.indexOf("b")).branchLabels.isEmpty());
    // On a straight line a label also travels down to the base.
    const RevisionMap line = mapFromSpec({"a:", "b:a", "c:b:lbl", "d:c"});
    QCOMPARE(line.at(line.indexOf("a")).branchLabels, QStringList{"lbl"});
    QCOMPARE(line.at(line.indexOf("d")).branchLabels, QStringList{"lbl"});
}

void tst_RevisionMap::dependsOn()
{
    // Two bases; y2 depends on x1 (by label), which makes x1 no longer a "real" head.
    const RevisionMap map = mapFromSpec({"x1::xs", "y1:", "y2:y1::xs"});
    QVERIFY(map.isValid());
    QCOMPARE(ids(map, map.heads()), (QStringList{"x1", "y2"}));
    QCOMPARE(ids(map, map.realHeads()), QStringList{"y2"});
    QVERIFY(map.at(map.indexOf("x1")).isHead());
    QVERIFY(!map.at(map.indexOf("x1")).isRealHead());
    auto plan = map.upgradePlan(QStringLiteral("y2"), {});
    QVERIFY(plan.isOk());
    QStringList steps;
    for (const PlanStep &s : *plan)
        steps.append(s.text());
    QCOMPARE(steps, (QStringList{"upgrade  -> x1, message of x1", "upgrade  -> y1, message of y1",
                                 "upgrade y1 -> y2, message of y2"}));
}

void tst_RevisionMap::errors_data()
{
    QTest::addColumn<QStringList>("spec");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    QTest::newRow("missing parent") << QStringList{"a:", "b:zzz"}
                                    << "Revision b (/p/versions/b_x.py:2) names down_revision 'zzz', which no file defines."
                                    << 2;
    QTest::newRow("cycle") << QStringList{"a:", "b:a,d", "c:b", "d:c"} << "Cycle is detected in revisions (a, b, c, d)" << 0;
    QTest::newRow("all in a cycle") << QStringList{"a:b", "b:a"} << "Cycle is detected in revisions (a, b)" << 0;
    QTest::newRow("self loop") << QStringList{"a:a"} << "Self-loop is detected in revisions (a)" << 2;
    QTest::newRow("label clash") << QStringList{"a::x", "b:a:x"} << "Branch name 'x' in revision b already used by revision a" << 3;
    QTest::newRow("label is an id") << QStringList{"a:", "b:a:a"} << "Branch name 'a' in revision b already used by revision a" << 3;
    QTest::newRow("bad character") << QStringList{"a-1:"} << "Character(s) '-' not allowed in revision identifier 'a-1'" << 1;
    QTest::newRow("missing dependency") << QStringList{"a:", "b:a::nope"}
                                        << "Revision b (/p/versions/b_x.py:4) depends on 'nope', which no revision or "
                                           "branch label in this project defines."
                                        << 4;
}

void tst_RevisionMap::errors()
{
    QFETCH(QStringList, spec);
    QFETCH(QString, message);
    QFETCH(int, line);
    const RevisionMap map = mapFromSpec(spec);
    QVERIFY(!map.isValid());
    QCOMPARE(map.loadError().message, message);
    if (line > 0)
        QCOMPARE(map.loadError().line, line);
    QVERIFY(!map.loadError().file.isEmpty());
    QVERIFY(!map.diagnostics().isEmpty());
}

// A down_revision naming a branch label: Alembic's map links the label's revision below, then
// fails in whichever walk meets it first (the hunt's "refs" shapes, against Alembic 1.13.2).
void tst_RevisionMap::labelAsDownRevision_data()
{
    QTest::addColumn<QStringList>("spec");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("exception");
    QTest::newRow("another's label") << QStringList{"a::la", "b:la"}
                                     << "Revision b (/p/versions/b_x.py:2) names down_revision 'la', a branch label; a "
                                        "down_revision must be a revision id."
                                     << "KeyError";
    QTest::newRow("its own label") << QStringList{"a:", "b:lb:lb"} << "Cycle is detected in revisions (b)" << "CycleDetected";
    QTest::newRow("a descendant's label") << QStringList{"a:lc", "b:a", "c:b:lc"} << "Cycle is detected in revisions (a, b, c)"
                                          << "CycleDetected";
    QTest::newRow("a dependency above it") << QStringList{"a::la", "b:la", "c:b::a"}
                                           << "Dependency resolution failed; broken map" << "RevisionError";
    QTest::newRow("its own dependency") << QStringList{"a::la", "c:", "b:la::c"} << "Dependency resolution failed; broken map"
                                        << "RevisionError";
    QTest::newRow("a missing parent first") << QStringList{"a::la", "b:la", "c:gone"}
                                            << "Revision c (/p/versions/c_x.py:2) names down_revision 'gone', which no file "
                                               "defines."
                                            << "KeyError";
}

void tst_RevisionMap::labelAsDownRevision()
{
    QFETCH(QStringList, spec);
    QFETCH(QString, message);
    QFETCH(QString, exception);
    const RevisionMap map = mapFromSpec(spec);
    QVERIFY(!map.isValid());
    QCOMPARE(map.loadError().message, message);
    QCOMPARE(map.loadError().exception, exception);
}

void tst_RevisionMap::targets_data()
{
    QTest::addColumn<QStringList>("spec");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("error");
    const QStringList twoHeads = {"aaaa1111:", "aaaa2222:aaaa1111", "bbbb3333:aaaa1111:side", "cccc4444:aaaa2222"};
    QTest::newRow("full id") << twoHeads << "aaaa2222" << QStringList{"aaaa2222"} << "";
    QTest::newRow("prefix") << twoHeads << "bbb" << QStringList{"bbbb3333"} << "";
    QTest::newRow("ambiguous prefix") << twoHeads << "aaaa" << QStringList{}
                                      << "Can't locate revision identified by 'aaaa'";
    QTest::newRow("unknown") << twoHeads << "zz" << QStringList{} << "Can't locate revision identified by 'zz'";
    QTest::newRow("heads") << twoHeads << "heads" << QStringList{"bbbb3333", "cccc4444"} << "";
    QTest::newRow("head with two heads") << twoHeads << "head" << QStringList{}
                                         << "Multiple head revisions are present for given argument 'head'; please specify "
                                            "a specific target revision, '<branchname>@head' to narrow to a specific head, "
                                            "or 'heads' for all heads";
    QTest::newRow("label") << twoHeads << "side" << QStringList{"bbbb3333"} << "";
    QTest::newRow("label@head") << twoHeads << "side@head" << QStringList{"bbbb3333"} << "";
    QTest::newRow("rev@head") << twoHeads << "cccc4444@head" << QStringList{"cccc4444"} << "";
    QTest::newRow("unknown branch") << twoHeads << "nope@head" << QStringList{} << "Can't locate revision identified by 'nope'";
    QTest::newRow("base") << twoHeads << "base" << QStringList{} << "";
    QTest::newRow("-1 from every head") << twoHeads << "-1" << QStringList{"aaaa1111", "aaaa2222"} << "";
    QTest::newRow("label@-1") << twoHeads << "side@-1" << QStringList{"aaaa1111"} << "";
}

void tst_RevisionMap::targets()
{
    QFETCH(QStringList, spec);
    QFETCH(QString, target);
    QFETCH(QStringList, expected);
    QFETCH(QString, error);
    const RevisionMap map = mapFromSpec(spec);
    QVERIFY(map.isValid());
    auto r = map.resolve(target);
    if (!error.isEmpty()) {
        QVERIFY(!r.isOk());
        QCOMPARE(r.error().message, error);
        return;
    }
    QVERIFY2(r.isOk(), r.isOk() ? "" : qPrintable(r.error().message));
    QCOMPARE(ids(map, *r), expected);
}

void tst_RevisionMap::plans_data()
{
    QTest::addColumn<QStringList>("spec");
    QTest::addColumn<bool>("upgrade");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<QStringList>("steps");
    QTest::newRow("upgrade head from base") << kDiamond << true << "head" << QStringList{}
                                            << QStringList{"a", "b", "d", "c", "e", "f"};
    QTest::newRow("upgrade +1") << kDiamond << true << "+1" << QStringList{"a"} << QStringList{"b"};
    QTest::newRow("upgrade +2 through a branch point is ambiguous") << kDiamond << true << "+2" << QStringList{"a"}
                                                                    << QStringList{"!Ambiguous walk"};
    QTest::newRow("upgrade one branch") << kDiamond << true << "feature@head" << QStringList{"c"}
                                        << QStringList{"d", "e", "f"};
    QTest::newRow("downgrade -1 from merge") << kDiamond << false << "-1" << QStringList{"f"} << QStringList{"f"};
    QTest::newRow("downgrade to branch point") << kDiamond << false << "b" << QStringList{"f"}
                                               << QStringList{"f", "e", "c", "d"};
    QTest::newRow("downgrade base") << kDiamond << false << "base" << QStringList{"c", "d"}
                                    << QStringList{"c", "d", "b", "a"};
    QTest::newRow("downgrade one branch of two heads") << kDiamond << false << "d@-1" << QStringList{"c", "d"}
                                                       << QStringList{"d"};
    QTest::newRow("already applied") << kDiamond << true << "c" << QStringList{"f"} << QStringList{};
    QTest::newRow("unknown target") << kDiamond << true << "zz" << QStringList{}
                                    << QStringList{"!Can't locate revision identified by 'zz'"};
}

void tst_RevisionMap::plans()
{
    QFETCH(QStringList, spec);
    QFETCH(bool, upgrade);
    QFETCH(QString, target);
    QFETCH(QStringList, current);
    QFETCH(QStringList, steps);
    const RevisionMap map = mapFromSpec(spec);
    auto plan = upgrade ? map.upgradePlan(target, current) : map.downgradePlan(target, current);
    if (steps.size() == 1 && steps.first().startsWith(QLatin1Char('!'))) {
        QVERIFY(!plan.isOk());
        QCOMPARE(plan.error().message, steps.first().mid(1));
        return;
    }
    QVERIFY2(plan.isOk(), plan.isOk() ? "" : qPrintable(plan.error().message));
    QStringList got;
    for (const PlanStep &s : *plan)
        got.append(map.at(s.revision).id);
    QCOMPARE(got, steps);
}

void tst_RevisionMap::displayOrderIsTopological()
{
    const RevisionMap map = mapFromSpec({"a:", "b:a", "x:", "c:b", "d:b", "y:x::b", "e:c,d", "f:e"});
    QVERIFY(map.isValid());
    const std::vector<int> order = map.displayOrder();
    QCOMPARE(int(order.size()), map.size());
    std::vector<int> pos(order.size());
    for (size_t i = 0; i < order.size(); ++i)
        pos[size_t(order[i])] = int(i);
    for (int i = 0; i < map.size(); ++i)
        for (int d : map.at(i).allDown)
            QVERIFY2(pos[size_t(i)] < pos[size_t(d)], qPrintable(map.at(i).id + " after " + map.at(d).id));
}

void tst_RevisionMap::planNeedsTheFunctions()
{
    // Like Alembic, a plan through a file without downgrade() fails before anything runs.
    QList<RevisionFile> files;
    for (const char *id : {"a", "b"}) {
        RevisionFile f;
        f.fileName = QString::fromLatin1(id) + QStringLiteral("_x.py");
        f.path = QStringLiteral("/v/") + f.fileName;
        f.hasRevision = f.hasDownRevision = true;
        f.revision = QString::fromLatin1(id);
        if (f.revision == QLatin1String("b")) {
            f.downRevision.kind = PyValue::Kind::String;
            f.downRevision.string = QStringLiteral("a");
        }
        f.upgradeLine = 3;
        f.downgradeLine = f.revision == QLatin1String("b") ? 0 : 5;
        files.append(f);
    }
    const RevisionMap map = RevisionMap::build(files);
    QVERIFY(map.upgradePlan(QStringLiteral("head"), {}).isOk());
    auto down = map.downgradePlan(QStringLiteral("base"), {QStringLiteral("b")});
    QVERIFY(!down.isOk());
    QCOMPARE(down.error().message, QStringLiteral("module 'b_x_py' has no attribute 'downgrade'"));
}

QTEST_GUILESS_MAIN(tst_RevisionMap)
#include "tst_revisionmap.moc"
