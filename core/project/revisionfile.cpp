#include "revisionfile.h"

#include <QHash>
#include <QRegularExpression>

#include <array>
#include <vector>

namespace retort::core {

namespace {

// Python's str.isspace() for the characters that matter in source text.
bool isPySpace(QChar c)
{
    return c.isSpace() || c == QChar(0x1c) || c == QChar(0x1d) || c == QChar(0x1e) || c == QChar(0x1f);
}

struct Token
{
    enum class Kind { Name, Number, String, Op };
    Kind kind;
    std::string_view text;    // for strings: the body between the quotes
    int line;
    char op = 0;              // for Op: the character
    bool raw = false;         // string prefix r
    bool bytes = false;       // string prefix b
    bool fstring = false;     // string prefix f
};

bool isIdentStart(unsigned char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }
bool isIdentChar(unsigned char c) { return isIdentStart(c) || (c >= '0' && c <= '9'); }

bool isStringPrefix(std::string_view w, bool &raw, bool &bytes, bool &fstr)
{
    if (w.empty() || w.size() > 2)
        return false;
    raw = bytes = fstr = false;
    bool u = false;
    for (char c : w) {
        switch (c | 0x20) {
        case 'r': if (raw) return false; raw = true; break;
        case 'b': if (bytes) return false; bytes = true; break;
        case 'f': if (fstr) return false; fstr = true; break;
        case 'u': if (u) return false; u = true; break;
        default: return false;
        }
    }
    if (u && w.size() > 1)
        return false;
    if (bytes && fstr)
        return false;
    return true;
}

// A single pass over the source that yields logical lines as token lists.
class Lexer
{
public:
    Lexer(std::string_view src) : m_p(src.data()), m_end(src.data() + src.size()) {}

    // Reads the next logical line. Returns false at end of input.
    // indent: width of leading white space; tokens: filled for top-level lines, and for
    // indented ones as `indented` asks (skipping the rest is what makes big
    // projects load fast).
    enum class Collect { Nothing, FirstToken, Everything };
    bool next(int &indent, int &firstLine, int &lastLine, std::vector<Token> &tokens, Collect indented)
    {
        tokens.clear();
        // Skip blank and comment-only lines.
        for (;;) {
            if (m_p >= m_end)
                return false;
            const char *lineStart = m_p;
            while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\f'))
                ++m_p;
            indent = int(m_p - lineStart);
            if (m_p >= m_end)
                return false;
            if (*m_p == '#') {
                while (m_p < m_end && *m_p != '\n')
                    ++m_p;
            }
            if (m_p < m_end && (*m_p == '\n' || *m_p == '\r')) {
                newline();
                continue;
            }
            if (m_p >= m_end)
                return false;
            break;
        }
        firstLine = m_line;
        if (indent > 0 && indented == Collect::Nothing)
            return skipLine(lastLine);
        if (indent > 0 && indented == Collect::FirstToken) {
            // Enough to tell `pass`, `...` and docstrings from real statements.
            const char *s = m_p;
            if (isIdentStart(static_cast<unsigned char>(*s))) {
                while (m_p < m_end && isIdentChar(static_cast<unsigned char>(*m_p)))
                    ++m_p;
                const std::string_view word(s, size_t(m_p - s));
                bool r, b, f;
                const bool stringNext = m_p < m_end && (*m_p == '"' || *m_p == '\'') && isStringPrefix(word, r, b, f);
                if (word != "pass" && !stringNext) {
                    tokens.push_back({Token::Kind::Name, word, m_line});
                    return skipLine(lastLine);
                }
                m_p = s;
            } else if (*s != '.' && *s != '"' && *s != '\'') {
                Token t{Token::Kind::Op, std::string_view(s, 1), m_line};
                t.op = *s;
                tokens.push_back(t);
                return skipLine(lastLine);
            }
        }
        int depth = 0;
        while (m_p < m_end) {
            const unsigned char c = static_cast<unsigned char>(*m_p);
            if (c == '\n' || c == '\r') {
                if (depth == 0) {
                    lastLine = m_line;
                    newline();
                    return true;
                }
                newline();
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\f') {
                ++m_p;
                continue;
            }
            if (c == '#') {
                while (m_p < m_end && *m_p != '\n' && *m_p != '\r')
                    ++m_p;
                continue;
            }
            if (c == '\\') {
                ++m_p;
                if (m_p < m_end && (*m_p == '\n' || *m_p == '\r'))
                    newline();
                continue;
            }
            if (c == '"' || c == '\'') {
                Token t{Token::Kind::String, {}, m_line};
                if (!readString(t))
                    return failed();
                tokens.push_back(t);
                continue;
            }
            if (isIdentStart(c)) {
                const char *s = m_p;
                while (m_p < m_end && isIdentChar(static_cast<unsigned char>(*m_p)))
                    ++m_p;
                std::string_view word(s, size_t(m_p - s));
                Token t{Token::Kind::Name, word, m_line};
                if (m_p < m_end && (*m_p == '"' || *m_p == '\'')
                    && isStringPrefix(word, t.raw, t.bytes, t.fstring)) {
                    t.kind = Token::Kind::String;
                    if (!readString(t))
                        return failed();
                }
                tokens.push_back(t);
                continue;
            }
            if (c >= '0' && c <= '9') {
                const char *s = m_p;
                while (m_p < m_end && (isIdentChar(static_cast<unsigned char>(*m_p)) || *m_p == '.'))
                    ++m_p;
                tokens.push_back({Token::Kind::Number, std::string_view(s, size_t(m_p - s)), m_line});
                continue;
            }
            if (c == '(' || c == '[' || c == '{')
                ++depth;
            else if (c == ')' || c == ']' || c == '}')
                depth = depth > 0 ? depth - 1 : 0;
            Token t{Token::Kind::Op, std::string_view(m_p, 1), m_line};
            t.op = char(c);
            tokens.push_back(t);
            ++m_p;
        }
        lastLine = m_line;
        if (depth > 0) {
            m_error = QStringLiteral("unexpected end of file: an opening bracket is never closed");
            m_errorLine = firstLine;
        }
        return true;
    }

    bool hasError() const { return !m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    int errorLine() const { return m_errorLine; }

private:
    // The rest of a logical line whose tokens nobody needs: only strings, comments,
    // continuations and brackets matter, found through a table instead of per-token work.
    bool skipLine(int &lastLine)
    {
        static const auto special = [] {
            std::array<bool, 256> t{};
            for (unsigned char c : std::string_view("\"'#\\\n\r([{)]}"))
                t[c] = true;
            return t;
        }();
        int depth = 0;
        while (m_p < m_end) {
            const unsigned char c = static_cast<unsigned char>(*m_p);
            if (!special[c]) {
                ++m_p;
                continue;
            }
            switch (c) {
            case '\n':
            case '\r':
                if (depth == 0) {
                    lastLine = m_line;
                    newline();
                    return true;
                }
                newline();
                break;
            case '#':
                while (m_p < m_end && *m_p != '\n' && *m_p != '\r')
                    ++m_p;
                break;
            case '\\':
                ++m_p;
                if (m_p < m_end && (*m_p == '\n' || *m_p == '\r'))
                    newline();
                break;
            case '"':
            case '\'': {
                Token t{Token::Kind::String, {}, m_line};
                if (!readString(t))
                    return failed();
                break;
            }
            case '(': case '[': case '{':
                ++depth;
                ++m_p;
                break;
            default:
                depth = depth > 0 ? depth - 1 : 0;
                ++m_p;
            }
        }
        lastLine = m_line;
        return true;
    }

    void newline()
    {
        if (*m_p == '\r' && m_p + 1 < m_end && m_p[1] == '\n')
            ++m_p;
        ++m_p;
        ++m_line;
    }

    bool failed()
    {
        m_p = m_end;
        return false;
    }

    bool readString(Token &t)
    {
        const char q = *m_p;
        const int startLine = m_line;
        const bool triple = m_end - m_p >= 3 && m_p[1] == q && m_p[2] == q;
        m_p += triple ? 3 : 1;
        const char *body = m_p;
        while (m_p < m_end) {
            const char c = *m_p;
            if (c == '\\') {
                ++m_p;
                if (m_p < m_end) {
                    if (*m_p == '\n' || *m_p == '\r')
                        newline();
                    else
                        ++m_p;
                }
                continue;
            }
            if (c == q) {
                if (!triple) {
                    t.text = std::string_view(body, size_t(m_p - body));
                    ++m_p;
                    return true;
                }
                if (m_end - m_p >= 3 && m_p[1] == q && m_p[2] == q) {
                    t.text = std::string_view(body, size_t(m_p - body));
                    m_p += 3;
                    return true;
                }
                ++m_p;
                continue;
            }
            if (c == '\n' || c == '\r') {
                if (!triple)
                    break;
                newline();
                continue;
            }
            ++m_p;
        }
        m_error = triple ? QStringLiteral("unterminated triple-quoted string")
                         : QStringLiteral("unterminated string literal");
        m_errorLine = startLine;
        return false;
    }

    const char *m_p;
    const char *m_end;
    int m_line = 1;
    QString m_error;
    int m_errorLine = 0;
};

int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The value of a str literal's body, with Python's escapes applied unless raw.
QString decodeString(const Token &t)
{
    std::string_view s = t.text;
    if (t.raw || s.find('\\') == std::string_view::npos) {
        QString out = QString::fromUtf8(s.data(), qsizetype(s.size()));
        if (out.contains(QLatin1Char('\r')))
            out.replace(QStringLiteral("\r\n"), QStringLiteral("\n")).replace(QLatin1Char('\r'), QLatin1Char('\n'));
        return out;
    }
    QString out;
    out.reserve(qsizetype(s.size()));
    size_t runStart = 0;
    auto flush = [&](size_t upto) {
        if (upto > runStart)
            out += QString::fromUtf8(s.data() + runStart, qsizetype(upto - runStart));
    };
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] != '\\') {
            ++i;
            continue;
        }
        flush(i);
        if (i + 1 >= s.size()) {
            out += QLatin1Char('\\');
            runStart = i = s.size();
            break;
        }
        const char e = s[i + 1];
        size_t next = i + 2;
        switch (e) {
        case '\n': break;
        case '\r': if (next < s.size() && s[next] == '\n') ++next; break;
        case '\\': out += QLatin1Char('\\'); break;
        case '\'': out += QLatin1Char('\''); break;
        case '"': out += QLatin1Char('"'); break;
        case 'a': out += QChar(7); break;
        case 'b': out += QChar(8); break;
        case 'f': out += QChar(12); break;
        case 'n': out += QLatin1Char('\n'); break;
        case 'r': out += QLatin1Char('\r'); break;
        case 't': out += QLatin1Char('\t'); break;
        case 'v': out += QChar(11); break;
        case 'x': case 'u': case 'U': {
            const int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            char32_t cp = 0;
            int n = 0;
            while (n < digits && next < s.size() && hexValue(s[next]) >= 0) {
                cp = cp * 16 + char32_t(hexValue(s[next]));
                ++next;
                ++n;
            }
            if (n == digits)
                out += QString::fromUcs4(&cp, 1);
            else
                out += QString::fromUtf8(s.data() + i, qsizetype(next - i));
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                char32_t cp = 0;
                next = i + 1;
                int n = 0;
                while (n < 3 && next < s.size() && s[next] >= '0' && s[next] <= '7') {
                    cp = cp * 8 + char32_t(s[next] - '0');
                    ++next;
                    ++n;
                }
                out += QString::fromUcs4(&cp, 1);
            } else {
                // Unknown escapes (and \N{...}) stay as written, as Python keeps them.
                out += QLatin1Char('\\');
                next = i + 1;
            }
        }
        runStart = i = next;
    }
    flush(s.size());
    return out;
}

// Top-level names assigned a readable value so far (few per file: a vector beats a hash).
using KnownNames = std::vector<std::pair<std::string_view, PyValue>>;

// Top-level imports: `import a.b as x` binds x to module a.b; `from a.b import c` binds c to
// attribute-or-submodule c of a.b.
struct ImportedName
{
    std::string_view alias;
    QString module;   // "a.b"
    QString name;     // "c" for from-imports, empty for module imports
};
using Imports = std::vector<ImportedName>;

void setKnown(KnownNames &known, std::string_view name, const std::optional<PyValue> &value)
{
    for (auto it = known.begin(); it != known.end(); ++it) {
        if (it->first == name) {
            if (value)
                it->second = *value;
            else
                known.erase(it);
            return;
        }
    }
    if (value)
        known.emplace_back(name, *value);
}

// A tiny evaluator for the right-hand side of a revision identifier assignment.
class ValueParser
{
public:
    ValueParser(const std::vector<Token> &tokens, size_t pos, const KnownNames &known, const Imports &imports)
        : m_t(tokens), m_pos(pos), m_known(known), m_imports(imports) {}

    // Parses the whole remainder of the statement.
    std::optional<PyValue> parseStatementValue()
    {
        auto first = parseItem();
        if (!first)
            return std::nullopt;
        if (atEnd())
            return first;
        if (!isOp(',')) // `a = "x" + y` and other expressions
            return std::nullopt;
        // A bare tuple: "a", "b"
        PyValue seq;
        seq.kind = PyValue::Kind::Sequence;
        if (!appendItem(seq, *first))
            return std::nullopt;
        while (isOp(',')) {
            ++m_pos;
            if (atEnd())
                break;
            auto item = parseItem();
            if (!item || !appendItem(seq, *item))
                return std::nullopt;
        }
        if (!atEnd())
            return std::nullopt;
        return seq;
    }

private:
    bool atEnd() const { return m_pos >= m_t.size() || isOp(';'); }
    bool isOp(char c) const
    {
        return m_pos < m_t.size() && m_t[m_pos].kind == Token::Kind::Op && m_t[m_pos].op == c;
    }

    static PyValue reference(const QString &module, const QString &name)
    {
        PyValue v;
        v.kind = PyValue::Kind::String;
        v.string = QChar(0x1) + module + QChar(0x2) + name;
        return v;
    }

    static bool appendItem(PyValue &seq, const PyValue &item)
    {
        if (item.kind != PyValue::Kind::String)
            return false; // Alembic needs strings; None inside a tuple is not a revision
        seq.items.append(item.string);
        return true;
    }

    std::optional<PyValue> parseItem()
    {
        if (m_pos >= m_t.size())
            return std::nullopt;
        const Token &t = m_t[m_pos];
        if (t.kind == Token::Kind::String) {
            PyValue v;
            v.kind = PyValue::Kind::String;
            while (m_pos < m_t.size() && m_t[m_pos].kind == Token::Kind::String) {
                const Token &s = m_t[m_pos];
                if (s.bytes || s.fstring)
                    return std::nullopt;
                v.string += decodeString(s);
                ++m_pos;
            }
            return v;
        }
        if (t.kind == Token::Kind::Name) {
            ++m_pos;
            if (t.text == "None")
                return PyValue{};
            // A dotted name: a.b.c
            QStringList chain{QString::fromUtf8(t.text.data(), qsizetype(t.text.size()))};
            while (m_pos + 1 < m_t.size() && m_t[m_pos].kind == Token::Kind::Op && m_t[m_pos].op == '.'
                   && m_t[m_pos + 1].kind == Token::Kind::Name) {
                chain.append(QString::fromUtf8(m_t[m_pos + 1].text.data(), qsizetype(m_t[m_pos + 1].text.size())));
                m_pos += 2;
            }
            if (chain.size() == 1) {
                for (const auto &[name, value] : m_known)
                    if (name == t.text)
                        return value;
            }
            // A constant imported from another module: resolved later from its source.
            for (const ImportedName &imp : m_imports) {
                if (imp.alias != t.text)
                    continue;
                QStringList module = imp.module.split(QLatin1Char('.'));
                if (!imp.name.isEmpty())
                    module.append(imp.name);
                if (chain.size() == 1) {
                    if (imp.name.isEmpty())
                        return std::nullopt; // a module is not a revision id
                    module.removeLast();
                    return reference(module.join(QLatin1Char('.')), imp.name);
                }
                module.append(chain.mid(1, chain.size() - 2));
                return reference(module.join(QLatin1Char('.')), chain.last());
            }
            return std::nullopt;
        }
        if (t.kind == Token::Kind::Op && (t.op == '(' || t.op == '[')) {
            const char close = t.op == '(' ? ')' : ']';
            const bool isList = t.op == '[';
            ++m_pos;
            PyValue seq;
            seq.kind = PyValue::Kind::Sequence;
            if (isOp(close)) {
                ++m_pos;
                return seq;
            }
            auto first = parseItem();
            if (!first)
                return std::nullopt;
            if (isOp(close) && !isList) {
                ++m_pos;
                return first; // parenthesised expression, not a tuple
            }
            if (!appendItem(seq, *first))
                return std::nullopt;
            while (isOp(',')) {
                ++m_pos;
                if (isOp(close))
                    break;
                auto item = parseItem();
                if (!item || !appendItem(seq, *item))
                    return std::nullopt;
            }
            if (!isOp(close))
                return std::nullopt;
            ++m_pos;
            return seq;
        }
        return std::nullopt;
    }

    const std::vector<Token> &m_t;
    size_t m_pos;
    const KnownNames &m_known;
    const Imports &m_imports;
};

bool isTrivialStatement(const std::vector<Token> &t, size_t from)
{
    if (from >= t.size())
        return true;
    const size_t n = t.size() - from;
    const Token &a = t[from];
    if (n == 1 && a.kind == Token::Kind::Name && a.text == "pass")
        return true;
    if (n == 3 && a.kind == Token::Kind::Op && a.op == '.' && t[from + 1].op == '.' && t[from + 2].op == '.')
        return true;
    for (size_t i = from; i < t.size(); ++i)
        if (t[i].kind != Token::Kind::String)
            return false;
    return true;
}

bool tokenIs(const Token &t, std::string_view name)
{
    return t.kind == Token::Kind::Name && t.text == name;
}

QString dottedAt(const std::vector<Token> &t, size_t &i)
{
    QString out;
    while (i < t.size() && t[i].kind == Token::Kind::Name) {
        out += QString::fromUtf8(t[i].text.data(), qsizetype(t[i].text.size()));
        if (i + 1 < t.size() && t[i + 1].kind == Token::Kind::Op && t[i + 1].op == '.') {
            out += QLatin1Char('.');
            i += 2;
        } else {
            ++i;
            break;
        }
    }
    return out;
}

// `import a.b [as x], c` and `from a.b import (c [as d], e)`; relative imports are skipped.
void readImports(const std::vector<Token> &t, std::vector<ImportedName> &imports)
{
    size_t i = 1;
    if (tokenIs(t[0], "import")) {
        while (i < t.size()) {
            const size_t start = i;
            const QString module = dottedAt(t, i);
            if (module.isEmpty())
                return;
            std::string_view alias = t[start].text;
            QString bound = module.section(QLatin1Char('.'), 0, 0);
            if (i + 1 < t.size() && tokenIs(t[i], "as")) {
                alias = t[i + 1].text;
                bound = module;
                i += 2;
            }
            imports.push_back({alias, bound, {}});
            if (i < t.size() && t[i].kind == Token::Kind::Op && t[i].op == ',')
                ++i;
            else
                return;
        }
        return;
    }
    if (i < t.size() && t[i].kind == Token::Kind::Op && t[i].op == '.')
        return; // relative import
    const QString module = dottedAt(t, i);
    if (module.isEmpty() || i >= t.size() || !tokenIs(t[i], "import"))
        return;
    ++i;
    while (i < t.size()) {
        if (t[i].kind == Token::Kind::Op) {
            ++i;
            continue;
        }
        if (t[i].kind != Token::Kind::Name)
            return;
        const QString name = QString::fromUtf8(t[i].text.data(), qsizetype(t[i].text.size()));
        std::string_view alias = t[i].text;
        ++i;
        if (i + 1 < t.size() && tokenIs(t[i], "as")) {
            alias = t[i + 1].text;
            i += 2;
        }
        imports.push_back({alias, module, name});
    }
}

} // namespace

QStringList PyValue::toTuple() const
{
    switch (kind) {
    case Kind::None: return {};
    case Kind::String: return {string};
    case Kind::Sequence: return items;
    }
    return {};
}

QString pyStrip(const QString &s)
{
    qsizetype b = 0, e = s.size();
    while (b < e && isPySpace(s.at(b)))
        ++b;
    while (e > b && isPySpace(s.at(e - 1)))
        --e;
    return s.mid(b, e - b);
}

QString RevisionFile::doc() const
{
    const qsizetype cut = longDoc.indexOf(QStringLiteral("\n\n"));
    return cut < 0 ? longDoc : longDoc.left(cut);
}

QString RevisionFile::createDate() const
{
    static const QRegularExpression re(QStringLiteral("^Create Date: *(.*)$"),
                                       QRegularExpression::MultilineOption);
    const auto m = re.match(longDoc);
    return m.hasMatch() ? m.captured(1).trimmed() : QString();
}

bool RevisionFile::isUsable() const
{
    for (const Diagnostic &d : problems)
        if (d.severity == Diagnostic::Severity::Error)
            return false;
    return true;
}

namespace {

RevisionFile parseImpl(std::string_view source, const QString &path, const QString &fileName,
                       QHash<QString, PyValue> *constants)
{
    RevisionFile rf;
    rf.path = path;
    rf.fileName = fileName;

    if (source.size() >= 3 && static_cast<unsigned char>(source[0]) == 0xEF
        && static_cast<unsigned char>(source[1]) == 0xBB && static_cast<unsigned char>(source[2]) == 0xBF)
        source.remove_prefix(3);

    Lexer lexer(source);
    std::vector<Token> tokens;
    tokens.reserve(64);
    KnownNames known;
    Imports imports;
    bool firstStatement = true;

    enum class Body { None, Upgrade, Downgrade, Other };
    Body body = Body::None;
    bool bodyTrivial = true;
    int lastBodyLine = 0;

    auto closeBody = [&]() {
        if (body == Body::Upgrade) {
            rf.upgradeEndLine = lastBodyLine;
            rf.upgradeEmpty = bodyTrivial;
        } else if (body == Body::Downgrade) {
            rf.downgradeEndLine = lastBodyLine;
            rf.downgradeEmpty = bodyTrivial;
        }
        body = Body::None;
    };

    // NAME [: annotation] = value
    auto handleAssignment = [&](const std::vector<Token> &tokens, int firstLine) {
        if (tokens[0].kind != Token::Kind::Name || tokens.size() < 3)
            return;
        size_t eq = 1;
        if (tokens[1].kind == Token::Kind::Op && tokens[1].op == ':') {
            int depth = 0;
            eq = 2;
            while (eq < tokens.size()) {
                const Token &t = tokens[eq];
                if (t.kind == Token::Kind::Op) {
                    if (t.op == '(' || t.op == '[' || t.op == '{') ++depth;
                    else if (t.op == ')' || t.op == ']' || t.op == '}') --depth;
                    else if (t.op == '=' && depth == 0) break;
                }
                ++eq;
            }
        }
        if (eq >= tokens.size() || tokens[eq].kind != Token::Kind::Op || tokens[eq].op != '=')
            return;
        // `a == b` and augmented assignments are not assignments of interest.
        if (eq + 1 < tokens.size() && tokens[eq + 1].kind == Token::Kind::Op && tokens[eq + 1].op == '='
            && tokens[eq + 1].text.data() == tokens[eq].text.data() + 1)
            return;

        const std::string_view name = tokens[0].text;
        const bool interesting = name == "revision" || name == "down_revision" || name == "branch_labels"
            || name == "depends_on";
        // Only identifier-like values are worth evaluating: skip `logger = logging.getLogger()`.
        const Token &rhs = eq + 1 < tokens.size() ? tokens[eq + 1] : tokens[eq];
        if (!interesting && rhs.kind != Token::Kind::String && rhs.kind != Token::Kind::Name
            && !(rhs.kind == Token::Kind::Op && (rhs.op == '(' || rhs.op == '['))) {
            setKnown(known, name, std::nullopt);
            return;
        }
        ValueParser vp(tokens, eq + 1, known, imports);
        const std::optional<PyValue> value = vp.parseStatementValue();
        setKnown(known, name, value);
        if (!value) {
            const QString qname = QString::fromUtf8(name.data(), qsizetype(name.size()));
            if (interesting) {
                rf.problems.append({Diagnostic::Severity::Error, QStringLiteral("unreadable-identifier"),
                                    QStringLiteral("%1 is assigned an expression Retort cannot read without "
                                                   "running Python; use a string, a tuple of strings or None.")
                                        .arg(qname),
                                    path, firstLine, {}});
            }
            return;
        }
        if (name == "revision") {
            if (value->kind != PyValue::Kind::String) {
                rf.problems.append({Diagnostic::Severity::Error, QStringLiteral("bad-revision-id"),
                                    QStringLiteral("revision must be a string."), path, firstLine, {}});
                return;
            }
            rf.hasRevision = true;
            rf.revision = value->string;
            rf.revisionLine = firstLine;
        } else if (name == "down_revision") {
            rf.hasDownRevision = true;
            rf.downRevision = *value;
            rf.downRevisionLine = firstLine;
        } else if (name == "branch_labels") {
            rf.branchLabels = *value;
            rf.branchLabelsLine = firstLine;
        } else if (name == "depends_on") {
            rf.dependsOn = *value;
            rf.dependsOnLine = firstLine;
        }
        };

    int indent = 0, firstLine = 0, lastLine = 0;
    // Only top-level lines and the bodies of upgrade()/downgrade() need tokens.
    while (lexer.next(indent, firstLine, lastLine, tokens,
                      (body == Body::Upgrade || body == Body::Downgrade) && bodyTrivial ? Lexer::Collect::FirstToken
                                                                                        : Lexer::Collect::Nothing)) {
        if (indent > 0) {
            if (body == Body::Upgrade || body == Body::Downgrade) {
                if (!isTrivialStatement(tokens, 0))
                    bodyTrivial = false;
                lastBodyLine = lastLine;
            } else if (body == Body::Other) {
                lastBodyLine = lastLine;
            }
            firstStatement = false;
            continue;
        }
        closeBody();
        if (tokens.empty())
            continue;

        const bool docCandidate = firstStatement;
        firstStatement = false;
        if (docCandidate && tokens.front().kind == Token::Kind::String) {
            bool allStrings = true;
            bool plain = true;
            for (const Token &t : tokens) {
                if (t.kind != Token::Kind::String) {
                    allStrings = false;
                    break;
                }
                if (t.bytes || t.fstring)
                    plain = false;
            }
            if (allStrings && plain) {
                QString doc;
                for (const Token &t : tokens)
                    doc += decodeString(t);
                rf.longDoc = pyStrip(doc);
                continue;
            }
        }

        size_t i = 0;
        if (tokenIs(tokens[0], "async") && tokens.size() > 1)
            i = 1;
        if (tokenIs(tokens[i], "def") && i + 1 < tokens.size()) {
            const Token &name = tokens[i + 1];
            body = name.text == "upgrade" ? Body::Upgrade : name.text == "downgrade" ? Body::Downgrade : Body::Other;
            if (body == Body::Upgrade)
                rf.upgradeLine = firstLine;
            else if (body == Body::Downgrade)
                rf.downgradeLine = firstLine;
            bodyTrivial = true;
            lastBodyLine = lastLine;
            // A one-line body: def downgrade(): pass
            int depth = 0;
            for (size_t k = i + 2; k < tokens.size(); ++k) {
                const Token &t = tokens[k];
                if (t.kind != Token::Kind::Op)
                    continue;
                if (t.op == '(' || t.op == '[' || t.op == '{') ++depth;
                else if (t.op == ')' || t.op == ']' || t.op == '}') --depth;
                else if (t.op == ':' && depth == 0) {
                    // the first ':' at depth 0 after the signature ends it (annotations use '->')
                    if (k + 1 < tokens.size() && !isTrivialStatement(tokens, k + 1))
                        bodyTrivial = false;
                    break;
                }
            }
            continue;
        }
        if (tokens[0].text == "class" && tokens[0].kind == Token::Kind::Name) {
            body = Body::Other;
            lastBodyLine = lastLine;
            continue;
        }

        if (tokenIs(tokens[0], "import") || tokenIs(tokens[0], "from")) {
            readImports(tokens, imports);
            continue;
        }
        bool hasSemicolon = false;
        for (const Token &t : tokens)
            hasSemicolon = hasSemicolon || (t.kind == Token::Kind::Op && t.op == ';');
        if (!hasSemicolon) {
            handleAssignment(tokens, firstLine);
            continue;
        }
        // Statements separated by ';' at bracket depth 0.
        size_t stmtStart = 0;
        int depth = 0;
        for (size_t k = 0; k <= tokens.size(); ++k) {
            if (k < tokens.size()) {
                const Token &t = tokens[k];
                if (t.kind == Token::Kind::Op) {
                    if (t.op == '(' || t.op == '[' || t.op == '{') ++depth;
                    else if (t.op == ')' || t.op == ']' || t.op == '}') --depth;
                }
                if (!(t.kind == Token::Kind::Op && t.op == ';' && depth == 0))
                    continue;
            }
            if (k > stmtStart) {
                const std::vector<Token> statement(tokens.begin() + std::ptrdiff_t(stmtStart), tokens.begin() + std::ptrdiff_t(k));
                handleAssignment(statement, firstLine);
            }
            stmtStart = k + 1;
        }
    }
    closeBody();

    if (lexer.hasError()) {
        rf.problems.prepend({Diagnostic::Severity::Error, QStringLiteral("parse-error"),
                            QStringLiteral("Syntax error: %1.").arg(lexer.error()), path, lexer.errorLine(), {}});
    }
    if (constants) {
        for (const auto &[name, value] : known)
            constants->insert(QString::fromUtf8(name.data(), qsizetype(name.size())), value);
    }
    for (const PyValue *v : {&rf.downRevision, &rf.branchLabels, &rf.dependsOn}) {
        if (v->string.startsWith(QChar(0x1)))
            rf.hasReferences = true;
        for (const QString &item : v->items)
            if (item.startsWith(QChar(0x1)))
                rf.hasReferences = true;
    }
    if (rf.revision.startsWith(QChar(0x1)))
        rf.hasReferences = true;
    return rf;
}

} // namespace

RevisionFile parseRevisionSource(std::string_view source, const QString &path, const QString &fileName)
{
    return parseImpl(source, path, fileName, nullptr);
}

QHash<QString, PyValue> parseModuleConstants(std::string_view source)
{
    QHash<QString, PyValue> constants;
    parseImpl(source, QString(), QString(), &constants);
    return constants;
}

bool isReference(const QString &value)
{
    return value.startsWith(QChar(0x1));
}

std::pair<QString, QString> referenceParts(const QString &value)
{
    const qsizetype sep = value.indexOf(QChar(0x2));
    return {value.mid(1, sep - 1), value.mid(sep + 1)};
}


} // namespace retort::core
