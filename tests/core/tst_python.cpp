// The Python front end against CPython itself: token streams from Lib/tokenize.py, trees
// from ast.parse and syntax errors from compile(), all generated once by
// tests/data/python/generate.py and checked in.
#include "project/sqlregions.h"
#include "python/syntaxtree.h"
#include "python/tokenizer.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace retort::core::python;
using retort::core::findSqlRegions;
using retort::core::SqlRegion;

class tst_Python : public QObject
{
    Q_OBJECT
private slots:
    void tokens_data();
    void tokens();
    void trees_data();
    void trees();
    void errors_data();
    void errors();
    void deepNestingIsRefusedWithoutRecursion();
    void universalNewlines();
    void tokensCarryNothingFromAnEarlierFile();
    void stringValues();
    void splitLines();
    void sqlRegionsForTheEditor();
};

static const QString kData = QStringLiteral(RETORT_TEST_DATA "/python");

static QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

// The same escaping as generate.py's esc().
static QString esc(const QString &s)
{
    QString out = QStringLiteral("'");
    for (char32_t c : s.toUcs4()) {
        if (c == '\\') out += QStringLiteral("\\\\");
        else if (c == '\n') out += QStringLiteral("\\n");
        else if (c == '\t') out += QStringLiteral("\\t");
        else if (c == '\r') out += QStringLiteral("\\r");
        else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        else if (c > 0xffff) out += QStringLiteral("\\U%1").arg(uint(c), 8, 16, QLatin1Char('0'));
        else if (c > 0x7e) out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
        else out += QChar(char16_t(c));
    }
    return out + QLatin1Char('\'');
}

static const char *tokenName(TokenKind k)
{
    switch (k) {
    case TokenKind::EndMarker: return "ENDMARKER";
    case TokenKind::Name: return "NAME";
    case TokenKind::Number: return "NUMBER";
    case TokenKind::String: return "STRING";
    case TokenKind::Newline: return "NEWLINE";
    case TokenKind::Indent: return "INDENT";
    case TokenKind::Dedent: return "DEDENT";
    case TokenKind::Op: return "OP";
    case TokenKind::Comment: return "COMMENT";
    case TokenKind::NL: return "NL";
    case TokenKind::Error: return "ERRORTOKEN";
    }
    return "?";
}

static QStringList inputs(const QString &dir)
{
    return QDir(kData + QLatin1Char('/') + dir).entryList({QStringLiteral("*.py")}, QDir::Files, QDir::Name);
}

void tst_Python::tokens_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &f : inputs(QStringLiteral("valid")))
        QTest::newRow(qPrintable(f)) << f;
}

void tst_Python::tokens()
{
    QFETCH(QString, file);
    const QString path = kData + QStringLiteral("/valid/") + file;
    const DecodedSource src = decodeSource(readAll(path).toStdString());
    QVERIFY(!src.error.isValid());
    const TokenStream ts = tokenize(src.text, TokenizeMode::All);
    QCOMPARE(ts.tokens.back().kind, TokenKind::EndMarker);
    std::vector<size_t> lineStarts{0};
    for (size_t i = 0; i < src.text.size(); ++i)
        if (src.text[i] == '\n')
            lineStarts.push_back(i + 1);
    auto col = [&](int line, size_t offset) {
        if (size_t(line - 1) >= lineStarts.size())
            return 0;
        return characterColumn(src.text, lineStarts[size_t(line - 1)], offset - lineStarts[size_t(line - 1)]);
    };
    QStringList actual;
    for (const Token &t : ts.tokens) {
        const QString text = QString::fromUtf8(src.text.data() + t.start, qsizetype(t.end - t.start));
        const int endCol = t.kind == TokenKind::Newline && t.start == t.end ? col(t.line, t.start) + 1 : col(t.endLine, t.end);
        actual << QStringLiteral("%1 %2 %3:%4-%5:%6")
                      .arg(QLatin1String(tokenName(t.kind)), esc(text))
                      .arg(t.line)
                      .arg(t.kind == TokenKind::EndMarker || t.kind == TokenKind::Dedent ? (t.kind == TokenKind::Dedent ? col(t.line, t.start) : 0) : col(t.line, t.start))
                      .arg(t.endLine)
                      .arg(t.kind == TokenKind::EndMarker ? 0 : endCol);
    }
    const QStringList expected = QString::fromUtf8(readAll(QString(path).replace(QStringLiteral(".py"), QStringLiteral(".tokens")))).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < std::min(actual.size(), expected.size()); ++i)
        QCOMPARE(actual[i], expected[i]);
    QCOMPARE(actual.size(), expected.size());
}

void tst_Python::trees_data()
{
    tokens_data();
}

void tst_Python::trees()
{
    QFETCH(QString, file);
    const QString path = kData + QStringLiteral("/valid/") + file;
    const QByteArray bytes = readAll(path);
    const auto tree = SyntaxTree::parse(std::string_view(bytes.constData(), size_t(bytes.size())));
    QVERIFY2(tree->isValid(), qPrintable(tree->error().toString()));
    const QStringList actual = tree->dump().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList expected = QString::fromUtf8(readAll(QString(path).replace(QStringLiteral(".py"), QStringLiteral(".ast")))).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < std::min(actual.size(), expected.size()); ++i)
        QCOMPARE(actual[i], expected[i]);
    QCOMPARE(actual.size(), expected.size());
}

void tst_Python::errors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    const QStringList lines = QString::fromUtf8(readAll(kData + QStringLiteral("/errors/expected.txt"))).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &l : lines) {
        const QStringList f = l.split(QLatin1Char('\t'));
        if (f.size() == 2)
            QTest::newRow(qPrintable(f[0])) << f[0] << QString() << QString() << 0 << 0;
        else
            QTest::newRow(qPrintable(f[0])) << f[0] << f[1] << f[2] << f[3].toInt() << f[4].toInt();
    }
}

void tst_Python::errors()
{
    QFETCH(QString, file);
    QFETCH(QString, type);
    QFETCH(QString, message);
    QFETCH(int, line);
    QFETCH(int, column);
    const QByteArray bytes = readAll(kData + QStringLiteral("/errors/") + file + QStringLiteral(".py"));
    const auto tree = SyntaxTree::parse(std::string_view(bytes.constData(), size_t(bytes.size())));
    if (type.isEmpty()) {
        QVERIFY2(tree->isValid(), qPrintable(tree->error().toString()));
        return;
    }
    QVERIFY(!tree->isValid());
    QCOMPARE(tree->error().message, message);
    QCOMPARE(tree->error().type, type);
    QCOMPARE(tree->error().line, line);
    QCOMPARE(tree->error().column, column);
}

void tst_Python::deepNestingIsRefusedWithoutRecursion()
{
    // A file chooses no recursion depth: a million brackets is one error from the tokenizer.
    for (const char *open : {"(", "[", "{", "f("}) {
        std::string src = "revision = \"a1\"\ndown_revision = ";
        for (int i = 0; i < 1000000; ++i)
            src += open;
        src += "\"a0\"\n";
        const auto tree = SyntaxTree::parseText(src);
        QVERIFY(!tree->isValid());
        QCOMPARE(tree->error().message, QStringLiteral("too many nested parentheses"));
        QCOMPARE(tree->error().line, 2);
    }
    // Chains without brackets are bounded by the parser's own limit.
    for (const char *link : {"lambda: ", "-", "not ", "2**", "a if b else ", "await "}) {
        std::string src = "x = ";
        for (int i = 0; i < 200000; ++i)
            src += link;
        src += "1\n";
        const auto tree = SyntaxTree::parseText(src);
        QVERIFY2(!tree->isValid(), link);
    }
    std::string ok = "x = ";
    for (int i = 0; i < 200; ++i)
        ok += "(";
    ok += "1";
    for (int i = 0; i < 200; ++i)
        ok += ")";
    QVERIFY(SyntaxTree::parseText(ok + "\n")->isValid());
}

void tst_Python::universalNewlines()
{
    // CRLF and lone CR are LF before tokenizing, inside strings too.
    const auto tree = SyntaxTree::parse("\"\"\"a\r\n\r\nb\\tc\"\"\"\rx = 'y'\r\n");
    QVERIFY(tree->isValid());
    const int expr = tree->node(tree->root()).first;
    QCOMPARE(tree->stringValue(tree->node(expr).first).value(), QStringLiteral("a\n\nb\tc"));
    QCOMPARE(tree->node(tree->node(expr).next).line, 4);
}

void tst_Python::tokensCarryNothingFromAnEarlierFile()
{
    // The tokenizer reuses its buffer between files: an Indent, Dedent, non-ASCII name or
    // error token written where an earlier file had an operator or keyword keeps none of it.
    const std::string ops = "x = (1 + 2) * [3] - {4} if not y else z\n";
    for (const char *later : {"if a:\n    b\nc\n", "\xc3\xa9t\xc3\xa9 = 1\n", "a = 'open\n"}) {
        (void)tokenize(ops);
        const TokenStream ts = tokenize(later);
        for (const Token &t : ts.tokens) {
            if (t.kind != TokenKind::Op)
                QCOMPARE(t.op, Op::None);
            if (t.kind != TokenKind::Name)
                QCOMPARE(t.keyword, Keyword::None);
            if (t.kind != TokenKind::String)
                QCOMPARE(t.flags, uint8_t(0));
        }
    }
}

void tst_Python::stringValues()
{
    const auto tree = SyntaxTree::parse("x = ('a' \"b\"  # c\n  r'\\n' '\\x41\\u00e9' f'{{}}')\n");
    QVERIFY2(tree->isValid(), qPrintable(tree->error().toString()));
    const int assign = tree->node(tree->root()).first;
    const int value = tree->child(assign, Field::Value);
    QCOMPARE(tree->stringValue(value).value(), QStringLiteral("ab\\nA\u00e9{}"));
}

void tst_Python::splitLines()
{
    QCOMPARE(pySplitLines(QStringLiteral("a\fb\vc\x1c" "d\x1d" "e\x1e" "f\u0085g\u2028h\u2029i\r\nj\rk\n")),
             (QStringList{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}));
}

void tst_Python::sqlRegionsForTheEditor()
{
    // UTF-16 offsets of the text as the editor holds it (CRLF, non-ASCII), from the tree;
    // a commented-out call and a string mentioning one are not SQL.
    const QString text = QStringLiteral("def upgrade():\r\n    # op.execute('DROP TABLE x')\r\n    s = \"op.execute('no')\"\r\n"
                                        "    op.execute(\"UPDATE caf\u00e9 SET a = 1\" 'b')\r\n    sa.text(b'bytes')\r\n");
    const QList<SqlRegion> regions = findSqlRegions(text);
    QCOMPARE(regions.size(), 2);
    QCOMPARE(text.mid(regions[0].start, regions[0].length), QStringLiteral("UPDATE caf\u00e9 SET a = 1"));
    QCOMPARE(regions[0].line, 4);
    QCOMPARE(text.mid(regions[1].start, regions[1].length), QStringLiteral("b"));
    // While the text does not parse, the tokens still give the regions.
    const QString broken = QStringLiteral("def upgrade(:\n    op.execute('SELECT 1')\n");
    const QList<SqlRegion> partial = findSqlRegions(broken);
    QCOMPARE(partial.size(), 1);
    QCOMPARE(broken.mid(partial[0].start, partial[0].length), QStringLiteral("SELECT 1"));
}

QTEST_GUILESS_MAIN(tst_Python)
#include "tst_python.moc"
