// Reading revisions out of git and forecasting a merge, against real repositories built
// with the git command line, real `git merge` as the oracle for the merged folder and the
// real Alembic as the oracle for its heads.

#include "cli/commands.h"
#include "git/gitrepository.h"
#include "git/mergeforecast.h"
#include "git/reparent.h"
#include "project/scriptdirectory.h"

#include "gitfixture.h"
#include "testsupport.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace retort::core;
using testsupport::GitFixture;

namespace {

const QString &kBase = GitFixture::kBase;
const QString &kParent = GitFixture::kParent;
const QString &kMains = GitFixture::kMains;
const QString &kYours = GitFixture::kYours;

ProjectConfig configOf(const GitFixture &fx)
{
    auto cfg = ProjectConfig::load(QStringLiteral("alembic.ini"), QStringLiteral("alembic"), fx.root());
    if (!cfg)
        qFatal("config: %s", qPrintable(cfg.error().message));
    return *cfg;
}

QStringList headIds(const MergeForecast &f)
{
    QStringList out;
    for (const ForecastHead &h : f.mergedHeads())
        out.append(h.revision);
    return out;
}

QStringList rules(const MergeForecast &f)
{
    QStringList out;
    for (const ForecastProblem &p : f.problems())
        out.append(p.rule);
    return out;
}

// The ids `alembic heads` prints, sorted.
QStringList alembicHeads(const QString &dir, int *exitCode = nullptr)
{
    const auto r = testsupport::alembic(dir, {QStringLiteral("heads")});
    if (exitCode)
        *exitCode = r.exitCode;
    QStringList out;
    for (const QString &line : r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        out.append(line.section(QLatin1Char(' '), 0, 0));
    out.sort();
    return out;
}

// Commits what is on disk, runs the real `git merge TARGET` and compares the versions folder
// it leaves, file by file, with the forecast's merged map; then Alembic's heads with ours.
void compareWithRealMerge(GitFixture &fx, const MergeForecast &f, const QString &target)
{
    QStringList predicted;
    for (const RevisionFile &rf : f.mergedProject().map.files())
        predicted.append(QDir(fx.root()).relativeFilePath(rf.path));
    predicted.sort();
    fx.git({QStringLiteral("merge"), QStringLiteral("-q"), QStringLiteral("--no-edit"), target});
    QVERIFY(!fx.failed());
    QStringList actual;
    QDirIterator it(fx.versions(), {QStringLiteral("*.py")}, QDir::Files);
    while (it.hasNext())
        actual.append(QDir(fx.root()).relativeFilePath(it.next()));
    actual.sort();
    QCOMPARE(predicted, actual);
    // Same bytes as git wrote: re-read the folder from disk and compare revision by revision.
    auto disk = ScriptDirectory::load(configOf(fx));
    QVERIFY(disk);
    const RevisionMap &dm = disk->map;
    const RevisionMap &mm = f.mergedProject().map;
    QCOMPARE(dm.size(), mm.size());
    for (int i = 0; i < dm.size(); ++i) {
        const int j = mm.indexOf(dm.at(i).id);
        QVERIFY2(j >= 0, qPrintable(dm.at(i).id));
        QCOMPARE(mm.at(j).downRevisions, dm.at(i).downRevisions);
        QCOMPARE(mm.fileOf(j).longDoc, dm.fileOf(i).longDoc);
        QCOMPARE(mm.fileOf(j).upgradeEmpty, dm.fileOf(i).upgradeEmpty);
        QCOMPARE(mm.fileOf(j).downgradeEmpty, dm.fileOf(i).downgradeEmpty);
    }
    QStringList predictedHeads = headIds(f);
    predictedHeads.sort();
    QCOMPARE(alembicHeads(fx.root()), predictedHeads);
}

int looseObjects(const GitFixture &fx)
{
    int n = 0;
    QDirIterator it(fx.root() + QStringLiteral("/.git/objects"), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

} // namespace

class tst_GitMerge : public QObject
{
    Q_OBJECT

private slots:
    void forkAfterFastForward();
    void checkAgainstCli();
    void reparentedInWorkingTreeIsClean();
    void renameOnBranchEditOnMain();
    void nonOverlappingEditsMerge();
    void conflictingEditIsReported();
    void deletionOnMainBreaksTheMap();
    void untrackedRevisionCountsAndNothingIsWritten();
    void treesByAnyName();
    void targetChoiceAndFingerprint();
    void errorsNameTheFix();
    void reparentSource_data();
    void reparentSource();
    void reparentRefusedWhenApplied();
};

void tst_GitMerge::forkAfterFastForward()
{
    GitFixture fx;
    fx.buildFork();
    QVERIFY(!fx.failed());
    auto f = MergeForecast::compute(configOf(fx), QStringLiteral("main"));
    QVERIFY2(f, f ? "" : qPrintable(f.error().message + f.error().detail));
    QCOMPARE(f->targetHeads(), QStringList{kMains});
    QCOMPARE(headIds(*f), (QStringList{kYours, kMains}));
    QVERIFY(f->mergedHeads().at(0).yours);
    QVERIFY(!f->mergedHeads().at(1).yours);
    QCOMPARE(f->newRevisions(), QStringList{kYours});
    QCOMPARE(f->targetOnly(), QStringList{kMains});
    QCOMPARE(f->baseCommit(), fx.git({QStringLiteral("merge-base"), QStringLiteral("HEAD"), QStringLiteral("main")}));
    QCOMPARE(rules(*f), (QStringList{QStringLiteral("more-heads"), QStringLiteral("forks-old-revision")}));
    QCOMPARE(f->banner(), QStringLiteral("after merging into main: 2 heads \u2014 yours 5c1d\u2026 (revises 1e0b\u2026), "
                                         "main's e41a\u2026 (revises 1e0b\u2026)"));
    const auto candidate = f->reparentCandidate();
    QVERIFY(candidate);
    QCOMPARE(candidate->revision, kYours);
    QCOMPARE(candidate->parent, kParent);
    QCOMPARE(candidate->suggestedParents, QStringList{kMains});
    QCOMPARE(candidate->file, fx.versions() + QStringLiteral("/5c1d00000004_yours.py"));
    QCOMPARE(candidate->line, 14);
    compareWithRealMerge(fx, *f, QStringLiteral("main"));
}

void tst_GitMerge::checkAgainstCli()
{
    GitFixture fx;
    fx.buildFork();
    const auto out = CommandLine::run({QStringLiteral("check"), QStringLiteral("--against"), QStringLiteral("main")}, fx.root());
    const QString text = QString::fromStdString(out.out);
    QCOMPARE(out.exitCode, 1);
    QVERIFY2(text.contains(QStringLiteral("alembic/versions/5c1d00000004_yours.py:14: error [forks-old-revision] Revision "
                                          "5c1d00000004 (alembic/versions/5c1d00000004_yours.py:14) revises 1e0b7a000002, "
                                          "which is not a head of main (main's head is e41a00000003); re-parent it onto "
                                          "e41a00000003, or add a merge revision.")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("error [more-heads] Merging into main would leave 2 heads (main has 1): 5c1d00000004 "
                                          "(yours, alembic/versions/5c1d00000004_yours.py, revises 1e0b7a000002); e41a00000003 "
                                          "(main's, alembic/versions/e41a00000003_add_orders.py, revises 1e0b7a000002).")),
             qPrintable(text));
    QVERIFY2(text.endsWith(QStringLiteral("main has 1 head (e41a00000003); merging the checkout into it leaves 2 "
                                          "(5c1d00000004, e41a00000003); 1 new on this branch.\n")),
             qPrintable(text));

    const auto json = CommandLine::run({QStringLiteral("--json"), QStringLiteral("check"), QStringLiteral("--against"),
                                        QStringLiteral("main")},
                                       fx.root());
    QCOMPARE(json.exitCode, 1);
    QJsonParseError err;
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(json.out), &err).object();
    QCOMPARE(err.error, QJsonParseError::NoError);
    QCOMPARE(o.value(QStringLiteral("ok")).toBool(true), false);
    QCOMPARE(o.value(QStringLiteral("target_heads")).toArray().size(), 1);
    const QJsonArray heads = o.value(QStringLiteral("merged_heads")).toArray();
    QCOMPARE(heads.size(), 2);
    QCOMPARE(heads.at(0).toObject().value(QStringLiteral("side")).toString(), QStringLiteral("yours"));
    QCOMPARE(heads.at(0).toObject().value(QStringLiteral("file")).toString(), QStringLiteral("alembic/versions/5c1d00000004_yours.py"));
    const QJsonArray problems = o.value(QStringLiteral("problems")).toArray();
    QCOMPARE(problems.size(), 2);
    const QJsonObject fork = problems.at(1).toObject();
    QCOMPARE(fork.value(QStringLiteral("revision")).toString(), kYours);
    QCOMPARE(fork.value(QStringLiteral("parent")).toString(), kParent);
    QCOMPARE(fork.value(QStringLiteral("line")).toInt(), 14);
    QCOMPARE(fork.value(QStringLiteral("suggested_parents")).toArray().first().toString(), kMains);

    // Main itself, and the branch before main moved: nothing to report.
    const auto same = CommandLine::run({QStringLiteral("check"), QStringLiteral("--against"), QStringLiteral("feature")}, fx.root());
    QCOMPARE(same.exitCode, 0);
    const auto before = CommandLine::run({QStringLiteral("check"), QStringLiteral("--against"), QStringLiteral("main~1")}, fx.root());
    QCOMPARE(QString::fromStdString(before.out),
             QStringLiteral("main~1 has 1 head (1e0b7a000002); merging the checkout into it leaves 1 (5c1d00000004); "
                            "1 new on this branch.\n"));
    QCOMPARE(before.exitCode, 0);
}

void tst_GitMerge::reparentedInWorkingTreeIsClean()
{
    GitFixture fx;
    fx.buildFork();
    auto f = MergeForecast::compute(configOf(fx), QStringLiteral("main"));
    QVERIFY(f);
    const auto candidate = f->reparentCandidate();
    QVERIFY(candidate);
    QFile file(candidate->file);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString source = QString::fromUtf8(file.readAll());
    file.close();
    auto edited = retort::core::reparentSource(source, candidate->file, candidate->parent, candidate->suggestedParents.first(),
                                               retort::core::python::NewestPython);
    QVERIFY2(edited, edited ? "" : qPrintable(edited.error().message));
    QVERIFY(edited->contains(QStringLiteral("Revises: e41a00000003\n")));
    QVERIFY(edited->contains(QStringLiteral("down_revision = 'e41a00000003'\n")));
    QCOMPARE(edited->size(), source.size());
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(edited->toUtf8());
    file.close();

    // The working tree is fixed, the commit is not yet.
    const auto worktree = CommandLine::run({QStringLiteral("check"), QStringLiteral("--against"), QStringLiteral("main")}, fx.root());
    QCOMPARE(worktree.exitCode, 0);
    const auto head = CommandLine::run({QStringLiteral("check"), QStringLiteral("--against"), QStringLiteral("main"),
                                        QStringLiteral("--ours"), QStringLiteral("HEAD")},
                                       fx.root());
    QCOMPARE(head.exitCode, 1);

    auto after = MergeForecast::compute(configOf(fx), QStringLiteral("main"));
    QVERIFY(after);
    QVERIFY(after->isClean());
    QCOMPARE(after->banner(), QString());
    QCOMPARE(headIds(*after), QStringList{kYours});
    fx.commitAll(QStringLiteral("re-parent"));
    compareWithRealMerge(fx, *after, QStringLiteral("main"));
}

void tst_GitMerge::renameOnBranchEditOnMain()
{
    GitFixture fx;
    fx.commitBase();
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("feature")});
    fx.git({QStringLiteral("mv"), QStringLiteral("alembic/versions/1e0b7a000002_add_email.py"),
            QStringLiteral("alembic/versions/1e0b7a000002_add_email_column.py")});
    fx.commitAll(QStringLiteral("rename"));
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")});
    fx.addRevision(kParent, kBase, QStringLiteral("add_email"),
                   QStringLiteral("op.add_column('users', sa.Column('email', sa.String()))"));
    fx.commitAll(QStringLiteral("fill in add_email"));
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("feature")});
    QVERIFY(!fx.failed());

    auto f = MergeForecast::compute(configOf(fx), QStringLiteral("main"));
    QVERIFY(f);
    QVERIFY(f->conflicts().isEmpty());
    QVERIFY2(f->isClean(), qPrintable(f->banner()));
    const RevisionMap &mm = f->mergedProject().map;
    QCOMPARE(mm.size(), 2);
    QCOMPARE(mm.fileOf(mm.indexOf(kParent)).fileName, QStringLiteral("1e0b7a000002_add_email_column.py"));
    QVERIFY(!mm.fileOf(mm.indexOf(kParent)).upgradeEmpty);  // main's edit followed the rename
    QVERIFY(f->newRevisions().isEmpty());
    QVERIFY(f->targetOnly().isEmpty());
    compareWithRealMerge(fx, *f, QStringLiteral("main"));
}

void tst_GitMerge::nonOverlappingEditsMerge()
{
    GitFixture fx;
    fx.commitBase();
    const QString path = QStringLiteral("alembic/versions/1e0b7a000002_add_email.py");
    const QByteArray original = fx.read(path);
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("feature")});
    QByteArray ours = original;
    ours.replace("def downgrade() -> None:\n    pass", "def downgrade() -> None:\n    op.drop_column('users', 'email')");
    fx.write(path, ours);
    fx.commitAll(QStringLiteral("downgrade"));
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")});
    QByteArray theirs = original;
    theirs.replace("\"\"\"add_email\n", "\"\"\"add users.email\n");
    fx.write(path, theirs);
    fx.commitAll(QStringLiteral("message"));
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("feature")});

    auto f = MergeForecast::compute(configOf(fx), QStringLiteral("main"));
    QVERIFY(f);
    QVERIFY(f->conflicts().isEmpty());
    const RevisionMap &mm = f->mergedProject().map;
    const RevisionFile &rf = mm.fileOf(mm.indexOf(kParent));
    QCOMPARE(rf.doc(), QStringLiteral("add users.email"));
    QVERIFY(!rf.downgradeEmpty);
    compareWithRealMerge(fx, *f, QStringLiteral("main"));
}

void tst_GitMerge::conflictingEditIsReported()
{
    GitFixture fx;
    fx.commitBase();
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("feature")});
    fx.addRevision(kParent, kBase, QStringLiteral("add_email"), QStringLiteral("op.add_column('users', sa.Column('email', sa.Text()))"));
    fx.commitAll(QStringLiteral("text email"));
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")});
    fx.addRevision(kParent, kBase, QStringLiteral("add_email"),
                   QStringLiteral("op.add_column('users', sa.Column('email', sa.String(320)))"));
    fx.commitAll(QStringLiteral("varchar email"));
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("feature")});
    QVERIFY(!fx.failed());

    auto f = MergeForecast::compute(configOf(fx), QStringLiteral("main"));
    QVERIFY(f);
    QCOMPARE(f->conflicts().size(), 1);
    const QString file = fx.versions() + QStringLiteral("/1e0b7a000002_add_email.py");
    QCOMPARE(f->conflicts().first().path, file);
    QCOMPARE(f->conflicts().first().ourPath, file);
    QCOMPARE(f->conflicts().first().theirPath, file);
    QCOMPARE(rules(*f), QStringList{QStringLiteral("merge-conflict")});
    QCOMPARE(f->banner(), QStringLiteral("after merging into main: git conflict in 1e0b7a000002_add_email.py"));

    const auto out = CommandLine::run({QStringLiteral("check"), QStringLiteral("--against"), QStringLiteral("main")}, fx.root());
    QCOMPARE(out.exitCode, 1);
    QVERIFY2(QString::fromStdString(out.out)
                 .startsWith(QStringLiteral("alembic/versions/1e0b7a000002_add_email.py: error [merge-conflict] "
                                            "alembic/versions/1e0b7a000002_add_email.py: git cannot merge this revision "
                                            "file into main (both sides changed it)")),
             out.out.c_str());
    // git itself agrees it cannot merge.
    int code = 0;
    fx.gitCode({QStringLiteral("merge"), QStringLiteral("--no-edit"), QStringLiteral("main")}, &code);
    QVERIFY(code != 0);
    QVERIFY(fx.git({QStringLiteral("diff"), QStringLiteral("--name-only"), QStringLiteral("--diff-filter=U")})
                .contains(QStringLiteral("1e0b7a000002_add_email.py")));
}

void tst_GitMerge::deletionOnMainBreaksTheMap()
{
    GitFixture fx;
    fx.commitBase();
    const QString c3 = QStringLiteral("c3c300000005");
    fx.addRevision(c3, kParent, QStringLiteral("add_phone"));
    fx.commitAll(QStringLiteral("phone"));
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("feature")});
    fx.addRevision(kYours, c3, QStringLiteral("yours"));
    fx.commitAll(QStringLiteral("yours on phone"));
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")});
    fx.git({QStringLiteral("rm"), QStringLiteral("-q"), QStringLiteral("alembic/versions/c3c300000005_add_phone.py")});
    fx.commitAll(QStringLiteral("revert phone"));
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("feature")});
    QVERIFY(!fx.failed());

    auto f = MergeForecast::compute(configOf(fx), QStringLiteral("main"));
    QVERIFY(f);
    QVERIFY(f->conflicts().isEmpty());
    QCOMPARE(f->mergedProject().map.files().size(), 3);
    QVERIFY(f->mergedProject().map.indexOf(c3) == RevisionMap::None);
    QVERIFY(rules(*f).contains(QStringLiteral("merged-map-broken")));
    QVERIFY2(f->problems().first().message.contains(c3), qPrintable(f->problems().first().message));
    QCOMPARE(f->targetOnly(), QStringList());
    QCOMPARE(f->newRevisions(), (QStringList{kYours, c3}));
    const auto out = CommandLine::run({QStringLiteral("check"), QStringLiteral("--against"), QStringLiteral("main")}, fx.root());
    QCOMPARE(out.exitCode, 1);
    // Alembic fails on the real merge too.
    fx.git({QStringLiteral("merge"), QStringLiteral("-q"), QStringLiteral("--no-edit"), QStringLiteral("main")});
    QVERIFY(!QFile::exists(fx.versions() + QStringLiteral("/c3c300000005_add_phone.py")));
    int code = 0;
    alembicHeads(fx.root(), &code);
    QVERIFY(code != 0);
}

void tst_GitMerge::untrackedRevisionCountsAndNothingIsWritten()
{
    GitFixture fx;
    fx.commitBase();
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("feature")});
    fx.addRevision(kYours, kParent, QStringLiteral("yours"));  // not committed, not even added
    // Ignored files do not take part (git would not merge them either).
    QDir().mkpath(fx.versions() + QStringLiteral("/__pycache__"));
    fx.write(QStringLiteral(".gitignore"), "__pycache__/\n*.db\nalembic/versions/scratch_*.py\n");
    fx.write(QStringLiteral("alembic/versions/scratch_x.py"), GitFixture::revisionSource(QStringLiteral("ffff00000009"), kBase, QStringLiteral("scratch")));
    const int objectsBefore = looseObjects(fx);

    auto f = MergeForecast::compute(configOf(fx), QStringLiteral("main"));
    QVERIFY(f);
    QVERIFY(f->isClean());
    QCOMPARE(f->newRevisions(), QStringList{kYours});
    QCOMPARE(headIds(*f), QStringList{kYours});
    QCOMPARE(looseObjects(fx), objectsBefore);  // blobs and trees were built in memory
    QCOMPARE(fx.git({QStringLiteral("status"), QStringLiteral("--porcelain")}),
             QStringLiteral("M .gitignore\n?? alembic/versions/5c1d00000004_yours.py"));

    auto committed = MergeForecast::compute(configOf(fx), QStringLiteral("main"), QStringLiteral("HEAD"));
    QVERIFY(committed);
    QVERIFY(committed->newRevisions().isEmpty());
    QVERIFY(!committed->oursIsWorktree());

    const auto out = CommandLine::run({QStringLiteral("check"), QStringLiteral("--against"), QStringLiteral("main")}, fx.root());
    QCOMPARE(out.exitCode, 0);
    QCOMPARE(QString::fromStdString(out.out),
             QStringLiteral("main has 1 head (1e0b7a000002); merging the checkout into it leaves 1 (5c1d00000004); 1 new "
                            "on this branch.\n"));
}

void tst_GitMerge::treesByAnyName()
{
    GitFixture fx;
    fx.addRevision(kBase, {}, QStringLiteral("create_users"));
    fx.commitAll(QStringLiteral("one"));
    fx.git({QStringLiteral("tag"), QStringLiteral("v1")});
    fx.addRevision(kParent, kBase, QStringLiteral("add_email"));
    fx.commitAll(QStringLiteral("two"));
    const QString first = fx.git({QStringLiteral("rev-parse"), QStringLiteral("v1")});
    QVERIFY(!fx.failed());

    auto repo = GitRepository::open(fx.versions());
    QVERIFY(repo);
    const ProjectConfig cfg = configOf(fx);
    for (const QString &spec : {QStringLiteral("v1"), QStringLiteral("HEAD~1"), first, first.left(7)}) {
        auto files = repo->versionFiles(cfg, spec);
        QVERIFY2(files, qPrintable(spec));
        QCOMPARE(files->commit, first);
        QCOMPARE(files->files.size(), 1);
        QCOMPARE(files->files.first().first, fx.versions() + QStringLiteral("/aaaa00000001_create_users.py"));
        QCOMPARE(files->files.first().second, fx.read(QStringLiteral("alembic/versions/aaaa00000001_create_users.py")));
        const Project p = ScriptDirectory::loadFromContents(cfg, files->files);
        QCOMPARE(p.map.size(), 1);
        QCOMPARE(p.map.at(0).id, kBase);
    }
    auto tip = repo->versionFiles(cfg, QStringLiteral("main"));
    QVERIFY(tip);
    QCOMPARE(tip->files.size(), 2);
    // Same map as from disk.
    const Project fromGit = ScriptDirectory::loadFromContents(cfg, tip->files);
    auto fromDisk = ScriptDirectory::load(cfg);
    QVERIFY(fromDisk);
    QCOMPARE(fromGit.map.size(), fromDisk->map.size());
    QCOMPARE(fromGit.map.at(fromGit.map.heads().front()).id, kParent);
}

void tst_GitMerge::targetChoiceAndFingerprint()
{
    GitFixture fx;
    fx.commitBase();
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("feature")});
    auto repo = GitRepository::open(fx.root());
    QVERIFY(repo);
    GitInfo info = repo->info();
    QCOMPARE(info.currentBranch, QStringLiteral("feature"));
    QCOMPARE(info.upstream, QString());
    QCOMPARE(info.defaultTarget, QStringLiteral("main"));
    QCOMPARE(info.branches, (QStringList{QStringLiteral("feature"), QStringLiteral("main")}));
    QVERIFY(info.watchPaths.contains(fx.root() + QStringLiteral("/.git/refs/heads")));
    const QString before = info.fingerprint;
    fx.addRevision(kYours, kParent, QStringLiteral("yours"));
    fx.commitAll(QStringLiteral("yours"));
    QVERIFY(GitRepository::open(fx.root())->info().fingerprint != before);

    // A clone tracking origin/main targets its upstream; a fetch moves the fingerprint.
    const QString clone = fx.root() + QStringLiteral("-clone");
    fx.git({QStringLiteral("clone"), QStringLiteral("-q"), fx.root(), clone});
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("topic"), QStringLiteral("--track"),
            QStringLiteral("origin/main")},
           clone);
    auto cloned = GitRepository::open(clone + QStringLiteral("/alembic"));
    QVERIFY(cloned);
    info = cloned->info();
    QCOMPARE(info.upstream, QStringLiteral("origin/main"));
    QCOMPARE(info.defaultTarget, QStringLiteral("origin/main"));
    QVERIFY(info.branches.contains(QStringLiteral("origin/feature")));
    fx.git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")});
    fx.addRevision(kMains, kParent, QStringLiteral("add_orders"));
    fx.commitAll(QStringLiteral("orders"));
    QCOMPARE(GitRepository::open(clone)->info().fingerprint, info.fingerprint);
    fx.git({QStringLiteral("fetch"), QStringLiteral("-q")}, clone);
    QVERIFY(GitRepository::open(clone)->info().fingerprint != info.fingerprint);
    QVERIFY(!fx.failed());
}

void tst_GitMerge::errorsNameTheFix()
{
    QTemporaryDir outside;
    QVERIFY(testsupport::copyTree(QStringLiteral(RETORT_SOURCE_DIR "/examples/coffee-shop"), outside.path() + QStringLiteral("/p")));
    const auto notGit = CommandLine::run({QStringLiteral("check"), QStringLiteral("--against"), QStringLiteral("main")},
                                         outside.path() + QStringLiteral("/p"));
    QCOMPARE(notGit.exitCode, 255);
    QVERIFY2(QString::fromStdString(notGit.out).contains(QStringLiteral("is not inside a git repository")), notGit.out.c_str());

    GitFixture fx;
    fx.commitBase();
    const auto noRef = CommandLine::run({QStringLiteral("check"), QStringLiteral("--against"), QStringLiteral("origin/nope")}, fx.root());
    QCOMPARE(noRef.exitCode, 255);
    QVERIFY2(QString::fromStdString(noRef.out)
                 .startsWith(QStringLiteral("FAILED: 'origin/nope' names no branch, tag or commit in this repository")),
             noRef.err.c_str());
    const auto empty = CommandLine::run({QStringLiteral("check"), QStringLiteral("--against=")}, fx.root());
    QCOMPARE(empty.exitCode, 2);
}

void tst_GitMerge::reparentSource_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("oldParent");
    QTest::addColumn<QString>("newParent");
    QTest::addColumn<QString>("expected");  // empty: refused

    const QString doc = QStringLiteral("\"\"\"add email\n\nRevision ID: 5c1d\nRevises: 1e0b\nCreate Date: x\n\n\"\"\"\n");
    QTest::newRow("single quotes") << doc + QStringLiteral("revision = '5c1d'\ndown_revision = '1e0b'\n") << "1e0b" << "e41a"
                                   << QStringLiteral("\"\"\"add email\n\nRevision ID: 5c1d\nRevises: e41a\nCreate Date: x\n\n\"\"\"\n"
                                                     "revision = '5c1d'\ndown_revision = 'e41a'\n");
    QTest::newRow("typed, double quotes")
        << doc + QStringLiteral("revision: str = \"5c1d\"\ndown_revision: Union[str, None] = \"1e0b\"\n") << "1e0b" << "e41a"
        << QStringLiteral("\"\"\"add email\n\nRevision ID: 5c1d\nRevises: e41a\nCreate Date: x\n\n\"\"\"\n"
                          "revision: str = \"5c1d\"\ndown_revision: Union[str, None] = \"e41a\"\n");
    QTest::newRow("crlf") << QStringLiteral("\"\"\"m\r\n\r\nRevises: 1e0b\r\n\"\"\"\r\nrevision = '5c1d'\r\ndown_revision = '1e0b'\r\n")
                          << "1e0b" << "e41a"
                          << QStringLiteral("\"\"\"m\r\n\r\nRevises: e41a\r\n\"\"\"\r\nrevision = '5c1d'\r\ndown_revision = 'e41a'\r\n");
    QTest::newRow("merge, one side multi-line")
        << QStringLiteral("\"\"\"m\n\nRevises: 1e0b, 77aa\n\"\"\"\nrevision = '5c1d'\ndown_revision = (\n    '1e0b',\n    '77aa',\n)\n")
        << "77aa" << "e41a"
        << QStringLiteral("\"\"\"m\n\nRevises: 1e0b, e41a\n\"\"\"\nrevision = '5c1d'\ndown_revision = (\n    '1e0b',\n    'e41a',\n)\n");
    QTest::newRow("id also in a comment stays")
        << QStringLiteral("# was on 1e0b\nrevision = '5c1d'\ndown_revision = '1e0b'  # 1e0b\n") << "1e0b" << "e41a"
        << QStringLiteral("# was on 1e0b\nrevision = '5c1d'\ndown_revision = 'e41a'  # 1e0b\n");
    QTest::newRow("not its parent") << doc + QStringLiteral("revision = '5c1d'\ndown_revision = '1e0b'\n") << "9999" << "e41a" << QString();
    QTest::newRow("base revision") << QStringLiteral("revision = '5c1d'\ndown_revision = None\n") << "1e0b" << "e41a" << QString();
    QTest::newRow("computed") << QStringLiteral("revision = '5c1d'\ndown_revision = PARENT\n") << "1e0b" << "e41a" << QString();
}

void tst_GitMerge::reparentSource()
{
    QFETCH(QString, source);
    QFETCH(QString, oldParent);
    QFETCH(QString, newParent);
    QFETCH(QString, expected);
    const auto r = retort::core::reparentSource(source, QStringLiteral("versions/5c1d_x.py"), oldParent, newParent, retort::core::python::NewestPython);
    if (expected.isEmpty()) {
        QVERIFY(!r);
        QVERIFY(r.error().message.startsWith(QStringLiteral("versions/5c1d_x.py")));
        return;
    }
    QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    QCOMPARE(*r, expected);
}

void tst_GitMerge::reparentRefusedWhenApplied()
{
    GitFixture fx;
    fx.commitBase();
    fx.addRevision(kYours, kParent, QStringLiteral("yours"));
    auto p = ScriptDirectory::load(configOf(fx));
    QVERIFY(p);
    QCOMPARE(reparentRefusal(p->map, kYours, QStringLiteral("dev.db"), {kParent}), QString());
    QCOMPARE(reparentRefusal(p->map, kYours, QStringLiteral("dev.db"), {}), QString());
    QCOMPARE(reparentRefusal(p->map, kYours, QStringLiteral("dev.db"), {kYours}),
             QStringLiteral("dev.db has already applied 5c1d00000004 (it is at 5c1d00000004): re-parenting would change "
                            "history that database recorded. Add a merge revision instead."));
}

QTEST_GUILESS_MAIN(tst_GitMerge)
#include "tst_gitmerge.moc"
