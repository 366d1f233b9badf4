// Which Alembic / Python / SQLAlchemy a project runs on, read from the installation's files,
// and the read answers that depend on it: listing order, docstring cleaning (checked against
// the real Python 3.13 when it is installed), the password mask.
#include "cli/commands.h"
#include "project/alembicflavor.h"
#include "project/projectconfig.h"
#include "project/scriptdirectory.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace retort::core;

class tst_AlembicFlavor : public QObject
{
    Q_OBJECT
private slots:
    void init() { qunsetenv("RETORT_ALEMBIC_FLAVOR"); }
    void virtualenvIsRead();
    void overrideFromEnvironment();
    void listingOrderFollowsTheVersion();
    void docstringsAsPython313();
    void docstringCleaningAgreesWithPython313();
    void passwordMask();

private:
    static void write(const QString &path, const QByteArray &text)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
    // A virtualenv as `python -m venv` lays it out, with the given packages' __init__.py.
    static void makeVenv(const QString &root, const QByteArray &python, const QByteArray &alembic, const QByteArray &sqlalchemy)
    {
        write(root + QStringLiteral("/pyvenv.cfg"), "home = /usr/bin\ninclude-system-site-packages = false\nversion = " + python + "\n");
        const QString site = root + QStringLiteral("/lib/python") + QString::fromLatin1(python.left(python.lastIndexOf('.')))
            + QStringLiteral("/site-packages");
        write(site + QStringLiteral("/alembic/__init__.py"), "from . import context\n\n__version__ = \"" + alembic + "\"\n");
        write(site + QStringLiteral("/sqlalchemy/__init__.py"), "__version__ = \"" + sqlalchemy + "\"\n");
        write(root + QStringLiteral("/bin/alembic"), "#!" + QFile::encodeName(root) + "/bin/python\nimport alembic\n");
        QFile::setPermissions(root + QStringLiteral("/bin/alembic"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        // bin/python: a link to a real interpreter, as venv makes it (any executable will do).
        QVERIFY(QFile::link(QStandardPaths::findExecutable(QStringLiteral("sh")), root + QStringLiteral("/bin/python")));
    }
    static QString project(QTemporaryDir &dir, const QStringList &files)
    {
        write(dir.filePath(QStringLiteral("alembic.ini")), "[alembic]\nscript_location = %(here)s/m\n");
        for (const QString &f : files)
            write(dir.filePath(QStringLiteral("m/versions/") + f),
                  "revision = '" + f.left(f.size() - 3).toUtf8() + "'\ndown_revision = None\n");
        return dir.path();
    }
};

void tst_AlembicFlavor::virtualenvIsRead()
{
    QTemporaryDir dir;
    makeVenv(dir.filePath(QStringLiteral(".venv")), "3.11.2", "1.8.1", "1.4.46");
    const AlembicFlavor f = AlembicFlavor::forProject(dir.path());
    QCOMPARE(f.alembic, QVersionNumber(1, 8, 1));
    QCOMPARE(f.python, QVersionNumber(3, 11, 2));
    QCOMPARE(f.sqlalchemy, QVersionNumber(1, 4, 46));
    QVERIFY(!f.listsSorted());
    QVERIFY(!f.cleansDocstrings());
    QCOMPARE(f.passwordMask(), QStringLiteral("XXXXX"));
    QCOMPARE(f.grammar(), retort::core::python::PythonVersion::Py311);
    QVERIFY2(f.interpreter.startsWith(dir.path()), qPrintable(f.describe()));

    QTemporaryDir newer;
    makeVenv(newer.filePath(QStringLiteral("backend/venv")), "3.13.5", "1.13.2", "2.0.40");
    const AlembicFlavor g = AlembicFlavor::forProject(newer.path());
    QCOMPARE(g.alembic, QVersionNumber(1, 13, 2));
    QVERIFY(g.listsSorted() && g.cleansDocstrings());
    QCOMPARE(g.grammar(), retort::core::python::PythonVersion::Py313);
    QCOMPARE(g.passwordMask(), QStringLiteral("***"));
}

void tst_AlembicFlavor::overrideFromEnvironment()
{
    QTemporaryDir dir;
    qputenv("RETORT_ALEMBIC_FLAVOR", "alembic=1.9.4 python=3.12");
    const AlembicFlavor f = AlembicFlavor::forProject(dir.path());
    QCOMPARE(f.alembic, QVersionNumber(1, 9, 4));
    QCOMPARE(f.python, QVersionNumber(3, 12));
    QCOMPARE(f.grammar(), retort::core::python::PythonVersion::Py312);
    QVERIFY(!f.listsSorted());
    QVERIFY(!f.cleansDocstrings());
    QCOMPARE(f.passwordMask(), QStringLiteral("***"));
}

void tst_AlembicFlavor::listingOrderFollowsTheVersion()
{
    QTemporaryDir dir;
    // Names whose directory order is not their sorted order on any file system, and one
    // above U+FFFF, which UTF-16 order would put before U+FF21 but code point order after.
    const QStringList names{QStringLiteral("zz.py"), QStringLiteral("b.py"), QStringLiteral("a_\U0001F600.py"),
                            QStringLiteral("a_\uFF21.py"), QStringLiteral("A.py"), QStringLiteral("m.py")};
    project(dir, names);
    qputenv("RETORT_ALEMBIC_FLAVOR", "alembic=1.13.2");
    auto cfg = ProjectConfig::load(dir.filePath(QStringLiteral("alembic.ini")), QStringLiteral("alembic"), dir.path());
    QVERIFY(cfg);
    auto loaded = ScriptDirectory::load(*cfg);
    QVERIFY(loaded);
    QStringList order;
    for (const RevisionFile &f : loaded->map.files())
        order.append(f.fileName);
    QCOMPARE(order, (QStringList{QStringLiteral("A.py"), QStringLiteral("a_\uFF21.py"), QStringLiteral("a_\U0001F600.py"),
                                 QStringLiteral("b.py"), QStringLiteral("m.py"), QStringLiteral("zz.py")}));

    // Alembic 1.8: os.listdir order, which is readdir's.
    qputenv("RETORT_ALEMBIC_FLAVOR", "alembic=1.8.1");
    cfg = ProjectConfig::load(dir.filePath(QStringLiteral("alembic.ini")), QStringLiteral("alembic"), dir.path());
    QVERIFY(cfg);
    loaded = ScriptDirectory::load(*cfg);
    QVERIFY(loaded);
    QStringList listdir;
    for (const RevisionFile &f : loaded->map.files())
        listdir.append(f.fileName);
    QStringList expected = QDir(dir.filePath(QStringLiteral("m/versions"))).entryList(QDir::Files, QDir::Unsorted);
    QCOMPARE(listdir, expected);
}

void tst_AlembicFlavor::docstringsAsPython313()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("alembic.ini")), "[alembic]\nscript_location = %(here)s/m\n");
    write(dir.filePath(QStringLiteral("m/versions/a1.py")),
          "\"\"\"add\\tmenu\n\n    Revision ID: a1\n      indented\n\"\"\"\nrevision = 'a1'\ndown_revision = None\n");
    qputenv("RETORT_ALEMBIC_FLAVOR", "python=3.13");
    auto cfg = ProjectConfig::load(dir.filePath(QStringLiteral("alembic.ini")), QStringLiteral("alembic"), dir.path());
    QVERIFY(cfg);
    auto loaded = ScriptDirectory::load(*cfg);
    QVERIFY(loaded);
    QCOMPARE(loaded->map.files().first().longDoc, QStringLiteral("add     menu\n\nRevision ID: a1\n  indented"));
    qputenv("RETORT_ALEMBIC_FLAVOR", "python=3.11");
    cfg = ProjectConfig::load(dir.filePath(QStringLiteral("alembic.ini")), QStringLiteral("alembic"), dir.path());
    QVERIFY(cfg);
    loaded = ScriptDirectory::load(*cfg);
    QVERIFY(loaded);
    QCOMPARE(loaded->map.files().first().longDoc, QStringLiteral("add\tmenu\n\n    Revision ID: a1\n      indented"));
}

void tst_AlembicFlavor::docstringCleaningAgreesWithPython313()
{
    QString python = QStandardPaths::findExecutable(QStringLiteral("python3.13"));
    if (python.isEmpty())
        QSKIP("no python3.13 here to compare with");
    // Random docstrings of spaces, tabs, newlines, form feeds, CRs and letters, cleaned by
    // Python's compiler and by cleanDocstring.
    QRandomGenerator rng(7);
    const QList<QChar> alphabet{QLatin1Char(' '), QLatin1Char(' '), QLatin1Char(' '), QLatin1Char('\t'), QLatin1Char('\n'),
                                QLatin1Char('\n'), QLatin1Char('a'), QLatin1Char('\r'), QLatin1Char('\f'), QChar(0xe9),
                                QChar(0x2028)};
    QJsonArray docs;
    for (int i = 0; i < 3000; ++i) {
        QString s;
        const int n = int(rng.bounded(30));
        for (int k = 0; k < n; ++k)
            s += alphabet.at(int(rng.bounded(qsizetype(alphabet.size()))));
        if (i % 7 == 0)
            s += QStringLiteral("\U0001F600\tx");
        docs.append(s);
    }
    QProcess p;
    p.start(python, {QStringLiteral("-c"), QStringLiteral("import json,sys\n"
                                                          "out=[]\n"
                                                          "for d in json.load(sys.stdin):\n"
                                                          "    ns={}\n"
                                                          "    exec(compile(repr(d)+'\\n','m','exec'),ns)\n"
                                                          "    out.append(ns.get('__doc__'))\n"
                                                          "json.dump(out,sys.stdout)\n")});
    QVERIFY(p.waitForStarted());
    p.write(QJsonDocument(docs).toJson());
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    const QJsonArray cleaned = QJsonDocument::fromJson(p.readAllStandardOutput()).array();
    QCOMPARE(cleaned.size(), docs.size());
    for (int i = 0; i < docs.size(); ++i)
        QCOMPARE(cleanDocstring(docs.at(i).toString()), cleaned.at(i).toString());
}

void tst_AlembicFlavor::passwordMask()
{
    QTemporaryDir dir;
    project(dir, {QStringLiteral("a.py")});
    write(dir.filePath(QStringLiteral("alembic.ini")),
          "[alembic]\nscript_location = %(here)s/m\nsqlalchemy.url = postgresql://u:secret@127.0.0.1:1/x\n");
    qputenv("RETORT_ALEMBIC_FLAVOR", "alembic=1.8.1 sqlalchemy=1.4.46");
    QCOMPARE(AlembicFlavor::forProject(dir.path()).passwordMask(), QStringLiteral("XXXXX"));
    qputenv("RETORT_ALEMBIC_FLAVOR", "alembic=1.8.1 sqlalchemy=2.0.40");
    QCOMPARE(AlembicFlavor::forProject(dir.path()).passwordMask(), QStringLiteral("***"));
    qputenv("RETORT_ALEMBIC_FLAVOR", "alembic=1.13.2 sqlalchemy=1.4.46");
    QCOMPARE(AlembicFlavor::forProject(dir.path()).passwordMask(), QStringLiteral("***"));
}

QTEST_GUILESS_MAIN(tst_AlembicFlavor)
#include "tst_alembicflavor.moc"
