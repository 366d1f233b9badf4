// The static reader of revision files: every form real projects use, and the broken ones.
#include "project/revisionfile.h"
#include "project/contenthash.h"
#include "project/projectconfig.h"
#include "project/scriptdirectory.h"
#include "python/syntaxtree.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace retort::core;

class tst_RevisionFile : public QObject
{
    Q_OBJECT
private slots:
    void identifiers_data();
    void identifiers();
    void docstring_data();
    void docstring();
    void functions_data();
    void functions();
    void malformed_data();
    void malformed();
    void lastAssignmentWins();
    void stringsHidingAssignments();
    void lineNumbers();
    void deepNestingIsASyntaxError();
    void referenceMarkerInAStringIsText();
    void references();
    void legacyFileName();
    void syntaxErrorAnywhere();
    void crlfDocstringWithEscape();
    void commentsAndStringsAreNotCode();
    void grammarFollowsThePython();
};

static RevisionFile parse(const QByteArray &src)
{
    return parseRevisionSource(std::string_view(src.constData(), size_t(src.size())), QStringLiteral("/p/v/x.py"),
                               QStringLiteral("x.py"), retort::core::python::NewestPython);
}

void tst_RevisionFile::identifiers_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QString>("revision");
    QTest::addColumn<QStringList>("down");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QStringList>("depends");

    QTest::newRow("plain double") << QByteArray("revision = \"abc123\"\ndown_revision = \"def456\"\n")
                                  << "abc123" << QStringList{"def456"} << QStringList{} << QStringList{};
    QTest::newRow("plain single") << QByteArray("revision = 'abc'\ndown_revision = None\n")
                                  << "abc" << QStringList{} << QStringList{} << QStringList{};
    QTest::newRow("annotated") << QByteArray("revision: str = 'a1'\ndown_revision: Union[str, Sequence[str], None] = 'b2'\n"
                                             "branch_labels: Union[str, Sequence[str], None] = None\n"
                                             "depends_on: Union[str, Sequence[str], None] = None\n")
                               << "a1" << QStringList{"b2"} << QStringList{} << QStringList{};
    QTest::newRow("annotated optional") << QByteArray("revision: str = \"a1\"\ndown_revision: str | None = None\n")
                                        << "a1" << QStringList{} << QStringList{} << QStringList{};
    QTest::newRow("triple quoted") << QByteArray("revision = '''a1'''\ndown_revision = \"\"\"b2\"\"\"\n")
                                   << "a1" << QStringList{"b2"} << QStringList{} << QStringList{};
    QTest::newRow("tuple multi-line") << QByteArray("revision = 'm'\ndown_revision = (\n    'a',  # first\n    \"b\",\n)\n")
                                      << "m" << QStringList{"a", "b"} << QStringList{} << QStringList{};
    QTest::newRow("list") << QByteArray("revision = 'm'\ndown_revision = ['a', 'b']\n")
                          << "m" << QStringList{"a", "b"} << QStringList{} << QStringList{};
    // Alembic takes a set's items (to_tuple); one string has one order. Before: refused.
    QTest::newRow("set of one") << QByteArray("revision = 'm'\ndown_revision = {'a'}\nbranch_labels = {'x'}\n")
                                << "m" << QStringList{"a"} << QStringList{"x"} << QStringList{};
    QTest::newRow("bare tuple") << QByteArray("revision = 'm'\ndown_revision = 'a', 'b'\n")
                                << "m" << QStringList{"a", "b"} << QStringList{} << QStringList{};
    QTest::newRow("one-tuple") << QByteArray("revision = 'm'\ndown_revision = ('a',)\n")
                               << "m" << QStringList{"a"} << QStringList{} << QStringList{};
    QTest::newRow("parenthesised string") << QByteArray("revision = ('m')\ndown_revision = ('a')\n")
                                          << "m" << QStringList{"a"} << QStringList{} << QStringList{};
    QTest::newRow("empty tuple") << QByteArray("revision = 'm'\ndown_revision = ()\n")
                                 << "m" << QStringList{} << QStringList{} << QStringList{};
    QTest::newRow("empty string") << QByteArray("revision = 'm'\ndown_revision = ''\n")
                                  << "m" << QStringList{""} << QStringList{} << QStringList{};
    QTest::newRow("implicit concatenation") << QByteArray("revision = 'ab' \"cd\"\ndown_revision = None\n")
                                            << "abcd" << QStringList{} << QStringList{} << QStringList{};
    QTest::newRow("backslash continuation") << QByteArray("revision = \\\n    'ab'\ndown_revision = None\n")
                                            << "ab" << QStringList{} << QStringList{} << QStringList{};
    QTest::newRow("labels string") << QByteArray("revision = 'a'\ndown_revision = None\nbranch_labels = 'feature'\n")
                                   << "a" << QStringList{} << QStringList{"feature"} << QStringList{};
    QTest::newRow("labels tuple") << QByteArray("revision = 'a'\ndown_revision = None\nbranch_labels = ('x', 'y')\n")
                                  << "a" << QStringList{} << QStringList{"x", "y"} << QStringList{};
    QTest::newRow("depends string") << QByteArray("revision = 'a'\ndown_revision = None\ndepends_on = 'b'\n")
                                    << "a" << QStringList{} << QStringList{} << QStringList{"b"};
    QTest::newRow("depends list") << QByteArray("revision = 'a'\ndown_revision = None\ndepends_on = ['b', 'c']\n")
                                  << "a" << QStringList{} << QStringList{} << QStringList{"b", "c"};
    QTest::newRow("name reference") << QByteArray("PARENT = 'p1'\nrevision = 'a'\ndown_revision = PARENT\n")
                                    << "a" << QStringList{"p1"} << QStringList{} << QStringList{};
    QTest::newRow("semicolons") << QByteArray("revision = 'a'; down_revision = None\n")
                                << "a" << QStringList{} << QStringList{} << QStringList{};
    QTest::newRow("CRLF") << QByteArray("revision = 'a'\r\ndown_revision = 'b'\r\n")
                          << "a" << QStringList{"b"} << QStringList{} << QStringList{};
    QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBFrevision = 'a'\ndown_revision = None\n")
                         << "a" << QStringList{} << QStringList{} << QStringList{};
    QTest::newRow("u prefix") << QByteArray("revision = u'a'\ndown_revision = U\"b\"\n")
                              << "a" << QStringList{"b"} << QStringList{} << QStringList{};
    QTest::newRow("escapes") << QByteArray("revision = 'a\\x62c'\ndown_revision = None\n")
                             << "abc" << QStringList{} << QStringList{} << QStringList{};
}

void tst_RevisionFile::identifiers()
{
    QFETCH(QByteArray, source);
    QFETCH(QString, revision);
    QFETCH(QStringList, down);
    QFETCH(QStringList, labels);
    QFETCH(QStringList, depends);
    const RevisionFile f = parse(source);
    QVERIFY2(f.isUsable(), f.problems.isEmpty() ? "" : qPrintable(f.problems.first().message));
    QVERIFY(f.hasRevision);
    QVERIFY(f.hasDownRevision);
    QCOMPARE(f.revision, revision);
    QCOMPARE(f.downRevision.toTuple(), down);
    QCOMPARE(f.branchLabels.toTuple(), labels);
    QCOMPARE(f.dependsOn.toTuple(), depends);
}

void tst_RevisionFile::docstring_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QString>("longDoc");
    QTest::addColumn<QString>("doc");

    QTest::newRow("alembic template")
        << QByteArray("\"\"\"add users\n\nRevision ID: a\nRevises: \nCreate Date: 2026-01-01 10:00:00\n\n\"\"\"\nrevision='a'\n")
        << "add users\n\nRevision ID: a\nRevises: \nCreate Date: 2026-01-01 10:00:00" << "add users";
    QTest::newRow("multi-line message") << QByteArray("\"\"\"first line\nsecond line\n\nRevision ID: a\n\"\"\"\n")
                                        << "first line\nsecond line\n\nRevision ID: a" << "first line\nsecond line";
    QTest::newRow("single-quoted triple") << QByteArray("'''msg'''\n") << "msg" << "msg";
    QTest::newRow("raw") << QByteArray("r\"\"\"a\\nb\"\"\"\n") << "a\\nb" << "a\\nb";
    QTest::newRow("escapes") << QByteArray("\"\"\"tab\\there\"\"\"\n") << "tab\there" << "tab\there";
    QTest::newRow("comment and coding first") << QByteArray("# -*- coding: utf-8 -*-\n#!x\n\n\"\"\"caf\xC3\xA9\"\"\"\n")
                                              << QString::fromUtf8("café") << QString::fromUtf8("café");
    QTest::newRow("none") << QByteArray("import os\nrevision = 'a'\n") << "" << "";
    QTest::newRow("string after import is not a docstring") << QByteArray("import os\n\"\"\"late\"\"\"\n") << "" << "";
    QTest::newRow("bytes is not a docstring") << QByteArray("b\"\"\"x\"\"\"\n") << "" << "";
    QTest::newRow("f-string is not a docstring") << QByteArray("f\"\"\"x\"\"\"\n") << "" << "";
    QTest::newRow("whitespace stripped") << QByteArray("\"\"\"\n\n   msg  \n\n\"\"\"\n") << "msg" << "msg";
    QTest::newRow("indented lines (3.13 dedents them)") << QByteArray("\"\"\"msg\n\n    Revision ID: a\n      more\n\"\"\"\n")
                                                       << "msg\n\n    Revision ID: a\n      more" << "msg";
}

void tst_RevisionFile::docstring()
{
    QFETCH(QByteArray, source);
    QFETCH(QString, longDoc);
    QFETCH(QString, doc);
    const RevisionFile f = parse(source);
    QCOMPARE(f.longDoc, longDoc);
    QCOMPARE(f.doc(), doc);

    // Python 3.13's cleaned docstring read in the parse's own pass (what a load does) is the
    // one cleanDocstringAsPython313 reads afterwards from the tree.
    const std::string_view bytes(source.constData(), size_t(source.size()));
    RevisionFile twoSteps = parseRevisionSource(bytes, QStringLiteral("/p/v/x.py"), QStringLiteral("x.py"), retort::core::python::PythonVersion::Py313);
    cleanDocstringAsPython313(twoSteps);
    retort::core::RevisionParseOptions how;
    how.cleanDocstrings = true;
    how.contentHash = 42;   // the caller's hash is taken as given, not computed again
    const RevisionFile onePass = parseRevisionSource(bytes, QStringLiteral("/p/v/x.py"), QStringLiteral("x.py"), retort::core::python::PythonVersion::Py313, how);
    QCOMPARE(onePass.longDoc, twoSteps.longDoc);
    QCOMPARE(onePass.contentHash, size_t(42));
    QCOMPARE(twoSteps.contentHash, hashContent(bytes).a);
}

void tst_RevisionFile::functions_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<int>("upgradeLine");
    QTest::addColumn<int>("upgradeEnd");
    QTest::addColumn<int>("downgradeLine");
    QTest::addColumn<int>("downgradeEnd");
    QTest::addColumn<bool>("upgradeEmpty");
    QTest::addColumn<bool>("downgradeEmpty");

    QTest::newRow("typical") << QByteArray("revision='a'\n\n\ndef upgrade() -> None:\n    op.create_table('t')\n\n\n"
                                           "def downgrade() -> None:\n    op.drop_table('t')\n")
                             << 4 << 5 << 8 << 9 << false << false;
    QTest::newRow("pass") << QByteArray("def upgrade():\n    pass\n\ndef downgrade():\n    pass\n")
                          << 1 << 2 << 4 << 5 << true << true;
    QTest::newRow("docstring and comment") << QByteArray("def upgrade():\n    op.x()\ndef downgrade():\n    \"\"\"No way back.\"\"\"\n"
                                                         "    # nothing\n    ...\n")
                                           << 1 << 2 << 3 << 6 << false << true;
    QTest::newRow("one-liner") << QByteArray("def upgrade(): op.x()\ndef downgrade(): pass\n")
                               << 1 << 1 << 2 << 2 << false << true;
    QTest::newRow("multi-line signature") << QByteArray("def upgrade(\n    engine_name: str = '',\n) -> None:\n    pass\n")
                                          << 1 << 4 << 0 << 0 << true << false;
    QTest::newRow("trailing helper") << QByteArray("def downgrade():\n    op.x()\n\n\ndef helper():\n    pass\n")
                                     << 0 << 0 << 1 << 2 << false << false;
    QTest::newRow("decorated helper after") << QByteArray("def downgrade():\n    op.x()\n@dec\ndef helper():\n    pass\n")
                                            << 0 << 0 << 1 << 2 << false << false;
}

void tst_RevisionFile::functions()
{
    QFETCH(QByteArray, source);
    QFETCH(int, upgradeLine);
    QFETCH(int, upgradeEnd);
    QFETCH(int, downgradeLine);
    QFETCH(int, downgradeEnd);
    QFETCH(bool, upgradeEmpty);
    QFETCH(bool, downgradeEmpty);
    const RevisionFile f = parse(source);
    QCOMPARE(f.upgradeLine, upgradeLine);
    QCOMPARE(f.upgradeEndLine, upgradeEnd);
    QCOMPARE(f.downgradeLine, downgradeLine);
    QCOMPARE(f.downgradeEndLine, downgradeEnd);
    if (upgradeLine)
        QCOMPARE(f.upgradeEmpty, upgradeEmpty);
    if (downgradeLine)
        QCOMPARE(f.downgradeEmpty, downgradeEmpty);
}

void tst_RevisionFile::malformed_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<int>("line");

    QTest::newRow("unterminated string") << QByteArray("revision = 'a\ndown_revision = None\n") << "parse-error" << 1;
    QTest::newRow("unterminated triple") << QByteArray("x = 1\n\"\"\"never closed\nrevision = 'a'\n") << "parse-error" << 2;
    QTest::newRow("unclosed bracket") << QByteArray("revision = 'a'\ndown_revision = ('b',\n") << "parse-error" << 2;
    QTest::newRow("computed") << QByteArray("revision = 'a'\ndown_revision = get_parent()\n") << "unreadable-identifier" << 2;
    QTest::newRow("concatenation with +") << QByteArray("revision = 'a' + 'b'\n") << "unreadable-identifier" << 1;
    QTest::newRow("bytes") << QByteArray("revision = b'a'\n") << "unreadable-identifier" << 1;
    QTest::newRow("f-string") << QByteArray("revision = f'{x}'\n") << "unreadable-identifier" << 1;
    QTest::newRow("unknown name") << QByteArray("revision = 'a'\ndown_revision = PARENT\n") << "unreadable-identifier" << 2;
    QTest::newRow("number") << QByteArray("revision = 12\n") << "unreadable-identifier" << 1;
    QTest::newRow("set of two") << QByteArray("revision = 'b'\ndown_revision = {'a', 'c'}\n") << "unreadable-identifier" << 2;
    // Before: kept as the text "\N{LATIN SMALL LETTER A}", a parent no file defines.
    // Before: a walrus was not seen and `del` kept the deleted value.
    QTest::newRow("walrus") << QByteArray("(revision := 'b')\ndown_revision = None\n") << "unreadable-identifier" << 1;
    QTest::newRow("walrus in a value") << QByteArray("revision = 'b'\nx = [down_revision := 'a']\n") << "unreadable-identifier" << 2;
    QTest::newRow("del") << QByteArray("revision = 'b'\ndown_revision = None\ndel revision\n") << "unreadable-identifier" << 3;
    QTest::newRow("named escape") << QByteArray("revision = 'b'\ndown_revision = '\\N{LATIN SMALL LETTER A}'\n")
                                  << "unreadable-identifier" << 2;
    QTest::newRow("named escape in a tuple") << QByteArray("revision = 'b'\ndown_revision = ('x', 'y' '\\N{DIGIT ONE}')\n")
                                             << "unreadable-identifier" << 2;
    QTest::newRow("revision None") << QByteArray("revision = None\n") << "bad-revision-id" << 1;
    // What a compound statement binds only running the module tells (invenio-accounts builds
    // depends_on from the imports that succeed): refused, not guessed from its first value.
    QTest::newRow("list grown in a try") << QByteArray("deps = []\ntry:\n    import other_pkg\n    deps += ['x1']\n"
                                                       "except ImportError:\n    pass\nrevision = 'a'\ndown_revision = None\n"
                                                       "depends_on = deps\n")
                                         << "unreadable-identifier" << 9;
    QTest::newRow("imported in a try") << QByteArray("try:\n    from pkg import migration\nexcept ImportError:\n"
                                                     "    migration = None\nrevision = 'a'\ndown_revision = None\n"
                                                     "branch_labels = migration.EXPAND\n")
                                       << "unreadable-identifier" << 7;
    QTest::newRow("assigned in an if") << QByteArray("import os\nif os.environ.get('X'):\n    revision = 'a'\n"
                                                     "down_revision = None\n")
                                       << "unreadable-identifier" << 3;
    QTest::newRow("assigned in a for") << QByteArray("revision = 'a'\nfor down_revision in [None]:\n    pass\n")
                                       << "unreadable-identifier" << 2;
}

void tst_RevisionFile::malformed()
{
    QFETCH(QByteArray, source);
    QFETCH(QString, rule);
    QFETCH(int, line);
    const RevisionFile f = parse(source);
    QVERIFY(!f.isUsable());
    QCOMPARE(f.problems.first().rule, rule);
    QCOMPARE(f.problems.first().line, line);
    QCOMPARE(f.problems.first().file, QStringLiteral("/p/v/x.py"));
    QVERIFY(!f.problems.first().message.isEmpty());
}

void tst_RevisionFile::lastAssignmentWins()
{
    const RevisionFile f = parse("revision = 'a'\ndown_revision = None\nrevision = 'b'\n");
    QCOMPARE(f.revision, QStringLiteral("b"));
    QCOMPARE(f.revisionLine, 3);
}

void tst_RevisionFile::stringsHidingAssignments()
{
    // Column-0 text inside an indented triple-quoted SQL string is not a statement.
    const RevisionFile f = parse("revision = 'real'\ndown_revision = None\n\ndef upgrade():\n    op.execute(\"\"\"\n"
                                 "revision = 'fake'\ndown_revision = 'fake'\n\"\"\")\n    op.execute('x = \"y\" # z')\n"
                                 "\ndef downgrade():\n    pass\n");
    QVERIFY(f.isUsable());
    QCOMPARE(f.revision, QStringLiteral("real"));
    QCOMPARE(f.downRevision.toTuple(), QStringList{});
    QCOMPARE(f.upgradeLine, 4);
    QCOMPARE(f.upgradeEndLine, 9);
    QCOMPARE(f.downgradeLine, 11);
    QVERIFY(!f.upgradeEmpty);
    QVERIFY(f.downgradeEmpty);
    // Assignments inside functions and comparisons do not count either.
    const RevisionFile g = parse("revision = 'a'\ndown_revision = None\nif revision == 'x':\n    revision = 'y'\n");
    QCOMPARE(g.revision, QStringLiteral("a"));
}

void tst_RevisionFile::lineNumbers()
{
    const RevisionFile f = parse("\"\"\"doc\n\nmore\n\"\"\"\n# c\nrevision = (\n  'a'\n)\ndown_revision = None\n"
                                 "branch_labels = 'x'\ndepends_on = None\n");
    QCOMPARE(f.revisionLine, 6);
    QCOMPARE(f.downRevisionLine, 9);
    QCOMPARE(f.branchLabelsLine, 10);
    QCOMPARE(f.dependsOnLine, 11);
}

void tst_RevisionFile::deepNestingIsASyntaxError()
{
    // Issue 14: ((((...("a1")...)))) crashed the old reader from ~50,000 levels. CPython
    // refuses a 201st nested bracket; so does Retort, without recursing.
    for (int depth : {201, 5000, 2000000}) {
        QByteArray src = "revision = \"b1\"\ndown_revision = ";
        src += QByteArray(depth, '(') + "\"a1\"" + QByteArray(depth, ')') + "\n";
        const RevisionFile f = parse(src);
        QVERIFY(!f.isUsable());
        QCOMPARE(f.problems.first().rule, QStringLiteral("parse-error"));
        QCOMPARE(f.problems.first().line, 2);
        QVERIFY2(f.problems.first().message.contains(QLatin1String("too many nested parentheses")), qPrintable(f.problems.first().message));
    }
    const QByteArray ok = "revision = \"b1\"\ndown_revision = " + QByteArray(200, '(') + "\"a1\"" + QByteArray(200, ')') + "\n";
    const RevisionFile f = parse(ok);
    QVERIFY(f.isUsable());
    QCOMPARE(f.downRevision.toTuple(), QStringList{"a1"});
}

void tst_RevisionFile::referenceMarkerInAStringIsText()
{
    // Issue 14: the old reader marked references with \x01...\x02 inside the string, so a
    // literal holding those characters was looked up as a module constant.
    const RevisionFile f = parse("revision = \"\\x01app.consts\\x02REV\"\ndown_revision = (\"\x01" "app.consts\x02P\",)\n");
    QVERIFY(f.isUsable());
    QVERIFY(!f.hasReferences);
    QCOMPARE(f.revision, QStringLiteral("\x01" "app.consts\x02" "REV"));
    QCOMPARE(f.downRevision.toTuple(), QStringList{QStringLiteral("\x01" "app.consts\x02" "P")});
}

void tst_RevisionFile::references()
{
    const RevisionFile f = parse("from app import consts\nimport app.labels as L\nrevision = 'a'\n"
                                 "down_revision = consts.PARENT\nbranch_labels = ('x', L.EXPAND)\n");
    QVERIFY(f.isUsable());
    QVERIFY(f.hasReferences);
    QCOMPARE(f.downRevision.references.size(), 1);
    QCOMPARE(f.downRevision.references[0].index, -1);
    QCOMPARE(f.downRevision.references[0].module, QStringLiteral("app.consts"));
    QCOMPARE(f.downRevision.references[0].name, QStringLiteral("PARENT"));
    QCOMPARE(f.branchLabels.references.size(), 1);
    QCOMPARE(f.branchLabels.references[0].index, 1);
    QCOMPARE(f.branchLabels.references[0].module, QStringLiteral("app.labels"));
}

void tst_RevisionFile::legacyFileName()
{
    // Alembic's _legacy_rev: no module-level revision, a name that is hex + ".py".
    const QByteArray src = "down_revision = None\n";
    RevisionFile f = parseRevisionSource(std::string_view(src.constData(), size_t(src.size())), QStringLiteral("/v/3f2a9c.py"), QStringLiteral("3f2a9c.py"), retort::core::python::NewestPython);
    QVERIFY(f.hasRevision);
    QCOMPARE(f.revision, QStringLiteral("3f2a9c"));
    for (const char *name : {"3f2a9C.py", "3f2a_x.py", "g1.py", ".py"}) {
        f = parseRevisionSource(std::string_view(src.constData(), size_t(src.size())), QStringLiteral("/v/") + QLatin1String(name), QLatin1String(name), retort::core::python::NewestPython);
        QVERIFY2(!f.hasRevision, name);
    }
}

void tst_RevisionFile::syntaxErrorAnywhere()
{
    // The import fails in Alembic for an error in any function, not only at the top level.
    const RevisionFile f = parse("revision = 'a'\ndown_revision = None\n\ndef upgrade(:):\n    pass\n");
    QVERIFY(!f.isUsable());
    QCOMPARE(f.problems.first().rule, QStringLiteral("parse-error"));
    QCOMPARE(f.problems.first().line, 4);
    QCOMPARE(f.problems.first().message, QStringLiteral("SyntaxError: invalid syntax (line 4, column 13)."));
}

void tst_RevisionFile::crlfDocstringWithEscape()
{
    // CRLF becomes LF before Python evaluates the literal, so the blank line splits Script.doc.
    const RevisionFile f = parse("\"\"\"first\\tpart\r\n\r\nRevision ID: a\r\n\"\"\"\r\nrevision = 'a'\r\ndown_revision = None\r\n");
    QCOMPARE(f.doc(), QStringLiteral("first\tpart"));
    QCOMPARE(f.longDoc, QStringLiteral("first\tpart\n\nRevision ID: a"));
}

void tst_RevisionFile::commentsAndStringsAreNotCode()
{
    const RevisionFile f = parse("revision = 'a'\ndown_revision = None\n\ndef upgrade():\n    # op.add_column('t', sa.Column('c'))\n"
                                 "    pass\n\ndef downgrade():\n    '''op.drop_column('t', 'c')'''\n");
    QVERIFY(f.upgradeEmpty);
    QVERIFY(f.downgradeEmpty);
}

// A revision file in Python 3.12+ syntax: read when the project's Alembic runs on 3.12+, a
// parse error with 3.11's message when it runs on 3.11 (its import fails there), through the
// reader every command uses (the project's flavor reaches the parser).
void tst_RevisionFile::grammarFollowsThePython()
{
    const QByteArray src = "revision = 'b1'\ndown_revision = None\n\n\ndef upgrade():\n"
                           "    op.execute(f\"UPDATE t SET {\", \".join(['a', 'b'])} = 1\")\n\n\n"
                           "def pick[T](x: T) -> T:\n    return x\n";
    const std::string_view bytes(src.constData(), size_t(src.size()));
    using retort::core::python::PythonVersion;
    const RevisionFile on313 = parseRevisionSource(bytes, QStringLiteral("/v/b1.py"), QStringLiteral("b1.py"), PythonVersion::Py313);
    QVERIFY2(on313.problems.isEmpty(), qPrintable(on313.problems.value(0).message));
    QCOMPARE(on313.revision, QStringLiteral("b1"));
    QVERIFY(on313.tree && on313.tree->version() == PythonVersion::Py313);
    const RevisionFile on311 = parseRevisionSource(bytes, QStringLiteral("/v/b1.py"), QStringLiteral("b1.py"), PythonVersion::Py311);
    QCOMPARE(on311.problems.size(), 1);
    QCOMPARE(on311.problems[0].message, QStringLiteral("SyntaxError: f-string: expecting '}' (line 6, column 33)."));

    QTemporaryDir dir;
    QDir(dir.path()).mkpath(QStringLiteral("versions"));
    QFile f(dir.filePath(QStringLiteral("versions/b1.py")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(src);
    f.close();
    ProjectConfig cfg;
    cfg.baseDir = dir.path();
    cfg.scriptLocation = dir.path();
    cfg.versionLocations = {dir.filePath(QStringLiteral("versions"))};
    cfg.flavor.python = QVersionNumber(3, 11);
    const auto as311 = ScriptDirectory::load(cfg);
    QVERIFY(as311);
    QCOMPARE(as311->map.loadError().message.contains(QLatin1String("f-string: expecting '}'")), true);
    // Loaded again as 3.13 with the 3.11 snapshot lent: the unchanged bytes are parsed again.
    cfg.flavor.python = QVersionNumber(3, 13);
    const auto as313 = ScriptDirectory::load(cfg, &*as311);
    QVERIFY(as313);
    QVERIFY2(as313->map.isValid(), qPrintable(as313->map.loadError().message));
}

QTEST_GUILESS_MAIN(tst_RevisionFile)
#include "tst_revisionfile.moc"
