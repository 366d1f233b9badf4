#include "tokenizer.h"

#include <QChar>
#include <QString>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

namespace retort::core::python {

namespace {

struct OpEntry { const char *text; Op op; };
constexpr OpEntry kOps3[] = {{"**=", Op::DoubleStarEqual}, {"//=", Op::DoubleSlashEqual}, {"<<=", Op::LeftShiftEqual},
                             {">>=", Op::RightShiftEqual}, {"...", Op::Ellipsis}};
constexpr OpEntry kOps2[] = {{"==", Op::EqEqual}, {"!=", Op::NotEqual}, {"<=", Op::LessEqual}, {">=", Op::GreaterEqual},
                             {"<<", Op::LeftShift}, {">>", Op::RightShift}, {"**", Op::DoubleStar}, {"+=", Op::PlusEqual},
                             {"-=", Op::MinEqual}, {"*=", Op::StarEqual}, {"/=", Op::SlashEqual}, {"%=", Op::PercentEqual},
                             {"&=", Op::AmperEqual}, {"|=", Op::VBarEqual}, {"^=", Op::CircumflexEqual}, {"//", Op::DoubleSlash},
                             {"@=", Op::AtEqual}, {"->", Op::RArrow}, {":=", Op::ColonEqual}, {"<>", Op::NotEqual}};

Op oneCharOp(char c)
{
    switch (c) {
    case '(': return Op::LPar; case ')': return Op::RPar; case '[': return Op::LSqb; case ']': return Op::RSqb;
    case ':': return Op::Colon; case ',': return Op::Comma; case ';': return Op::Semi; case '+': return Op::Plus;
    case '-': return Op::Minus; case '*': return Op::Star; case '/': return Op::Slash; case '|': return Op::VBar;
    case '&': return Op::Amper; case '<': return Op::Less; case '>': return Op::Greater; case '=': return Op::Equal;
    case '.': return Op::Dot; case '%': return Op::Percent; case '{': return Op::LBrace; case '}': return Op::RBrace;
    case '~': return Op::Tilde; case '^': return Op::Circumflex; case '@': return Op::At;
    default: return Op::Other;
    }
}

// Hard keywords by length and first letter: every identifier is looked up, so no loop
// over the whole table.
Keyword keywordOf(std::string_view w)
{
    auto is = [&](const char *k, Keyword kw) { return std::memcmp(w.data(), k, w.size()) == 0 ? kw : Keyword::None; };
    switch (w.size()) {
    case 2:
        switch (w[0]) {
        case 'a': return is("as", Keyword::As);
        case 'i': return w[1] == 'f' ? Keyword::If : w[1] == 'n' ? Keyword::In : w[1] == 's' ? Keyword::Is : Keyword::None;
        case 'o': return is("or", Keyword::Or);
        default: return Keyword::None;
        }
    case 3:
        switch (w[0]) {
        case 'a': return is("and", Keyword::And);
        case 'd': return w[1] == 'e' ? (w[2] == 'f' ? Keyword::Def : w[2] == 'l' ? Keyword::Del : Keyword::None) : Keyword::None;
        case 'f': return is("for", Keyword::For);
        case 'n': return is("not", Keyword::Not);
        case 't': return is("try", Keyword::Try);
        default: return Keyword::None;
        }
    case 4:
        switch (w[0]) {
        case 'N': return is("None", Keyword::None_);
        case 'T': return is("True", Keyword::True_);
        case 'e': return w[1] == 'l' ? (w[2] == 'i' ? is("elif", Keyword::Elif) : is("else", Keyword::Else)) : Keyword::None;
        case 'f': return is("from", Keyword::From);
        case 'p': return is("pass", Keyword::Pass);
        case 'w': return is("with", Keyword::With);
        default: return Keyword::None;
        }
    case 5:
        switch (w[0]) {
        case 'F': return is("False", Keyword::False_);
        case 'a': return w[1] == 's' ? is("async", Keyword::Async) : is("await", Keyword::Await);
        case 'b': return is("break", Keyword::Break);
        case 'c': return is("class", Keyword::Class);
        case 'r': return is("raise", Keyword::Raise);
        case 'w': return is("while", Keyword::While);
        case 'y': return is("yield", Keyword::Yield);
        default: return Keyword::None;
        }
    case 6:
        switch (w[0]) {
        case 'a': return is("assert", Keyword::Assert);
        case 'e': return is("except", Keyword::Except);
        case 'g': return is("global", Keyword::Global);
        case 'i': return is("import", Keyword::Import);
        case 'l': return is("lambda", Keyword::Lambda);
        case 'r': return is("return", Keyword::Return);
        default: return Keyword::None;
        }
    case 7: return is("finally", Keyword::Finally);
    case 8:
        switch (w[0]) {
        case 'c': return is("continue", Keyword::Continue);
        case 'n': return is("nonlocal", Keyword::Nonlocal);
        default: return Keyword::None;
        }
    default:
        return Keyword::None;
    }
}

const std::array<uint8_t, 256> kIdent = [] {
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[size_t(c)] = (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) ? 1
                       : (c >= '0' && c <= '9')                                              ? 2
                                                                                             : 0;
    return t;
}();

// What a byte starts, for the tokenizer's dispatch.
// Open, Close and Single are the operators that never start a longer one: brackets, ',' and
// ';', the most frequent, taken without matchOp().
enum class CharClass : uint8_t { Op, Space, Newline, Hash, Backslash, Ident, Digit, Quote, Dot, Open, Close, Single };
const std::array<CharClass, 256> kClass = [] {
    std::array<CharClass, 256> t{};
    for (int c = 0; c < 256; ++c) {
        CharClass k = CharClass::Op;   // operators, and the characters no token starts with
        if (kIdent[size_t(c)] == 1) k = CharClass::Ident;
        else if (c >= '0' && c <= '9') k = CharClass::Digit;
        else if (c == ' ' || c == '\t' || c == '\f') k = CharClass::Space;
        else if (c == '\n') k = CharClass::Newline;
        else if (c == '#') k = CharClass::Hash;
        else if (c == '\\') k = CharClass::Backslash;
        else if (c == '"' || c == '\'') k = CharClass::Quote;
        else if (c == '.') k = CharClass::Dot;
        else if (c == '(' || c == '[' || c == '{') k = CharClass::Open;
        else if (c == ')' || c == ']' || c == '}') k = CharClass::Close;
        else if (c == ',' || c == ';') k = CharClass::Single;
        t[size_t(c)] = k;
    }
    return t;
}();

// Bytes a string's scan must look at: quotes, backslashes, newlines.
const std::array<bool, 256> kStringSpecial = [] {
    std::array<bool, 256> t{};
    t['"'] = t['\''] = t['\\'] = t['\n'] = true;
    return t;
}();

inline bool identStart(unsigned char c) { return kIdent[c] == 1; }
inline bool identChar(unsigned char c) { return kIdent[c] != 0; }
inline bool isDigit(char c) { return c >= '0' && c <= '9'; }
inline bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

char32_t decodeAt(std::string_view s, size_t i, size_t &len)
{
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { len = 1; return c; }
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (i + n > s.size())
        n = s.size() - i;
    char32_t cp = c & (n == 4 ? 0x07 : n == 3 ? 0x0F : 0x1F);
    for (size_t k = 1; k < n; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    len = n;
    return cp;
}

QString hex4(char32_t cp)
{
    return QString::number(uint(cp), 16).toUpper().rightJustified(4, QLatin1Char('0'));
}

bool isPrintable(char32_t cp)
{
    if (cp == ' ')
        return true;
    switch (QChar::category(cp)) {
    case QChar::Other_Control: case QChar::Other_Format: case QChar::Other_Surrogate: case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned: case QChar::Separator_Line: case QChar::Separator_Paragraph: case QChar::Separator_Space:
        return false;
    default:
        return true;
    }
}

bool xidStart(char32_t cp)
{
    if (cp < 0x80)
        return cp == '_' || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    switch (QChar::category(cp)) {
    case QChar::Letter_Uppercase: case QChar::Letter_Lowercase: case QChar::Letter_Titlecase: case QChar::Letter_Modifier:
    case QChar::Letter_Other: case QChar::Number_Letter:
        return true;
    default:
        return cp == 0x2118 || cp == 0x212E || cp == 0x309B || cp == 0x309C || cp == 0x1885 || cp == 0x1886;
    }
}

bool xidContinue(char32_t cp)
{
    if (xidStart(cp) || (cp >= '0' && cp <= '9'))
        return true;
    if (cp < 0x80)
        return false;
    switch (QChar::category(cp)) {
    case QChar::Mark_NonSpacing: case QChar::Mark_SpacingCombining: case QChar::Number_DecimalDigit:
    case QChar::Punctuation_Connector:
        return true;
    default:
        return cp == 0x00B7 || cp == 0x0387 || (cp >= 0x1369 && cp <= 0x1371) || cp == 0x19DA;
    }
}

// ASCII identifier bytes for PlainLine: 1 starts a name, 2 continues one.
const std::array<uint8_t, 256> kAsciiName = [] {
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 128; ++c)
        t[size_t(c)] = kIdent[size_t(c)];
    return t;
}();

// Bytes a PlainLine string stops at: either quote, a backslash, control characters.
const std::array<bool, 256> kPlainStringStop = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c)
        t[size_t(c)] = true;
    t['"'] = t['\''] = t['\\'] = t[0x7f] = true;
    return t;
}();

// Reads one statement of TokenizeMode::Outline's plain shape (see tokenizer.h) at the
// character level, mirroring Parser::skimStatement's grammar on the tokens it stands for, or
// refuses (false) at the first byte that does not fit; nothing but this object changes, so a
// refusal leaves the line to the tokenizer. The text ends with a NUL byte, which nothing here
// accepts: no bounds checks.
struct LineSkim
{
    const char *p;
    int line;
    const char *ls;   // where `line` starts
    static constexpr int MaxDepth = 40;   // brackets; the token-level skim allows 50

    // Spaces, and inside brackets newlines (NL tokens).
    void blanks(int depth)
    {
        for (;;) {
            while (*p == ' ')
                ++p;
            if (*p != '\n' || depth == 0)
                return;
            ++p;
            ++line;
            ls = p;
        }
    }
    // An ASCII name, not followed by a quote (a string prefix) or a non-ASCII byte.
    bool name(std::string_view &w)
    {
        const char *s0 = p;
        if (kAsciiName[static_cast<unsigned char>(*p)] != 1)
            return false;
        ++p;
        while (kAsciiName[static_cast<unsigned char>(*p)] != 0)
            ++p;
        if (*p == '"' || *p == '\'' || (*p & 0x80))
            return false;
        w = std::string_view(s0, size_t(p - s0));
        return true;
    }
    // Digits (no leading zero) and an optional fraction, not followed by a name byte, '.'
    // or a quote.
    bool number()
    {
        const char *s0 = p;
        while (isDigit(*p))
            ++p;
        if (*s0 == '0' && p - s0 > 1)
            return false;
        if (*p == '.') {
            ++p;
            if (!isDigit(*p))
                return false;
            while (isDigit(*p))
                ++p;
        }
        return !(kIdent[static_cast<unsigned char>(*p)] != 0 || *p == '.' || *p == '"' || *p == '\'');
    }
    // A one-line string without prefix, backslash or control character; not triple-quoted.
    bool string()
    {
        const char q = *p;
        const char *j = p + 1;
        if (*j == q) {
            if (j[1] == q)
                return false;
            p = j + 1;
            return true;
        }
        for (;; ++j) {
            const unsigned char c = static_cast<unsigned char>(*j);
            if (!kPlainStringStop[c])
                continue;
            if (c == static_cast<unsigned char>(q))
                break;
            if (c != '"' && c != '\'')
                return false;
        }
        p = j + 1;
        return true;
    }
    static bool atomKeyword(Keyword kw)
    {
        return kw == Keyword::None || kw == Keyword::None_ || kw == Keyword::True_ || kw == Keyword::False_;
    }
    bool atom(int depth)
    {
        const unsigned char c = static_cast<unsigned char>(*p);
        if (kAsciiName[c] == 1) {
            std::string_view w;
            return name(w) && atomKeyword(keywordOf(w));
        }
        if (isDigit(char(c)))
            return number();
        if (c == '"' || c == '\'') {
            if (!string())
                return false;
            for (;;) { // concatenated literals
                blanks(depth);
                if (*p != '"' && *p != '\'')
                    return true;
                if (!string())
                    return false;
            }
        }
        if (c == '.') {
            if (p[1] == '.' && p[2] == '.' && p[3] != '.') {
                p += 3;
                return true;
            }
            return false;
        }
        if (c == '(' || c == '[' || c == '{') {
            ++p;
            return items(c == '(' ? ')' : c == '[' ? ']' : '}', depth + 1, c == '{');
        }
        return false;
    }
    // Attribute, call and subscript trailers; true with `p` at the next byte that is not a
    // blank.
    bool trailers(int depth, PlainLineKind *kind)
    {
        for (;;) {
            blanks(depth);
            const char c = *p;
            if (c == '.') {
                if (isDigit(p[1]) || p[1] == '.')
                    return false;
                ++p;
                blanks(depth);
                std::string_view w;
                if (!name(w) || keywordOf(w) != Keyword::None)
                    return false;
                if (kind)
                    *kind = PlainLineKind::Attribute;
            } else if (c == '(') {
                ++p;
                if (!arguments(depth + 1))
                    return false;
                if (kind)
                    *kind = PlainLineKind::Call;
            } else if (c == '[') {
                ++p;
                blanks(depth + 1);
                if (*p == ']' || !items(']', depth + 1, false))
                    return false;
                if (kind)
                    *kind = PlainLineKind::Subscript;
            } else {
                return true;
            }
        }
    }
    bool primary(int depth, PlainLineKind *kind) { return atom(depth) && trailers(depth, kind); }
    // Comma-separated primaries up to `close` (a trailing comma allowed); in braces all
    // `key: value` pairs or all single items.
    bool items(char close, int depth, bool braces)
    {
        if (depth > MaxDepth)
            return false;
        int shape = 0;   // braces: 1 a dict, 2 a set
        for (;;) {
            blanks(depth);
            if (*p == close) {
                ++p;
                return true;
            }
            if (!primary(depth, nullptr))
                return false;
            if (braces) {
                const bool pair = *p == ':';
                if (pair && p[1] == '=')
                    return false;
                if (shape != 0 && shape != (pair ? 1 : 2))
                    return false;
                shape = pair ? 1 : 2;
                if (pair) {
                    ++p;
                    blanks(depth);
                    if (!primary(depth, nullptr))
                        return false;
                }
            }
            if (*p == ',') {
                ++p;
                continue;
            }
            if (*p == close) {
                ++p;
                return true;
            }
            return false;
        }
    }
    // Call arguments up to ')': positional primaries, then `name=primary` keywords.
    bool arguments(int depth)
    {
        if (depth > MaxDepth)
            return false;
        const char *names[8];   // the keywords so far: a repeated one is the compiler's error
        size_t lengths[8];
        size_t named = 0;
        for (;;) {
            blanks(depth);
            if (*p == ')') {
                ++p;
                return true;
            }
            if (kAsciiName[static_cast<unsigned char>(*p)] == 1) {
                std::string_view w;
                if (!name(w))
                    return false;
                const Keyword kw = keywordOf(w);
                blanks(depth);
                if (*p == '=' && p[1] != '=') {
                    if (kw != Keyword::None || named == 8)
                        return false;
                    for (size_t k = 0; k < named; ++k)
                        if (lengths[k] == w.size() && std::memcmp(names[k], w.data(), w.size()) == 0)
                            return false;
                    names[named] = w.data();
                    lengths[named++] = w.size();
                    ++p;
                    blanks(depth);
                    if (!primary(depth, nullptr))
                        return false;
                } else if (named > 0 || !atomKeyword(kw) || !trailers(depth, nullptr)) {
                    return false; // a positional argument after a keyword one, or no primary
                }
            } else if (named > 0 || !primary(depth, nullptr)) {
                return false;
            }
            if (*p == ',') {
                ++p;
                continue;
            }
            if (*p == ')') {
                ++p;
                return true;
            }
            return false;
        }
    }
};

// A stack of at most N entries in place: the tokenizer's brackets and indentation levels are
// bounded (MaxBracketDepth, MaxIndentDepth, checked before every push), so a file costs no
// allocation for them. A push past N would be a bug, and stops the process rather than
// writing past the end.
template<typename T, size_t N>
class FixedStack
{
public:
    void push_back(const T &v)
    {
        if (m_size == N) [[unlikely]]
            std::abort();
        m_items[m_size++] = v;
    }
    void pop_back() { --m_size; }
    const T &back() const { return m_items[m_size - 1]; }
    bool empty() const { return m_size == 0; }
    size_t size() const { return m_size; }
    const T *begin() const { return m_items.data(); }
    const T *end() const { return m_items.data() + m_size; }

private:
    std::array<T, N> m_items;
    size_t m_size = 0;
};

class Tokenizer
{
public:
    Tokenizer(std::string_view text, TokenizeMode mode, PythonVersion version)
        : s(text), version(version), keep(mode == TokenizeMode::All),
          aside(mode == TokenizeMode::CommentsAside || mode == TokenizeMode::Outline), outline(mode == TokenizeMode::Outline)
    {
        indents.push_back(0);
        altIndents.push_back(0);
    }

    TokenStream run()
    {
        // Tokens are written into a per-thread scratch buffer that keeps its size (about one
        // token for every 4.5 bytes in typical files), then copied out in one piece: sizing
        // the result ahead would construct every spare slot of every file.
        thread_local std::vector<Token> scratch;
        if (scratch.size() < s.size() / 3 + 32)
            scratch.resize(s.size() / 3 + 32);
        buffer = &scratch;
        w = scratch.data();
        wend = w + scratch.size();
        scan();
        out.tokens.assign(scratch.data(), w);
        return std::move(out);
    }

private:
    std::string_view s;
    PythonVersion version;
    bool pep701 = atLeast(version, PythonVersion::Py312);
    bool keep;    // comments and NL as tokens
    bool aside;   // comments in out.comments
    bool outline; // PlainLine tokens
    // TokenizeMode::Outline: the byte columns of the `def` lines whose bodies may hold the
    // current line (those indented less than it). Only a guess at what the parser will find
    // (it takes a PlainLine only inside a function body and reparses without them otherwise),
    // so it may stop growing when full.
    FixedStack<int, MaxIndentDepth + 2> defCols;
    TokenStream out;
    size_t p = 0;
    int line = 1;
    size_t lineStart = 0;
    bool atLineStart = true;
    FixedStack<int, MaxIndentDepth + 1> indents, altIndents;
    struct Paren { char c; int line; int col; };
    FixedStack<Paren, MaxBracketDepth + 1> parens;
    bool anyOnLine = false;   // a token of the current logical line was emitted

    // PEP 701 (3.12+): the f-strings being read, innermost last. Each has the replacement
    // fields open in it, innermost last: `depth` is parens.size() with the field's '{', `spec`
    // is set once its format spec (after a top-level ':') is being read.
    struct FieldState { size_t depth; bool spec; };
    struct FStringState
    {
        char quote;
        bool triple;
        bool raw;
        int line;
        size_t start;
        size_t lineStart;
        std::vector<FieldState> fields;
    };
    std::vector<FStringState> fstrings;

    // The write cursor into the scratch buffer (the slots past `w` are unused, and may hold
    // an earlier file's tokens: every token is written whole).
    std::vector<Token> *buffer = nullptr;
    Token *w = nullptr;
    Token *wend = nullptr;
    [[gnu::noinline]] void grow()
    {
        const size_t used = size_t(w - buffer->data());
        buffer->resize(buffer->size() * 2);
        w = buffer->data() + used;
        wend = buffer->data() + buffer->size();
    }
    Token &newToken()
    {
        if (w == wend) [[unlikely]]
            grow();
        *w = Token{};
        return *w++;
    }

    int charCol(size_t pos) const { return characterColumn(s, lineStart, pos - lineStart); }
    int byteCol(size_t pos) const { return int(pos - lineStart); }

    void pushToken(TokenKind kind, size_t b, size_t e, int l, int c, Op op = Op::None)
    {
        Token &t = newToken();
        t.kind = kind;
        t.op = op;
        t.start = uint32_t(b);
        t.end = uint32_t(e);
        t.line = l;
        t.col = c;
        t.endLine = line;
        t.endCol = byteCol(e);
    }

    // Stops with an error. `column` is CPython's 1-based SyntaxError.offset.
    bool fail(const char *type, const QString &message, int errLine, int column, bool immediate)
    {
        Token &t = newToken();
        t.kind = TokenKind::Error;
        t.start = t.end = uint32_t(std::min(p, s.size()));
        t.line = t.endLine = errLine;
        t.col = t.endCol = 0;
        out.error.error.type = QString::fromLatin1(type);
        out.error.error.message = message;
        out.error.error.line = errLine;
        out.error.error.column = column;
        out.error.raisedImmediately = immediate;
        return false;
    }
    bool syntaxError(const QString &message, size_t at) { return fail("SyntaxError", message, line, charCol(at), true); }

    void newline(size_t at)
    {
        ++line;
        lineStart = at + 1;
    }

    size_t lineEnd(size_t from) const
    {
        const size_t e = s.find('\n', from);
        return e == std::string_view::npos ? s.size() : e;
    }

    // Writes a whole token at `W`, where the caller made room.
    static Token &writeToken(Token *&W, TokenKind kind, size_t start, size_t end, int line, int col, int endLine, int endCol)
    {
        Token &t = *W++;
        t.kind = kind;
        t.op = Op::None;
        t.keyword = Keyword::None;
        t.flags = 0;
        t.start = uint32_t(start);
        t.end = uint32_t(end);
        t.line = line;
        t.col = col;
        t.endLine = endLine;
        t.endCol = endCol;
        return t;
    }

    // The hot loop: every token of an ordinary file is made here, with the position, line
    // and write cursor in locals (a store into a Token's byte fields may alias any member,
    // which made the compiler reload them all on every token). Anything rare — errors,
    // numbers, non-ASCII names, continuation lines, indentation changes — goes through
    // the member functions below with the state written back first.
    void scan()
    {
        const char *const b = s.data();
        const size_t n = s.size();
        size_t P = p;
        int L = line;
        size_t LS = lineStart;
        bool any = anyOnLine;
        Token *W = w;
        Token *WE = wend;
        const bool keepAll = keep;
        const bool commentsAside = aside;
        auto save = [&] { p = P; line = L; lineStart = LS; anyOnLine = any; w = W; };
        auto load = [&] { P = p; L = line; LS = lineStart; any = anyOnLine; W = w; WE = wend; };
        // A member function on the written-back state; false when it stopped at an error.
        auto slow = [&](auto &&member) {
            save();
            const bool ok = member();
            load();
            return ok;
        };
        auto put = [&](TokenKind kind, size_t start, size_t end, int l, int col, int endL, int endCol) -> Token & {
            if (W == WE) [[unlikely]] {
                save();
                grow();
                load();
            }
            return writeToken(W, kind, start, end, l, col, endL, endCol);
        };
        bool lineBegins = atLineStart;
        for (;;) {
            if (!fstrings.empty()) [[unlikely]] {
                // An f-string's literal text or format spec (3.12+).
                const FStringState &f = fstrings.back();
                if (f.fields.empty() || f.fields.back().spec) {
                    save();
                    const bool ok = fstringMiddle();
                    load();
                    if (!ok)
                        break;
                    continue;
                }
            }
            if (lineBegins) {
                lineBegins = false;
                // Indentation as deep as the current block's, in spaces: nothing to do.
                size_t q = P;
                while (q < n && b[q] == ' ')
                    ++q;
                const char c = q < n ? b[q] : '\0';
                const int col = int(q - P);
                if (q < n && (c == '#' || c == '\n')) {
                    P = q; // blank line: no effect on indentation
                } else if (q < n && c != '\t' && c != '\f' && col == indents.back() && col == altIndents.back()) {
                    P = q;
                } else if (!slow([&] { return indentation(); })) {
                    break;
                }
            }
            while (P < n && kClass[static_cast<unsigned char>(b[P])] == CharClass::Space)
                ++P;
            if (P >= n) {
                save();
                finish();
                load();
                break;
            }
            const unsigned char c = static_cast<unsigned char>(b[P]);
            const size_t start = P;
            const int col = int(P - LS);
            switch (kClass[c]) {
            case CharClass::Hash: {
                const void *nl = std::memchr(b + P, '\n', n - P);
                const size_t e = nl ? size_t(static_cast<const char *>(nl) - b) : n;
                if (keepAll)
                    put(TokenKind::Comment, P, e, L, col, L, int(e - LS));
                else if (commentsAside)
                    out.comments.push_back({uint32_t(P), uint32_t(e), L});
                P = e;
                continue;
            }
            case CharClass::Newline:
                if (!parens.empty() || !any) {
                    if (keepAll)
                        put(TokenKind::NL, P, P + 1, L, col, L, col + 1);
                } else {
                    put(TokenKind::Newline, P, P + 1, L, col, L, col + 1);
                    any = false;
                }
                ++P;
                ++L;
                LS = P;
                lineBegins = parens.empty();
                continue;
            case CharClass::Backslash:
                if (!slow([&] { return continuation(); }))
                    break;
                continue;
            case CharClass::Ident: {
                if (outline && !any && plainLine(b, n, P, L, LS, W, WE, col)) {
                    any = true;
                    continue;
                }
                any = true;
                unsigned char seen = 0; // the bits of every byte: bit 7 set means not ASCII
                size_t q = P;
                while (q < n && kIdent[static_cast<unsigned char>(b[q])] != 0) {
                    seen |= static_cast<unsigned char>(b[q]);
                    ++q;
                }
                if ((seen & 0x80) || (q < n && (b[q] == '"' || b[q] == '\'') && q - P <= 2)) {
                    // A string prefix, or a name to check against XID_Start / XID_Continue.
                    if (!slow([&] { return identifierOrString(start, col); }))
                        break;
                    continue;
                }
                Token &t = put(TokenKind::Name, P, q, L, col, L, int(q - LS));
                t.keyword = keywordOf(std::string_view(b + P, q - P));
                P = q;
                continue;
            }
            case CharClass::Quote: {
                any = true;
                // An unterminated string (or a full buffer): the full scanner reports it.
                if (!quickString(b, n, P, L, LS, W, WE, col) && !slow([&] { return string(start, col, 0); }))
                    break;
                continue;
            }
            case CharClass::Dot:
                if (!(P + 1 < n && isDigit(b[P + 1]))) {
                    if (P + 1 < n && b[P + 1] == '.')
                        goto op; // perhaps '...'
                    any = true;
                    Token &t = put(TokenKind::Op, P, P + 1, L, col, L, col + 1);
                    t.op = Op::Dot;
                    ++P;
                    continue;
                }
                [[fallthrough]];
            case CharClass::Digit:
                any = true;
                if (!slow([&] { return number(start, col); }))
                    break;
                continue;
            case CharClass::Open: {
                any = true;
                if (int(parens.size()) >= MaxBracketDepth) [[unlikely]] {
                    slow([&] { return tooManyBrackets(); });
                    break;
                }
                parens.push_back({char(c), L, col});
                Token &t = put(TokenKind::Op, P, P + 1, L, col, L, col + 1);
                t.op = c == '(' ? Op::LPar : c == '[' ? Op::LSqb : Op::LBrace;
                ++P;
                continue;
            }
            case CharClass::Close: {
                if (c == '}' && !fstrings.empty() && !fstrings.back().fields.empty()) [[unlikely]]
                    goto op; // perhaps the end of a replacement field
                any = true;
                if (parens.empty() || char(c) != closing(parens.back().c)) [[unlikely]] {
                    slow([&] { return badClosingBracket(char(c)); });
                    break;
                }
                parens.pop_back();
                Token &t = put(TokenKind::Op, P, P + 1, L, col, L, col + 1);
                t.op = c == ')' ? Op::RPar : c == ']' ? Op::RSqb : Op::RBrace;
                ++P;
                continue;
            }
            case CharClass::Single: {
                any = true;
                Token &t = put(TokenKind::Op, P, P + 1, L, col, L, col + 1);
                t.op = c == ',' ? Op::Comma : Op::Semi;
                ++P;
                continue;
            }
            case CharClass::Space: // not reached: skipped above
            case CharClass::Op:
            op: {
                any = true;
                if (!fstrings.empty() && !fstrings.back().fields.empty() && (c == ':' || c == '}')) [[unlikely]] {
                    save();
                    const int r = fieldDelimiter(char(c), start, col);
                    load();
                    if (r == 0)
                        break;
                    if (r > 0)
                        continue;
                }
                size_t len = 1;
                Op o = matchOp(b, n, P, len);
                if (o == Op::Other && c == '!' && pep701)
                    o = Op::Exclamation;
                if (o == Op::Other && (c < 0x20 || c == 0x7F)) [[unlikely]] {
                    slow([&] { return controlCharacter(c); });
                    break;
                }
                if (o == Op::LPar || o == Op::LSqb || o == Op::LBrace) {
                    if (int(parens.size()) >= MaxBracketDepth) [[unlikely]] {
                        slow([&] { return tooManyBrackets(); });
                        break;
                    }
                    parens.push_back({char(c), L, col});
                } else if (o == Op::RPar || o == Op::RSqb || o == Op::RBrace) {
                    if (parens.empty() || char(c) != closing(parens.back().c)) [[unlikely]] {
                        slow([&] { return badClosingBracket(char(c)); });
                        break;
                    }
                    parens.pop_back();
                }
                Token &t = put(TokenKind::Op, P, P + len, L, col, L, col + int(len));
                t.op = o;
                P += len;
                continue;
            }
            }
            break; // an error token was written
        }
        save();
    }

    // The first name of a logical line (TokenizeMode::Outline): a `def` line is noted, and
    // a plain statement inside a function body becomes one PlainLine token. False (nothing
    // consumed) for the tokenizer to read the line as usual.
    bool plainLine(const char *b, size_t n, size_t &P, int &L, size_t &LS, Token *&W, Token *WE, int col)
    {
        while (!defCols.empty() && defCols.back() >= col)
            defCols.pop_back();
        size_t q = P;
        while (q < n && kIdent[static_cast<unsigned char>(b[q])] != 0)
            ++q;
        const std::string_view word(b + P, q - P);
        bool def = word == "def";
        if (word == "async") {
            while (q < n && b[q] == ' ')
                ++q;
            def = n - q > 3 && std::memcmp(b + q, "def", 3) == 0 && kIdent[static_cast<unsigned char>(b[q + 3])] == 0;
        }
        if (def) {
            if (defCols.size() < MaxIndentDepth + 2)
                defCols.push_back(col);
            return false;
        }
        if (keywordOf(word) != Keyword::None || word == "match" || word == "case" || word == "type" || word == "_")
            return false;
        if ((b[q] == ':' || b[q] == ' ') && annotation(b, P, q, L, LS, W, WE, col))
            return true;
        if (defCols.empty() || W == WE)
            return false;
        LineSkim k{b + P, L, b + LS};
        PlainLineKind kind = PlainLineKind::Name;
        if (!k.primary(0, &kind) || (*k.p != '\n' && *k.p != '#'))
            return false;
        // At depth 0 only spaces follow the primary's last token, which ends on this line.
        const char *e = k.p;
        while (e[-1] == ' ')
            --e;
        writeToken(W, TokenKind::PlainLine, P, size_t(e - b), L, col, k.line, int(e - k.ls)).flags = uint8_t(kind);
        P = size_t(e - b);
        L = k.line;
        LS = size_t(k.ls - b);
        ++out.plainLines;
        return true;
    }

    // `name: annotation` starting a logical line, the annotation a plain primary starting with
    // a name and followed by '=' or the end of the line (what Parser::skimAnnotation reads):
    // the name and ':' tokens, and the annotation as one PlainLine (flags PlainAnnotation).
    bool annotation(const char *b, size_t &P, size_t q, int &L, size_t &LS, Token *&W, Token *WE, int col)
    {
        size_t a = P;
        while (kAsciiName[static_cast<unsigned char>(b[a])] != 0)
            ++a;
        if (a != q || WE - W < 3)
            return false; // not ASCII
        size_t c = q;
        while (b[c] == ' ')
            ++c;
        if (b[c] != ':' || b[c + 1] == '=')
            return false;
        size_t d = c + 1;
        while (b[d] == ' ')
            ++d;
        size_t e = d;
        while (kAsciiName[static_cast<unsigned char>(b[e])] != 0)
            ++e;
        if (kAsciiName[static_cast<unsigned char>(b[d])] != 1 || keywordOf(std::string_view(b + d, e - d)) != Keyword::None)
            return false;
        LineSkim k{b + d, L, b + LS};
        PlainLineKind kind = PlainLineKind::Name;
        if (!k.primary(0, &kind) || !((*k.p == '=' && k.p[1] != '=') || *k.p == '\n' || *k.p == '#'))
            return false;
        const char *end = k.p;
        while (end[-1] == ' ')
            --end;
        writeToken(W, TokenKind::Name, P, q, L, col, L, int(q - LS));
        writeToken(W, TokenKind::Op, c, c + 1, L, int(c - LS), L, int(c + 1 - LS)).op = Op::Colon;
        writeToken(W, TokenKind::PlainLine, d, size_t(end - b), L, int(d - LS), k.line, int(end - k.ls)).flags =
            uint8_t(kind) | PlainAnnotation;
        P = size_t(end - b);
        L = k.line;
        LS = size_t(k.ls - b);
        ++out.plainLines;
        return true;
    }

    // A string without a prefix, scanned in place; false (nothing consumed) when it does
    // not end before the text does or no slot is free, for string() to report.
    static bool quickString(const char *b, size_t n, size_t &P, int &L, size_t &LS, Token *&W, Token *WE, int col)
    {
        if (W == WE)
            return false;
        const char q = b[P];
        const bool triple = P + 2 < n && b[P + 1] == q && b[P + 2] == q;
        size_t i = P + (triple ? 3 : 1);
        int l = L;
        size_t ls = LS;
        for (;;) {
            while (i < n && !kStringSpecial[static_cast<unsigned char>(b[i])])
                ++i;
            if (i >= n)
                return false;
            const char c = b[i];
            if (c == '\\') {
                if (i + 1 >= n)
                    return false;
                if (b[i + 1] == '\n') {
                    ++l;
                    ls = i + 2;
                }
                i += 2;
                continue;
            }
            if (c == '\n') {
                if (!triple)
                    return false;
                ++i;
                ++l;
                ls = i;
                continue;
            }
            if (c == q) {
                if (!triple) {
                    ++i;
                    break;
                }
                if (i + 2 < n && b[i + 1] == q && b[i + 2] == q) {
                    i += 3;
                    break;
                }
            }
            ++i; // the other quote character
        }
        Token &t = *W++;
        t.kind = TokenKind::String;
        t.op = Op::None;
        t.keyword = Keyword::None;
        t.flags = triple ? TripleQuoted : 0;
        t.start = uint32_t(P);
        t.end = uint32_t(i);
        t.line = L;
        t.col = col;
        t.endLine = l;
        t.endCol = int(i - ls);
        P = i;
        L = l;
        LS = ls;
        return true;
    }

    // A backslash outside a string: the line continues on the next one.
    [[gnu::noinline]] bool continuation()
    {
        if (p + 1 >= s.size())
            return fail("SyntaxError", QStringLiteral("unexpected EOF while parsing"), line, charCol(p) + 2, false);
        if (s[p + 1] != '\n')
            return fail("SyntaxError", QStringLiteral("unexpected character after line continuation character"), line,
                        charCol(p) + 2, false);
        p += 2;
        newline(p - 1);
        if (p >= s.size())
            return fail("SyntaxError", QStringLiteral("unexpected EOF while parsing"), line, 1, false);
        return true;
    }

    static char closing(char open) { return open == '(' ? ')' : open == '[' ? ']' : '}'; }

    // The errors step() can stop at, out of its way (it runs once per token).
    [[gnu::noinline, gnu::cold]] bool controlCharacter(unsigned char uc)
    {
        if (uc == 0)
            return fail("SyntaxError", QStringLiteral("source code string cannot contain null bytes"), 0, 0, true);
        return syntaxError(QStringLiteral("invalid non-printable character U+%1").arg(hex4(uc)), p + 1);
    }
    [[gnu::noinline, gnu::cold]] bool tooManyBrackets()
    {
        p += 1;
        return syntaxError(QStringLiteral("too many nested parentheses"), p);
    }
    [[gnu::noinline, gnu::cold]] bool badClosingBracket(char c)
    {
        p += 1;
        if (parens.empty())
            return syntaxError(QStringLiteral("unmatched '%1'").arg(QLatin1Char(c)), p);
        const Paren open = parens.back();
        if (open.line != line)
            return syntaxError(QStringLiteral("closing parenthesis '%1' does not match opening parenthesis '%2' on line %3")
                                   .arg(QString(QLatin1Char(c)), QString(QLatin1Char(open.c)), QString::number(open.line)), p);
        return syntaxError(QStringLiteral("closing parenthesis '%1' does not match opening parenthesis '%2'")
                               .arg(QString(QLatin1Char(c)), QString(QLatin1Char(open.c))), p);
    }

    static Op matchOp(const char *b, size_t n, size_t at, size_t &len)
    {
        const char c = b[at];
        const char c1 = at + 1 < n ? b[at + 1] : 0;
        const char c2 = at + 2 < n ? b[at + 2] : 0;
        len = 1;
        auto two = [&](Op op) { len = 2; return op; };
        auto three = [&](Op op) { len = 3; return op; };
        switch (c) {
        case '*':
            if (c1 == '*')
                return c2 == '=' ? three(Op::DoubleStarEqual) : two(Op::DoubleStar);
            return c1 == '=' ? two(Op::StarEqual) : Op::Star;
        case '/':
            if (c1 == '/')
                return c2 == '=' ? three(Op::DoubleSlashEqual) : two(Op::DoubleSlash);
            return c1 == '=' ? two(Op::SlashEqual) : Op::Slash;
        case '<':
            if (c1 == '<')
                return c2 == '=' ? three(Op::LeftShiftEqual) : two(Op::LeftShift);
            return c1 == '=' ? two(Op::LessEqual) : Op::Less;
        case '>':
            if (c1 == '>')
                return c2 == '=' ? three(Op::RightShiftEqual) : two(Op::RightShift);
            return c1 == '=' ? two(Op::GreaterEqual) : Op::Greater;
        case '.':
            return c1 == '.' && c2 == '.' ? three(Op::Ellipsis) : Op::Dot;
        case '=': return c1 == '=' ? two(Op::EqEqual) : Op::Equal;
        case '!': return c1 == '=' ? two(Op::NotEqual) : Op::Other;
        case '-': return c1 == '>' ? two(Op::RArrow) : c1 == '=' ? two(Op::MinEqual) : Op::Minus;
        case ':': return c1 == '=' ? two(Op::ColonEqual) : Op::Colon;
        case '+': return c1 == '=' ? two(Op::PlusEqual) : Op::Plus;
        case '%': return c1 == '=' ? two(Op::PercentEqual) : Op::Percent;
        case '&': return c1 == '=' ? two(Op::AmperEqual) : Op::Amper;
        case '|': return c1 == '=' ? two(Op::VBarEqual) : Op::VBar;
        case '^': return c1 == '=' ? two(Op::CircumflexEqual) : Op::Circumflex;
        case '@': return c1 == '=' ? two(Op::AtEqual) : Op::At;
        default: return oneCharOp(c);
        }
    }

    bool indentation()
    {
        int col = 0, alt = 0;
        size_t q = p;
        for (; q < s.size(); ++q) {
            if (s[q] == ' ') { ++col; ++alt; }
            else if (s[q] == '\t') { col = (col / 8 + 1) * 8; alt = alt + 1; }
            else if (s[q] == '\f') { col = alt = 0; }
            else break;
        }
        if (q < s.size() && (s[q] == '#' || s[q] == '\n'))
            return true; // blank line: no effect on indentation
        if (q >= s.size() && q == p) {
            col = alt = 0;
        } else if (q >= s.size()) {
            col = alt = 0;
        }
        auto tabError = [&] {
            p = lineEnd(q);
            return fail("TabError", QStringLiteral("inconsistent use of tabs and spaces in indentation"), line, 1, false);
        };
        if (col == indents.back()) {
            if (alt != altIndents.back())
                return tabError();
        } else if (col > indents.back()) {
            if (int(indents.size()) >= MaxIndentDepth) {
                p = lineEnd(q);
                return fail("IndentationError", QStringLiteral("too many levels of indentation"), line, 1, false);
            }
            if (alt <= altIndents.back())
                return tabError();
            indents.push_back(col);
            altIndents.push_back(alt);
            Token &t = newToken();
            t.kind = TokenKind::Indent;
            t.start = uint32_t(p);
            t.end = uint32_t(q);
            t.line = t.endLine = line;
            t.col = 0;
            t.endCol = int(q - p);
        } else {
            int dedents = 0;
            while (indents.size() > 1 && col < indents.back()) {
                indents.pop_back();
                altIndents.pop_back();
                ++dedents;
            }
            if (col != indents.back()) {
                const size_t e = lineEnd(q);
                p = e;
                return fail("IndentationError", QStringLiteral("unindent does not match any outer indentation level"), line,
                            characterColumn(s, lineStart, e - lineStart) + 1, false);
            }
            if (alt != altIndents.back())
                return tabError();
            for (int i = 0; i < dedents; ++i) {
                Token &t = newToken();
                t.kind = TokenKind::Dedent;
                t.start = t.end = uint32_t(q);
                t.line = t.endLine = line;
                t.col = t.endCol = int(q - lineStart);
            }
        }
        p = q;
        return true;
    }

    bool finish()
    {
        if (!parens.empty()) {
            for (const Paren &b : parens)
                out.openBrackets.push_back({b.line, b.col, b.c});
            // CPython reports this from the parser, at the innermost open bracket.
            const Paren &b = parens.back();
            Token &t = newToken();
            t.kind = TokenKind::Error;
            t.start = t.end = uint32_t(s.size());
            t.line = t.endLine = line;
            out.error.error.type = QStringLiteral("SyntaxError");
            out.error.error.message = QStringLiteral("'%1' was never closed").arg(QLatin1Char(b.c));
            out.error.error.line = b.line;
            size_t ls = 0;
            for (int l = 1; l < b.line; ++l)
                ls = s.find('\n', ls) + 1;
            out.error.error.column = characterColumn(s, ls, size_t(b.col)) + 1;
            out.error.raisedImmediately = false;
            return false;
        }
        if (anyOnLine) {
            // An implicit newline at the end of the last line.
            Token &t = newToken();
            t.kind = TokenKind::Newline;
            t.start = t.end = uint32_t(s.size());
            t.line = t.endLine = line;
            t.col = byteCol(s.size());
            t.endCol = t.col + 1;
            anyOnLine = false;
        }
        const int endLine = s.empty() || s.back() == '\n' ? line : line + 1;
        for (size_t i = 1; i < indents.size(); ++i) {
            Token &t = newToken();
            t.kind = TokenKind::Dedent;
            t.start = t.end = uint32_t(s.size());
            t.line = t.endLine = endLine;
        }
        Token &t = newToken();
        t.kind = TokenKind::EndMarker;
        t.start = t.end = uint32_t(s.size());
        t.line = t.endLine = endLine;
        return false;
    }

    bool identifierOrString(size_t start, int col)
    {
        unsigned char seen = 0;   // the bits of every byte: bit 7 set means not ASCII
        const char *const data = s.data();
        const size_t size = s.size();
        size_t q = p;
        while (q < size && identChar(static_cast<unsigned char>(data[q]))) {
            seen |= static_cast<unsigned char>(data[q]);
            ++q;
        }
        p = q;
        const bool ascii = (seen & 0x80) == 0;
        const std::string_view word = s.substr(start, p - start);
        if (p < s.size() && (s[p] == '"' || s[p] == '\'') && word.size() <= 2) {
            uint8_t flags = 0;
            bool ok = true;
            for (char ch : word) {
                const char l = char(ch | 0x20);
                const uint8_t f = l == 'r' ? RawString : l == 'b' ? BytesString : l == 'f' ? FString : l == 'u' ? UnicodeString : 0;
                if (f == 0 || (flags & f))
                    ok = false;
                flags |= f;
            }
            if ((flags & UnicodeString) && word.size() > 1)
                ok = false;
            if ((flags & BytesString) && (flags & FString))
                ok = false;
            if (ok)
                return (flags & FString) && pep701 ? fstringStart(start, flags) : string(start, col, flags);
        }
        if (!ascii) {
            // Identifiers must be XID_Start XID_Continue*; report the first character that is not.
            size_t i = start;
            bool first = true;
            while (i < p) {
                size_t len;
                const char32_t cp = decodeAt(s, i, len);
                if (!(first ? xidStart(cp) : xidContinue(cp))) {
                    if (!isPrintable(cp))
                        return syntaxError(QStringLiteral("invalid non-printable character U+%1").arg(hex4(cp)), i + len);
                    return syntaxError(QStringLiteral("invalid character '%1' (U+%2)")
                                           .arg(QString::fromUcs4(&cp, 1), hex4(cp)),
                                       i + len);
                }
                first = false;
                i += len;
            }
        }
        Token &t = newToken();
        t.kind = TokenKind::Name;
        t.keyword = ascii ? keywordOf(word) : Keyword::None;
        t.start = uint32_t(start);
        t.end = uint32_t(p);
        t.line = t.endLine = line;
        t.col = col;
        t.endCol = byteCol(p);
        return true;
    }

    // After a number: a following identifier character is an error unless it starts one of
    // the keywords that may follow a number in valid code (verify_end_of_number).
    bool endOfNumber(const char *kind)
    {
        if (p >= s.size() || !identChar(static_cast<unsigned char>(s[p])))
            return true;
        for (const char *kw : {"and", "else", "for", "if", "in", "is", "not", "or"})
            if (s.compare(p, strlen(kw), kw) == 0)
                return true;
        return syntaxError(QStringLiteral("invalid %1 literal").arg(QLatin1String(kind)), p);
    }

    // digits with single underscores between them; false on a bad underscore
    bool digits(bool (*ok)(char), const char *kind)
    {
        while (p < s.size()) {
            if (ok(s[p])) {
                ++p;
            } else if (s[p] == '_') {
                ++p;
                if (p >= s.size() || !ok(s[p])) {
                    return syntaxError(QStringLiteral("invalid %1 literal").arg(QLatin1String(kind)), p);
                }
            } else {
                break;
            }
        }
        return true;
    }

    bool number(size_t start, int col)
    {
        auto done = [&](const char *kind) {
            if (!endOfNumber(kind))
                return false;
            pushToken(TokenKind::Number, start, p, line, col);
            return true;
        };
        auto exponentAndImag = [&]() -> int {
            if (p < s.size() && (s[p] == 'e' || s[p] == 'E')) {
                size_t q = p + 1;
                if (q < s.size() && (s[q] == '+' || s[q] == '-'))
                    ++q;
                if (q < s.size() && isDigit(s[q])) {
                    p = q;
                    if (!digits(isDigit, "decimal"))
                        return -1;
                } else {
                    // "1e" / "1e+": CPython reports the last digit
                    if (q > p + 1 || q >= s.size() || !identChar(static_cast<unsigned char>(s[q])) || true) {
                        if (q > p + 1)
                            return syntaxError(QStringLiteral("invalid decimal literal"), q), -1;
                        return endOfNumber("decimal") ? 1 : -1;
                    }
                }
            }
            if (p < s.size() && (s[p] == 'j' || s[p] == 'J'))
                ++p;
            return 1;
        };
        if (s[p] == '.') {
            ++p;
            if (!digits(isDigit, "decimal"))
                return false;
            if (exponentAndImag() < 0)
                return false;
            return done("decimal");
        }
        if (s[p] == '0' && p + 1 < s.size() && (s[p + 1] | 0x20) != 'e' && (s[p + 1] | 0x20) != 'j' && s[p + 1] != '.') {
            const char k = char(s[p + 1] | 0x20);
            if (k == 'x' || k == 'o' || k == 'b') {
                p += 2;
                bool (*ok)(char) = k == 'x' ? isHex : k == 'o' ? +[](char c) { return c >= '0' && c <= '7'; } : +[](char c) { return c == '0' || c == '1'; };
                const char *kind = k == 'x' ? "hexadecimal" : k == 'o' ? "octal" : "binary";
                if (p < s.size() && s[p] == '_')
                    ++p;
                if (p >= s.size() || !ok(s[p])) {
                    if (p < s.size() && isDigit(s[p]) && k != 'x') {
                        ++p;
                        return syntaxError(QStringLiteral("invalid digit '%1' in %2 literal").arg(QString(QLatin1Char(s[p - 1])), QLatin1String(kind)), p);
                    }
                    return syntaxError(QStringLiteral("invalid %1 literal").arg(QLatin1String(kind)), p);
                }
                if (!digits(ok, kind))
                    return false;
                if (k != 'x' && p < s.size() && isDigit(s[p])) {
                    ++p;
                    return syntaxError(QStringLiteral("invalid digit '%1' in %2 literal").arg(QString(QLatin1Char(s[p - 1])), QLatin1String(kind)), p);
                }
                return done(kind);
            }
            // Leading zeros: only 0s, unless it turns out to be a float or imaginary.
            ++p;
            bool nonzero = false;
            size_t zerosEnd = p;
            while (p < s.size() && (s[p] == '0' || s[p] == '_' || isDigit(s[p]))) {
                if (s[p] == '_') {
                    ++p;
                    if (p >= s.size() || !isDigit(s[p]))
                        return syntaxError(QStringLiteral("invalid decimal literal"), p);
                    continue;
                }
                if (s[p] != '0')
                    nonzero = true;
                else if (!nonzero)
                    zerosEnd = p + 1;
                ++p;
            }
            if (p < s.size() && (s[p] == '.' || (s[p] | 0x20) == 'e' || (s[p] | 0x20) == 'j')) {
                if (s[p] == '.') {
                    ++p;
                    if (!digits(isDigit, "decimal"))
                        return false;
                }
                if (exponentAndImag() < 0)
                    return false;
                return done("decimal");
            }
            if (nonzero) {
                (void)zerosEnd;
                return fail("SyntaxError",
                            QStringLiteral("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"),
                            line, charCol(start) + 1, true);
            }
            return done("decimal");
        }
        if (!digits(isDigit, "decimal"))
            return false;
        if (p < s.size() && s[p] == '.') {
            ++p;
            if (p < s.size() && isDigit(s[p]) && !digits(isDigit, "decimal"))
                return false;
        }
        if (exponentAndImag() < 0)
            return false;
        return done("decimal");
    }

    // ---- PEP 701 f-strings (3.12+) ------------------------------------------
    [[gnu::noinline]] bool fstringStart(size_t start, uint8_t flags)
    {
        if (fstrings.size() + 1 >= MaxFStringDepth)
            return syntaxError(QStringLiteral("too many nested f-strings"), p + 1);
        const char q = s[p];
        const bool triple = p + 2 < s.size() && s[p + 1] == q && s[p + 2] == q;
        p += triple ? 3 : 1;
        pushToken(TokenKind::FStringStart, start, p, line, byteCol(start));
        (w - 1)->flags = uint8_t(flags | (triple ? TripleQuoted : 0));
        fstrings.push_back({q, triple, (flags & RawString) != 0, line, start, lineStart, {}});
        return true;
    }

    // An unterminated string inside a replacement field whose quotes are an enclosing
    // f-string's: CPython reads it as that f-string's end, with the field still open.
    bool closesAnFString(char q, bool triple) const
    {
        for (const FStringState &f : fstrings)
            if (!f.fields.empty() && f.quote == q && f.triple == triple)
                return true;
        return false;
    }

    void openField(size_t at)
    {
        parens.push_back({'{', line, byteCol(at)});
        pushToken(TokenKind::Op, at, at + 1, line, byteCol(at), Op::LBrace);
        ++p;
        fstrings.back().fields.push_back({parens.size(), false});
    }

    // In a replacement field's expression: the ':' that starts its format spec and the '}'
    // that closes it (1 / 0: handled, went on / stopped; -1: an ordinary token).
    int fieldDelimiter(char c, size_t start, int col)
    {
        FStringState &f = fstrings.back();
        if (parens.size() != f.fields.back().depth)
            return -1;
        if (c == ':') {
            int specs = 0;
            for (const FieldState &x : f.fields)
                specs += x.spec;
            if (specs >= 2)
                return syntaxError(QStringLiteral("f-string: expressions nested too deeply"), p + 1) ? 1 : 0;
            ++p;
            pushToken(TokenKind::Op, start, p, line, col, Op::Colon);
            f.fields.back().spec = true;
            return 1;
        }
        if (c == '}') {
            ++p;
            parens.pop_back();
            pushToken(TokenKind::Op, start, p, line, col, Op::RBrace);
            f.fields.pop_back();
            return 1;
        }
        return -1;
    }

    // The literal text of an f-string (or of a format spec) up to a replacement field, the
    // end of the spec, or the closing quote.
    [[gnu::noinline]] bool fstringMiddle()
    {
        FStringState &f = fstrings.back();
        const bool spec = !f.fields.empty();
        size_t b = p;
        int bLine = line, bCol = byteCol(p);
        auto piece = [&](size_t e, bool always) {
            if (e > b || always)
                pushToken(TokenKind::FStringMiddle, b, e, bLine, bCol);
        };
        for (;;) {
            if (p >= s.size() || (!f.triple && s[p] == '\n')) {
                if (spec)
                    return syntaxError(QStringLiteral("f-string: expecting '}'"), p + 1);
                const QString msg = f.triple ? QStringLiteral("unterminated triple-quoted f-string literal (detected at line %1)")
                                             : QStringLiteral("unterminated f-string literal (detected at line %1)");
                const int errLine = p >= s.size() && !s.empty() && s.back() == '\n' ? line - 1 : line;
                return fail("SyntaxError", msg.arg(errLine), f.line, characterColumn(s, f.lineStart, f.start - f.lineStart) + 1, true);
            }
            const char c = s[p];
            if (c == f.quote && (!f.triple || (p + 2 < s.size() && s[p + 1] == c && s[p + 2] == c))) {
                if (spec)
                    return syntaxError(QStringLiteral("f-string: expecting '}'"), p + 1);
                piece(p, false);
                const size_t e = p + (f.triple ? 3 : 1);
                pushToken(TokenKind::FStringEnd, p, e, line, byteCol(p));
                p = e;
                fstrings.pop_back();
                return true;
            }
            if (c == '\\' && p + 1 < s.size()) {
                const char n = s[p + 1];
                if (!f.raw && n == 'N' && p + 2 < s.size() && s[p + 2] == '{') {
                    const size_t close = s.find('}', p + 3);   // \N{NAME} is a character, not a field
                    p = close == std::string_view::npos ? s.size() : close + 1;
                    continue;
                }
                if (n == '{' || n == '}') {
                    ++p;
                    continue;
                }
                p += 2;
                if (n == '\n')
                    newline(p - 1);
                continue;
            }
            if (c == '\n') {
                ++p;
                newline(p - 1);
                continue;
            }
            if (c == '{') {
                if (!spec && p + 1 < s.size() && s[p + 1] == '{') {
                    piece(p + 1, true);
                    p += 2;
                    b = p, bLine = line, bCol = byteCol(p);
                    continue;
                }
                piece(p, spec && p + 1 < s.size() && s[p + 1] == '{');
                if (int(parens.size()) >= MaxBracketDepth)
                    return tooManyBrackets();
                openField(p);
                return true;
            }
            if (c == '}') {
                if (spec) {
                    piece(p, true);
                    return fieldDelimiter('}', p, byteCol(p)) != 0;
                }
                if (p + 1 < s.size() && s[p + 1] == '}') {
                    piece(p + 1, true);
                    p += 2;
                    b = p, bLine = line, bCol = byteCol(p);
                    continue;
                }
                return syntaxError(QStringLiteral("f-string: single '}' is not allowed"), p + 1);
            }
            ++p;
        }
    }

    bool string(size_t start, int col, uint8_t flags)
    {
        const int startLine = line;
        const char q = s[p];
        const bool triple = p + 2 < s.size() && s[p + 1] == q && s[p + 2] == q;
        if (triple)
            flags |= TripleQuoted;
        p += triple ? 3 : 1;
        for (;;) {
            if (p >= s.size() || (!triple && s[p] == '\n')) {
                if (closesAnFString(q, triple))
                    return fail("SyntaxError", QStringLiteral("f-string: expecting '}'"), startLine, charCol(start) + 1, true);
                const QString msg = triple ? QStringLiteral("unterminated triple-quoted string literal (detected at line %1)")
                                           : QStringLiteral("unterminated string literal (detected at line %1)");
                size_t ls = lineStart;
                if (startLine != line) {
                    ls = start;
                    while (ls > 0 && s[ls - 1] != '\n')
                        --ls;
                }
                const int errLine = p >= s.size() && !s.empty() && s.back() == '\n' ? line - 1 : line;
                return fail("SyntaxError", msg.arg(errLine), startLine, characterColumn(s, ls, start - ls) + 1, true);
            }
            const char c = s[p];
            if (c == '\\') {
                if (p + 1 < s.size()) {
                    if (s[p + 1] == '\n') {
                        p += 2;
                        newline(p - 1);
                        continue;
                    }
                    p += 2;
                    continue;
                }
                ++p;
                continue;
            }
            if (c == '\n') {
                ++p;
                newline(p - 1);
                continue;
            }
            if (c == q) {
                if (!triple) {
                    ++p;
                    break;
                }
                if (p + 2 < s.size() + 0 && s[p + 1] == q && s[p + 2] == q) {
                    p += 3;
                    break;
                }
            }
            ++p;
        }
        Token &t = newToken();
        t.kind = TokenKind::String;
        t.flags = flags;
        t.start = uint32_t(start);
        t.end = uint32_t(p);
        t.line = startLine;
        t.col = col;
        t.endLine = line;
        t.endCol = byteCol(p);
        return true;
    }
};

} // namespace

TokenStream tokenize(std::string_view text, TokenizeMode mode, PythonVersion version)
{
    return Tokenizer(text, mode, version).run();
}

std::string_view opText(Op op)
{
    if (op == Op::Exclamation)
        return "!";
    for (const OpEntry &e : kOps3)
        if (e.op == op)
            return e.text;
    for (const OpEntry &e : kOps2)
        if (e.op == op)
            return e.text;
    static const char singles[] = "()[]:,;+-*/|&<>=.%{}~^@";
    for (const char *c = singles; *c; ++c)
        if (oneCharOp(*c) == op)
            return std::string_view(c, 1);
    return {};
}

} // namespace retort::core::python
