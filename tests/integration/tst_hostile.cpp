// Hostile input (issue 14): each defect the ASan + fuzzer sweep found, with the real oracle
// where there is one (Python's configparser, tomllib and sqlite3, Debian's Alembic, a
// throwaway PostgreSQL). Every case here crashed, hung or answered wrongly before its fix.
#include "cli/commands.h"
#include "db/connection.h"
#include "db/versiontable.h"
#include "inspect/inspector.h"
#include "project/inifile.h"
#include "project/nativefile.h"
#include "project/contenthash.h"
#include "project/parsecache.h"
#include "project/projectconfig.h"
#include "project/scriptdirectory.h"
#include "project/tomlreader.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace retort::core;
using namespace testsupport;

class tst_Hostile : public QObject
{
    Q_OBJECT
private slots:
    void tomlDeepNesting();
    void iniInterpolationLikeConfigparser_data();
    void iniInterpolationLikeConfigparser();
    void badUrlInterpolationFailsOnlyWhatConnects();
    void relativeTargetsOverflow_data();
    void relativeTargetsOverflow();
    void symlinkedFoldersAreNotEntered();
    void sourcelessCompiledRevisionsAreRefused();
    void danglingLinkFailsAsAlembicDoes();
    void fifoRevisionFileDoesNotBlock();
    void nonUtf8FileNameKeepsItsBytes();
    void percentInPaths();
    void conninfoValuesStayValues();
    void badPortsRefused_data();
    void badPortsRefused();
    void deadServerIsOneLine();
    void sqliteNotAFile_data();
    void sqliteNotAFile();
    void sqliteNotADatabaseSaysWhy();
    void sqliteHotJournalReadLikePython();
    void sqliteBadRegexIsOneError();
    void sqliteReferencedByBuiltOnce();
    void hostileParseCacheFiles();

private:
    static void write(const QString &path, const QByteArray &text)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
    // Waits for a worker that may block on a FIFO; if it does not finish, opens the FIFO for
    // writing so the reader wakes up and the thread can be joined, and says so.
    static bool finishes(std::thread &t, const std::atomic<bool> &done, const QString &fifo, int ms = 10000)
    {
        QDeadlineTimer deadline(ms);
        while (!done && !deadline.hasExpired())
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        const bool ok = done;
        if (!ok) {
            const int fd = ::open(QFile::encodeName(fifo).constData(), O_RDWR);
            if (fd >= 0)
                ::close(fd);
        }
        t.join();
        return ok;
    }
    static RunResult python(const QString &script, const QStringList &args = {})
    {
        return run(systemPython(), QStringList{QStringLiteral("-c"), script} + args, QDir::tempPath());
    }
    // A project a <- b <- c in `dir`, its SQLite database stamped at `stamp`.
    static void threeRevisions(const QString &dir, const QByteArray &stamp = "c");
    static CommandOutput cli(const QString &cwd, QStringList args)
    {
        args << QStringLiteral("--config") << QDir(cwd).filePath(QStringLiteral("alembic.ini"));
        return CommandLine::run(args, cwd);
    }
};

void tst_Hostile::threeRevisions(const QString &dir, const QByteArray &stamp)
{
    write(dir + QStringLiteral("/alembic.ini"),
          "[alembic]\nscript_location = %(here)s/m\nsqlalchemy.url = sqlite:///%(here)s/db.sqlite\n");
    write(dir + QStringLiteral("/m/env.py"),
          "from alembic import context\nfrom sqlalchemy import engine_from_config, pool\nconfig = context.config\n"
          "engine = engine_from_config(config.get_section(config.config_ini_section), prefix='sqlalchemy.', "
          "poolclass=pool.NullPool)\nwith engine.connect() as connection:\n"
          "    context.configure(connection=connection)\n    with context.begin_transaction():\n"
          "        context.run_migrations()\n");
    write(dir + QStringLiteral("/m/script.py.mako"), "");
    QByteArray down = "None";
    for (const char *rev : {"a", "b", "c"}) {
        write(dir + QStringLiteral("/m/versions/%1.py").arg(QLatin1String(rev)),
              "revision = '" + QByteArray(rev) + "'\ndown_revision = " + down
                  + "\ndef upgrade():\n    pass\ndef downgrade():\n    pass\n");
        down = "'" + QByteArray(rev) + "'";
    }
    const RunResult r = python(QStringLiteral("import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n"
                                              "c.execute('create table alembic_version (version_num varchar(32) not null)')\n"
                                              "c.execute('insert into alembic_version values (?)', (sys.argv[2],))\nc.commit()\n"),
                               {dir + QStringLiteral("/db.sqlite"), QString::fromLatin1(stamp)});
    QCOMPARE(r.exitCode, 0);
}

// ---------------------------------------------------------------------------------------

void tst_Hostile::tomlDeepNesting()
{
    // Python's tomllib gives up (RecursionError) between these two depths; so does Retort,
    // with a message instead of a stack overflow.
    auto nested = [](int n) { return QStringLiteral("[tool.alembic]\nx = ") + QString(n, u'[') + QString(n, u']') + u'\n'; };
    const QString probe = QStringLiteral(
        "import tomllib,sys\nn=int(sys.argv[1])\n"
        "try:\n    tomllib.loads('[tool.alembic]\\nx = ' + '['*n + ']'*n + '\\n'); print('ok')\n"
        "except RecursionError: print('RecursionError')\n");
    QCOMPARE(python(probe, {QStringLiteral("497")}).out.trimmed(), QStringLiteral("ok"));
    QCOMPARE(python(probe, {QStringLiteral("498")}).out.trimmed(), QStringLiteral("RecursionError"));
    QString error;
    parseTomlTable(nested(497), QStringLiteral("tool.alembic"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (int n : {498, 200000}) {
        error.clear();
        parseTomlTable(nested(n), QStringLiteral("tool.alembic"), &error);
        QCOMPARE(error, QStringLiteral("the value of 'x' in [tool.alembic] nests arrays more than 497 deep"));
    }
    // Through the file: one line naming the file.
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("pyproject.toml")), nested(100000).toUtf8());
    write(dir.filePath(QStringLiteral("m/versions/.keep")), "");
    qputenv("RETORT_ALEMBIC_FLAVOR", "alembic=1.16.1");  // the Alembic that reads pyproject.toml
    auto cfg = ProjectConfig::open(dir.path());
    qunsetenv("RETORT_ALEMBIC_FLAVOR");
    QVERIFY(!cfg);
    QVERIFY(cfg.error().message.startsWith(dir.filePath(QStringLiteral("pyproject.toml"))));
    QVERIFY(!cfg.error().message.contains(u'\n'));
}

void tst_Hostile::iniInterpolationLikeConfigparser_data()
{
    QTest::addColumn<QString>("ini");
    QTest::addColumn<QString>("option");
    QTest::newRow("self reference") << "[alembic]\nurl = %(url)s\n" << "url";
    QTest::newRow("two references each other") << "[alembic]\na = x%(b)s\nb = y%(a)s\n" << "a";
    QTest::newRow("chain of ten") << "[alembic]\na = %(b)s\nb = %(c)s\nc = %(d)s\nd = %(e)s\ne = %(f)s\nf = %(g)s\n"
                                     "g = %(h)s\nh = %(i)s\ni = %(j)s\nj = %(k)s\nk = end\n"
                                  << "a";
    QTest::newRow("chain of eleven") << "[alembic]\na = %(b)s\nb = %(c)s\nc = %(d)s\nd = %(e)s\ne = %(f)s\nf = %(g)s\n"
                                        "g = %(h)s\nh = %(i)s\ni = %(j)s\nj = %(k)s\nk = %(l)s\nl = end\n"
                                     << "a";
    QTest::newRow("missing key") << "[alembic]\nurl = sqlite:///%(nowhere)s/x.db\n" << "url";
    QTest::newRow("lone percent") << "[alembic]\nurl = postgresql://u:p%40ss@h/db\n" << "url";
    QTest::newRow("unclosed reference") << "[alembic]\nurl = %(here\n" << "url";
    QTest::newRow("defaults and escapes") << "[DEFAULT]\nroot = /srv\n[alembic]\nu = %%(x)s %(root)s %(here)s\n" << "u";
    QTest::newRow("upper-case key") << "[alembic]\nRoot = /r\nu = %(ROOT)s\n" << "u";
    // Quadratic (minutes) before: every '%' scanned the rest of the value.
    QTest::newRow("long unclosed") << "[alembic]\nurl = " + QString(60000, u'%').replace(QStringLiteral("%%"), QStringLiteral("%(")) + "\n"
                                   << "url";
    QString many = QStringLiteral("[alembic]\nx = ab\nurl = ");
    for (int i = 0; i < 20000; ++i)
        many += QStringLiteral("%(x)s");
    QTest::newRow("many references") << many + "\n" << "url";
}

void tst_Hostile::iniInterpolationLikeConfigparser()
{
    QFETCH(QString, ini);
    QFETCH(QString, option);
    const RunResult py = python(
        QStringLiteral("import configparser,sys\np=configparser.ConfigParser(defaults={'here': '/p'})\n"
                       "p.read(sys.argv[1])\n"
                       "try:\n    sys.stdout.write('VALUE ' + p.get('alembic', sys.argv[2]))\n"
                       "except configparser.Error as e:\n    sys.stdout.write('ERROR ' + str(e))\n"),
        {[&] {
             static QTemporaryDir dir;
             const QString f = dir.filePath(QStringLiteral("a.ini"));
             write(f, ini.toUtf8());
             return f;
         }(),
         option});
    QCOMPARE(py.exitCode, 0);
    const IniFile parsed = IniFile::fromText(ini, {{QStringLiteral("here"), QStringLiteral("/p")}});
    auto got = parsed.get(QStringLiteral("alembic"), option);
    if (py.out.startsWith(QLatin1String("VALUE "))) {
        QVERIFY2(got, got ? "" : qPrintable(got.error().message));
        QCOMPARE(got->value_or(QStringLiteral("<absent>")), py.out.mid(6));
        return;
    }
    QVERIFY2(!got, "configparser raised, Retort answered");
    const QString expected = py.out.mid(6);
    const QString message = got.error().message;
    QVERIFY(!message.contains(u'\n'));
    if (message.endsWith(QStringLiteral("…"))) // a long raw value, cut short for the person reading
        QVERIFY2(expected.startsWith(message.chopped(2)), qPrintable(message.left(300)));
    else
        QCOMPARE(message, expected);
}

void tst_Hostile::badUrlInterpolationFailsOnlyWhatConnects()
{
    // Alembic reads sqlalchemy.url only to connect: `heads` works, `current` fails with
    // configparser's InterpolationDepthError. Retort read it eagerly and looped forever.
    QTemporaryDir dir;
    threeRevisions(dir.path());
    write(dir.filePath(QStringLiteral("alembic.ini")),
          "[alembic]\nscript_location = %(here)s/m\nsqlalchemy.url = %(sqlalchemy.url)s\n");
    const RunResult aHeads = alembic(dir.path(), {QStringLiteral("heads")});
    QCOMPARE(aHeads.exitCode, 0);
    const auto heads = cli(dir.path(), {QStringLiteral("heads")});
    QCOMPARE(heads.exitCode, 0);
    QCOMPARE(QString::fromStdString(heads.out).trimmed(), aHeads.out.trimmed());

    const RunResult aCurrent = alembic(dir.path(), {QStringLiteral("current")});
    QVERIFY(aCurrent.exitCode != 0);
    QVERIFY(aCurrent.err.contains(QStringLiteral("InterpolationDepthError")));
    const auto current = cli(dir.path(), {QStringLiteral("current")});
    QCOMPARE(current.exitCode, aCurrent.exitCode); // 1: configparser's exception escapes
    const QString err = QString::fromStdString(current.err).trimmed();
    QVERIFY2(!err.contains(u'\n'), qPrintable(err));
    QVERIFY2(err.startsWith(QStringLiteral("configparser.InterpolationDepthError: ")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("Recursion limit exceeded in value substitution: option 'sqlalchemy.url' in "
                                         "section 'alembic'")),
             qPrintable(err));
    QVERIFY(aCurrent.err.contains(err.mid(err.indexOf(QStringLiteral("Recursion limit")))));
}

void tst_Hostile::relativeTargetsOverflow_data()
{
    QTest::addColumn<QString>("direction");
    QTest::addColumn<QString>("target");
    for (const char *t : {"-9223372036854775808", "-9223372036854775809", "+4294967297", "+9223372036854775807",
                          "head-99999999999999999999", "a+4294967297", "a+99999999999999999999", "+0000000000000000000004",
                          "-00", "c@head-4294967296"}) {
        QTest::newRow(qPrintable(QStringLiteral("upgrade %1").arg(QLatin1String(t)))) << "upgrade" << QString::fromLatin1(t);
    }
    for (const char *t : {"-9223372036854775808", "-4294967297", "head-99999999999999999999", "c-4294967297",
                          "base+4294967297", "c-2", "b+18446744073709551617"}) {
        QTest::newRow(qPrintable(QStringLiteral("downgrade %1").arg(QLatin1String(t)))) << "downgrade" << QString::fromLatin1(t);
    }
}

void tst_Hostile::relativeTargetsOverflow()
{
    QFETCH(QString, direction);
    QFETCH(QString, target);
    static QTemporaryDir dir;
    static bool made = false;
    if (!made) {
        threeRevisions(dir.path());
        made = true;
    }
    // Alembic on a copy of the database (a target it accepts would move it).
    QFile::remove(dir.filePath(QStringLiteral("run.sqlite")));
    QVERIFY(QFile::copy(dir.filePath(QStringLiteral("db.sqlite")), dir.filePath(QStringLiteral("run.sqlite"))));
    write(dir.filePath(QStringLiteral("run.ini")),
          "[alembic]\nscript_location = %(here)s/m\nsqlalchemy.url = sqlite:///%(here)s/run.sqlite\n");
    const RunResult a = alembic(dir.path(), {QStringLiteral("-c"), QStringLiteral("run.ini"), direction, target});
    const auto r = CommandLine::run({QStringLiteral("plan"), direction, target, QStringLiteral("--from"), QStringLiteral("c"),
                                     QStringLiteral("--config"), dir.filePath(QStringLiteral("alembic.ini"))},
                                    dir.path());
    const QString err = QString::fromStdString(r.err).trimmed();
    if (a.exitCode == 0) {
        QVERIFY2(r.exitCode == 0, qPrintable(err));
        return;
    }
    // Alembic refuses (a CommandError, or an AssertionError from its walk): so must Retort.
    QVERIFY2(r.exitCode != 0, qPrintable(QStringLiteral("Alembic refused (%1), Retort planned:\n%2")
                                             .arg(a.err.trimmed().section(u'\n', -1), QString::fromStdString(r.out))));
    // As Alembic's command line ends: 255 and "FAILED: ..." on stdout for a CommandError,
    // 1 for an exception it does not catch.
    QCOMPARE(r.exitCode, a.exitCode);
    static const QRegularExpression failed(QStringLiteral("^FAILED: (.*)$"), QRegularExpression::MultilineOption);
    const auto m = failed.match(a.out);
    if (m.hasMatch())
        QCOMPARE(QString::fromStdString(r.out).trimmed(), m.captured(0).trimmed());
}

void tst_Hostile::symlinkedFoldersAreNotEntered()
{
    // os.walk does not follow links to folders. Before: a link to "." loaded every file again
    // per level ("loaded twice" warnings); links to "." and ".." together never finished.
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("alembic.ini")),
          "[alembic]\nscript_location = %(here)s/m\nrecursive_version_locations = true\n");
    write(dir.filePath(QStringLiteral("m/versions/a.py")), "revision = 'a'\ndown_revision = None\n");
    write(dir.filePath(QStringLiteral("m/versions/sub/b.py")), "revision = 'b'\ndown_revision = 'a'\n");
    write(dir.filePath(QStringLiteral("elsewhere/x.py")), "revision = 'x'\ndown_revision = 'b'\n");
    QVERIFY(QFile::link(QStringLiteral("."), dir.filePath(QStringLiteral("m/versions/self"))));
    QVERIFY(QFile::link(QStringLiteral(".."), dir.filePath(QStringLiteral("m/versions/sub/up"))));
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("elsewhere")), dir.filePath(QStringLiteral("m/versions/linked"))));
    // A link to a file is a file, as for os.walk.
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("elsewhere/x.py")), dir.filePath(QStringLiteral("m/versions/x_link.py"))));
    auto cfg = ProjectConfig::open(dir.path());
    QVERIFY(cfg);
    auto project = ScriptDirectory::load(*cfg);
    QVERIFY(project);
    QVERIFY2(project->warnings.isEmpty(), qPrintable(project->warnings.value(0).message));
    QCOMPARE(project->map.size(), 3);
    QCOMPARE(ScriptDirectory::listRevisionFiles(dir.filePath(QStringLiteral("m/versions")), true),
             (QStringList{QStringLiteral("a.py"), QStringLiteral("x_link.py"), QStringLiteral("sub/b.py")}));
}

void tst_Hostile::sourcelessCompiledRevisionsAreRefused()
{
    // With sourceless = true Alembic imports a .pyc without its .py, and __pycache__ files for
    // names the folder lacks. Before: Retort left them out and answered with a smaller graph.
    auto load = [](const QString &root, const QByteArray &options) {
        write(root + QStringLiteral("/alembic.ini"), "[alembic]\nscript_location = %(here)s/m\n" + options);
        write(root + QStringLiteral("/m/versions/a.py"), "revision = 'a'\ndown_revision = None\n");
        auto cfg = ProjectConfig::open(root);
        return ScriptDirectory::load(*cfg);
    };
    QTemporaryDir legacy;
    write(legacy.filePath(QStringLiteral("m/versions/b.pyc")), "compiled");
    auto refused = load(legacy.path(), "sourceless = true\n");
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(QStringLiteral("/m/versions/b.pyc: sourceless = true")),
             qPrintable(refused.error().message));
    auto plain = load(legacy.path(), "");
    QVERIFY(plain);
    QCOMPARE(plain->map.size(), 1);

    QTemporaryDir cached;
    write(cached.filePath(QStringLiteral("m/versions/__pycache__/a.cpython-313.pyc")), "compiled");
    auto withSource = load(cached.path(), "sourceless = true\n");
    QVERIFY2(withSource, qPrintable(withSource ? QString() : withSource.error().message));
    QCOMPARE(withSource->map.size(), 1);
    write(cached.filePath(QStringLiteral("m/versions/__pycache__/b.cpython-313.pyc")), "compiled");
    auto orphan = load(cached.path(), "sourceless = true\n");
    QVERIFY(!orphan);
    QVERIFY2(orphan.error().message.contains(QStringLiteral("__pycache__/b.cpython-313.pyc")), qPrintable(orphan.error().message));

    // recursive, through a link back up: not followed, as os.walk does not
    QTemporaryDir looped;
    write(looped.filePath(QStringLiteral("m/versions/sub/c.py")), "revision = 'c'\ndown_revision = 'a'\n");
    QVERIFY(QFile::link(looped.filePath(QStringLiteral("m/versions")), looped.filePath(QStringLiteral("m/versions/sub/up"))));
    auto walked = load(looped.path(), "sourceless = true\nrecursive_version_locations = true\n");
    QVERIFY2(walked, qPrintable(walked ? QString() : walked.error().message));
    QCOMPARE(walked->map.size(), 2);
}

void tst_Hostile::danglingLinkFailsAsAlembicDoes()
{
    // Alembic lists the link, finds no file behind it and raises ImportError ("Can't find
    // Python file"): a traceback, exit status 1. Before: Retort named the class OSError.
    QTemporaryDir dir;
    threeRevisions(dir.path());
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("nowhere.py")), dir.filePath(QStringLiteral("m/versions/dangling.py"))));
    const RunResult alembic = run(systemPython(), {QStringLiteral("-m"), QStringLiteral("alembic"), QStringLiteral("heads")},
                                  dir.path());
    QCOMPARE(alembic.exitCode, 1);
    QVERIFY2(alembic.err.trimmed().split(QLatin1Char('\n')).last().startsWith(QStringLiteral("ImportError: Can't find Python file")),
             qPrintable(alembic.err));
    const CommandOutput out = cli(dir.path(), {QStringLiteral("heads")});
    QCOMPARE(out.exitCode, 1);
    QVERIFY2(QByteArray::fromStdString(out.err).startsWith("ImportError: "), out.err.c_str());
}

void tst_Hostile::fifoRevisionFileDoesNotBlock()
{
    QTemporaryDir dir;
    threeRevisions(dir.path());
    const QString fifo = dir.filePath(QStringLiteral("m/versions/d.py"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    auto cfg = ProjectConfig::open(dir.path());
    QVERIFY(cfg);
    std::atomic<bool> done{false};
    Result<Project> project = makeError(Error::Code::Io, QStringLiteral("not run"));
    std::thread loader([&] {
        project = ScriptDirectory::load(*cfg);
        done = true;
    });
    QVERIFY2(finishes(loader, done, fifo), "reading the project waited on a FIFO");
    QVERIFY(project);
    const QList<Diagnostic> problems = project->map.diagnostics();
    bool named = false;
    for (const Diagnostic &d : problems)
        named = named || (d.message.contains(QStringLiteral("not a regular file")) && d.message.contains(fifo));
    QVERIFY(named);
}

void tst_Hostile::nonUtf8FileNameKeepsItsBytes()
{
    QTemporaryDir dir;
    threeRevisions(dir.path());
    const QByteArray name = QFile::encodeName(dir.filePath(QStringLiteral("m/versions/"))) + "caf\xe9_d.py";
    {
        const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        QVERIFY(fd >= 0);
        const QByteArray src = "revision = 'd'\ndown_revision = 'c'\n";
        QCOMPARE(::write(fd, src.constData(), size_t(src.size())), ssize_t(src.size()));
        ::close(fd);
    }
    // Alembic reads it.
    const RunResult a = alembic(dir.path(), {QStringLiteral("heads")});
    QCOMPARE(a.exitCode, 0);
    QVERIFY(a.out.startsWith(QStringLiteral("d (head)")));
    auto cfg = ProjectConfig::open(dir.path());
    QVERIFY(cfg);
    auto project = ScriptDirectory::load(*cfg);
    QVERIFY(project);
    QVERIFY2(project->map.isValid(), qPrintable(project->map.loadError().message));
    const int d = project->map.indexOf(QStringLiteral("d"));
    QVERIFY(d >= 0);
    const RevisionFile &f = project->map.fileOf(d);
    QCOMPARE(encodeFileName(f.path), name);
    // Reopened (live reload, the editor) by the name it was listed under.
    const RevisionFile again = ScriptDirectory::readRevisionFile(f.path, f.fileName, project->config.flavor.grammar());
    QVERIFY2(again.problems.isEmpty(), qPrintable(again.problems.value(0).message));
    QCOMPARE(again.revision, QStringLiteral("d"));
    QFile qf;
    QVERIFY(openForReading(qf, f.path));
    QVERIFY(qf.readAll().startsWith("revision = 'd'"));
    const auto heads = cli(dir.path(), {QStringLiteral("heads")});
    QCOMPARE(QString::fromStdString(heads.out).trimmed(), a.out.trimmed());
    ::unlink(name.constData()); // QTemporaryDir cannot name it to remove it
}

void tst_Hostile::percentInPaths()
{
    // A project under "%1 %2": before, `.arg(path).arg(line)` put the line number into the path.
    QTemporaryDir root;
    const QString dir = root.filePath(QStringLiteral("p%1 %2x"));
    threeRevisions(dir);
    write(dir + QStringLiteral("/m/versions/d.py"), "revision = 'd'\ndown_revision = 'nowhere'\n");
    // `here` holds the '%': configparser (so Alembic) refuses %(here)s there, and any
    // [post_write_hooks] section; Retort refuses the same, in the same words.
    for (const QByteArray &ini : {QByteArray("[alembic]\nscript_location = %(here)s/m\n"),
                                  QByteArray("[alembic]\nscript_location = m\n[post_write_hooks]\n")}) {
        write(dir + QStringLiteral("/alembic.ini"), ini);
        const RunResult a = alembic(dir, {QStringLiteral("heads")});
        QVERIFY(a.exitCode != 0);
        QVERIFY(a.err.contains(QStringLiteral("InterpolationSyntaxError: '%' must be followed by '%' or '(', found: '%1 %2x'")));
        // configparser's exception escapes Alembic's command line: exit status 1, on stderr.
        const auto r = cli(dir, {QStringLiteral("heads")});
        QCOMPARE(r.exitCode, a.exitCode);
        QCOMPARE(QString::fromStdString(r.out), QString());
        QCOMPARE(QString::fromStdString(r.err).trimmed(),
                 QStringLiteral("configparser.InterpolationSyntaxError: ") + dir + QStringLiteral("/alembic.ini: '%' must be followed by '%' or '(', found: '%1 %2x'"));
    }
    // Without %(here)s the project reads, and messages name the file and line truly.
    write(dir + QStringLiteral("/alembic.ini"), "[alembic]\nscript_location = m\n");
    const RunResult a = alembic(dir, {QStringLiteral("heads")});
    QVERIFY(a.err.contains(QStringLiteral("Revision nowhere referenced from nowhere -> d (head)")));
    auto cfg = ProjectConfig::load(QStringLiteral("alembic.ini"), QStringLiteral("alembic"), dir);
    QVERIFY2(cfg, cfg ? "" : qPrintable(cfg.error().message));
    auto project = ScriptDirectory::load(*cfg);
    QVERIFY(project);
    QString all = project->map.loadError().message;
    for (const Diagnostic &d : project->map.diagnostics())
        all += u'\n' + d.message;
    QVERIFY2(all.contains(dir + QStringLiteral("/m/versions/d.py:2")), qPrintable(all));
    const auto check = cli(dir, {QStringLiteral("check")});
    const QString out = QString::fromStdString(check.out + check.err);
    QVERIFY2(out.contains(dir + QStringLiteral("/m/versions/d.py:2")), qPrintable(out));
}

void tst_Hostile::conninfoValuesStayValues()
{
    PostgresServer pg;
    QVERIFY2(pg.isRunning(), qPrintable(pg.error()));
    // "x port=2" is the application name, not a second port option.
    auto url = SqlUrl::parse(pg.url(QStringLiteral("postgres")) + QStringLiteral("?application_name=x%20port=2"));
    QVERIFY(url);
    auto conn = ScopedConnection::open(*url, QDir::tempPath());
    QVERIFY2(conn, conn ? "" : qPrintable(conn.error().message));
    QSqlQuery q(conn->database());
    QVERIFY(q.exec(QStringLiteral("SELECT current_setting('application_name'), inet_server_port()")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("x port=2"));
    QCOMPARE(q.value(1).toInt(), pg.port());
    // A quote and a backslash survive too.
    url = SqlUrl::parse(pg.url(QStringLiteral("postgres")) + QStringLiteral("?application_name=it%27s%5Cok"));
    conn = ScopedConnection::open(*url, QDir::tempPath());
    QVERIFY2(conn, conn ? "" : qPrintable(conn.error().message));
    QSqlQuery q2(conn->database());
    QVERIFY(q2.exec(QStringLiteral("SELECT current_setting('application_name')")) && q2.next());
    QCOMPARE(q2.value(0).toString(), QStringLiteral("it's\\ok"));
    // "require sslmode=disable" is one (invalid) sslmode, which libpq refuses.
    url = SqlUrl::parse(pg.url(QStringLiteral("postgres")) + QStringLiteral("?sslmode=require%20sslmode=disable"));
    conn = ScopedConnection::open(*url, QDir::tempPath());
    QVERIFY(!conn);
    QVERIFY2(conn.error().message.contains(QStringLiteral("invalid sslmode value: \"require sslmode=disable\"")),
             qPrintable(conn.error().message));
    // QPSQL turns every ';' into a space: refused rather than changed.
    url = SqlUrl::parse(pg.url(QStringLiteral("postgres")) + QStringLiteral("?application_name=a%3Bb"));
    conn = ScopedConnection::open(*url, QDir::tempPath());
    QVERIFY(!conn);
    QVERIFY(conn.error().message.contains(QStringLiteral("holds a ';'")));
}

void tst_Hostile::badPortsRefused_data()
{
    QTest::addColumn<QString>("port");
    for (const char *p : {"0", "-1", "65536", "99999999999", "5432x"})
        QTest::newRow(p) << QString::fromLatin1(p);
}

void tst_Hostile::badPortsRefused()
{
    // SQLAlchemy accepts any int; libpq refuses all but 1..65535. Before, 0 meant 5432 and -1 was accepted.
    QFETCH(QString, port);
    auto url = SqlUrl::parse(QStringLiteral("postgresql://u@127.0.0.1:%1/db").arg(port));
    QVERIFY(!url);
    QCOMPARE(url.error().message,
             QStringLiteral("Invalid port '%1' in the database URL: a port is a number from 1 to 65535.").arg(port));
    QVERIFY(SqlUrl::parse(QStringLiteral("postgresql://u@127.0.0.1:65535/db")));
    QVERIFY(SqlUrl::parse(QStringLiteral("postgresql://u@127.0.0.1:1/db")));
}

void tst_Hostile::deadServerIsOneLine()
{
    QTemporaryDir dir;
    threeRevisions(dir.path());
    const QString url = QStringLiteral("postgresql://nobody:pw@localhost:%1/db").arg(freePort());
    const auto r = cli(dir.path(), {QStringLiteral("current"), QStringLiteral("--url"), url});
    QCOMPARE(r.exitCode, 255);
    const QString err = QString::fromStdString(r.out + r.err).trimmed();
    QVERIFY2(!err.contains(u'\n'), qPrintable(err));
    QVERIFY2(err.startsWith(QStringLiteral("FAILED: Cannot connect to postgresql://nobody:XXXXX@localhost:")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("Connection refused")), qPrintable(err));
}

void tst_Hostile::sqliteNotAFile_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("directory") << "a directory";
    QTest::newRow("fifo") << "a FIFO";
}

void tst_Hostile::sqliteNotAFile()
{
    QFETCH(QString, kind);
    QTemporaryDir dir;
    threeRevisions(dir.path());
    const QString db = dir.filePath(QStringLiteral("odd.sqlite"));
    if (kind == QLatin1String("a directory"))
        QVERIFY(QDir().mkpath(db));
    else
        QCOMPARE(::mkfifo(QFile::encodeName(db).constData(), 0600), 0);
    std::atomic<bool> done{false};
    CommandOutput r;
    std::thread t([&] {
        r = cli(dir.path(), {QStringLiteral("current"), QStringLiteral("--url"), QStringLiteral("sqlite:///odd.sqlite")});
        done = true;
    });
    QVERIFY2(finishes(t, done, db), "opening the database waited on a FIFO");
    QCOMPARE(r.exitCode, 255);
    QCOMPARE(QString::fromStdString(r.out).trimmed(),
             QStringLiteral("FAILED: Cannot open sqlite:///odd.sqlite: %1 is %2, not a SQLite database file.").arg(db, kind));
}

void tst_Hostile::sqliteNotADatabaseSaysWhy()
{
    QTemporaryDir dir;
    threeRevisions(dir.path());
    write(dir.filePath(QStringLiteral("text.sqlite")), QByteArray(4096, 'x'));
    const RunResult py = python(QStringLiteral("import sqlite3,sys\ntry:\n    sqlite3.connect(sys.argv[1]).execute('select 1 from "
                                               "sqlite_master').fetchall()\nexcept sqlite3.Error as e:\n    print(e)\n"),
                                {dir.filePath(QStringLiteral("text.sqlite"))});
    QCOMPARE(py.out.trimmed(), QStringLiteral("file is not a database"));
    const auto r = cli(dir.path(), {QStringLiteral("current"), QStringLiteral("--url"), QStringLiteral("sqlite:///text.sqlite")});
    QCOMPARE(r.exitCode, 255);
    QCOMPARE(QString::fromStdString(r.out).trimmed(),
             QStringLiteral("FAILED: Cannot read sqlite:///text.sqlite: ") + py.out.trimmed());
}

void tst_Hostile::sqliteHotJournalReadLikePython()
{
    QTemporaryDir dir;
    threeRevisions(dir.path(), "b");
    const QString db = dir.filePath(QStringLiteral("db.sqlite"));
    // A transaction that crashes half-way: the rollback journal is left behind, hot.
    const RunResult crash = python(
        QStringLiteral("import sqlite3,sys,os\nc=sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                       "c.execute('pragma cache_size=1')\nc.execute('begin')\n"
                       "c.execute(\"update alembic_version set version_num='c'\")\n"
                       "c.execute('create table filler(x)')\n"
                       "c.executemany('insert into filler values (?)', [('x'*500,) for _ in range(2000)])\nos._exit(3)\n"),
        {db});
    QCOMPARE(crash.exitCode, 3);
    const QString journal = db + QStringLiteral("-journal");
    QVERIFY(QFileInfo(journal).size() > 0);
    auto digest = [](const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256) : QByteArray();
    };
    const QByteArray dbBefore = digest(db), journalBefore = digest(journal);

    // Python's sqlite3 (on a copy: it would roll back into the file) reads the committed row.
    QTemporaryDir copy;
    QVERIFY(QFile::copy(db, copy.filePath(QStringLiteral("db.sqlite"))));
    QVERIFY(QFile::copy(journal, copy.filePath(QStringLiteral("db.sqlite-journal"))));
    const RunResult py = python(QStringLiteral("import sqlite3,sys\nprint(sqlite3.connect(sys.argv[1]).execute('select version_num "
                                               "from alembic_version').fetchall()[0][0])\n"),
                                {copy.filePath(QStringLiteral("db.sqlite"))});
    QCOMPARE(py.out.trimmed(), QStringLiteral("b"));

    const auto r = cli(dir.path(), {QStringLiteral("current")});
    QVERIFY2(r.exitCode == 0, r.err.c_str());
    QVERIFY2(QString::fromStdString(r.out).startsWith(QStringLiteral("b")), r.out.c_str());
    // Nothing written to the user's files: the journal is still there for a real recovery.
    QCOMPARE(digest(db), dbBefore);
    QCOMPARE(digest(journal), journalBefore);
}

void tst_Hostile::sqliteBadRegexIsOneError()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("s.sqlite"));
    {
        QSqlDatabase c = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("regex-setup"));
        c.setDatabaseName(db);
        QVERIFY(c.open());
        QSqlQuery q(c);
        for (int i = 0; i < 50; ++i)
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE t%1 (id INTEGER PRIMARY KEY)").arg(i)));
        c.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("regex-setup"));
    auto inspector = Inspector::connect(QStringLiteral("sqlite:///") + db, dir.path());
    QVERIFY(inspector);
    // psql: the server refuses the pattern once ("ERROR:  invalid regular expression: ...").
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    for (const auto &[command, why] : {std::pair{"\\d t(", "parentheses () not balanced"},
                                       std::pair{"\\dt x.t[", "brackets [] not balanced"},
                                       std::pair{"\\d *)", "parentheses () not balanced"}}) {
        auto r = (*inspector)->run(QString::fromLatin1(command));
        QVERIFY(!r);
        QCOMPARE(r.error().message, QStringLiteral("ERROR:  invalid regular expression: %1").arg(QLatin1String(why)));
    }
}

void tst_Hostile::sqliteReferencedByBuiltOnce()
{
    // Each table described used to ask every table for its foreign keys: at 2,000 tables,
    // describing them all took minutes. The index is built once per \d.
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("many.sqlite"));
    constexpr int Tables = 2000;
    {
        QSqlDatabase c = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("many-setup"));
        c.setDatabaseName(db);
        QVERIFY(c.open());
        QSqlQuery q(c);
        QVERIFY(q.exec(QStringLiteral("BEGIN")));
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE t0 (id INTEGER PRIMARY KEY)")));
        for (int i = 1; i < Tables; ++i) {
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE t%1 (id INTEGER PRIMARY KEY, up INTEGER, CONSTRAINT fk_%1 FOREIGN KEY "
                                          "(up) REFERENCES t%2(id))")
                               .arg(QString::number(i), QString::number(i - 1))));
        }
        QVERIFY(q.exec(QStringLiteral("COMMIT")));
        c.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("many-setup"));
    auto inspector = Inspector::connect(QStringLiteral("sqlite:///") + db, dir.path());
    QVERIFY(inspector);
    QElapsedTimer one;
    one.start();
    auto r = (*inspector)->run(QStringLiteral("\\d t7"));
    const qint64 oneMs = one.elapsed();
    QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    QVERIFY2(r->contains(QStringLiteral("Referenced by:\n    TABLE \"t8\" CONSTRAINT \"fk_8\" FOREIGN KEY (up) REFERENCES t7(id)\n")),
             qPrintable(*r));
    QVERIFY(r->contains(QStringLiteral("Foreign-key constraints:\n    \"fk_7\" FOREIGN KEY (up) REFERENCES t6(id)\n")));
    std::atomic<bool> done{false};
    qint64 allMs = 0;
    std::thread t([&] {
        QElapsedTimer all;
        all.start();
        auto inner = Inspector::connect(QStringLiteral("sqlite:///") + db, dir.path());
        if (inner)
            r = (*inner)->run(QStringLiteral("\\d t1*"));
        allMs = all.elapsed();
        done = true;
    });
    // A hang guard, not a performance target: the quadratic version needs minutes here.
    QVERIFY2(finishes(t, done, QString(), 120000), "\\d t1* did not finish in two minutes");
    QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    QCOMPARE(r->count(QStringLiteral("Table \"main.")), 1111);
    qInfo("\\d of one table among %d: %lld ms; \\d t1* (1,111 tables): %lld ms", Tables, oneMs, allMs);
}

// The parse cache is read from a folder anyone's tools may write into: whatever stands in
// its place (a FIFO, a folder, garbage, a checksummed file whose lengths lie) is ignored
// without a message, and the answers stay Alembic's.
void tst_Hostile::hostileParseCacheFiles()
{
    QTemporaryDir dir, cache;
    threeRevisions(dir.path());
    const QByteArray ctestCache = qgetenv("RETORT_CACHE_DIR");
    qputenv("RETORT_CACHE_DIR", cache.path().toUtf8());
    qputenv("RETORT_CACHE_SETTLE_MS", "0");  // the files just written get stamps at once
    const RunResult heads = alembic(dir.path(), {QStringLiteral("heads")});
    const RunResult history = alembic(dir.path(), {QStringLiteral("history")});
    QCOMPARE(heads.exitCode, 0);
    QCOMPARE(history.exitCode, 0);
    auto answersLikeAlembic = [&](const QString &what) {
        for (const auto &[command, oracle] : {std::pair{QStringLiteral("heads"), heads.out},
                                              std::pair{QStringLiteral("history"), history.out}}) {
            const CommandOutput r = cli(dir.path(), {command});
            QVERIFY2(r.exitCode == 0 && r.err.empty(), qPrintable(what + QStringLiteral(": ") + QString::fromStdString(r.err)));
            QVERIFY2(QString::fromStdString(r.out) == oracle,
                     qPrintable(QStringLiteral("%1: `retort %2` said\n%3").arg(what, command, QString::fromStdString(r.out))));
        }
    };
    answersLikeAlembic(QStringLiteral("cold"));
    const QStringList written = QDir(cache.path()).entryList({QStringLiteral("parse-*.bin")}, QDir::Files);
    QCOMPARE(written.size(), 1);
    const QString file = cache.filePath(written.first());
    answersLikeAlembic(QStringLiteral("warm"));

    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    f.close();
    auto put = [&](const QByteArray &bytes) {
        QFile::remove(file);
        QFile w(file);
        QVERIFY(w.open(QIODevice::WriteOnly));
        w.write(bytes);
    };
    // A body with its checksum made right again: only the bounds checks stand in the way.
    auto resealed = [](QByteArray bytes) {
        const ContentHash sum = hashContent(std::string_view(bytes.constData() + 24, size_t(bytes.size() - 24)));
        std::memcpy(bytes.data() + 8, &sum.a, 8);
        std::memcpy(bytes.data() + 16, &sum.b, 8);
        return bytes;
    };
    // Layout: magic, checksum, format, fingerprint (length + bytes), count, then per entry
    // the key (3 x 8 bytes) and the record (length + bytes); then the stamps' count and per
    // stamp the path (length + bytes), six 8-byte stat fields and the key.
    uint32_t fpLength;
    std::memcpy(&fpLength, good.constData() + 28, 4);
    const qsizetype countAt = 32 + qsizetype(fpLength);
    QList<qsizetype> lengthFields{28, countAt};
    uint32_t count;
    std::memcpy(&count, good.constData() + countAt, 4);
    qsizetype at = countAt + 4;
    for (uint32_t i = 0; i < count; ++i) {
        uint32_t length;
        std::memcpy(&length, good.constData() + at + 24, 4);
        lengthFields.append(at + 24);
        at += 28 + qsizetype(length);
    }
    uint32_t stamps;
    std::memcpy(&stamps, good.constData() + at, 4);
    lengthFields.append(at);
    at += 4;
    for (uint32_t i = 0; i < stamps; ++i) {
        uint32_t length;
        std::memcpy(&length, good.constData() + at, 4);
        lengthFields.append(at);
        at += 4 + qsizetype(length) + 6 * 8 + 3 * 8;
    }
    QCOMPARE(at, good.size());
    QCOMPARE(lengthFields.size(), 2 + 3 + 1 + 3);
    for (qsizetype at : std::as_const(lengthFields)) {
        for (uint32_t lie : {0u, 1u, 0x7fffffffu, 0xffffffffu}) {
            QByteArray bytes = good;
            uint32_t was;
            std::memcpy(&was, bytes.constData() + at, 4);
            for (uint32_t v : {lie, was + 1, was - 1}) {
                std::memcpy(bytes.data() + at, &v, 4);
                put(resealed(bytes));
                answersLikeAlembic(QStringLiteral("length at %1 set to %2").arg(at).arg(v));
            }
        }
    }
    put(good.left(good.size() / 2));
    answersLikeAlembic(QStringLiteral("truncated"));
    put(QByteArray(good.size(), 'x'));
    answersLikeAlembic(QStringLiteral("garbage"));

    // Not a regular file: a FIFO would block a reader that opened it plainly.
    QFile::remove(file);
    QCOMPARE(::mkfifo(QFile::encodeName(file).constData(), 0600), 0);
    std::atomic<bool> done{false};
    QString fifoOut;
    std::thread t([&] {
        fifoOut = QString::fromStdString(cli(dir.path(), {QStringLiteral("heads")}).out);
        done = true;
    });
    QVERIFY2(finishes(t, done, file), "retort heads blocked on a FIFO in the parse cache's place");
    QCOMPARE(fifoOut, heads.out);
    QFile::remove(file);
    QVERIFY(QDir().mkpath(file));
    answersLikeAlembic(QStringLiteral("a folder in its place"));
    qputenv("RETORT_CACHE_DIR", ctestCache);
    qunsetenv("RETORT_CACHE_SETTLE_MS");
}

QTEST_GUILESS_MAIN(tst_Hostile)
#include "tst_hostile.moc"
