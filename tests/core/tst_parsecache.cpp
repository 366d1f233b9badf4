// The parse cache: a second load of unchanged files takes their facts from the cache and
// gives the same answers as a parse; any change to a file's bytes (whatever its size or
// mtime), to the Python flavor or to the cache file itself means a parse again.
#include "project/contenthash.h"
#include "project/parsecache.h"
#include "project/projectconfig.h"
#include "project/scriptdirectory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

using namespace retort::core;

class tst_ParseCache : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void hashSeesEveryBit();
    void warmLoadGivesTheParsedFacts();
    void sameSizeSameMtimeEdit();
    void fileNameRulesAfterTheLookup();
    void prunedAndWrittenOnlyWhenChanged();
    void flavorIsPartOfTheKey();
    void hostileCacheFiles();
    void unwritableOrDisabled();
    void stampsSpareTheRead();
    void replacedFileIsRead();
    void recentFilesAreNotStamped();
    void recordsRefuseTruncation();
    void oneRecordPerContent();

private:
    QTemporaryDir m_project;
    QTemporaryDir m_cache;

    void write(const QString &rel, const QByteArray &text)
    {
        const QString path = m_project.filePath(rel);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }
    ProjectConfig config()
    {
        auto cfg = ProjectConfig::open(m_project.path());
        if (!cfg.isOk())
            qFatal("no project");
        cfg->flavor = AlembicFlavor::newest();
        return *cfg;
    }
    static Project mapOnly(const ProjectConfig &cfg)
    {
        LoadOptions o;
        o.keepSyntaxTrees = false;
        auto p = ScriptDirectory::load(cfg, nullptr, o);
        if (!p.isOk())
            qFatal("load failed");
        return std::move(*p);
    }
    // Stamps recorded at once (no settling margin): the second load reads no file. `before`:
    // what stat() said of `path` then.
    void stampedTwice(const ProjectConfig &cfg, const QString &path, struct stat &before)
    {
        qputenv("RETORT_CACHE_SETTLE_MS", "0");
        mapOnly(cfg);
        QCOMPARE(mapOnly(cfg).unread, 3);
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &before), 0);
    }
    QString cacheFile()
    {
        const QStringList files = QDir(m_cache.path()).entryList({QStringLiteral("parse-*.bin")}, QDir::Files);
        return files.size() == 1 ? m_cache.filePath(files.first()) : QString();
    }
    static void compareFacts(const Project &a, const Project &b)
    {
        QCOMPARE(a.map.files().size(), b.map.files().size());
        for (qsizetype i = 0; i < a.map.files().size(); ++i) {
            const RevisionFile &x = a.map.files()[i];
            const RevisionFile &y = b.map.files()[i];
            QCOMPARE(x.path, y.path);
            QCOMPARE(x.hasRevision, y.hasRevision);
            QCOMPARE(x.revision, y.revision);
            QCOMPARE(x.revisionLine, y.revisionLine);
            QCOMPARE(x.hasDownRevision, y.hasDownRevision);
            QCOMPARE(x.downRevision.toTuple(), y.downRevision.toTuple());
            QCOMPARE(x.downRevisionLine, y.downRevisionLine);
            QCOMPARE(x.branchLabels.toTuple(), y.branchLabels.toTuple());
            QCOMPARE(x.dependsOn.toTuple(), y.dependsOn.toTuple());
            QCOMPARE(x.longDoc, y.longDoc);
            QCOMPARE(x.upgradeLine, y.upgradeLine);
            QCOMPARE(x.upgradeEndLine, y.upgradeEndLine);
            QCOMPARE(x.downgradeLine, y.downgradeLine);
            QCOMPARE(x.downgradeEndLine, y.downgradeEndLine);
            QCOMPARE(x.upgradeEmpty, y.upgradeEmpty);
            QCOMPARE(x.downgradeEmpty, y.downgradeEmpty);
            QCOMPARE(x.contentHash, y.contentHash);
            QCOMPARE(x.problems.size(), y.problems.size());
            for (qsizetype j = 0; j < x.problems.size(); ++j) {
                QCOMPARE(x.problems[j].rule, y.problems[j].rule);
                QCOMPARE(x.problems[j].message, y.problems[j].message);
                QCOMPARE(x.problems[j].line, y.problems[j].line);
                QCOMPARE(x.problems[j].column, y.problems[j].column);
                QCOMPARE(x.problems[j].file, y.problems[j].file);
            }
        }
        QCOMPARE(a.map.isValid(), b.map.isValid());
        QCOMPARE(a.map.heads(), b.map.heads());
    }
};

void tst_ParseCache::init()
{
    QVERIFY(m_project.isValid() && m_cache.isValid());
    QDir(m_project.path()).removeRecursively();
    QDir().mkpath(m_project.path());
    for (const QString &f : QDir(m_cache.path()).entryList(QDir::Files | QDir::Hidden))
        QFile::remove(m_cache.filePath(f));
    qputenv("RETORT_CACHE_DIR", m_cache.path().toUtf8());
    qunsetenv("RETORT_NO_CACHE");
    qunsetenv("RETORT_CACHE_SETTLE_MS");
    write(QStringLiteral("alembic.ini"), "[alembic]\nscript_location = %(here)s/m\n");
    write(QStringLiteral("consts.py"), "LABEL = 'shared'\n");
    write(QStringLiteral("m/versions/a_first.py"),
          "\"\"\"first\n\n    Revision ID: a\n    Create Date: 2024-01-01\n    \"\"\"\nrevision = 'aaaa'\n"
          "down_revision = None\nbranch_labels = ('main',)\ndef upgrade():\n    op.add_column('t', sa.Column('c'))\n"
          "def downgrade():\n    pass\n");
    write(QStringLiteral("m/versions/b_second.py"),
          "\"\"\"second\"\"\"\nfrom consts import LABEL\nrevision = 'bbbb'\ndown_revision = ('aaaa',)\n"
          "branch_labels = (LABEL,)\ndepends_on = None\n");
    write(QStringLiteral("m/versions/c_third.py"), "revision = 'cccc'\ndown_revision = 'bbbb'\ndepends_on = ['aaaa']\n");
}

void tst_ParseCache::hashSeesEveryBit()
{
    QSet<QPair<quint64, quint64>> seen;
    QByteArray buf(80, 'x');
    for (int len = 0; len <= buf.size(); ++len) {
        const ContentHash h = hashContent(std::string_view(buf.constData(), size_t(len)));
        QCOMPARE(hashContent(std::string_view(buf.constData(), size_t(len))), h);
        seen.insert({h.a, h.b});
        // A trailing zero byte is not the same file.
        const QByteArray zero = buf.left(len) + '\0';
        seen.insert({hashContent(std::string_view(zero.constData(), size_t(zero.size()))).a,
                     hashContent(std::string_view(zero.constData(), size_t(zero.size()))).b});
    }
    for (int i = 0; i < buf.size() * 8; ++i) {
        QByteArray flipped = buf;
        flipped[i / 8] = char(flipped[i / 8] ^ (1 << (i % 8)));
        const ContentHash h = hashContent(std::string_view(flipped.constData(), size_t(flipped.size())));
        seen.insert({h.a, h.b});
        // Each half on its own tells the flip apart from the original.
        const ContentHash o = hashContent(std::string_view(buf.constData(), size_t(buf.size())));
        QVERIFY(h.a != o.a && h.b != o.b);
    }
    QCOMPARE(seen.size(), 2 * (buf.size() + 1) + buf.size() * 8); // no two alike
}

void tst_ParseCache::warmLoadGivesTheParsedFacts()
{
    const ProjectConfig cfg = config();
    qputenv("RETORT_NO_CACHE", "1");
    const Project reference = mapOnly(cfg);
    QVERIFY(cacheFile().isEmpty());
    qunsetenv("RETORT_NO_CACHE");
    QCOMPARE(reference.map.files()[1].branchLabels.toTuple(), QStringList{QStringLiteral("shared")});

    const Project cold = mapOnly(cfg);
    QCOMPARE(cold.fromCache, 0);
    QCOMPARE(cold.reparsed, 3);
    QVERIFY(!cacheFile().isEmpty());
    const Project warm = mapOnly(cfg);
    QCOMPARE(warm.fromCache, 3);
    QCOMPARE(warm.reparsed, 0);
    compareFacts(reference, cold);
    compareFacts(reference, warm);
    // References to other modules are resolved after the lookup, from the module as it is now.
    write(QStringLiteral("consts.py"), "LABEL = 'other'\n");
    const Project relabelled = mapOnly(cfg);
    QCOMPARE(relabelled.fromCache, 3);
    QCOMPARE(relabelled.map.files()[1].branchLabels.toTuple(), QStringList{QStringLiteral("other")});

    // A load that keeps the trees parses (the cache holds none) and agrees.
    auto full = ScriptDirectory::load(cfg);
    QVERIFY(full.isOk());
    QCOMPARE(full->fromCache, 0);
    QVERIFY(full->map.files()[0].tree);
    QCOMPARE(full->map.files()[0].contentHash, warm.map.files()[0].contentHash);

    // A syntax error is a fact of the bytes too: cached, it still fails the map.
    write(QStringLiteral("m/versions/c_third.py"), "revision = 'cccc'\ndown_revision = 'bbbb'\ndef upgrade(:):\n    pass\n");
    const Project broken = mapOnly(cfg);
    QCOMPARE(broken.reparsed, 1);
    const Project brokenWarm = mapOnly(cfg);
    QCOMPARE(brokenWarm.fromCache, 3);
    QVERIFY(!brokenWarm.map.isValid());
    compareFacts(broken, brokenWarm);
    QCOMPARE(brokenWarm.map.files()[2].problems.value(0).rule, QStringLiteral("parse-error"));
    QCOMPARE(brokenWarm.map.files()[2].problems.value(0).line, 3);
    QCOMPARE(brokenWarm.map.files()[2].problems.value(0).column, 13); // CPython's offset, for the Problems dock
}

void tst_ParseCache::sameSizeSameMtimeEdit()
{
    // With stamps recorded at once: the edit changes the file's ctime, so its stamp.
    const ProjectConfig cfg = config();
    const QString path = m_project.filePath(QStringLiteral("m/versions/c_third.py"));
    struct stat before;
    stampedTwice(cfg, path, before);
    write(QStringLiteral("m/versions/c_third.py"), "revision = 'dddd'\ndown_revision = 'bbbb'\ndepends_on = ['aaaa']\n");
    struct utimbuf times{before.st_atime, before.st_mtime};
    QCOMPARE(::utime(QFile::encodeName(path).constData(), &times), 0);
    struct stat after;
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &after), 0);
    QCOMPARE(after.st_size, before.st_size);
    QCOMPARE(after.st_mtime, before.st_mtime);
    const Project p = mapOnly(cfg);
    QCOMPARE(p.reparsed, 1);
    QCOMPARE(p.fromCache, 2);
    QCOMPARE(p.unread, 2);
    QCOMPARE(p.map.files()[2].revision, QStringLiteral("dddd"));
    QCOMPARE(p.map.heads().size(), size_t(1));
    QCOMPARE(p.map.fileOf(p.map.heads().front()).revision, QStringLiteral("dddd"));
}

void tst_ParseCache::fileNameRulesAfterTheLookup()
{
    // Identical bytes without a revision: a legacy hex name gives each its own id; another
    // name gives none. The cache holds one entry for the bytes, the names decide after.
    const QByteArray body = "down_revision = None\n";
    write(QStringLiteral("m/versions/0abc.py"), body);
    write(QStringLiteral("m/versions/0def.py"), body);
    const ProjectConfig cfg = config();
    qputenv("RETORT_NO_CACHE", "1");
    const Project reference = mapOnly(cfg);
    qunsetenv("RETORT_NO_CACHE");
    mapOnly(cfg);
    const Project warm = mapOnly(cfg);
    QCOMPARE(warm.fromCache, 5);
    compareFacts(reference, warm);
    QCOMPARE(warm.map.files()[0].revision, QStringLiteral("0abc"));
    QCOMPARE(warm.map.files()[1].revision, QStringLiteral("0def"));
    QCOMPARE(ParseCache(QFileInfo(cfg.versionLocations.first()).canonicalFilePath(), cfg.flavor).size(), 4);

    QVERIFY(QFile::rename(m_project.filePath(QStringLiteral("m/versions/0def.py")),
                          m_project.filePath(QStringLiteral("m/versions/x_named.py"))));
    const Project renamed = mapOnly(cfg);
    QCOMPARE(renamed.fromCache, 5);
    const RevisionFile &named = renamed.map.files().back();
    QCOMPARE(named.fileName, QStringLiteral("x_named.py"));
    QVERIFY(!named.hasRevision);
}

void tst_ParseCache::prunedAndWrittenOnlyWhenChanged()
{
    const ProjectConfig cfg = config();
    const QString folder = QFileInfo(cfg.versionLocations.first()).canonicalFilePath();
    mapOnly(cfg);
    const QString file = cacheFile();
    QVERIFY(!file.isEmpty());
    struct stat first;
    QCOMPARE(::stat(QFile::encodeName(file).constData(), &first), 0);
    mapOnly(cfg);
    struct stat second;
    QCOMPARE(::stat(QFile::encodeName(file).constData(), &second), 0);
    QCOMPARE(second.st_ino, first.st_ino); // not rewritten: nothing changed
    QCOMPARE(ParseCache(folder, cfg.flavor).size(), 3);

    QVERIFY(QFile::remove(m_project.filePath(QStringLiteral("m/versions/c_third.py"))));
    const Project p = mapOnly(cfg);
    QCOMPARE(p.fromCache, 2);
    QCOMPARE(ParseCache(folder, cfg.flavor).size(), 2);
    // No other file appeared in the cache folder (the temporary file was renamed).
    QCOMPARE(QDir(m_cache.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
}

void tst_ParseCache::flavorIsPartOfTheKey()
{
    // Python 3.13 cleans the docstring's indentation; 3.11 keeps it.
    ProjectConfig cfg = config();
    const Project cleaned = mapOnly(cfg);
    QCOMPARE(cleaned.map.files()[0].longDoc, QStringLiteral("first\n\nRevision ID: a\nCreate Date: 2024-01-01"));
    cfg.flavor.python = QVersionNumber(3, 11);
    const Project kept = mapOnly(cfg);
    QCOMPARE(kept.fromCache, 0);
    QCOMPARE(kept.map.files()[0].longDoc, QStringLiteral("first\n\n    Revision ID: a\n    Create Date: 2024-01-01"));
    QCOMPARE(mapOnly(cfg).fromCache, 3);
}

void tst_ParseCache::hostileCacheFiles()
{
    const ProjectConfig cfg = config();
    qputenv("RETORT_NO_CACHE", "1");
    const Project reference = mapOnly(cfg);
    qunsetenv("RETORT_NO_CACHE");
    mapOnly(cfg);
    const QString file = cacheFile();
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    f.close();
    QVERIFY(good.size() > 100);

    QList<QByteArray> variants{QByteArray(), QByteArray(good.size(), '\0'), QByteArray("RETORTPC"),
                               QByteArray(4096, '\xff')};
    for (qsizetype cut = 1; cut < good.size(); cut += std::max<qsizetype>(1, good.size() / 97))
        variants.append(good.left(cut));
    for (qsizetype at = 0; at < good.size(); at += std::max<qsizetype>(1, good.size() / 89)) {
        QByteArray flipped = good;
        flipped[at] = char(flipped[at] ^ 0x10);
        variants.append(flipped);
    }
    variants.append(good + "tail");
    for (const QByteArray &v : std::as_const(variants)) {
        QFile w(file);
        QVERIFY(w.open(QIODevice::WriteOnly | QIODevice::Truncate));
        w.write(v);
        w.close();
        const Project p = mapOnly(cfg);
        QCOMPARE(p.fromCache, 0); // refused as a whole: parsed again, and the cache rewritten
        compareFacts(reference, p);
        QCOMPARE(mapOnly(cfg).fromCache, 3);
    }

    // A cache folder that is a file, a cache file that is a folder: parsed, nothing written.
    QVERIFY(QFile::remove(file));
    QVERIFY(QDir().mkpath(file));
    const Project p = mapOnly(cfg);
    compareFacts(reference, p);
    QVERIFY(QFileInfo(file).isDir());
    QVERIFY(QDir().rmdir(file));
}

void tst_ParseCache::unwritableOrDisabled()
{
    const ProjectConfig cfg = config();
    qputenv("RETORT_NO_CACHE", "1");
    const Project reference = mapOnly(cfg);
    qunsetenv("RETORT_NO_CACHE");

    QFile blocker(m_cache.filePath(QStringLiteral("not-a-folder")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    qputenv("RETORT_CACHE_DIR", blocker.fileName().toUtf8());
    compareFacts(reference, mapOnly(cfg));
    QCOMPARE(mapOnly(cfg).fromCache, 0);

    if (::geteuid() != 0) {
        const QString locked = m_cache.filePath(QStringLiteral("locked"));
        QVERIFY(QDir().mkpath(locked));
        QVERIFY(QFile::setPermissions(locked, QFile::ReadOwner | QFile::ExeOwner));
        qputenv("RETORT_CACHE_DIR", locked.toUtf8());
        compareFacts(reference, mapOnly(cfg));
        QVERIFY(QDir(locked).isEmpty());
        QFile::setPermissions(locked, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    qputenv("RETORT_CACHE_DIR", m_cache.path().toUtf8());
    qputenv("RETORT_NO_CACHE", "1");
    QVERIFY(ParseCache::directory().isEmpty());
    mapOnly(cfg);
    QVERIFY(cacheFile().isEmpty());
    qputenv("RETORT_NO_CACHE", "0");
    QCOMPARE(ParseCache::directory(), m_cache.path());

    // Where the cache lives without RETORT_CACHE_DIR (nothing is written there by this test).
    qunsetenv("RETORT_CACHE_DIR");
    qputenv("XDG_CACHE_HOME", "/xdg/cache");
    QCOMPARE(ParseCache::directory(), QStringLiteral("/xdg/cache/retort"));
    qputenv("XDG_CACHE_HOME", "relative/is/ignored");
    QCOMPARE(ParseCache::directory(), qEnvironmentVariable("HOME") + QStringLiteral("/.cache/retort"));
    qputenv("RETORT_CACHE_DIR", m_cache.path().toUtf8());
}

void tst_ParseCache::recordsRefuseTruncation()
{
    const ProjectConfig cfg = config();
    auto full = ScriptDirectory::load(cfg);
    QVERIFY(full.isOk());
    for (const RevisionFile &f : full->map.files()) {
        const QByteArray record = ParseCache::encodeFacts(f);
        RevisionFile back;
        QVERIFY(ParseCache::decodeFacts(std::string_view(record.constData(), size_t(record.size())), back));
        QCOMPARE(back.revision, f.revision);
        for (qsizetype cut = 0; cut < record.size(); ++cut) {
            RevisionFile partial;
            partial.revision = QStringLiteral("untouched");
            QVERIFY(!ParseCache::decodeFacts(std::string_view(record.constData(), size_t(cut)), partial));
            QCOMPARE(partial.revision, QStringLiteral("untouched"));
        }
    }
}


void tst_ParseCache::stampsSpareTheRead()
{
    qputenv("RETORT_CACHE_SETTLE_MS", "0");
    const ProjectConfig cfg = config();
    qputenv("RETORT_NO_CACHE", "1");
    const Project reference = mapOnly(cfg);
    qunsetenv("RETORT_NO_CACHE");
    const Project first = mapOnly(cfg);
    QCOMPARE(first.unread, 0);  // parsed, and stamped
    const Project warm = mapOnly(cfg);
    QCOMPARE(warm.unread, 3);
    QCOMPARE(warm.fromCache, 3);
    compareFacts(reference, warm);
    // Not rewritten when nothing changed.
    struct stat before;
    QCOMPARE(::stat(QFile::encodeName(cacheFile()).constData(), &before), 0);
    QCOMPARE(mapOnly(cfg).unread, 3);
    struct stat after;
    QCOMPARE(::stat(QFile::encodeName(cacheFile()).constData(), &after), 0);
    QCOMPARE(after.st_ino, before.st_ino);

    // A touch (mtime only) changes the stamp: read again, found by content, stamped anew.
    const QString path = m_project.filePath(QStringLiteral("m/versions/b_second.py"));
    QCOMPARE(::utime(QFile::encodeName(path).constData(), nullptr), 0);
    const Project touched = mapOnly(cfg);
    QCOMPARE(touched.unread, 2);
    QCOMPARE(touched.fromCache, 3);
    QCOMPARE(touched.reparsed, 0);
    QCOMPARE(mapOnly(cfg).unread, 3);
    // A load that keeps the trees reads every file (it needs their trees) and parses them.
    const auto full = ScriptDirectory::load(cfg, nullptr, LoadOptions{});
    QVERIFY(full.isOk());
    QCOMPARE(full->unread, 0);
    QCOMPARE(full->reparsed, 3);
}

void tst_ParseCache::replacedFileIsRead()
{
    // An editor's atomic save: another file renamed over the old one, same size, the old
    // mtime put back. The inode differs: read, parsed, the new facts answer.
    const ProjectConfig cfg = config();
    const QString path = m_project.filePath(QStringLiteral("m/versions/c_third.py"));
    struct stat before;
    stampedTwice(cfg, path, before);
    write(QStringLiteral("m/versions/c_third.tmp"), "revision = 'eeee'\ndown_revision = 'bbbb'\ndepends_on = ['aaaa']\n");
    const QString tmp = m_project.filePath(QStringLiteral("m/versions/c_third.tmp"));
    struct utimbuf times{before.st_atime, before.st_mtime};
    QCOMPARE(::utime(QFile::encodeName(tmp).constData(), &times), 0);
    QCOMPARE(::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(path).constData()), 0);
    const Project p = mapOnly(cfg);
    QCOMPARE(p.unread, 2);
    QCOMPARE(p.reparsed, 1);
    QCOMPARE(p.map.files()[2].revision, QStringLiteral("eeee"));
    // A file gone: nothing of it answers, and its stamp drops out.
    QVERIFY(QFile::remove(path));
    const Project gone = mapOnly(cfg);
    QCOMPARE(gone.map.files().size(), 2);
    QCOMPARE(gone.unread, 2);
}

void tst_ParseCache::recentFilesAreNotStamped()
{
    // With the default margin, files written a moment ago are read and hashed on every load
    // (a change within the file system's timestamp granularity could hide behind an equal
    // stamp) -- still from the cache by their content.
    const ProjectConfig cfg = config();
    mapOnly(cfg);
    const Project p = mapOnly(cfg);
    QCOMPARE(p.fromCache, 3);
    QCOMPARE(p.unread, 0);
}

QTEST_GUILESS_MAIN(tst_ParseCache)
#include "tst_parsecache.moc"

// Files with the same bytes share one record (the cache is keyed by content), however many
// files a folder holds and wherever the twins are in it: the file written is the same size
// with the twins as without them (none is stamped yet: they are seconds old).
void tst_ParseCache::oneRecordPerContent()
{
    const ProjectConfig cfg = config();
    const QString folder = QFileInfo(cfg.versionLocations.first()).canonicalFilePath();
    auto text = [](int i) { return QByteArray("revision = 'd") + QByteArray::number(i) + "'\ndown_revision = None\n"; };
    for (int i = 0; i < 300; ++i)
        write(QStringLiteral("m/versions/d%1.py").arg(i, 3, 10, QLatin1Char('0')), text(i));
    QCOMPARE(mapOnly(cfg).reparsed, 303);
    const qint64 alone = QFileInfo(cacheFile()).size();
    QVERIFY(alone > 0);
    QVERIFY(QFile::remove(cacheFile()));

    // Each of 38 of them copied under a second name, spread through the listing.
    for (int i = 0; i < 300; i += 8)
        write(QStringLiteral("m/versions/d%1_twin.py").arg(i, 3, 10, QLatin1Char('0')), text(i));
    const Project cold = mapOnly(cfg);
    const int files = int(cold.map.files().size());
    QCOMPARE(files, 303 + 38);
    QCOMPARE(cold.reparsed, files);
    QCOMPARE(QFileInfo(cacheFile()).size(), alone);
    QCOMPARE(ParseCache(folder, cfg.flavor).size(), 303);
    QCOMPARE(QDir(m_cache.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    const Project warm = mapOnly(cfg);
    QCOMPARE(warm.fromCache, files);
    QCOMPARE(warm.reparsed, 0);
}
