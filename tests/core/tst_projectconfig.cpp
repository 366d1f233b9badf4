// Reading alembic.ini and pyproject.toml the way Alembic (and configparser) do.
#include "project/inifile.h"
#include "project/projectconfig.h"
#include "cli/commands.h"
#include "project/scriptdirectory.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace retort::core;

class tst_ProjectConfig : public QObject
{
    Q_OBJECT
private slots:
    void iniInterpolation();
    void iniContinuationAndComments();
    void versionLocations_data();
    void versionLocations();
    void errors();
    void iniReadErrors_data();
    void iniReadErrors();
    void pyprojectToml();
    void recursiveLocations();
    void listingOrderAndIgnoredFiles();
    void versionTableHints();
    void openFolder();
    void constantsFromTheApplication();
    void packageResourceLocation();
    void loadWithoutSyntaxTrees();

private:
    static void write(const QString &path, const QByteArray &text)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
};

void tst_ProjectConfig::iniInterpolation()
{
    const IniFile ini = IniFile::fromText(QStringLiteral("[DEFAULT]\nroot = /srv\n[alembic]\nScript_Location = %(here)s/m\n"
                                                         "file_template = %%(rev)s_%%(slug)s\nurl = %(root)s/x\n"),
                                          {{QStringLiteral("here"), QStringLiteral("/p")}});
    QCOMPARE(ini.value(QStringLiteral("alembic"), QStringLiteral("script_location")).value(), QStringLiteral("/p/m"));
    QCOMPARE(ini.value(QStringLiteral("alembic"), QStringLiteral("file_template")).value(), QStringLiteral("%(rev)s_%(slug)s"));
    QCOMPARE(ini.value(QStringLiteral("alembic"), QStringLiteral("url")).value(), QStringLiteral("/srv/x"));
    QVERIFY(!ini.value(QStringLiteral("alembic"), QStringLiteral("missing")).has_value());
}

void tst_ProjectConfig::iniContinuationAndComments()
{
    const IniFile ini = IniFile::fromText(QStringLiteral("# comment\n; other\n[alembic]\nversion_locations =\n    a\n    b\n"
                                                         "key: value with spaces  \n"));
    QCOMPARE(ini.value(QStringLiteral("alembic"), QStringLiteral("version_locations")).value(), QStringLiteral("\na\nb"));
    QCOMPARE(ini.value(QStringLiteral("alembic"), QStringLiteral("key")).value(), QStringLiteral("value with spaces"));
}

void tst_ProjectConfig::versionLocations_data()
{
    QTest::addColumn<QString>("settings");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("flavor"); // RETORT_ALEMBIC_FLAVOR: the project's Alembic (empty: Debian's 1.13)
    QTest::addColumn<QString>("error");  // the ValueError Alembic raises instead
    QTest::newRow("legacy space and comma") << "version_locations = %(here)s/a, %(here)s/b %(here)s/c"
                                            << QStringList{"a", "b", "c"} << QString() << QString();
    QTest::newRow("os") << "version_locations = %(here)s/a:%(here)s/b\nversion_path_separator = os" << QStringList{"a", "b"} << QString() << QString();
    QTest::newRow("semicolon") << "version_locations = %(here)s/a;%(here)s/b\nversion_path_separator = ;" << QStringList{"a", "b"} << QString() << QString();
    QTest::newRow("space") << "version_locations = %(here)s/a %(here)s/b\nversion_path_separator = space" << QStringList{"a", "b"} << QString() << QString();
    const QString alembic116 = QStringLiteral("alembic=1.16.1 python=3.13 sqlalchemy=2.0");
    QTest::newRow("path_separator wins") << "version_locations = %(here)s/a;%(here)s/b\npath_separator = ;\nversion_path_separator = os"
                                         << QStringList{"a", "b"} << alembic116 << QString();
    QTest::newRow("newline") << "version_locations =\n    %(here)s/a\n    %(here)s/b\npath_separator = newline" << QStringList{"a", "b"}
                             << alembic116 << QString();
    // Alembic 1.13 reads no path_separator and knows no 'newline' separator.
    QTest::newRow("path_separator before 1.16") << "version_locations = a;b c\npath_separator = ;"
                                                << QStringList{"a;b", "c"} << QString() << QString();
    QTest::newRow("newline before 1.16")
        << "version_locations =\n    %(here)s/a\n    %(here)s/b\nversion_path_separator = newline" << QStringList{} << QString()
        << "'newline' is not a valid value for version_path_separator; expected 'space', 'os', ':', ';'";
    QTest::newRow("unknown separator") << "version_locations = %(here)s/a\nversion_path_separator = tab" << QStringList{}
                                       << alembic116
                                       << "'tab' is not a valid value for version_path_separator; expected 'space', 'newline', "
                                          "'os', ':', ';'";
    QTest::newRow("relative to cwd") << "version_locations = a" << QStringList{"a"} << QString() << QString();
    QTest::newRow("default") << "" << QStringList{"m/versions"} << QString() << QString();
}

void tst_ProjectConfig::versionLocations()
{
    QFETCH(QString, settings);
    QFETCH(QStringList, expected);
    QFETCH(QString, flavor);
    QFETCH(QString, error);
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("alembic.ini")),
          "[alembic]\nscript_location = %(here)s/m\n" + settings.toUtf8() + "\n");
    QDir().mkpath(dir.filePath(QStringLiteral("m")));
    qputenv("RETORT_ALEMBIC_FLAVOR", flavor.isEmpty() ? QByteArray("alembic=1.13.2") : flavor.toUtf8());
    auto cfg = ProjectConfig::load(QStringLiteral("alembic.ini"), QStringLiteral("alembic"), dir.path());
    qunsetenv("RETORT_ALEMBIC_FLAVOR");
    if (!error.isEmpty()) {
        QVERIFY(!cfg.isOk());
        QCOMPARE(cfg.error().message, error);
        QCOMPARE(cfg.error().exception, QStringLiteral("ValueError"));
        return;
    }
    QVERIFY2(cfg.isOk(), cfg.isOk() ? "" : qPrintable(cfg.error().message));
    QStringList got;
    for (const QString &l : cfg->versionLocations)
        got.append(QDir(dir.path()).relativeFilePath(l));
    QCOMPARE(got, expected);
}

// What configparser's strict read() raises, which escapes Alembic's command line (exit 1).
void tst_ProjectConfig::iniReadErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("exception");
    QTest::addColumn<QString>("message"); // with @@ for the file's repr
    QTest::newRow("option twice") << QByteArray("[alembic]\nscript_location = a\nScript_Location = b\n")
                                  << "configparser.DuplicateOptionError"
                                  << "While reading from @@ [line  3]: option 'script_location' in section 'alembic' already exists";
    QTest::newRow("section twice") << QByteArray("[alembic]\na = 1\n[other]\n[alembic]\nb = 2\n")
                                   << "configparser.DuplicateSectionError"
                                   << "While reading from @@ [line  4]: section 'alembic' already exists";
    QTest::newRow("byte order mark") << QByteArray("\xef\xbb\xbf[alembic]\nscript_location = a\n")
                                     << "configparser.MissingSectionHeaderError"
                                     << "File contains no section headers.\nfile: @@, line: 1\n'\\ufeff[alembic]\\n'";
    QTest::newRow("not an option") << QByteArray("[alembic]\nscript_location = a\njust words\n= no name\n")
                                   << "configparser.ParsingError"
                                   << "Source contains parsing errors: @@\n\t[line  3]: 'just words\\n'\n\t[line  4]: '= no name\\n'";
}

void tst_ProjectConfig::iniReadErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, exception);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("alembic.ini"));
    write(path, text);
    auto ini = IniFile::load(path);
    QVERIFY(!ini.isOk());
    QCOMPARE(ini.error().exception, exception);
    QCOMPARE(ini.error().message, QString(message).replace(QStringLiteral("@@"), QLatin1Char('\'') + path + QLatin1Char('\'')));
    // Through the configuration: the file named as Alembic passes it to read(), the path as
    // given (`-c sub/alembic.ini`, or the default alembic.ini), never made absolute.
    write(dir.filePath(QStringLiteral("sub/alembic.ini")), text);
    for (const QString &given : {QStringLiteral("sub/alembic.ini"), QStringLiteral("./sub//alembic.ini")}) {
        auto cfg = ProjectConfig::load(given, QStringLiteral("alembic"), dir.path());
        QVERIFY(!cfg.isOk());
        QCOMPARE(cfg.error().exception, exception);
        QCOMPARE(cfg.error().message, QString(message).replace(QStringLiteral("@@"), QLatin1Char('\'') + given + QLatin1Char('\'')));
        QCOMPARE(cfg.error().file, dir.filePath(QStringLiteral("sub/alembic.ini")));
    }
    // A header that Python's SECTCRE takes up to its last ']' and a repeated [DEFAULT] read.
    write(path, "[alembic] trailing\nx = 1\n[DEFAULT]\n[DEFAULT]\n");
    QVERIFY(IniFile::load(path).isOk());
}

void tst_ProjectConfig::errors()
{
    QTemporaryDir dir;
    auto missing = ProjectConfig::load(QStringLiteral("alembic.ini"), QStringLiteral("alembic"), dir.path());
    QVERIFY(!missing.isOk());
    QCOMPARE(missing.error().message, QStringLiteral("No config file 'alembic.ini' found, or file has no '[alembic]' section"));

    write(dir.filePath(QStringLiteral("alembic.ini")), "[alembic]\nsqlalchemy.url = sqlite://\n");
    auto noLocation = ProjectConfig::load(QStringLiteral("alembic.ini"), QStringLiteral("alembic"), dir.path());
    QVERIFY(!noLocation.isOk());
    QCOMPARE(noLocation.error().message, QStringLiteral("No 'script_location' key found in configuration."));

    write(dir.filePath(QStringLiteral("alembic.ini")), "[alembic]\nscript_location = nowhere\n");
    auto badPath = ProjectConfig::load(QStringLiteral("alembic.ini"), QStringLiteral("alembic"), dir.path());
    QVERIFY(!badPath.isOk());
    QVERIFY(badPath.error().message.startsWith(QStringLiteral("Path doesn't exist: '%1/nowhere'.").arg(dir.path())));

    auto otherSection = ProjectConfig::load(QStringLiteral("alembic.ini"), QStringLiteral("tenant"), dir.path());
    QVERIFY(!otherSection.isOk());
    QVERIFY(otherSection.error().message.contains(QStringLiteral("'[tenant]'")));

    // A default versions folder that does not exist is an error, not an empty project.
    write(dir.filePath(QStringLiteral("alembic.ini")), "[alembic]\nscript_location = m\n");
    QDir().mkpath(dir.filePath(QStringLiteral("m")));
    auto cfg = ProjectConfig::load(QStringLiteral("alembic.ini"), QStringLiteral("alembic"), dir.path());
    QVERIFY(cfg.isOk());
    auto project = ScriptDirectory::load(*cfg);
    QVERIFY(!project.isOk());
    QVERIFY(project.error().message.contains(QStringLiteral("does not exist")));
}

void tst_ProjectConfig::pyprojectToml()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("pyproject.toml")),
          "[project]\nname = \"x\"\n\n[tool.alembic]\nscript_location = \"%(here)s/migrations\"\n"
          "version_locations = [\n  \"%(here)s/migrations/versions\",\n  \"%(here)s/extra\", # more\n]\n"
          "recursive_version_locations = true\n\n[tool.other]\nscript_location = \"wrong\"\n");
    QDir().mkpath(dir.filePath(QStringLiteral("migrations/versions")));
    // Alembic 1.13 never opens pyproject.toml: without an alembic.ini there is no config.
    qputenv("RETORT_ALEMBIC_FLAVOR", "alembic=1.13.2");
    auto old = ProjectConfig::open(dir.path());
    QVERIFY(!old.isOk());
    QCOMPARE(old.error().message, QStringLiteral("No config file '%1' found, or file has no '[alembic]' section")
                                      .arg(dir.filePath(QStringLiteral("alembic.ini"))));
    // ... and with one, reads it alone.
    write(dir.filePath(QStringLiteral("alembic.ini")), "[alembic]\nscript_location = %(here)s/other\n");
    QDir().mkpath(dir.filePath(QStringLiteral("other")));
    old = ProjectConfig::open(dir.path());
    QVERIFY(old.isOk());
    QCOMPARE(old->scriptLocation, dir.filePath(QStringLiteral("other")));
    QVERIFY(old->tomlPath.isEmpty());
    QFile::remove(dir.filePath(QStringLiteral("alembic.ini")));

    // Alembic 1.16 reads [tool.alembic].
    qputenv("RETORT_ALEMBIC_FLAVOR", "alembic=1.16.1");
    auto cfg = ProjectConfig::open(dir.path());
    qunsetenv("RETORT_ALEMBIC_FLAVOR");
    QVERIFY2(cfg.isOk(), cfg.isOk() ? "" : qPrintable(cfg.error().message));
    QCOMPARE(cfg->scriptLocation, dir.filePath(QStringLiteral("migrations")));
    QCOMPARE(cfg->versionLocations,
             (QStringList{dir.filePath(QStringLiteral("migrations/versions")), dir.filePath(QStringLiteral("extra"))}));
    QVERIFY(cfg->recursiveVersionLocations);
    QVERIFY(cfg->iniPath.isEmpty());
}

void tst_ProjectConfig::recursiveLocations()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("alembic.ini")), "[alembic]\nscript_location = %(here)s/m\nrecursive_version_locations = true\n");
    write(dir.filePath(QStringLiteral("m/versions/b.py")), "revision = 'b'\ndown_revision = 'a'\n");
    write(dir.filePath(QStringLiteral("m/versions/2024/a.py")), "revision = 'a'\ndown_revision = None\n");
    write(dir.filePath(QStringLiteral("m/versions/__pycache__/c.py")), "revision = 'c'\ndown_revision = None\n");
    auto cfg = ProjectConfig::open(dir.path());
    QVERIFY(cfg.isOk());
    auto project = ScriptDirectory::load(*cfg);
    QVERIFY(project.isOk());
    QCOMPARE(project->map.size(), 2);
    QCOMPARE(project->map.heads().size(), size_t(1));
    QCOMPARE(project->map.at(project->map.heads().front()).id, QStringLiteral("b"));
}

void tst_ProjectConfig::listingOrderAndIgnoredFiles()
{
    QTemporaryDir dir;
    const QString v = dir.filePath(QStringLiteral("v"));
    write(v + QStringLiteral("/__init__.py"), "");
    write(v + QStringLiteral("/.#lock.py"), "");
    write(v + QStringLiteral("/notes.txt"), "");
    write(v + QStringLiteral("/x.pyc"), "");
    write(v + QStringLiteral("/a.py"), "");
    write(v + QStringLiteral("/__init__x.py"), "");
    QDir().mkpath(v + QStringLiteral("/sub"));
    const QStringList files = ScriptDirectory::listRevisionFiles(v, false);
    QCOMPARE(QSet<QString>(files.begin(), files.end()), QSet<QString>{QStringLiteral("a.py")});
}

void tst_ProjectConfig::versionTableHints()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("alembic.ini")), "[alembic]\nscript_location = %(here)s/m\n");
    write(dir.filePath(QStringLiteral("m/env.py")),
          "context.configure(connection=c, version_table='schema_version', version_table_schema=\"meta\")\n");
    QDir().mkpath(dir.filePath(QStringLiteral("m/versions")));
    auto cfg = ProjectConfig::open(dir.path());
    QVERIFY(cfg.isOk());
    QCOMPARE(cfg->versionTable, QStringLiteral("schema_version"));
    QCOMPARE(cfg->versionTableSchema, QStringLiteral("meta"));
}

void tst_ProjectConfig::openFolder()
{
    const QString example = QStringLiteral(RETORT_SOURCE_DIR "/examples/coffee-shop");
    auto cfg = ProjectConfig::open(example);
    QVERIFY(cfg.isOk());
    QCOMPARE(cfg->displayName(), QStringLiteral("coffee-shop"));
    QVERIFY(cfg->sqlalchemyUrl.endsWith(QStringLiteral("/examples/coffee-shop/coffee.db")));
    QTemporaryDir empty;
    auto none = ProjectConfig::open(empty.path());
    QVERIFY(!none.isOk());
    QVERIFY(none.error().message.contains(QStringLiteral("has no alembic.ini")));
}

void tst_ProjectConfig::constantsFromTheApplication()
{
    // Real projects name their branch labels through constants (OpenStack Neutron:
    // `branch_labels = (cli.EXPAND_BRANCH,)`); Retort reads them from the source.
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("alembic.ini")), "[alembic]\nscript_location = %(here)s/app/migrations\nprepend_sys_path = .\n");
    write(dir.filePath(QStringLiteral("app/__init__.py")), "");
    write(dir.filePath(QStringLiteral("app/branches.py")), "EXPAND = 'expand'\nCONTRACT = \"contract\"\nBASE = 'aaa1'\n");
    write(dir.filePath(QStringLiteral("app/migrations/versions/aaa1_base.py")),
          "revision = 'aaa1'\ndown_revision = None\ndef upgrade():\n    pass\ndef downgrade():\n    pass\n");
    write(dir.filePath(QStringLiteral("app/migrations/versions/bbb2_expand.py")),
          "from app import branches\nrevision = 'bbb2'\ndown_revision = branches.BASE\nbranch_labels = (branches.EXPAND,)\n"
          "def upgrade():\n    pass\ndef downgrade():\n    pass\n");
    write(dir.filePath(QStringLiteral("app/migrations/versions/ccc3_contract.py")),
          "from app.branches import CONTRACT as C, BASE\nimport app.branches as b\nrevision = 'ccc3'\ndown_revision = BASE\n"
          "branch_labels = C\ndepends_on = (b.BASE,)\ndef upgrade():\n    pass\ndef downgrade():\n    pass\n");
    auto cfg = ProjectConfig::open(dir.path());
    QVERIFY(cfg);
    auto project = ScriptDirectory::load(*cfg);
    QVERIFY(project);
    const RevisionMap &map = project->map;
    QVERIFY2(map.isValid(), qPrintable(map.loadError().message));
    QCOMPARE(map.at(map.indexOf(QStringLiteral("bbb2"))).branchLabels, QStringList{QStringLiteral("expand")});
    QCOMPARE(map.at(map.indexOf(QStringLiteral("ccc3"))).branchLabels, QStringList{QStringLiteral("contract")});
    QCOMPARE(map.at(map.indexOf(QStringLiteral("ccc3"))).dependencies, QStringList{QStringLiteral("aaa1")});
    QCOMPARE(map.labelTarget(QStringLiteral("expand")), map.indexOf(QStringLiteral("bbb2")));

    // A constant that is nowhere to be found is a problem with file and line, not a guess.
    write(dir.filePath(QStringLiteral("app/migrations/versions/ddd4_bad.py")),
          "from app import branches\nrevision = 'ddd4'\ndown_revision = 'bbb2'\nbranch_labels = branches.MISSING\n"
          "def upgrade():\n    pass\ndef downgrade():\n    pass\n");
    auto broken = ScriptDirectory::load(*cfg);
    QVERIFY(broken);
    QVERIFY(!broken->map.isValid());
    QVERIFY(broken->map.loadError().message.contains(QStringLiteral("app.branches.MISSING")));
    QCOMPARE(broken->map.loadError().line, 4);
}

void tst_ProjectConfig::packageResourceLocation()
{
    // Netflix Dispatch: src/dispatch/alembic.ini, [core] script_location = dispatch:database/revisions/core
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("src/dispatch/alembic.ini")),
          "[core]\nscript_location = dispatch:database/revisions/core\n[tenant]\nscript_location = dispatch:database/revisions/tenant\n");
    write(dir.filePath(QStringLiteral("src/dispatch/__init__.py")), "");
    QDir().mkpath(dir.filePath(QStringLiteral("src/dispatch/database/revisions/core/versions")));
    QDir().mkpath(dir.filePath(QStringLiteral("src/dispatch/database/revisions/tenant/versions")));
    auto core = ProjectConfig::load(QStringLiteral("dispatch/alembic.ini"), QStringLiteral("core"), dir.filePath(QStringLiteral("src")));
    QVERIFY2(core, core ? "" : qPrintable(core.error().message));
    QCOMPARE(core->scriptLocation, dir.filePath(QStringLiteral("src/dispatch/database/revisions/core")));
    // From elsewhere, the package is still found next to the configuration file.
    auto tenant = ProjectConfig::load(dir.filePath(QStringLiteral("src/dispatch/alembic.ini")), QStringLiteral("tenant"), dir.path());
    QVERIFY2(tenant, tenant ? "" : qPrintable(tenant.error().message));
    QCOMPARE(tenant->scriptLocation, dir.filePath(QStringLiteral("src/dispatch/database/revisions/tenant")));
}

// heads/history load without keeping trees: the same map and the same problems, and a
// syntax error deep inside a function still fails the command.
void tst_ProjectConfig::loadWithoutSyntaxTrees()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("alembic.ini")), "[alembic]\nscript_location = %(here)s/m\n");
    // An indented docstring: Python 3.13 cleans it when it compiles the module.
    write(dir.filePath(QStringLiteral("m/versions/a.py")), "\"\"\"first\n\n    Revision ID: a\n    \"\"\"\nrevision = 'a'\n"
                                                           "down_revision = None\n"
                                                           "def upgrade():\n    op.add_column('t', sa.Column('c'))\n");
    write(dir.filePath(QStringLiteral("m/versions/b.py")), "revision = 'b'\ndown_revision = 'a'\n# op.drop_table('t')\n");
    auto cfg = ProjectConfig::open(dir.path());
    QVERIFY(cfg.isOk());
    cfg->flavor = AlembicFlavor::newest();
    QVERIFY(cfg->flavor.cleansDocstrings());
    LoadOptions mapOnly;
    mapOnly.keepSyntaxTrees = false;
    auto full = ScriptDirectory::load(*cfg);
    auto lean = ScriptDirectory::load(*cfg, nullptr, mapOnly);
    QVERIFY(full.isOk() && lean.isOk());
    QCOMPARE(lean->map.files()[0].longDoc, QStringLiteral("first\n\nRevision ID: a"));
    QCOMPARE(lean->map.size(), full->map.size());
    QCOMPARE(lean->map.heads(), full->map.heads());
    for (qsizetype i = 0; i < full->map.files().size(); ++i) {
        const RevisionFile &f = full->map.files()[i];
        const RevisionFile &l = lean->map.files()[i];
        QVERIFY(f.tree);
        QVERIFY(!l.tree);
        QCOMPARE(l.revision, f.revision);
        QCOMPARE(l.longDoc, f.longDoc);
        QCOMPARE(l.upgradeLine, f.upgradeLine);
        QCOMPARE(l.upgradeEmpty, f.upgradeEmpty);
        QCOMPARE(l.problems.size(), f.problems.size());
    }

    write(dir.filePath(QStringLiteral("m/versions/b.py")),
          "revision = 'b'\ndown_revision = 'a'\ndef downgrade():\n    x = [1, 2\n    op.drop_table('t')\n");
    auto broken = ScriptDirectory::load(*cfg, nullptr, mapOnly);
    QVERIFY(broken.isOk());
    QVERIFY(!broken->map.isValid());
    const CommandOutput heads = CommandLine::run({QStringLiteral("heads")}, dir.path());
    QVERIFY(heads.exitCode != 0);
    QVERIFY2(QString::fromStdString(heads.err).contains(QStringLiteral("SyntaxError")), heads.err.c_str());
}

QTEST_GUILESS_MAIN(tst_ProjectConfig)
#include "tst_projectconfig.moc"
