// Reloading after files change on disk: a file changed in place is read alone, the graph's
// rows and lanes hold when its shape did not change (no model reset), and every answer
// (heads, diagnostics, lanes, lints) is the one a fresh load of the folder gives.
#include "../integration/testsupport.h"
#include "graph/lanes.h"
#include "lint/lints.h"
#include "lint/structure.h"
#include "models/revisionmodel.h"
#include "projectsession.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace retort::ui;
using retort::core::Diagnostic;
using retort::core::Project;
using retort::core::RevisionMap;

namespace {

const QString kFill = QStringLiteral("c5a8830e41f7");
const QString kMenu = QStringLiteral("9a3c5f71e8d6");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Rewrites the file in place (same inode), as most editors and `sed -i`-less tools do.
void rewrite(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

QStringList describe(const QList<Diagnostic> &list)
{
    QStringList out;
    for (const Diagnostic &d : list)
        out.append(QStringLiteral("%1 %2 %3:%4 %5 %6").arg(int(d.severity)).arg(d.rule, d.file).arg(d.line).arg(d.revision, d.message));
    return out;
}

QStringList ids(const RevisionMap &map, std::span<const int> revs)
{
    QStringList out;
    for (int r : revs)
        out.append(map.at(r).id);
    return out;
}

// Everything the workbench shows about a map, as text.
QStringList answers(const Project &p)
{
    const RevisionMap &map = p.map;
    QStringList out{QStringLiteral("heads ") + ids(map, map.heads()).join(QLatin1Char(' ')),
                    QStringLiteral("real heads ") + ids(map, map.realHeads()).join(QLatin1Char(' ')),
                    QStringLiteral("bases ") + ids(map, map.bases()).join(QLatin1Char(' ')),
                    QStringLiteral("error ") + map.loadError().message};
    out += describe(retort::core::structuralProblems(p));
    out += describe(retort::core::lintProject(p));
    for (int i = 0; i < map.size(); ++i) {
        const retort::core::Revision &r = map.at(i);
        out.append(QStringLiteral("%1 <- %2 [%3] next %4 doc %5")
                       .arg(r.id, r.downRevisions.join(QLatin1Char(',')), r.branchLabels.join(QLatin1Char(',')),
                            ids(map, r.allNext).join(QLatin1Char(',')), map.fileOf(i).doc()));
    }
    const auto order = map.displayOrder();
    out.append(retort::core::renderAsciiGraph(map, retort::core::computeLanes(map, order),
                                              [&map](int r) { return map.at(r).id; }));
    return out;
}

} // namespace

class tst_Reload : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void changedInPlaceReadsOneFileAndKeepsTheRows();
    void changedParentRebuildsTheGraph();
    void newFileListsTheFolder();
    void lintsOfAChangedFileAreFresh();

private:
    void load();
    // Waits for the next projectLoaded and checks it against a fresh load of the folder.
    void waitForReload(QSignalSpy &loaded);
    QString fileOf(const QString &id) const;

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_project;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<RevisionModel> m_model;
};

void tst_Reload::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_Reload::init()
{
    m_model.reset();
    m_session.reset();
    m_tmp = std::make_unique<QTemporaryDir>();
    m_project = testsupport::copyExample(*m_tmp);
    QVERIFY(!m_project.isEmpty());
    m_session = std::make_unique<ProjectSession>();
    m_session->setReloadDelay(100); // a truncate and a write are one change
    m_model = std::make_unique<RevisionModel>();
    connect(m_session.get(), &ProjectSession::projectLoaded, m_model.get(), &RevisionModel::setProject);
}

void tst_Reload::load()
{
    QSignalSpy loaded(m_session.get(), &ProjectSession::projectLoaded);
    m_session->open(m_project);
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(m_model->rowCount(), 8);
}

void tst_Reload::waitForReload(QSignalSpy &loaded)
{
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 15000);
    const auto p = m_session->project();
    auto fresh = retort::core::ScriptDirectory::load(p->config);
    QVERIFY(fresh);
    QCOMPARE(answers(*p), answers(*fresh));
}

QString tst_Reload::fileOf(const QString &id) const
{
    const auto p = m_session->project();
    return p->map.fileOf(p->map.indexOf(id)).path;
}

void tst_Reload::changedInPlaceReadsOneFileAndKeepsTheRows()
{
    load();
    QAbstractItemModelTester tester(m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto before = m_session->project();
    const int row = m_model->rowOfRevision(kFill);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy loaded(m_session.get(), &ProjectSession::projectLoaded);
    QByteArray text = readAll(fileOf(kFill));
    text.replace("fill employees.password_hash, then make it NOT NULL", "fill password_hash (reviewed), then NOT NULL");
    rewrite(fileOf(kFill), text);
    waitForReload(loaded);

    const auto after = m_session->project();
    QCOMPARE(m_session->lastLoadKind(), ProjectSession::LoadKind::ChangedFiles);
    QCOMPARE(after->reparsed, 1);
    QCOMPARE(after->map.shape(), before->map.shape());
    // The rows hold (no reset: the view keeps its selection and scroll); only the changed row repaints.
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), row);
    QCOMPARE(m_model->index(row, RevisionModel::MessageColumn).data().toString(),
             QStringLiteral("fill password_hash (reviewed), then NOT NULL"));
    // Every other file is the one parsed before.
    for (int i = 0; i < after->map.size(); ++i)
        if (after->map.at(i).id != kFill)
            QCOMPARE(after->map.fileOf(i).tree, before->map.fileOf(before->map.indexOf(after->map.at(i).id)).tree);

    // A line added above the identifiers moves the lines its messages cite: a new shape, same answers.
    loaded.clear();
    reset.clear();
    rewrite(fileOf(kFill), "# a comment on top\n" + text);
    waitForReload(loaded);
    QCOMPARE(m_session->lastLoadKind(), ProjectSession::LoadKind::ChangedFiles);
    QVERIFY(m_session->project()->map.shape() != before->map.shape());
    QCOMPARE(reset.count(), 1);
}

void tst_Reload::changedParentRebuildsTheGraph()
{
    load();
    QAbstractItemModelTester tester(m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto before = m_session->project();
    QCOMPARE(before->map.heads().size(), size_t(1));
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy loaded(m_session.get(), &ProjectSession::projectLoaded);
    // The menu revision now revises nothing: a second base, and the merge still joins it.
    QByteArray text = readAll(fileOf(kMenu));
    const QByteArray down = text.mid(text.indexOf("down_revision = "));
    text.replace(down.left(down.indexOf('\n')), "down_revision = None");
    rewrite(fileOf(kMenu), text);
    waitForReload(loaded);
    QCOMPARE(m_session->lastLoadKind(), ProjectSession::LoadKind::ChangedFiles);
    QVERIFY(m_session->project()->map.shape() != before->map.shape());
    QCOMPARE(m_session->project()->map.bases().size(), before->map.bases().size() + 1);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m_model->rowCount(), 8);

    // A syntax error keeps the file out of the map, as a fresh load does.
    loaded.clear();
    rewrite(fileOf(kMenu), text + "\ndef broken(:\n");
    waitForReload(loaded);
    QVERIFY(!m_session->project()->map.isValid());
}

void tst_Reload::newFileListsTheFolder()
{
    load();
    QSignalSpy loaded(m_session.get(), &ProjectSession::projectLoaded);
    const auto r = testsupport::alembic(m_project, {QStringLiteral("revision"), QStringLiteral("-m"), QStringLiteral("add loyalty points")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 9, 15000);
    QCOMPARE(m_session->lastLoadKind(), ProjectSession::LoadKind::Full);
    auto fresh = retort::core::ScriptDirectory::load(m_session->project()->config);
    QVERIFY(fresh);
    QCOMPARE(answers(*m_session->project()), answers(*fresh));

    // A file removed: listed again, gone from the graph.
    loaded.clear();
    QVERIFY(QFile::remove(fileOf(kFill)));
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 8, 15000);
    QCOMPARE(m_model->rowOfRevision(kFill), -1);
}

void tst_Reload::lintsOfAChangedFileAreFresh()
{
    load();
    auto expected = [this] {
        auto fresh = retort::core::ScriptDirectory::load(m_session->project()->config);
        return fresh ? describe(retort::core::structuralProblems(*fresh) + retort::core::lintProject(*fresh)) : QStringList();
    };
    const QStringList clean = expected();
    QTRY_COMPARE(describe(m_session->problems()), clean); // the first lint run answered
    QVERIFY(!clean.join(QLatin1Char('\n')).contains(QStringLiteral("drop-table")));
    // A drop_table in the menu revision's upgrade: the lint finds it in the changed file...
    QByteArray text = readAll(fileOf(kMenu));
    text.replace("def upgrade() -> None:\n", "def upgrade() -> None:\n    op.drop_table(\"legacy_menu\")\n");
    rewrite(fileOf(kMenu), text);
    QTRY_VERIFY_WITH_TIMEOUT(describe(m_session->problems()).join(QLatin1Char('\n')).contains(QStringLiteral("drop-table")), 15000);
    QCOMPARE(m_session->lastLoadKind(), ProjectSession::LoadKind::ChangedFiles);
    // ... and the findings are exactly a fresh load's.
    QCOMPARE(describe(m_session->problems()), expected());
    // Taking it out again takes the finding away.
    rewrite(fileOf(kMenu), readAll(QStringLiteral(RETORT_SOURCE_DIR "/examples/coffee-shop/alembic/versions/9a3c5f71e8d6_create_menu_items.py")));
    QTRY_COMPARE_WITH_TIMEOUT(describe(m_session->problems()), clean, 15000);
}

QTEST_MAIN(tst_Reload)
#include "tst_reload.moc"
