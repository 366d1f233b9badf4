// A recursive-descent parser for the Python 3.11-3.13 grammars (Grammar/python.gram), building
// the SyntaxTree and reporting the syntax error CPython reports: its message, line and
// column. Recursion is bounded: brackets by the tokenizer (200), blocks by indentation
// (100), and chains that need no brackets (lambda, conditional expressions, **, unary
// operators) by an explicit depth limit.
#include "syntaxtree.h"

#include "literals.h"
#include "tokenizer.h"

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

namespace retort::core::python {

namespace {

// Parser frames nested without brackets before CPython's own parser stack gives up.
constexpr int MaxNesting = 3000;

struct ParseFailure
{
    SyntaxError error;
    uint32_t offset = 0;   // byte offset of the error location
    enum class Kind { Generic, Specific, Indentation, Tokenizer } kind = Kind::Generic;
};

const char *kindName(NodeKind k)
{
    switch (k) {
    case NodeKind::Call: return "function call";
    case NodeKind::Constant: return "literal";
    case NodeKind::BinOp: case NodeKind::UnaryOp: return "expression";
    case NodeKind::BoolOp: return "expression";
    case NodeKind::Compare: return "comparison";
    case NodeKind::Lambda: return "lambda";
    case NodeKind::IfExp: return "conditional expression";
    case NodeKind::NamedExpr: return "named expression";
    case NodeKind::Dict: return "dict literal";
    case NodeKind::Set: return "set display";
    case NodeKind::ListComp: return "list comprehension";
    case NodeKind::SetComp: return "set comprehension";
    case NodeKind::DictComp: return "dict comprehension";
    case NodeKind::GeneratorExp: return "generator expression";
    case NodeKind::Await: return "await expression";
    case NodeKind::Yield: case NodeKind::YieldFrom: return "yield expression";
    case NodeKind::JoinedStr: case NodeKind::FormattedValue: return "f-string expression";
    case NodeKind::Starred: return "starred";
    default: return "expression";
    }
}

} // namespace

class Parser
{
public:
    Parser(SyntaxTree &tree, std::vector<Token> &tokens, size_t begin, int depth)
        : t(tree), T(tokens), m_tokens(tokens.data()), m_lastToken(tokens.size() - 1), pos(begin), furthest(begin), m_depth(depth) {}

    void parseModule()
    {
        m_last.reserve(t.m_nodes.capacity());
        const int mod = make(NodeKind::Module, T[pos]);
        t.m_nodes[size_t(mod)].start = 0;
        t.m_nodes[size_t(mod)].line = 1;
        while (!at(TokenKind::EndMarker)) {
            if (at(TokenKind::Indent))
                indentationError("unexpected indent", peek());
            if (at(TokenKind::Dedent))
                indentationError("unexpected unindent", peek());
            statement(mod, Field::Body);
        }
        Node &m = t.m_nodes[size_t(mod)];
        m.end = uint32_t(t.m_text.size());
        m.endLine = T[pos].line;
    }

    // An f-string replacement field's expression: tokens [begin, EndMarker).
    int parseFStringExpression()
    {
        const int e = starExpressions(true);
        if (N(e).kind == NodeKind::Starred)
            raiseAtNode(QStringLiteral("cannot use starred expression here"), e);
        if (!at(TokenKind::EndMarker) && !at(TokenKind::Newline)) {
            if (startsExpression())
                forgotComma(e); // CPython compiles the field as "(expr)"
            generic();
        }
        return e;
    }

    size_t furthestToken() const { return furthest; }
    size_t plainLinesTaken() const { return m_plainLinesTaken; }
    void setOutline(bool on) { m_outline = on; }

private:
    SyntaxTree &t;
    std::vector<Token> &T;
    const Token *const m_tokens;     // T's data and last index: peek() reads them on every look
    const size_t m_lastToken;
    size_t pos;
    size_t furthest;
    int m_depth;
    int m_primary = -1;            // a primary expression() parsed ahead for awaitPrimary()
    std::vector<int32_t> m_last;   // last child of each node, while building
    bool m_outline = false;        // ParseDepth::Outline
    int m_functionDepth = 0;       // function bodies being parsed
    size_t m_plainLinesTaken = 0;  // PlainLine tokens made into statements
    // The span of a parenthesised expression including its parentheses: a node built on
    // it (a call, an operator, a statement) starts or ends there, as in CPython's tree.
    struct Outer { uint32_t start = 0, end = 0; int32_t line = 0, endLine = 0; bool set = false; };
    std::vector<Outer> m_outer;
    void setOuter(int n, const Token &open, const Token &close)
    {
        if (m_outer.size() < t.m_nodes.size())
            m_outer.resize(t.m_nodes.size());
        m_outer[size_t(n)] = {open.start, close.end, open.line, close.endLine, true};
    }
    const Outer *outer(int n) const
    {
        return size_t(n) < m_outer.size() && m_outer[size_t(n)].set ? &m_outer[size_t(n)] : nullptr;
    }

    // ---- tokens -------------------------------------------------------------
    // Every rule looks ahead through here: small enough to inline, the throw out of line.
    // Only the last token can be the tokenizer's Error (it stops there), so one comparison
    // both keeps the look inside the stream and finds the error.
    [[gnu::always_inline]] const Token &peek(size_t k = 0)
    {
        const size_t i = pos + k;
        if (i >= m_lastToken) [[unlikely]]
            return peekLast();
        if (i > furthest)
            furthest = i;
        return m_tokens[i];
    }
    [[gnu::noinline]] const Token &peekLast()
    {
        furthest = std::max(furthest, m_lastToken);
        const Token &x = m_tokens[m_lastToken];
        if (x.kind == TokenKind::Error) [[unlikely]]
            tokenizerError();
        return x;
    }
    [[noreturn, gnu::noinline, gnu::cold]] static void tokenizerError()
    {
        throw ParseFailure{{}, 0, ParseFailure::Kind::Tokenizer};
    }
    [[gnu::always_inline]] bool at(TokenKind k, size_t ahead = 0) { return peek(ahead).kind == k; }
    [[gnu::always_inline]] bool atOp(Op op, size_t ahead = 0) { const Token &x = peek(ahead); return x.kind == TokenKind::Op && x.op == op; }
    [[gnu::always_inline]] bool atKw(Keyword kw, size_t ahead = 0) { const Token &x = peek(ahead); return x.kind == TokenKind::Name && x.keyword == kw; }
    [[gnu::always_inline]] bool atName(size_t ahead = 0) { const Token &x = peek(ahead); return x.kind == TokenKind::Name && x.keyword == Keyword::None; }
    bool atSoft(std::string_view word, size_t ahead = 0)
    {
        const Token &x = peek(ahead);
        return x.kind == TokenKind::Name && x.keyword == Keyword::None && text(x) == word;
    }
    std::string_view text(const Token &x) const { return std::string_view(t.m_text).substr(x.start, x.end - x.start); }
    [[gnu::always_inline]] size_t advance()
    {
        peek();
        return pos++;
    }
    [[gnu::always_inline]] bool acceptOp(Op op)
    {
        if (!atOp(op))
            return false;
        ++pos;
        return true;
    }
    [[gnu::always_inline]] bool acceptKw(Keyword kw)
    {
        if (!atKw(kw))
            return false;
        ++pos;
        return true;
    }
    void expectOp(Op op)
    {
        if (!acceptOp(op))
            generic();
    }
    // A forced token (&&':' in the grammar): "expected ':'" at the token found instead.
    void forceOp(Op op)
    {
        if (acceptOp(op))
            return;
        const Token &x = peek();
        raiseAt(QStringLiteral("expected '%1'").arg(QLatin1String(opText(op).data(), qsizetype(opText(op).size()))), x);
    }
    // ':' after a compound statement header; "expected ':'" when the line ends instead.
    void headerColon()
    {
        if (acceptOp(Op::Colon))
            return;
        if (at(TokenKind::Newline))
            raiseAt(QStringLiteral("expected ':'"), peek());
        generic();
    }

    // ---- errors -------------------------------------------------------------
    // Where line `line` starts; a line past the text (the end marker of a file without a
    // final newline) starts at the end of the text.
    uint32_t lineStart(int line) const
    {
        const size_t i = size_t(std::max(line, 1) - 1);
        const std::vector<uint32_t> &starts = t.lineStarts();
        return i < starts.size() ? starts[i] : uint32_t(t.m_text.size());
    }
    // Where CPython places an error at the end marker: on the last physical line (a final
    // newline starts no line), one past its last character, comments and blanks included.
    int physicalLines() const
    {
        const size_t lines = t.lineStarts().size();
        return int(lines > 1 && !t.m_text.empty() && t.m_text.back() == '\n' ? lines - 1 : lines);
    }
    std::pair<int, int> endOfFile() const
    {
        const std::string &s = t.m_text;
        const size_t lines = size_t(physicalLines());
        const uint32_t start = t.lineStarts()[lines - 1];
        uint32_t end = uint32_t(s.size());
        while (end > start && (s[end - 1] == '\n' || s[end - 1] == '\r'))
            --end;
        return {int(lines), characterColumn(s, start, end - start) + 1};
    }
    void placeError(ParseFailure &f, const Token &x) const
    {
        // The end marker, and the dedents and newline the tokenizer adds at the end.
        if (x.kind == TokenKind::EndMarker || x.line > physicalLines()) {
            std::tie(f.error.line, f.error.column) = endOfFile();
            return;
        }
        f.error.line = x.line;
        f.error.column = characterColumn(t.m_text, lineStart(x.line), x.col) + 1;
    }
    int charColumn(uint32_t offset) const
    {
        const int line = t.lineOf(offset);
        return characterColumn(t.m_text, lineStart(line), offset - lineStart(line));
    }
    [[noreturn]] void raiseAt(const QString &message, const Token &x, const char *type = "SyntaxError",
                              ParseFailure::Kind kind = ParseFailure::Kind::Specific)
    {
        ParseFailure f;
        f.error.type = QString::fromLatin1(type);
        f.error.message = message;
        placeError(f, x);
        f.kind = kind;
        f.offset = x.start;
        throw f;
    }
    // Errors CPython raises from a rule's action: at the last token read, in bytes.
    [[noreturn]] void raiseAfter(const QString &message)
    {
        const Token &x = T[std::min(furthest, T.size() - 1)];
        ParseFailure f;
        f.error.type = QStringLiteral("SyntaxError");
        f.error.message = message;
        f.error.line = x.line;
        f.error.column = x.col + 1;
        f.kind = ParseFailure::Kind::Specific;
        f.offset = x.start;
        throw f;
    }
    [[noreturn]] void raiseAtNode(const QString &message, int n)
    {
        ParseFailure f;
        f.error.type = QStringLiteral("SyntaxError");
        f.error.message = message;
        f.error.line = t.node(n).line;
        f.error.column = charColumn(t.node(n).start) + 1;
        f.kind = ParseFailure::Kind::Specific;
        f.offset = t.node(n).start;
        throw f;
    }
    [[noreturn]] void indentationError(const char *message, const Token &x)
    {
        ParseFailure f;
        f.error.type = QStringLiteral("IndentationError");
        f.error.message = QString::fromLatin1(message);
        f.error.line = x.line;
        // CPython points after the indentation of the offending line.
        const uint32_t ls = lineStart(x.line);
        uint32_t q = ls;
        while (q < t.m_text.size() && (t.m_text[q] == ' ' || t.m_text[q] == '\t' || t.m_text[q] == '\f'))
            ++q;
        f.error.column = int(q - ls);
        f.kind = ParseFailure::Kind::Indentation;
        throw f;
    }
    [[noreturn]] void generic()
    {
        const Token &x = T[std::min(furthest, T.size() - 1)];
        if (x.kind == TokenKind::Indent)
            indentationError("unexpected indent", T[furthest + 1 < T.size() ? furthest + 1 : furthest]);
        if (x.kind == TokenKind::Dedent)
            indentationError("unexpected unindent", x);
        raiseAt(QStringLiteral("invalid syntax"), x, "SyntaxError", ParseFailure::Kind::Generic);
    }

    [[noreturn, gnu::noinline, gnu::cold]] void tooComplex()
    {
        ParseFailure f;
        f.error.type = QStringLiteral("MemoryError");
        f.error.message = QStringLiteral("Parser stack overflowed - Python source too complex to parse");
        const Token &x = T[std::min(pos, T.size() - 1)];
        f.error.line = x.line;
        f.error.column = x.col + 1;
        f.kind = ParseFailure::Kind::Specific;
        throw f;
    }

    struct DepthGuard
    {
        Parser &p;
        explicit DepthGuard(Parser &parser) : p(parser)
        {
            if (++p.m_depth > MaxNesting) [[unlikely]] {
                --p.m_depth; // the destructor does not run when the constructor throws
                p.tooComplex();
            }
        }
        ~DepthGuard() { --p.m_depth; }
    };

    // ---- nodes --------------------------------------------------------------
    [[gnu::flatten]] int make(NodeKind kind, const Token &from)
    {
        if (kind == NodeKind::Return || kind == NodeKind::Yield || kind == NodeKind::YieldFrom || kind == NodeKind::Break
            || kind == NodeKind::Continue)
            t.m_hasScopedStatements = true;
        // Written in place: a Node built on the stack and copied in stalls the copy's wide
        // loads on its narrow field stores, once per node.
        Node &n = t.m_nodes.emplace_back();
        n.kind = kind;
        n.start = from.start;
        n.end = from.end;
        n.line = from.line;
        n.endLine = from.endLine;
        m_last.push_back(-1);
        return int(t.m_nodes.size()) - 1;
    }
    [[gnu::flatten]] int makeFromNode(NodeKind kind, int from)
    {
        const Node &src = t.m_nodes[size_t(from)];
        uint32_t start = src.start, end = src.end;
        int32_t line = src.line, endLine = src.endLine;
        if (const Outer *o = outer(from)) {
            start = o->start;
            line = o->line;
            end = o->end;
            endLine = o->endLine;
        }
        Node &n = t.m_nodes.emplace_back();   // may move the arena: `src` is not used after
        n.kind = kind;
        n.start = start;
        n.line = line;
        n.end = end;
        n.endLine = endLine;
        m_last.push_back(-1);
        return int(t.m_nodes.size()) - 1;
    }
    Node &N(int i) { return t.m_nodes[size_t(i)]; }
    void endAt(int n, const Token &x)
    {
        N(n).end = x.end;
        N(n).endLine = x.endLine;
    }
    void endAtPrev(int n) { endAt(n, T[pos - 1]); }
    void endAtNode(int n, int other)
    {
        if (const Outer *o = outer(other)) {
            N(n).end = o->end;
            N(n).endLine = o->endLine;
            return;
        }
        N(n).end = N(other).end;
        N(n).endLine = N(other).endLine;
    }
    void add(int parent, int child, Field field)
    {
        if (child < 0)
            return;
        N(child).field = field;
        N(child).next = -1;
        const int last = m_last[size_t(parent)];
        if (last < 0)
            N(parent).first = child;
        else
            N(last).next = child;
        m_last[size_t(parent)] = child;
    }
    void setName(int n, const Token &x)
    {
        N(n).nameStart = x.start;
        N(n).nameEnd = x.end;
    }
    int nullNode(const Token &at)
    {
        const int n = make(NodeKind::Null, at);
        N(n).end = N(n).start;
        return n;
    }
    // Moves the children of `from` filling `field` under `to` (used when a node turns out
    // to be something else, like a parenthesised tuple).
    std::vector<int> childrenOf(int n) const
    {
        std::vector<int> out;
        for (int c = t.m_nodes[size_t(n)].first; c >= 0; c = t.m_nodes[size_t(c)].next)
            out.push_back(c);
        return out;
    }

    // ---- statements ---------------------------------------------------------
    void statement(int parent, Field field)
    {
        const Token &x = peek();
        if (x.kind == TokenKind::Name) {
            switch (x.keyword) {
            case Keyword::Def: add(parent, functionDef(-1, false), field); return;
            case Keyword::If: add(parent, ifStatement(false), field); return;
            case Keyword::Class: add(parent, classDef(-1), field); return;
            case Keyword::With: add(parent, withStatement(false), field); return;
            case Keyword::For: add(parent, forStatement(false), field); return;
            case Keyword::Try: add(parent, tryStatement(), field); return;
            case Keyword::While: add(parent, whileStatement(), field); return;
            case Keyword::Async: {
                const Token &n = peek(1);
                if (n.keyword == Keyword::Def) { add(parent, functionDef(-1, true), field); return; }
                if (n.keyword == Keyword::With) { add(parent, withStatement(true), field); return; }
                if (n.keyword == Keyword::For) { add(parent, forStatement(true), field); return; }
                advance();
                generic();
            }
            default:
                break;
            }
            if (x.keyword == Keyword::None && text(x) == "match") {
                if (const int m = matchStatement(); m >= 0) {
                    add(parent, m, field);
                    return;
                }
            }
        } else if (x.kind == TokenKind::Op && x.op == Op::At) {
            add(parent, decorated(), field);
            return;
        }
        simpleStatements(parent, field);
    }

    void simpleStatements(int parent, Field field)
    {
        for (;;) {
            add(parent, simpleStatement(), field);
            if (acceptOp(Op::Semi)) {
                if (at(TokenKind::Newline))
                    break;
                continue;
            }
            break;
        }
        if (!at(TokenKind::Newline))
            generic();
        advance();
    }

    // A block after ':' — an indented suite or simple statements on the same line.
    void block(int parent, Field field, const QString &what, int headerLine)
    {
        if (at(TokenKind::Newline)) {
            advance();
            if (!at(TokenKind::Indent)) {
                const Token &x = peek();
                ParseFailure f;
                f.error.type = QStringLiteral("IndentationError");
                f.error.message = QStringLiteral("expected an indented block after %1 on line %2").arg(what).arg(headerLine);
                placeError(f, x);
                f.kind = ParseFailure::Kind::Specific;
                throw f;
            }
            advance();
            while (!at(TokenKind::Dedent) && !at(TokenKind::EndMarker)) {
                if (m_outline && m_functionDepth > 0) {
                    if (m_tokens[pos].kind == TokenKind::PlainLine && takePlainLine(parent, field))
                        continue;
                    if (skimStatement(parent, field))
                        continue;
                }
                statement(parent, field);
            }
            if (at(TokenKind::Dedent))
                advance();
            return;
        }
        simpleStatements(parent, field);
    }

    // ---- outline (ParseDepth::Outline) ---------------------------------------
    // A statement of a function body that is one primary (a name, then attribute, call and
    // subscript trailers) ending the line, whose brackets hold only such primaries, literals
    // without bytes, f-strings or backslashes, displays, and keyword arguments after the
    // positional ones. Every statement of that shape is valid in every grammar (no operator,
    // keyword, star, slice or assignment can appear), so it is read on raw tokens without
    // building its nodes: an Expr and its value's kind and span. Anything else, and anything
    // that reaches the stream's last token (the tokenizer's error), returns false with nothing
    // read, not even `furthest` moved, and the full grammar parses the statement.
    static bool isOp(const Token &x, Op op) { return x.kind == TokenKind::Op && x.op == op; }
    bool skimStatement(int parent, Field field)
    {
        size_t i = pos;
        if (i >= m_lastToken)
            return false;
        const Token &first = m_tokens[i];
        if (first.kind != TokenKind::Name || first.keyword != Keyword::None)
            return false;
        const std::string_view word = text(first);
        if (word == "match" || word == "type")
            return false; // soft keywords that may start a statement
        NodeKind kind = NodeKind::Name;
        if (!skimPrimary(i, 0, &kind) || i >= m_lastToken || m_tokens[i].kind != TokenKind::Newline)
            return false;
        const Token &last = m_tokens[i - 1];
        const int e = make(NodeKind::Expr, first);
        const int v = make(kind, first);
        endAt(e, last);
        endAt(v, last);
        add(e, v, Field::Value);
        add(parent, e, field);
        furthest = std::max(furthest, i);   // the full parse reads up to the NEWLINE too
        pos = i + 1;
        return true;
    }
    // A PlainLine token (TokenizeMode::Outline): the statement skimStatement() would read from
    // the tokens it stands for, read by the tokenizer; the same nodes. Anywhere else no rule
    // takes the token, so the parse fails and parseText() parses again without them.
    bool takePlainLine(int parent, Field field)
    {
        const Token &x = m_tokens[pos];
        if (pos + 1 >= m_lastToken || m_tokens[pos + 1].kind != TokenKind::Newline || (x.flags & PlainAnnotation))
            return false;
        const int e = make(NodeKind::Expr, x);
        const int v = make(plainLineKind(x), x);
        add(e, v, Field::Value);
        add(parent, e, field);
        furthest = std::max(furthest, pos + 1);
        pos += 2;
        ++m_plainLinesTaken;
        return true;
    }
    static NodeKind plainLineKind(const Token &x)
    {
        static constexpr NodeKind kinds[] = {NodeKind::Name, NodeKind::Attribute, NodeKind::Call, NodeKind::Subscript};
        return kinds[x.flags & 3];
    }
    // An annotated assignment's annotation (`down_revision: Union[str, Sequence[str], None] =
    // ...`), which no reader of an outline looks at: a primary of the same plain shape, starting
    // with a name and followed by '=' or the end of the line, is read on raw tokens into one
    // node of its kind and span (a name keeps its id), as the full grammar would end it there.
    // Anything else returns -1 with nothing read, for expression() to parse.
    int skimAnnotation()
    {
        size_t i = pos;
        if (i >= m_lastToken)
            return -1;
        const Token &first = m_tokens[i];
        if (first.kind == TokenKind::PlainLine) {
            // The annotation as the tokenizer read it (TokenizeMode::Outline), '=' or NEWLINE next.
            if (!(first.flags & PlainAnnotation) || i + 1 >= m_lastToken)
                return -1;
            const NodeKind kind = plainLineKind(first);
            const int a = make(kind, first);
            if (kind == NodeKind::Name)
                setName(a, first);
            furthest = std::max(furthest, i + 1);
            pos = i + 1;
            ++m_plainLinesTaken;
            return a;
        }
        if (first.kind != TokenKind::Name || first.keyword != Keyword::None)
            return -1;
        NodeKind kind = NodeKind::Name;
        if (!skimPrimary(i, 0, &kind) || i >= m_lastToken)
            return -1;
        const Token &after = m_tokens[i];
        if (!isOp(after, Op::Equal) && after.kind != TokenKind::Newline)
            return -1;
        const int a = make(kind, first);
        endAt(a, m_tokens[i - 1]);
        if (kind == NodeKind::Name)
            setName(a, first);
        furthest = std::max(furthest, i);   // the full parse looks at the '=' or NEWLINE too
        pos = i;
        return a;
    }
    bool skimAtom(size_t &i, int depth)
    {
        if (depth > 50 || i >= m_lastToken)
            return false;
        const Token &x = m_tokens[i];
        switch (x.kind) {
        case TokenKind::Name:
            if (x.keyword != Keyword::None && x.keyword != Keyword::None_ && x.keyword != Keyword::True_ && x.keyword != Keyword::False_)
                return false;
            ++i;
            return true;
        case TokenKind::Number:
            ++i;
            return true;
        case TokenKind::String:
            // Only literals the full parse checks nothing in (no escapes to decode, no
            // replacement fields, no bytes to mix): 3.12+ f-strings are other tokens.
            for (; i < m_lastToken && m_tokens[i].kind == TokenKind::String; ++i) {
                const Token &str = m_tokens[i];
                if ((str.flags & (BytesString | FString)) || text(str).find('\\') != std::string_view::npos)
                    return false;
            }
            return true;
        case TokenKind::Op:
            switch (x.op) {
            case Op::Ellipsis: ++i; return true;
            case Op::LPar: ++i; return skimItems(i, depth + 1, Op::RPar, false);
            case Op::LSqb: ++i; return skimItems(i, depth + 1, Op::RSqb, false);
            case Op::LBrace: ++i; return skimItems(i, depth + 1, Op::RBrace, true);
            default: return false;
            }
        default:
            return false;
        }
    }
    bool skimPrimary(size_t &i, int depth, NodeKind *kind = nullptr)
    {
        if (!skimAtom(i, depth))
            return false;
        for (;;) {
            if (i >= m_lastToken)
                return false;
            const Token &x = m_tokens[i];
            if (x.kind != TokenKind::Op)
                return true;
            if (x.op == Op::Dot) {
                if (i + 1 >= m_lastToken || m_tokens[i + 1].kind != TokenKind::Name || m_tokens[i + 1].keyword != Keyword::None)
                    return false;
                i += 2;
                if (kind)
                    *kind = NodeKind::Attribute;
            } else if (x.op == Op::LPar) {
                ++i;
                if (!skimArguments(i, depth + 1))
                    return false;
                if (kind)
                    *kind = NodeKind::Call;
            } else if (x.op == Op::LSqb) {
                ++i;
                if (i >= m_lastToken || isOp(m_tokens[i], Op::RSqb) || !skimItems(i, depth + 1, Op::RSqb, false))
                    return false;
                if (kind)
                    *kind = NodeKind::Subscript;
            } else {
                return true;
            }
        }
    }
    // Comma-separated primaries up to `close` (a trailing comma allowed); in braces, all
    // `key: value` pairs or all single items.
    bool skimItems(size_t &i, int depth, Op close, bool braces)
    {
        int shape = 0;   // braces: 1 a dict, 2 a set
        for (;;) {
            if (i >= m_lastToken)
                return false;
            if (isOp(m_tokens[i], close)) {
                ++i;
                return true;
            }
            if (!skimPrimary(i, depth) || i >= m_lastToken)
                return false;
            if (braces) {
                const bool pair = isOp(m_tokens[i], Op::Colon);
                if (shape != 0 && shape != (pair ? 1 : 2))
                    return false;
                shape = pair ? 1 : 2;
                if (pair) {
                    ++i;
                    if (!skimPrimary(i, depth) || i >= m_lastToken)
                        return false;
                }
            }
            if (isOp(m_tokens[i], Op::Comma)) {
                ++i;
                continue;
            }
            if (isOp(m_tokens[i], close)) {
                ++i;
                return true;
            }
            return false;
        }
    }
    bool skimArguments(size_t &i, int depth)
    {
        bool keywords = false;
        std::array<std::string_view, 8> names;  // the keywords so far: a repeated one is the compiler's error
        size_t named = 0;
        for (;;) {
            if (i >= m_lastToken)
                return false;
            if (isOp(m_tokens[i], Op::RPar)) {
                ++i;
                return true;
            }
            const Token &x = m_tokens[i];
            if (x.kind == TokenKind::Name && x.keyword == Keyword::None && i + 1 < m_lastToken && isOp(m_tokens[i + 1], Op::Equal)) {
                const std::string_view name = text(x);
                if (named == names.size() || std::find(names.begin(), names.begin() + named, name) != names.begin() + named)
                    return false;
                names[named++] = name;
                i += 2;
                keywords = true;
            } else if (keywords) {
                return false; // a positional argument after a keyword one: the full parse says so
            }
            if (!skimPrimary(i, depth) || i >= m_lastToken)
                return false;
            if (isOp(m_tokens[i], Op::Comma)) {
                ++i;
                continue;
            }
            if (isOp(m_tokens[i], Op::RPar)) {
                ++i;
                return true;
            }
            return false;
        }
    }

    // The end of a compound statement: its last child statement's end.
    void endWithLastChild(int n)
    {
        const int last = m_last[size_t(n)];
        if (last >= 0)
            endAtNode(n, last);
    }

    int decorated()
    {
        std::vector<int> decorators;
        while (acceptOp(Op::At)) {
            decorators.push_back(namedExpression());
            if (!at(TokenKind::Newline))
                generic();
            advance();
        }
        int n;
        if (atKw(Keyword::Def))
            n = functionDef(-1, false, &decorators);
        else if (atKw(Keyword::Async) && atKw(Keyword::Def, 1))
            n = functionDef(-1, true, &decorators);
        else if (atKw(Keyword::Class))
            n = classDef(-1, &decorators);
        else
            generic();
        return n;
    }

    int functionDef(int, bool isAsync, std::vector<int> *decorators = nullptr)
    {
        const Token &first = peek();
        const int n = make(isAsync ? NodeKind::AsyncFunctionDef : NodeKind::FunctionDef, first);
        if (isAsync)
            advance();
        const int headerLine = peek().line;
        advance(); // def
        if (!atName())
            generic();
        setName(n, peek());
        advance();
        typeParams(n);
        forceOp(Op::LPar);
        const int args = parameters(Op::RPar, true);
        add(n, args, Field::Args);
        expectOp(Op::RPar);
        int returns = -1;
        if (acceptOp(Op::RArrow))
            returns = expression();
        forceOp(Op::Colon);
        ++m_functionDepth;   // a failure ends the parse: no need to restore it on a throw
        block(n, Field::Body, QStringLiteral("function definition"), headerLine);
        --m_functionDepth;
        endWithLastChild(n);
        if (decorators)
            for (int d : *decorators)
                add(n, d, Field::Decorators);
        add(n, returns, Field::Returns);
        return n;
    }

    int classDef(int, std::vector<int> *decorators = nullptr)
    {
        const int n = make(NodeKind::ClassDef, peek());
        const int headerLine = peek().line;
        advance();
        if (!atName())
            generic();
        setName(n, peek());
        advance();
        typeParams(n);
        if (acceptOp(Op::LPar)) {
            callArguments(n, Field::Bases);
            expectOp(Op::RPar);
        }
        headerColon();
        block(n, Field::Body, QStringLiteral("class definition"), headerLine);
        endWithLastChild(n);
        if (decorators)
            for (int d : *decorators)
                add(n, d, Field::Decorators);
        return n;
    }

    // ---- PEP 695 type parameters (3.12+), PEP 696 defaults (3.13+) --------------
    // type_params: '[' type_param (',' type_param)* [','] ']', on def, class and `type`.
    void typeParams(int n)
    {
        if (!atLeast(t.m_version, PythonVersion::Py312) || !atOp(Op::LSqb))
            return;
        advance();
        if (atOp(Op::RSqb))
            raiseAt(QStringLiteral("Type parameter list cannot be empty"), peek());
        int defaulted = -1;
        for (;;) {
            const Token first = peek();
            NodeKind kind = NodeKind::TypeVar;
            if (acceptOp(Op::Star))
                kind = NodeKind::TypeVarTuple;
            else if (acceptOp(Op::DoubleStar))
                kind = NodeKind::ParamSpec;
            if (!atName())
                generic();
            const int p = make(kind, first);
            setName(p, peek());
            advance();
            if (atOp(Op::Colon)) {
                if (kind == NodeKind::TypeVarTuple)
                    raiseAt(QStringLiteral("cannot use bound with TypeVarTuple"), peek());
                if (kind == NodeKind::ParamSpec)
                    raiseAt(QStringLiteral("cannot use bound with ParamSpec"), peek());
                advance();
                add(p, expression(), Field::Bound);
            }
            if (atLeast(t.m_version, PythonVersion::Py313) && acceptOp(Op::Equal)) {
                add(p, kind == NodeKind::TypeVarTuple ? starExpression() : expression(), Field::DefaultValue);
                defaulted = p;
            } else if (defaulted >= 0) {
                raiseAtNode(QStringLiteral("non-default type parameter '%1' follows default type parameter").arg(t.qname(p)), p);
            }
            endAtPrev(p);
            add(n, p, Field::TypeParams);
            if (!acceptOp(Op::Comma) || atOp(Op::RSqb))
                break;
        }
        expectOp(Op::RSqb);
    }

    // type_alias: "type" NAME [type_params] '=' expression. -1 (nothing read) when the
    // soft keyword `type` is a name here.
    int typeAlias()
    {
        const size_t start = pos;
        if (!atName(1) || !(atOp(Op::Equal, 2) || atOp(Op::LSqb, 2)))
            return -1;
        const int n = make(NodeKind::TypeAlias, peek());
        advance();
        const int name = make(NodeKind::Name, peek());
        setName(name, peek());
        advance();
        add(n, name, Field::AliasName);
        typeParams(n);
        if (!acceptOp(Op::Equal)) {
            (void)start;
            generic();
        }
        add(n, expression(), Field::AliasValue);
        endAtPrev(n);
        return n;
    }

    int ifStatement(bool elif)
    {
        const int n = make(NodeKind::If, peek());
        const int headerLine = peek().line;
        advance();
        add(n, namedExpression(), Field::Test);
        headerColon();
        block(n, Field::Body, elif ? QStringLiteral("'elif' statement") : QStringLiteral("'if' statement"), headerLine);
        endWithLastChild(n);
        if (atKw(Keyword::Elif)) {
            const int e = ifStatement(true);
            add(n, e, Field::OrElse);
            endAtNode(n, e);
        } else if (atKw(Keyword::Else)) {
            elseBlock(n);
        }
        return n;
    }

    void elseBlock(int n)
    {
        const int line = peek().line;
        advance();
        forceOp(Op::Colon);
        block(n, Field::OrElse, QStringLiteral("'else' statement"), line);
        endWithLastChild(n);
    }

    int whileStatement()
    {
        const int n = make(NodeKind::While, peek());
        const int headerLine = peek().line;
        advance();
        add(n, namedExpression(), Field::Test);
        headerColon();
        block(n, Field::Body, QStringLiteral("'while' statement"), headerLine);
        endWithLastChild(n);
        if (atKw(Keyword::Else))
            elseBlock(n);
        return n;
    }

    int forStatement(bool isAsync)
    {
        const int n = make(isAsync ? NodeKind::AsyncFor : NodeKind::For, peek());
        if (isAsync)
            advance();
        const int headerLine = peek().line;
        advance();
        const int target = starTargets();
        add(n, target, Field::Target);
        if (!acceptKw(Keyword::In))
            generic();
        add(n, starExpressions(false), Field::Iter);
        forceOp(Op::Colon);
        block(n, Field::Body, QStringLiteral("'for' statement"), headerLine);
        endWithLastChild(n);
        if (atKw(Keyword::Else))
            elseBlock(n);
        return n;
    }

    int withStatement(bool isAsync)
    {
        const int n = make(isAsync ? NodeKind::AsyncWith : NodeKind::With, peek());
        if (isAsync)
            advance();
        const int headerLine = peek().line;
        advance();
        // with (a as b, c as d): — parenthesised items, when a ':' follows the ')'.
        bool parenthesised = false;
        if (atOp(Op::LPar)) {
            size_t depth = 0, k = 0;
            for (;; ++k) {
                const Token &x = peek(k);
                if (x.kind == TokenKind::EndMarker || x.kind == TokenKind::Newline)
                    break;
                if (x.kind == TokenKind::Op && (x.op == Op::LPar || x.op == Op::LSqb || x.op == Op::LBrace))
                    ++depth;
                else if (x.kind == TokenKind::Op && (x.op == Op::RPar || x.op == Op::RSqb || x.op == Op::RBrace)) {
                    if (--depth == 0)
                        break;
                }
            }
            parenthesised = depth == 0 && peek(k + 1).kind == TokenKind::Op && peek(k + 1).op == Op::Colon;
            if (parenthesised) {
                // Only when the contents are with-items (a bare `(a, b)` is one tuple item,
                // same tree either way except for `as`).
                bool hasAs = false;
                size_t d = 0;
                for (size_t j = 0; j < k; ++j) {
                    const Token &x = peek(j);
                    if (x.kind == TokenKind::Op && (x.op == Op::LPar || x.op == Op::LSqb || x.op == Op::LBrace)) ++d;
                    else if (x.kind == TokenKind::Op && (x.op == Op::RPar || x.op == Op::RSqb || x.op == Op::RBrace)) --d;
                    else if (d == 1 && x.kind == TokenKind::Name && x.keyword == Keyword::As) hasAs = true;
                }
                parenthesised = hasAs;
            }
        }
        if (parenthesised) {
            advance();
            for (;;) {
                add(n, withItem(), Field::Items);
                if (!acceptOp(Op::Comma))
                    break;
                if (atOp(Op::RPar))
                    break;
            }
            expectOp(Op::RPar);
        } else {
            for (;;) {
                add(n, withItem(), Field::Items);
                if (!acceptOp(Op::Comma))
                    break;
            }
        }
        headerColon();
        block(n, Field::Body, QStringLiteral("'with' statement"), headerLine);
        endWithLastChild(n);
        return n;
    }

    int withItem()
    {
        const int e = expression();
        const int item = makeFromNode(NodeKind::WithItem, e);
        add(item, e, Field::ContextExpr);
        if (acceptKw(Keyword::As)) {
            const int target = starTarget();
            checkTarget(target, false);
            add(item, target, Field::OptionalVars);
        }
        return item;
    }

    int tryStatement()
    {
        const int n = make(NodeKind::Try, peek());
        const int headerLine = peek().line;
        advance();
        forceOp(Op::Colon);
        block(n, Field::Body, QStringLiteral("'try' statement"), headerLine);
        endWithLastChild(n);
        bool handlers = false, star = false;
        while (atKw(Keyword::Except)) {
            const int h = make(NodeKind::ExceptHandler, peek());
            const int line = peek().line;
            advance();
            bool thisStar = false;
            if (atOp(Op::Star)) {
                advance();
                thisStar = true;
                N(n).kind = NodeKind::TryStar;
            }
            if (handlers && thisStar != star)
                raiseAt(QStringLiteral("cannot have both 'except' and 'except*' on the same 'try'"), T[pos - 1]);
            star = thisStar;
            if (!atOp(Op::Colon)) {
                if (at(TokenKind::Newline))
                    raiseAt(QStringLiteral("expected ':'"), peek());
                const int type = expression();
                if (atOp(Op::Comma)) {
                    // except A, B: — needs parentheses
                    raiseAtNode(QStringLiteral("multiple exception types must be parenthesized"), type);
                }
                add(h, type, Field::Type);
                if (acceptKw(Keyword::As)) {
                    if (!atName())
                        generic();
                    N(h).name2Start = peek().start;
                    N(h).name2End = peek().end;
                    advance();
                }
            } else if (thisStar) {
                raiseAt(QStringLiteral("expected one or more exception types"), peek());
            }
            headerColon();
            block(h, Field::Body, thisStar ? QStringLiteral("'except*' statement") : QStringLiteral("'except' statement"), line);
            endWithLastChild(h);
            add(n, h, Field::Handlers);
            endAtNode(n, h);
            handlers = true;
        }
        if (handlers && atKw(Keyword::Else))
            elseBlock(n);
        if (atKw(Keyword::Finally)) {
            const int line = peek().line;
            advance();
            forceOp(Op::Colon);
            block(n, Field::FinalBody, QStringLiteral("'finally' statement"), line);
            endWithLastChild(n);
        } else if (!handlers) {
            raiseAt(QStringLiteral("expected 'except' or 'finally' block"), peek());
        }
        return n;
    }

    // "match" is a soft keyword: a match statement only when the line parses as one.
    int matchStatement()
    {
        const size_t save = pos;
        const size_t nodes = t.m_nodes.size();
        // Quick rejection: `match = ...`, `match(...)`.method, `match.x`
        const Token &next = peek(1);
        if (next.kind == TokenKind::Newline || (next.kind == TokenKind::Op && next.op != Op::LPar && next.op != Op::LSqb
                                                && next.op != Op::LBrace && next.op != Op::Minus && next.op != Op::Star
                                                && next.op != Op::Tilde && next.op != Op::Ellipsis))
            return -1;
        const int n = make(NodeKind::Match, peek());
        const int headerLine = peek().line;
        advance();
        int subject;
        try {
            subject = starNamedExpressionsAsTuple();
        } catch (const ParseFailure &f) {
            if (f.kind != ParseFailure::Kind::Generic)
                throw;
            subject = -1;
        }
        if (subject < 0 || (!atOp(Op::Colon) && !at(TokenKind::Newline))) {
            pos = save;
            t.m_nodes.resize(nodes);
            m_last.resize(nodes);
            return -1;
        }
        add(n, subject, Field::Subject);
        headerColon();
        if (!at(TokenKind::Newline))
            generic();
        advance();
        if (!at(TokenKind::Indent)) {
            const Token &x = peek();
            ParseFailure f;
            f.error.type = QStringLiteral("IndentationError");
            f.error.message = QStringLiteral("expected an indented block after 'match' statement on line %1").arg(headerLine);
            f.error.line = x.line;
            f.error.column = x.col + 1;
            f.kind = ParseFailure::Kind::Specific;
            throw f;
        }
        advance();
        while (atSoft("case")) {
            const int c = make(NodeKind::MatchCase, peek());
            const int line = peek().line;
            advance();
            add(c, patterns(), Field::Pattern);
            if (acceptKw(Keyword::If))
                add(c, namedExpression(), Field::Guard);
            headerColon();
            block(c, Field::Body, QStringLiteral("'case' statement"), line);
            endWithLastChild(c);
            add(n, c, Field::Cases);
            endWithLastChild(n);
        }
        if (!at(TokenKind::Dedent))
            generic();
        advance();
        return n;
    }

    // ---- patterns -----------------------------------------------------------
    int patterns()
    {
        const Token &first = peek();
        const int p = asPattern();
        if (!atOp(Op::Comma))
            return p;
        const int seq = make(NodeKind::MatchSequence, first);
        add(seq, p, Field::Patterns);
        while (acceptOp(Op::Comma)) {
            if (atOp(Op::Colon) || atKw(Keyword::If))
                break;
            add(seq, asPattern(), Field::Patterns);
        }
        endAtPrev(seq);
        if (atOp(Op::Colon) || atKw(Keyword::If))
            endAtPrev(seq);
        return seq;
    }

    int asPattern()
    {
        DepthGuard guard(*this);
        const int p = orPattern();
        if (!acceptKw(Keyword::As))
            return p;
        if (!atName())
            generic();
        const int as = makeFromNode(NodeKind::MatchAs, p);
        add(as, p, Field::Pattern);
        N(as).name2Start = peek().start;
        N(as).name2End = peek().end;
        endAt(as, peek());
        advance();
        return as;
    }

    int orPattern()
    {
        const int p = closedPattern();
        if (!atOp(Op::VBar))
            return p;
        const int o = makeFromNode(NodeKind::MatchOr, p);
        add(o, p, Field::Patterns);
        while (acceptOp(Op::VBar)) {
            const int q = closedPattern();
            add(o, q, Field::Patterns);
            endAtNode(o, q);
        }
        return o;
    }

    int closedPattern()
    {
        const Token &x = peek();
        if (x.kind == TokenKind::Name && (x.keyword == Keyword::None_ || x.keyword == Keyword::True_ || x.keyword == Keyword::False_)) {
            const int n = make(NodeKind::MatchSingleton, x);
            N(n).flags = uint8_t(x.keyword == Keyword::None_ ? ConstantKind::None : x.keyword == Keyword::True_ ? ConstantKind::True : ConstantKind::False);
            advance();
            return n;
        }
        if (x.kind == TokenKind::Number || x.kind == TokenKind::String || (x.kind == TokenKind::Op && x.op == Op::Minus)) {
            const int v = make(NodeKind::MatchValue, x);
            const int e = sum();
            add(v, e, Field::Value);
            endAtNode(v, e);
            return v;
        }
        if (x.kind == TokenKind::Name && x.keyword == Keyword::None) {
            if (text(x) == "_" && !atOp(Op::Dot, 1) && !atOp(Op::LPar, 1)) {
                const int n = make(NodeKind::MatchAs, x);
                advance();
                return n;
            }
            if (!atOp(Op::Dot, 1) && !atOp(Op::LPar, 1)) {
                const int n = make(NodeKind::MatchAs, x);
                N(n).name2Start = x.start;
                N(n).name2End = x.end;
                advance();
                return n;
            }
            // dotted value or class pattern
            int name = make(NodeKind::Name, x);
            setName(name, x);
            advance();
            while (acceptOp(Op::Dot)) {
                if (!atName())
                    generic();
                const int a = makeFromNode(NodeKind::Attribute, name);
                add(a, name, Field::Value);
                setName(a, peek());
                endAt(a, peek());
                advance();
                name = a;
            }
            if (!atOp(Op::LPar)) {
                const int v = makeFromNode(NodeKind::MatchValue, name);
                add(v, name, Field::Value);
                return v;
            }
            advance();
            const int c = makeFromNode(NodeKind::MatchClass, name);
            add(c, name, Field::Cls);
            bool keywords = false;
            while (!atOp(Op::RPar)) {
                if (atName() && atOp(Op::Equal, 1)) {
                    const int id = make(NodeKind::Identifier, peek());
                    setName(id, peek());
                    add(c, id, Field::KwdAttrs);
                    advance();
                    advance();
                    add(c, asPattern(), Field::KwdPatterns);
                    keywords = true;
                } else {
                    const int p = asPattern();
                    if (keywords)
                        raiseAtNode(QStringLiteral("positional patterns follow keyword patterns"), p);
                    add(c, p, Field::Patterns);
                }
                if (!acceptOp(Op::Comma))
                    break;
            }
            expectOp(Op::RPar);
            endAtPrev(c);
            return c;
        }
        if (x.kind == TokenKind::Op && (x.op == Op::LPar || x.op == Op::LSqb)) {
            const Op close = x.op == Op::LPar ? Op::RPar : Op::RSqb;
            advance();
            if (x.op == Op::LPar && !atOp(Op::RPar)) {
                const int first = starOrAsPattern();
                if (acceptOp(Op::RPar) && N(first).kind != NodeKind::MatchStar) {
                    setOuter(first, x, T[pos - 1]);
                    return first; // a group
                }
                const int seq = make(NodeKind::MatchSequence, x);
                add(seq, first, Field::Patterns);
                while (acceptOp(Op::Comma)) {
                    if (atOp(close))
                        break;
                    add(seq, starOrAsPattern(), Field::Patterns);
                }
                expectOp(close);
                endAtPrev(seq);
                return seq;
            }
            const int seq = make(NodeKind::MatchSequence, x);
            while (!atOp(close)) {
                add(seq, starOrAsPattern(), Field::Patterns);
                if (!acceptOp(Op::Comma))
                    break;
            }
            expectOp(close);
            endAtPrev(seq);
            return seq;
        }
        if (x.kind == TokenKind::Op && x.op == Op::LBrace) {
            advance();
            const int m = make(NodeKind::MatchMapping, x);
            while (!atOp(Op::RBrace)) {
                if (acceptOp(Op::DoubleStar)) {
                    if (!atName())
                        generic();
                    N(m).name2Start = peek().start;
                    N(m).name2End = peek().end;
                    advance();
                    acceptOp(Op::Comma);
                    break;
                }
                const Token &k = peek();
                int key;
                if (k.kind == TokenKind::Name && (k.keyword == Keyword::None_ || k.keyword == Keyword::True_ || k.keyword == Keyword::False_))
                    key = atom();
                else if (k.kind == TokenKind::Name && k.keyword == Keyword::None)
                    key = primary(false);
                else
                    key = sum();
                add(m, key, Field::Keys);
                expectOp(Op::Colon);
                add(m, asPattern(), Field::Patterns);
                if (!acceptOp(Op::Comma))
                    break;
            }
            expectOp(Op::RBrace);
            endAtPrev(m);
            return m;
        }
        generic();
    }

    int starOrAsPattern()
    {
        if (atOp(Op::Star)) {
            const int s = make(NodeKind::MatchStar, peek());
            advance();
            if (!atName())
                generic();
            if (text(peek()) != "_") {
                N(s).nameStart = peek().start;
                N(s).nameEnd = peek().end;
            }
            endAt(s, peek());
            advance();
            return s;
        }
        return asPattern();
    }

    int simpleStatement()
    {
        const Token &x = peek();
        if (x.kind == TokenKind::Name && x.keyword == Keyword::None && atLeast(t.m_version, PythonVersion::Py312)
            && text(x) == "type") [[unlikely]] {
            if (const int n = typeAlias(); n >= 0)
                return n;
        }
        if (x.kind == TokenKind::Name) {
            switch (x.keyword) {
            case Keyword::Pass: case Keyword::Break: case Keyword::Continue: {
                const int n = make(x.keyword == Keyword::Pass ? NodeKind::Pass : x.keyword == Keyword::Break ? NodeKind::Break : NodeKind::Continue, x);
                advance();
                return n;
            }
            case Keyword::Return: {
                const int n = make(NodeKind::Return, x);
                advance();
                if (!at(TokenKind::Newline) && !atOp(Op::Semi)) {
                    add(n, starExpressions(false), Field::Value);
                    endAtPrev(n);
                }
                return n;
            }
            case Keyword::Import: return importName();
            case Keyword::From: return importFrom();
            case Keyword::Raise: {
                const int n = make(NodeKind::Raise, x);
                advance();
                if (!at(TokenKind::Newline) && !atOp(Op::Semi)) {
                    add(n, expression(), Field::Exc);
                    if (acceptKw(Keyword::From))
                        add(n, expression(), Field::Cause);
                    endAtPrev(n);
                }
                return n;
            }
            case Keyword::Global: case Keyword::Nonlocal: {
                const int n = make(x.keyword == Keyword::Global ? NodeKind::Global : NodeKind::Nonlocal, x);
                advance();
                for (;;) {
                    if (!atName())
                        generic();
                    const int id = make(NodeKind::Identifier, peek());
                    setName(id, peek());
                    add(n, id, Field::Names);
                    advance();
                    if (!acceptOp(Op::Comma))
                        break;
                }
                endAtPrev(n);
                return n;
            }
            case Keyword::Del: {
                const int n = make(NodeKind::Delete, x);
                advance();
                for (;;) {
                    const int target = bitwiseOrOrStar();
                    checkTarget(target, true);
                    add(n, target, Field::Targets);
                    if (!acceptOp(Op::Comma))
                        break;
                    if (at(TokenKind::Newline) || atOp(Op::Semi))
                        break;
                }
                endAtPrev(n);
                return n;
            }
            case Keyword::Assert: {
                const int n = make(NodeKind::Assert, x);
                advance();
                add(n, expression(), Field::Test);
                if (acceptOp(Op::Comma))
                    add(n, expression(), Field::Msg);
                endAtPrev(n);
                return n;
            }
            default:
                break;
            }
        }
        return expressionStatement();
    }

    int bitwiseOrOrStar()
    {
        if (atOp(Op::Star)) {
            const int s = make(NodeKind::Starred, peek());
            advance();
            const int v = bitwiseOr();
            add(s, v, Field::Value);
            endAtNode(s, v);
            return s;
        }
        return primaryOrAtomTarget();
    }
    int primaryOrAtomTarget()
    {
        // del targets: t_primary, or a bracketed list of them
        return bitwiseOr();
    }

    QString dottedNameAt(uint32_t &start, uint32_t &end)
    {
        if (!atName())
            generic();
        start = peek().start;
        end = peek().end;
        advance();
        while (atOp(Op::Dot) && atName(1)) {
            advance();
            end = peek().end;
            advance();
        }
        return {};
    }

    int importName()
    {
        const int n = make(NodeKind::Import, peek());
        advance();
        for (;;) {
            const int a = make(NodeKind::Alias, peek());
            uint32_t s, e;
            dottedNameAt(s, e);
            N(a).nameStart = s;
            N(a).nameEnd = e;
            if (acceptKw(Keyword::As)) {
                if (!atName())
                    generic();
                N(a).name2Start = peek().start;
                N(a).name2End = peek().end;
                advance();
            }
            endAtPrev(a);
            add(n, a, Field::Names);
            if (!acceptOp(Op::Comma))
                break;
        }
        endAtPrev(n);
        return n;
    }

    int importFrom()
    {
        const int n = make(NodeKind::ImportFrom, peek());
        advance();
        int level = 0;
        while (atOp(Op::Dot) || atOp(Op::Ellipsis)) {
            level += atOp(Op::Dot) ? 1 : 3;
            advance();
        }
        N(n).flags = uint8_t(std::min(level, 255));
        if (!atKw(Keyword::Import)) {
            uint32_t s, e;
            dottedNameAt(s, e);
            N(n).name2Start = s;
            N(n).name2End = e;
        } else if (level == 0) {
            generic();
        }
        if (!acceptKw(Keyword::Import))
            generic();
        if (atOp(Op::Star)) {
            const int a = make(NodeKind::Alias, peek());
            setName(a, peek());
            advance();
            add(n, a, Field::Names);
            endAtPrev(n);
            return n;
        }
        const bool paren = acceptOp(Op::LPar);
        for (;;) {
            if (!atName())
                generic();
            const int a = make(NodeKind::Alias, peek());
            setName(a, peek());
            advance();
            if (acceptKw(Keyword::As)) {
                if (!atName())
                    generic();
                N(a).name2Start = peek().start;
                N(a).name2End = peek().end;
                advance();
            }
            endAtPrev(a);
            add(n, a, Field::Names);
            if (!acceptOp(Op::Comma))
                break;
            if (paren && atOp(Op::RPar))
                break;
            if (!paren && (at(TokenKind::Newline) || atOp(Op::Semi)))
                raiseAt(QStringLiteral("trailing comma not allowed without surrounding parentheses"), peek());
        }
        if (paren)
            expectOp(Op::RPar);
        endAtPrev(n);
        return n;
    }

    static OpKind augOp(Op op)
    {
        switch (op) {
        case Op::PlusEqual: return OpKind::Add; case Op::MinEqual: return OpKind::Sub; case Op::StarEqual: return OpKind::Mult;
        case Op::AtEqual: return OpKind::MatMult; case Op::SlashEqual: return OpKind::Div; case Op::PercentEqual: return OpKind::Mod;
        case Op::AmperEqual: return OpKind::BitAnd; case Op::VBarEqual: return OpKind::BitOr; case Op::CircumflexEqual: return OpKind::BitXor;
        case Op::LeftShiftEqual: return OpKind::LShift; case Op::RightShiftEqual: return OpKind::RShift;
        case Op::DoubleStarEqual: return OpKind::Pow; case Op::DoubleSlashEqual: return OpKind::FloorDiv;
        default: return OpKind::None;
        }
    }

    // assignment | star_expressions
    int expressionStatement()
    {
        const Token &first = peek();
        const bool parenthesisedStart = first.kind == TokenKind::Op && first.op == Op::LPar;
        auto startAtFirst = [&](int n) {
            N(n).start = first.start;
            N(n).line = first.line;
        };
        int e = atKw(Keyword::Yield) ? yieldExpression() : starExpressions(false);
        if (atOp(Op::Colon)) {
            // annotated assignment: single target
            const NodeKind k = N(e).kind;
            if (k == NodeKind::Tuple && !parenthesisedStart)
                raiseAtNode(QStringLiteral("only single target (not tuple) can be annotated"), e);
            if (k == NodeKind::List)
                raiseAtNode(QStringLiteral("only single target (not list) can be annotated"), e);
            if (k == NodeKind::Tuple)
                raiseAtNode(QStringLiteral("only single target (not tuple) can be annotated"), e);
            if (k != NodeKind::Name && k != NodeKind::Attribute && k != NodeKind::Subscript)
                raiseAtNode(QStringLiteral("illegal target for annotation"), e);
            advance();
            const int n = makeFromNode(NodeKind::AnnAssign, e);
            startAtFirst(n);
            add(n, e, Field::Target);
            const int skimmed = m_outline ? skimAnnotation() : -1;
            const int ann = skimmed >= 0 ? skimmed : expression();
            add(n, ann, Field::Annotation);
            if (acceptOp(Op::Equal)) {
                const int v = atKw(Keyword::Yield) ? yieldExpression() : starExpressions(false);
                add(n, v, Field::Value);
            }
            N(n).flags = (k == NodeKind::Name && !parenthesisedStart) ? 1 : 0;
            endAtPrev(n);
            return n;
        }
        if (at(TokenKind::Op) && augOp(peek().op) != OpKind::None) {
            const NodeKind k = N(e).kind;
            if (k != NodeKind::Name && k != NodeKind::Attribute && k != NodeKind::Subscript)
                raiseAtNode(QStringLiteral("'%1' is an illegal expression for augmented assignment").arg(QLatin1String(kindName(k) == QLatin1String("expression") && k == NodeKind::Tuple ? "tuple" : targetKindName(e))), e);
            const int n = makeFromNode(NodeKind::AugAssign, e);
            startAtFirst(n);
            N(n).op = augOp(peek().op);
            advance();
            add(n, e, Field::Target);
            add(n, atKw(Keyword::Yield) ? yieldExpression() : starExpressions(false), Field::Value);
            endAtPrev(n);
            return n;
        }
        if (atOp(Op::Equal)) {
            const int n = makeFromNode(NodeKind::Assign, e);
            startAtFirst(n);
            std::vector<int> parts{e};
            while (acceptOp(Op::Equal)) {
                int v = atKw(Keyword::Yield) ? yieldExpression() : starExpressions(false);
                parts.push_back(v);
            }
            for (size_t i = 0; i + 1 < parts.size(); ++i) {
                checkTarget(parts[i], false, true);
                add(n, parts[i], Field::Targets);
            }
            add(n, parts.back(), Field::Value);
            endAtNode(n, parts.back());
            return n;
        }
        if (N(e).kind == NodeKind::Name && (t.name(e) == "print" || t.name(e) == "exec") && startsExpression()
            && !atOp(Op::LPar) && !atOp(Op::LSqb) && !atOp(Op::Minus) && !atOp(Op::Plus) && !atOp(Op::Star) && !atOp(Op::Tilde))
            raiseAtNode(QStringLiteral("Missing parentheses in call to '%1'. Did you mean %1(...)?").arg(t.qname(e)), e);
        const int n = makeFromNode(NodeKind::Expr, e);
        startAtFirst(n);
        add(n, e, Field::Value);
        if (N(e).kind == NodeKind::Starred)
            raiseAtNode(QStringLiteral("can't use starred expression here"), e);
        return n;
    }

    const char *targetKindName(int e)
    {
        switch (N(e).kind) {
        case NodeKind::Tuple: return "tuple";
        case NodeKind::List: return "list";
        case NodeKind::Name: return "name";
        case NodeKind::Attribute: return "attribute";
        case NodeKind::Subscript: return "subscript";
        default: return kindName(N(e).kind);
        }
    }

    // Targets of assignment, for, with, del: names, attributes, subscripts, and tuples /
    // lists / starred of those.
    void checkTarget(int e, bool del, bool assignment = false)
    {
        const Node &n = N(e);
        switch (n.kind) {
        case NodeKind::Name: case NodeKind::Attribute: case NodeKind::Subscript:
            return;
        case NodeKind::Tuple: case NodeKind::List:
            for (int c : childrenOf(e))
                checkTarget(c, del, assignment);
            return;
        case NodeKind::Starred:
            if (del)
                raiseAtNode(QStringLiteral("cannot delete starred"), e);
            checkTarget(n.first, del, assignment);
            return;
        default:
            break;
        }
        QString what = QLatin1String(kindName(n.kind));
        if (n.kind == NodeKind::Constant) {
            const ConstantKind ck = ConstantKind(n.flags);
            if (ck == ConstantKind::None) what = QStringLiteral("None");
            else if (ck == ConstantKind::True) what = QStringLiteral("True");
            else if (ck == ConstantKind::False) what = QStringLiteral("False");
            else if (ck == ConstantKind::Ellipsis) what = QStringLiteral("ellipsis");
        }
        if (del)
            raiseAtNode(QStringLiteral("cannot delete %1").arg(what), e);
        if (assignment && n.kind != NodeKind::Compare)
            raiseAtNode(QStringLiteral("cannot assign to %1 here. Maybe you meant '==' instead of '='?").arg(what), e);
        raiseAtNode(QStringLiteral("cannot assign to %1").arg(what), e);
    }

    int starTargets()
    {
        const Token &first = peek();
        const int e = starTarget();
        if (!atOp(Op::Comma)) {
            checkTarget(e, false);
            return e;
        }
        const int tup = make(NodeKind::Tuple, first);
        add(tup, e, Field::Elts);
        while (acceptOp(Op::Comma)) {
            if (atKw(Keyword::In) || atOp(Op::Equal))
                break;
            add(tup, starTarget(), Field::Elts);
        }
        endAtPrev(tup);
        checkTarget(tup, false);
        return tup;
    }
    int starTarget()
    {
        if (atOp(Op::Star)) {
            const int s = make(NodeKind::Starred, peek());
            advance();
            const int v = starTarget();
            add(s, v, Field::Value);
            endAtNode(s, v);
            return s;
        }
        return bitwiseOr();
    }

    // ---- parameters ---------------------------------------------------------
    int parameters(Op close, bool annotations)
    {
        const Token &at0 = peek();
        const int args = make(NodeKind::Arguments, at0);
        bool seenDefault = false, seenStar = false, seenKwarg = false, seenSlash = false;
        std::vector<int> positional;
        int defaultsCount = 0;
        std::vector<int> defaults, kwonly, kwDefaults;
        int vararg = -1, kwarg = -1;
        bool any = false;
        while (!atOp(close)) {
            if (seenKwarg)
                raiseAt(QStringLiteral("arguments cannot follow var-keyword argument"), peek());
            if (atOp(Op::Slash)) {
                if (!any)
                    raiseAt(QStringLiteral("at least one argument must precede /"), peek());
                if (seenSlash)
                    raiseAt(QStringLiteral("/ may appear only once"), peek());
                if (seenStar)
                    raiseAt(QStringLiteral("/ must be ahead of *"), peek());
                advance();
                seenSlash = true;
                for (int p : positional)
                    N(p).field = Field::Posonlyargs;
            } else if (atOp(Op::Star)) {
                if (seenStar)
                    raiseAt(QStringLiteral("* argument may appear only once"), peek());
                const Token &star = peek();
                advance();
                seenStar = true;
                if (atOp(Op::Comma) || atOp(close)) {
                    if (atOp(close) || (atOp(Op::Comma) && atOp(close, 1)))
                        raiseAt(QStringLiteral("named arguments must follow bare *"), star);
                } else {
                    vararg = parameter(annotations, true);
                    if (atOp(Op::Equal))
                        raiseAt(QStringLiteral("var-positional argument cannot have default value"), peek());
                }
            } else if (atOp(Op::DoubleStar)) {
                advance();
                kwarg = parameter(annotations, false);
                if (atOp(Op::Equal))
                    raiseAt(QStringLiteral("var-keyword argument cannot have default value"), peek());
                seenKwarg = true;
            } else {
                const int p = parameter(annotations, false);
                int def = -1;
                if (acceptOp(Op::Equal))
                    def = expression();
                if (seenStar) {
                    kwonly.push_back(p);
                    kwDefaults.push_back(def >= 0 ? def : nullNode(T[pos - 1]));
                } else {
                    if (def >= 0) {
                        seenDefault = true;
                        defaults.push_back(def);
                        ++defaultsCount;
                    } else if (seenDefault) {
                        raiseAtNode(atLeast(t.m_version, PythonVersion::Py312)
                                        ? QStringLiteral("parameter without a default follows parameter with a default")
                                        : QStringLiteral("non-default argument follows default argument"), p);
                    }
                    N(p).field = seenSlash ? Field::Args : Field::Args;
                    positional.push_back(p);
                    if (!seenSlash)
                        N(p).field = Field::Args;
                }
            }
            any = true;
            if (!acceptOp(Op::Comma))
                break;
        }
        // Assemble in ast's field order.
        std::vector<int> posonly, plain;
        // Parameters before '/' are positional-only.
        if (seenSlash) {
            // those marked Posonlyargs at the time '/' was read
        }
        for (int p : positional)
            (N(p).field == Field::Posonlyargs ? posonly : plain).push_back(p);
        for (int p : posonly) add(args, p, Field::Posonlyargs);
        for (int p : plain) add(args, p, Field::Args);
        add(args, vararg, Field::Vararg);
        for (int p : kwonly) add(args, p, Field::Kwonlyargs);
        for (int d : kwDefaults) add(args, d, Field::KwDefaults);
        add(args, kwarg, Field::Kwarg);
        for (int d : defaults) add(args, d, Field::Defaults);
        (void)defaultsCount;
        return args;
    }

    int parameter(bool annotations, bool starAnnotation)
    {
        if (!atName())
            generic();
        const int a = make(NodeKind::Arg, peek());
        setName(a, peek());
        advance();
        if (annotations && acceptOp(Op::Colon)) {
            const int ann = starAnnotation && atOp(Op::Star) ? starExpression() : expression();
            add(a, ann, Field::Annotation);
            endAtNode(a, ann);
        }
        return a;
    }

    // ---- expressions --------------------------------------------------------
    // star_expressions: a tuple when there is a comma
    int starExpressions(bool allowNamed)
    {
        const Token &first = peek();
        const int e = allowNamed ? starNamedExpression() : starExpression();
        if (!atOp(Op::Comma))
            return e;
        const int tup = make(NodeKind::Tuple, first);
        add(tup, e, Field::Elts);
        while (acceptOp(Op::Comma)) {
            if (!startsExpression())
                break;
            add(tup, allowNamed ? starNamedExpression() : starExpression(), Field::Elts);
        }
        endAtPrev(tup);
        return tup;
    }
    int starNamedExpressionsAsTuple()
    {
        const Token &first = peek();
        const int e = starNamedExpression();
        if (!atOp(Op::Comma)) {
            if (N(e).kind == NodeKind::Starred)
                generic();
            return e;
        }
        const int tup = make(NodeKind::Tuple, first);
        add(tup, e, Field::Elts);
        while (acceptOp(Op::Comma)) {
            if (!startsExpression())
                break;
            add(tup, starNamedExpression(), Field::Elts);
        }
        endAtPrev(tup);
        return tup;
    }

    bool startsExpression()
    {
        const Token &x = peek();
        switch (x.kind) {
        case TokenKind::Name:
            switch (x.keyword) {
            case Keyword::None: case Keyword::False_: case Keyword::None_: case Keyword::True_: case Keyword::Not:
            case Keyword::Lambda: case Keyword::Await:
                return true;
            default:
                return false;
            }
        case TokenKind::Number: case TokenKind::String: case TokenKind::FStringStart:
            return true;
        case TokenKind::Op:
            switch (x.op) {
            case Op::LPar: case Op::LSqb: case Op::LBrace: case Op::Minus: case Op::Plus: case Op::Tilde: case Op::Star:
            case Op::Ellipsis:
                return true;
            default:
                return false;
            }
        default:
            return false;
        }
    }

    int starExpression()
    {
        if (atOp(Op::Star)) {
            const int s = make(NodeKind::Starred, peek());
            advance();
            const int v = bitwiseOr();
            add(s, v, Field::Value);
            endAtNode(s, v);
            return s;
        }
        return expression();
    }
    int starNamedExpression()
    {
        if (atOp(Op::Star)) {
            const int s = make(NodeKind::Starred, peek());
            advance();
            const int v = bitwiseOr();
            add(s, v, Field::Value);
            endAtNode(s, v);
            return s;
        }
        return namedExpression();
    }

    int namedExpression()
    {
        if (atName() && atOp(Op::ColonEqual, 1)) {
            const int target = make(NodeKind::Name, peek());
            setName(target, peek());
            advance();
            advance();
            const int value = expression();
            const int n = makeFromNode(NodeKind::NamedExpr, target);
            add(n, target, Field::Target);
            add(n, value, Field::Value);
            endAtNode(n, value);
            return n;
        }
        const int e = expression();
        if (atOp(Op::ColonEqual)) {
            raiseAtNode(QStringLiteral("cannot use assignment expressions with %1").arg(QLatin1String(targetKindName(e))), e);
        }
        return e;
    }

    int expression()
    {
        DepthGuard guard(*this);
        if (atKw(Keyword::Lambda))
            return lambda();
        // Most expressions are one primary (a name, a literal, a call). When no prefix
        // operator starts it, every level from disjunction down to awaitPrimary would call
        // the next with nothing consumed, so parse the primary at once; when no operator
        // that a level consumes follows it, each level would return it unchanged.
        // Otherwise the levels run as usual, awaitPrimary handing back this primary.
        if (!startsWithPrefix(peek())) {
            const int e = primary(false);
            if (!continuesPrimary(peek()))
                return e;
            m_primary = e;
        }
        const int body = disjunction();
        if (!atKw(Keyword::If))
            return body;
        advance();
        const int test = disjunction();
        if (!acceptKw(Keyword::Else)) {
            if (!atOp(Op::Colon))
                raiseAtNode(QStringLiteral("expected 'else' after 'if' expression"), body);
            generic();
        }
        const int orelse = expression();
        const int n = makeFromNode(NodeKind::IfExp, body);
        add(n, test, Field::Test);
        add(n, body, Field::Body);
        add(n, orelse, Field::OrElse);
        endAtNode(n, orelse);
        return n;
    }

    // Tokens that the levels between expression and primary consume before a primary.
    static bool startsWithPrefix(const Token &x)
    {
        if (x.kind == TokenKind::Name)
            return x.keyword == Keyword::Not || x.keyword == Keyword::Await || x.keyword == Keyword::Lambda;
        return x.kind == TokenKind::Op && (x.op == Op::Minus || x.op == Op::Plus || x.op == Op::Tilde);
    }
    // Tokens that a level between expression and primary consumes after a primary: '**',
    // the binary operators, comparisons, 'and', 'or', 'if'.
    static bool continuesPrimary(const Token &x)
    {
        if (x.kind == TokenKind::Name) {
            switch (x.keyword) {
            case Keyword::In: case Keyword::Not: case Keyword::Is: case Keyword::And: case Keyword::Or: case Keyword::If:
                return true;
            default:
                return false;
            }
        }
        if (x.kind != TokenKind::Op)
            return false;
        switch (x.op) {
        case Op::DoubleStar: case Op::EqEqual: case Op::NotEqual: case Op::Less: case Op::LessEqual: case Op::Greater:
        case Op::GreaterEqual:
            return true;
        default: {
            OpKind op = OpKind::None;
            return precedence(x, op) >= 0;
        }
        }
    }

    int lambda()
    {
        const int n = make(NodeKind::Lambda, peek());
        advance();
        const int args = parameters(Op::Colon, false);
        add(n, args, Field::Args);
        expectOp(Op::Colon);
        const int body = expression();
        add(n, body, Field::Body);
        endAtNode(n, body);
        return n;
    }

    int boolChain(Keyword kw, OpKind op, int (Parser::*next)())
    {
        const int first = (this->*next)();
        if (!atKw(kw))
            return first;
        const int n = makeFromNode(NodeKind::BoolOp, first);
        N(n).op = op;
        add(n, first, Field::Values);
        int last = first;
        while (acceptKw(kw)) {
            last = (this->*next)();
            add(n, last, Field::Values);
        }
        endAtNode(n, last);
        return n;
    }
    int disjunction() { return boolChain(Keyword::Or, OpKind::Or, &Parser::conjunction); }
    int conjunction() { return boolChain(Keyword::And, OpKind::And, &Parser::inversion); }

    int inversion()
    {
        std::vector<size_t> nots;
        while (m_primary < 0 && atKw(Keyword::Not)) {
            nots.push_back(pos);
            advance();
        }
        m_depth += int(nots.size());
        if (m_depth > MaxNesting) {
            m_depth -= int(nots.size());
            tooComplex();
        }
        int e;
        try {
            e = comparison();
        } catch (...) {
            m_depth -= int(nots.size());
            throw;
        }
        m_depth -= int(nots.size());
        for (auto it = nots.rbegin(); it != nots.rend(); ++it) {
            const int n = make(NodeKind::UnaryOp, T[*it]);
            N(n).op = OpKind::Not;
            add(n, e, Field::Operand);
            endAtNode(n, e);
            e = n;
        }
        return e;
    }

    int comparison()
    {
        const int left = bitwiseOr();
        std::vector<OpKind> ops;
        std::vector<int> rights;
        for (;;) {
            const Token &x = peek();
            OpKind op = OpKind::None;
            if (x.kind == TokenKind::Op) {
                switch (x.op) {
                case Op::EqEqual: op = OpKind::Eq; break;
                case Op::NotEqual: op = OpKind::NotEq; break;
                case Op::Less: op = OpKind::Lt; break;
                case Op::LessEqual: op = OpKind::LtE; break;
                case Op::Greater: op = OpKind::Gt; break;
                case Op::GreaterEqual: op = OpKind::GtE; break;
                default: break;
                }
                if (op != OpKind::None)
                    advance();
            } else if (x.kind == TokenKind::Name) {
                if (x.keyword == Keyword::In) {
                    op = OpKind::In;
                    advance();
                } else if (x.keyword == Keyword::Not && atKw(Keyword::In, 1)) {
                    op = OpKind::NotIn;
                    advance();
                    advance();
                } else if (x.keyword == Keyword::Is) {
                    advance();
                    op = acceptKw(Keyword::Not) ? OpKind::IsNot : OpKind::Is;
                }
            }
            if (op == OpKind::None)
                break;
            ops.push_back(op);
            rights.push_back(bitwiseOr());
        }
        if (ops.empty())
            return left;
        const int n = makeFromNode(NodeKind::Compare, left);
        add(n, left, Field::Left);
        N(n).nameStart = uint32_t(t.m_compareOps.size());
        t.m_compareOps.insert(t.m_compareOps.end(), ops.begin(), ops.end());
        N(n).nameEnd = uint32_t(t.m_compareOps.size());
        for (int r : rights)
            add(n, r, Field::Comparators);
        endAtNode(n, rights.back());
        return n;
    }

    static int precedence(const Token &x, OpKind &op)
    {
        if (x.kind != TokenKind::Op)
            return -1;
        switch (x.op) {
        case Op::VBar: op = OpKind::BitOr; return 1;
        case Op::Circumflex: op = OpKind::BitXor; return 2;
        case Op::Amper: op = OpKind::BitAnd; return 3;
        case Op::LeftShift: op = OpKind::LShift; return 4;
        case Op::RightShift: op = OpKind::RShift; return 4;
        case Op::Plus: op = OpKind::Add; return 5;
        case Op::Minus: op = OpKind::Sub; return 5;
        case Op::Star: op = OpKind::Mult; return 6;
        case Op::Slash: op = OpKind::Div; return 6;
        case Op::DoubleSlash: op = OpKind::FloorDiv; return 6;
        case Op::Percent: op = OpKind::Mod; return 6;
        case Op::At: op = OpKind::MatMult; return 6;
        default: return -1;
        }
    }

    // Binary operators by precedence climbing (all left-associative).
    int binary(int minPrec) { return climb(factor(), minPrec); }
    // Continues a left operand with operators of precedence >= minPrec.
    int climb(int left, int minPrec)
    {
        for (;;) {
            OpKind op = OpKind::None;
            const int prec = precedence(peek(), op);
            if (prec < minPrec)
                break;
            advance();
            int right = factor();
            for (;;) {
                OpKind op2 = OpKind::None;
                const int p2 = precedence(peek(), op2);
                if (p2 <= prec)
                    break;
                right = climb(right, p2);
            }
            const int n = makeFromNode(NodeKind::BinOp, left);
            N(n).op = op;
            add(n, left, Field::Left);
            add(n, right, Field::Right);
            endAtNode(n, right);
            left = n;
        }
        return left;
    }
    int bitwiseOr() { return binary(1); }
    int sum() { return binary(5); }

    int factor()
    {
        std::vector<std::pair<size_t, OpKind>> prefix;
        while (m_primary < 0) {
            const Token &x = peek();
            if (x.kind != TokenKind::Op)
                break;
            OpKind op = x.op == Op::Minus ? OpKind::USub : x.op == Op::Plus ? OpKind::UAdd : x.op == Op::Tilde ? OpKind::Invert : OpKind::None;
            if (op == OpKind::None)
                break;
            prefix.emplace_back(pos, op);
            advance();
        }
        m_depth += int(prefix.size());
        if (m_depth > MaxNesting) {
            m_depth -= int(prefix.size());
            tooComplex();
        }
        int e;
        try {
            e = power();
        } catch (...) {
            m_depth -= int(prefix.size());
            throw;
        }
        m_depth -= int(prefix.size());
        for (auto it = prefix.rbegin(); it != prefix.rend(); ++it) {
            const int n = make(NodeKind::UnaryOp, T[it->first]);
            N(n).op = it->second;
            add(n, e, Field::Operand);
            endAtNode(n, e);
            e = n;
        }
        return e;
    }

    int power()
    {
        const int base = awaitPrimary();
        if (!atOp(Op::DoubleStar))
            return base;
        DepthGuard guard(*this);
        advance();
        const int exponent = factor();
        const int n = makeFromNode(NodeKind::BinOp, base);
        N(n).op = OpKind::Pow;
        add(n, base, Field::Left);
        add(n, exponent, Field::Right);
        endAtNode(n, exponent);
        return n;
    }

    int awaitPrimary()
    {
        if (m_primary >= 0)
            return std::exchange(m_primary, -1); // parsed by expression()
        if (atKw(Keyword::Await)) {
            const int n = make(NodeKind::Await, peek());
            advance();
            const int v = primary(false);
            add(n, v, Field::Value);
            endAtNode(n, v);
            return n;
        }
        return primary(false);
    }

    int primary(bool)
    {
        int e = atom();
        for (;;) {
            // One look at the next token for the three trailers (this loop ends every primary).
            const Token &x = peek();
            if (x.kind != TokenKind::Op)
                break;
            if (x.op == Op::Dot) {
                advance();
                if (!atName())
                    generic();
                const int n = makeFromNode(NodeKind::Attribute, e);
                add(n, e, Field::Value);
                setName(n, peek());
                endAt(n, peek());
                advance();
                e = n;
            } else if (x.op == Op::LPar) {
                advance();
                const int n = makeFromNode(NodeKind::Call, e);
                add(n, e, Field::Func);
                callArguments(n, Field::Args);
                expectOp(Op::RPar);
                endAtPrev(n);
                e = n;
            } else if (x.op == Op::LSqb) {
                advance();
                const int n = makeFromNode(NodeKind::Subscript, e);
                add(n, e, Field::Value);
                add(n, slices(), Field::Slice);
                expectOp(Op::RSqb);
                endAtPrev(n);
                e = n;
            } else {
                break;
            }
        }
        return e;
    }

    // Arguments of a call (or class bases): positional, *args, keywords, **kwargs.
    void callArguments(int call, Field positionalField)
    {
        bool keywordSeen = false, doubleStarSeen = false;
        std::vector<std::string_view> keywordNames;  // a repeated one fails the compiler (CompileChecks)
        int count = 0;
        int lastPositional = -1;
        int bareGenerator = -1;  // a generator expression written without its own parentheses
        while (!atOp(Op::RPar)) {
            ++count;
            if (atOp(Op::DoubleStar)) {
                const int k = make(NodeKind::Keyword, peek());
                advance();
                const int v = expression();
                add(k, v, Field::Value);
                endAtNode(k, v);
                add(call, k, Field::Keywords);
                doubleStarSeen = true;
            } else if (atName() && atOp(Op::Equal, 1)) {
                const int k = make(NodeKind::Keyword, peek());
                setName(k, peek());
                const std::string_view name = text(peek());
                if (std::find(keywordNames.begin(), keywordNames.end(), name) != keywordNames.end())
                    t.m_hasScopedStatements = true;
                keywordNames.push_back(name);
                advance();
                advance();
                const int v = expression();
                add(k, v, Field::Value);
                endAtNode(k, v);
                add(call, k, Field::Keywords);
                keywordSeen = true;
            } else if (atOp(Op::Star)) {
                const int s = make(NodeKind::Starred, peek());
                advance();
                const int v = expression();
                add(s, v, Field::Value);
                endAtNode(s, v);
                if (doubleStarSeen)
                    raiseAtNode(QStringLiteral("iterable argument unpacking follows keyword argument unpacking"), s);
                add(call, s, positionalField);
                lastPositional = s;
            } else {
                const Token &argStart = peek();
                int e = namedExpression();
                if (atOp(Op::Equal)) {
                    // f(a.b=1), f(True=1)
                    if (N(e).kind == NodeKind::Constant && (ConstantKind(N(e).flags) == ConstantKind::True || ConstantKind(N(e).flags) == ConstantKind::False
                                                            || ConstantKind(N(e).flags) == ConstantKind::None))
                        raiseAtNode(QStringLiteral("cannot assign to %1").arg(N(e).flags == uint8_t(ConstantKind::None) ? QStringLiteral("None") : N(e).flags == uint8_t(ConstantKind::True) ? QStringLiteral("True") : QStringLiteral("False")), e);
                    raiseAtNode(QStringLiteral("expression cannot contain assignment, perhaps you meant \"==\"?"), e);
                }
                if (atKw(Keyword::For) || (atKw(Keyword::Async) && atKw(Keyword::For, 1))) {
                    const int g = make(NodeKind::GeneratorExp, argStart);
                    add(g, e, Field::Elt);
                    comprehensionClauses(g);
                    endAtPrev(g);
                    e = g;
                    if (!atOp(Op::RPar) || count > 1)
                        if (!(atOp(Op::RPar) && count == 1))
                            raiseAtNode(QStringLiteral("Generator expression must be parenthesized"), g);
                    // position: from '(' to ')'
                    size_t open = pos;
                    int depth = 0;
                    while (open > 0) {
                        --open;
                        if (T[open].kind == TokenKind::Op && (T[open].op == Op::RPar || T[open].op == Op::RSqb || T[open].op == Op::RBrace))
                            ++depth;
                        else if (T[open].kind == TokenKind::Op && (T[open].op == Op::LPar || T[open].op == Op::LSqb || T[open].op == Op::LBrace)) {
                            if (depth == 0)
                                break;
                            --depth;
                        }
                    }
                    N(g).start = T[open].start;
                    N(g).line = T[open].line;
                    N(g).end = peek().end;
                    N(g).endLine = peek().endLine;
                    bareGenerator = g;
                } else if (keywordSeen || doubleStarSeen) {
                    if (doubleStarSeen)
                        raiseAfter(QStringLiteral("positional argument follows keyword argument unpacking"));
                    raiseAfter(QStringLiteral("positional argument follows keyword argument"));
                }
                if (!atOp(Op::Comma) && !atOp(Op::RPar) && startsExpression() && N(e).kind != NodeKind::GeneratorExp)
                    forgotComma(e);
                add(call, e, positionalField);
                lastPositional = e;
            }
            if (!acceptOp(Op::Comma))
                break;
            if (atOp(Op::RPar))
                break;
            // Only a generator written bare as the argument (f(x for x in y, 1)); one in its own
            // parentheses is an argument like any other: next((x for x in y), None).
            if (lastPositional >= 0 && lastPositional == bareGenerator)
                raiseAtNode(QStringLiteral("Generator expression must be parenthesized"), lastPositional);
        }
        if (!atOp(Op::RPar) && count > 0 && startsExpression() && lastPositional >= 0)
            forgotComma(lastPositional);
    }

    // invalid_expression: two expressions side by side inside brackets.
    [[noreturn]] void forgotComma(int e)
    {
        const NodeKind k = N(e).kind;
        if (k == NodeKind::Name) {
            const auto name = t.name(e);
            if (name == "print" || name == "exec")
                generic();
        }
        if (k == NodeKind::Lambda || k == NodeKind::IfExp || k == NodeKind::NamedExpr)
            generic();
        // CPython parses the next expression to give the range; the start is what matters.
        raiseAtNode(QStringLiteral("invalid syntax. Perhaps you forgot a comma?"), e);
    }

    int slices()
    {
        const Token &first = peek();
        const int s = slice();
        if (!atOp(Op::Comma))
            return s;
        const int tup = make(NodeKind::Tuple, first);
        add(tup, s, Field::Elts);
        while (acceptOp(Op::Comma)) {
            if (atOp(Op::RSqb))
                break;
            add(tup, slice(), Field::Elts);
        }
        endAtPrev(tup);
        return tup;
    }

    int slice()
    {
        const Token &first = peek();
        int lower = -1;
        if (!atOp(Op::Colon)) {
            lower = atOp(Op::Star) ? starExpression() : namedExpression();
            if (!atOp(Op::Colon))
                return lower;
        }
        const int n = make(NodeKind::Slice, first);
        advance(); // ':'
        add(n, lower, Field::Lower);
        if (!atOp(Op::Colon) && !atOp(Op::Comma) && !atOp(Op::RSqb))
            add(n, expression(), Field::Upper);
        if (acceptOp(Op::Colon)) {
            if (!atOp(Op::Comma) && !atOp(Op::RSqb))
                add(n, expression(), Field::Step);
        }
        endAtPrev(n);
        return n;
    }

    void comprehensionClauses(int parent)
    {
        while (atKw(Keyword::For) || (atKw(Keyword::Async) && atKw(Keyword::For, 1))) {
            const int c = make(NodeKind::Comprehension, peek());
            if (acceptKw(Keyword::Async))
                N(c).flags = 1;
            advance(); // for
            add(c, starTargets(), Field::Target);
            if (!acceptKw(Keyword::In))
                generic();
            add(c, disjunction(), Field::Iter);
            while (acceptKw(Keyword::If))
                add(c, disjunction(), Field::Ifs);
            add(parent, c, Field::Generators);
        }
    }

    int yieldExpression()
    {
        const Token &y = peek();
        advance();
        if (acceptKw(Keyword::From)) {
            const int n = make(NodeKind::YieldFrom, y);
            const int v = expression();
            add(n, v, Field::Value);
            endAtNode(n, v);
            return n;
        }
        const int n = make(NodeKind::Yield, y);
        if (startsExpression()) {
            const int v = starExpressions(false);
            add(n, v, Field::Value);
            endAtNode(n, v);
        }
        return n;
    }

    int atom()
    {
        const Token &x = peek();
        switch (x.kind) {
        case TokenKind::Name: {
            if (x.keyword == Keyword::None) {
                const int n = make(NodeKind::Name, x);
                setName(n, x);
                advance();
                return n;
            }
            ConstantKind ck;
            if (x.keyword == Keyword::None_) ck = ConstantKind::None;
            else if (x.keyword == Keyword::True_) ck = ConstantKind::True;
            else if (x.keyword == Keyword::False_) ck = ConstantKind::False;
            else generic();
            const int n = make(NodeKind::Constant, x);
            N(n).flags = uint8_t(ck);
            advance();
            return n;
        }
        case TokenKind::Number: {
            const int n = make(NodeKind::Constant, x);
            const auto s = text(x);
            ConstantKind ck = ConstantKind::Int;
            const char last = char(s.back() | 0x20);
            if (last == 'j')
                ck = ConstantKind::Complex;
            else if (s.size() > 1 && s[0] == '0' && (char(s[1] | 0x20) == 'x' || char(s[1] | 0x20) == 'o' || char(s[1] | 0x20) == 'b'))
                ck = ConstantKind::Int;
            else if (s.find_first_of(".eE") != std::string_view::npos)
                ck = ConstantKind::Float;
            N(n).flags = uint8_t(ck);
            advance();
            return n;
        }
        case TokenKind::String: case TokenKind::FStringStart:
            return strings();
        case TokenKind::Op:
            switch (x.op) {
            case Op::LPar: return parenthesised();
            case Op::LSqb: return listDisplay();
            case Op::LBrace: return dictOrSet();
            case Op::Ellipsis: {
                const int n = make(NodeKind::Constant, x);
                N(n).flags = uint8_t(ConstantKind::Ellipsis);
                advance();
                return n;
            }
            default:
                break;
            }
            break;
        default:
            break;
        }
        generic();
    }

    int parenthesised()
    {
        DepthGuard guard(*this);
        const Token &open = peek();
        advance();
        if (atOp(Op::RPar)) {
            const int tup = make(NodeKind::Tuple, open);
            advance();
            endAtPrev(tup);
            return tup;
        }
        if (atKw(Keyword::Yield)) {
            const int y = yieldExpression();
            expectOp(Op::RPar);
            setOuter(y, open, T[pos - 1]);
            return y;
        }
        const int first = starNamedExpression();
        if (atKw(Keyword::For) || (atKw(Keyword::Async) && atKw(Keyword::For, 1))) {
            const int g = make(NodeKind::GeneratorExp, open);
            add(g, first, Field::Elt);
            comprehensionClauses(g);
            expectOp(Op::RPar);
            endAtPrev(g);
            return g;
        }
        if (acceptOp(Op::RPar)) {
            if (N(first).kind == NodeKind::Starred)
                raiseAtNode(QStringLiteral("cannot use starred expression here"), first);
            setOuter(first, open, T[pos - 1]);
            return first;
        }
        if (!atOp(Op::Comma)) {
            if (startsExpression())
                forgotComma(first);
            generic();
        }
        const int tup = make(NodeKind::Tuple, open);
        add(tup, first, Field::Elts);
        while (acceptOp(Op::Comma)) {
            if (atOp(Op::RPar))
                break;
            const int e = starNamedExpression();
            add(tup, e, Field::Elts);
            if (!atOp(Op::Comma) && !atOp(Op::RPar) && startsExpression())
                forgotComma(e);
        }
        expectOp(Op::RPar);
        endAtPrev(tup);
        return tup;
    }

    int listDisplay()
    {
        DepthGuard guard(*this);
        const Token &open = peek();
        advance();
        const int list = make(NodeKind::List, open);
        if (acceptOp(Op::RSqb)) {
            endAtPrev(list);
            return list;
        }
        const int first = starNamedExpression();
        if (atKw(Keyword::For) || (atKw(Keyword::Async) && atKw(Keyword::For, 1))) {
            N(list).kind = NodeKind::ListComp;
            add(list, first, Field::Elt);
            comprehensionClauses(list);
            expectOp(Op::RSqb);
            endAtPrev(list);
            return list;
        }
        add(list, first, Field::Elts);
        if (!atOp(Op::Comma) && !atOp(Op::RSqb) && startsExpression())
            forgotComma(first);
        while (acceptOp(Op::Comma)) {
            if (atOp(Op::RSqb))
                break;
            const int e = starNamedExpression();
            add(list, e, Field::Elts);
            if (!atOp(Op::Comma) && !atOp(Op::RSqb) && startsExpression())
                forgotComma(e);
        }
        expectOp(Op::RSqb);
        endAtPrev(list);
        return list;
    }

    int dictOrSet()
    {
        DepthGuard guard(*this);
        const Token &open = peek();
        advance();
        const int n = make(NodeKind::Dict, open);
        if (acceptOp(Op::RBrace)) {
            endAtPrev(n);
            return n;
        }
        // {**a, ...} or {k: v ...}: a dict; otherwise a set.
        bool isDict;
        int firstKey = -1, firstValue = -1;
        if (atOp(Op::DoubleStar)) {
            const Token &ds = peek();
            advance();
            firstKey = nullNode(ds);
            firstValue = bitwiseOr();
            isDict = true;
        } else {
            firstKey = starNamedExpression();
            isDict = atOp(Op::Colon);
            if (isDict) {
                if (N(firstKey).kind == NodeKind::Starred)
                    generic();
                advance();
                firstValue = expression();
            }
        }
        if (isDict) {
            if (N(firstKey).kind != NodeKind::Null && (atKw(Keyword::For) || (atKw(Keyword::Async) && atKw(Keyword::For, 1)))) {
                N(n).kind = NodeKind::DictComp;
                add(n, firstKey, Field::Key);
                add(n, firstValue, Field::Value);
                comprehensionClauses(n);
                expectOp(Op::RBrace);
                endAtPrev(n);
                return n;
            }
            std::vector<int> keys{firstKey}, values{firstValue};
            while (acceptOp(Op::Comma)) {
                if (atOp(Op::RBrace))
                    break;
                if (atOp(Op::DoubleStar)) {
                    const Token &ds = peek();
                    advance();
                    keys.push_back(nullNode(ds));
                    values.push_back(bitwiseOr());
                } else {
                    keys.push_back(expression());
                    if (!atOp(Op::Colon)) {
                        if (atOp(Op::Comma) || atOp(Op::RBrace))
                            raiseAt(QStringLiteral("':' expected after dictionary key"), peek());
                        generic();
                    }
                    advance();
                    values.push_back(expression());
                }
            }
            expectOp(Op::RBrace);
            for (int k : keys)
                add(n, k, Field::Keys);
            for (int v : values)
                add(n, v, Field::Values);
            endAtPrev(n);
            return n;
        }
        if (atKw(Keyword::For) || (atKw(Keyword::Async) && atKw(Keyword::For, 1))) {
            N(n).kind = NodeKind::SetComp;
            add(n, firstKey, Field::Elt);
            comprehensionClauses(n);
            expectOp(Op::RBrace);
            endAtPrev(n);
            return n;
        }
        N(n).kind = NodeKind::Set;
        add(n, firstKey, Field::Elts);
        if (!atOp(Op::Comma) && !atOp(Op::RBrace) && startsExpression())
            forgotComma(firstKey);
        while (acceptOp(Op::Comma)) {
            if (atOp(Op::RBrace))
                break;
            const int e = starNamedExpression();
            add(n, e, Field::Elts);
        }
        expectOp(Op::RBrace);
        endAtPrev(n);
        return n;
    }

    // ---- strings ------------------------------------------------------------
    int strings()
    {
        if (atLeast(t.m_version, PythonVersion::Py312))
            return stringsPep701();
        const size_t first = pos;
        bool anyBytes = false, anyStr = false, anyF = false;
        while (at(TokenKind::String)) {
            const Token &x = peek();
            if (x.flags & BytesString)
                anyBytes = true;
            else
                anyStr = true;
            if (x.flags & FString)
                anyF = true;
            advance();
        }
        const size_t last = pos - 1;
        peek();
        if (anyBytes && anyStr)
            raiseAfter(QStringLiteral("cannot mix bytes and nonbytes literals"));
        const int n = make(anyF ? NodeKind::JoinedStr : NodeKind::Constant, T[first]);
        endAt(n, T[last]);
        N(n).flags = uint8_t(anyBytes ? ConstantKind::Bytes : ConstantKind::String);
        // Check each literal's escapes now: CPython rejects the file for a bad one.
        for (size_t i = first; i <= last; ++i) {
            const Token x = T[i];
            bool raw, bytes, f;
            const std::string_view body = literalBody(text(x), raw, bytes, f);
            LiteralError err;
            if (bytes)
                decodeBytesBody(body, raw, &err);
            else if (!f && !raw && body.find('\\') != std::string_view::npos)
                decodeStrBody(body, raw, &err);
            if (!err.message.isEmpty() && bytes)
                raiseAt(err.message, x);   // 3.11.7 places a bytes literal's error at its start
            if (!err.message.isEmpty())
                raiseAfter(err.message);
            if (f)
                fstring(n, x, body, raw, 0);
        }
        if (anyF) {
            // Plain pieces of the concatenation become Constant parts in evaluation
            // (SyntaxTree::stringValue); the JoinedStr keeps its replacement fields.
        }
        return n;
    }

    // 3.12+ (PEP 701): f-strings arrive as FStringStart, literal pieces and the tokens of their
    // replacement fields (Grammar/python.gram: fstring, fstring_replacement_field).
    int stringsPep701()
    {
        const size_t first = pos;
        const int n = make(NodeKind::Constant, T[first]);
        bool anyBytes = false, anyStr = false, anyF = false;
        size_t last = first;
        while (at(TokenKind::String) || at(TokenKind::FStringStart)) {
            if (at(TokenKind::FStringStart)) {
                anyF = anyStr = true;
                fstringTokens(n);
                last = pos - 1;
                continue;
            }
            const Token x = peek();
            bool raw, bytes, f;
            const std::string_view body = literalBody(text(x), raw, bytes, f);
            (bytes ? anyBytes : anyStr) = true;
            LiteralError err;
            if (bytes)
                decodeBytesBody(body, raw, &err);
            else if (!raw && body.find('\\') != std::string_view::npos)
                decodeStrBody(body, raw, &err);
            if (!err.message.isEmpty())
                raiseAt(err.message, x);
            last = pos;
            advance();
        }
        peek();
        if (anyBytes && anyStr)
            raiseAfter(QStringLiteral("cannot mix bytes and nonbytes literals"));
        N(n).kind = anyF ? NodeKind::JoinedStr : NodeKind::Constant;
        N(n).flags = uint8_t(anyBytes ? ConstantKind::Bytes : ConstantKind::String);
        endAt(n, T[last]);
        return n;
    }

    // FStringStart (FStringMiddle | replacement field)* FStringEnd
    void fstringTokens(int parent)
    {
        const bool raw = peek().flags & RawString;
        advance();
        for (;;) {
            const Token &x = peek();
            if (x.kind == TokenKind::FStringEnd) {
                advance();
                return;
            }
            if (x.kind == TokenKind::FStringMiddle) {
                fstringPiece(x, raw);
                advance();
                continue;
            }
            replacementField(parent, raw);
        }
    }

    void fstringPiece(const Token &x, bool raw)
    {
        const std::string_view body = text(x);
        if (raw || body.find('\\') == std::string_view::npos)
            return;
        LiteralError err;
        decodeStrBody(body, false, &err);
        if (!err.message.isEmpty())
            raiseAt(err.message, x);
    }

    // '{' (yield_expr | star_expressions) '='? ('!' NAME)? (':' spec*)? '}'
    void replacementField(int parent, bool raw)
    {
        const Token open = peek();
        if (open.kind != TokenKind::Op || open.op != Op::LBrace)
            generic();
        advance();
        const Token &x = peek();
        if (x.kind == TokenKind::Op && (x.op == Op::RBrace || x.op == Op::Exclamation || x.op == Op::Colon || x.op == Op::Equal))
            raiseAt(QStringLiteral("f-string: valid expression required before '%1'").arg(QLatin1String(opText(x.op).data(), 1)), x);
        if (x.kind == TokenKind::Name && x.keyword == Keyword::Lambda)
            raiseAt(QStringLiteral("f-string: lambda expressions are not allowed without parentheses"), x);
        const int fv = make(NodeKind::FormattedValue, open);
        N(fv).flags = 0xFF; // conversion -1
        const int value = atKw(Keyword::Yield) ? yieldExpression() : starExpressions(true);
        if (N(value).kind == NodeKind::Starred)
            raiseAtNode(QStringLiteral("can't use starred expression here"), value);
        if (!atOp(Op::Equal) && !atOp(Op::Exclamation) && !atOp(Op::Colon) && !atOp(Op::RBrace) && startsExpression())
            forgotComma(value);
        add(fv, value, Field::Value);
        const bool debug = acceptOp(Op::Equal);
        if (debug)
            N(fv).flags = 'r';
        bool converted = false;
        if (acceptOp(Op::Exclamation)) {
            const Token &c = peek();
            if (c.kind != TokenKind::Name)
                raiseAt(QStringLiteral("f-string: missing conversion character"), c);
            const std::string_view conv = text(c);
            if (conv != "s" && conv != "r" && conv != "a")
                raiseAt(QStringLiteral("f-string: invalid conversion character '%1': expected 's', 'r', or 'a'")
                            .arg(QString::fromUtf8(conv.data(), qsizetype(conv.size()))), c);
            N(fv).flags = uint8_t(conv[0]);
            converted = true;
            advance();
        }
        if (atOp(Op::Colon)) {
            const Token colon = peek();
            advance();
            if (debug && !converted)
                N(fv).flags = 0xFF;
            const int spec = make(NodeKind::JoinedStr, colon);
            for (;;) {
                if (at(TokenKind::FStringMiddle)) {
                    fstringPiece(peek(), raw);
                    advance();
                } else if (atOp(Op::LBrace)) {
                    replacementField(spec, raw);
                } else {
                    break;
                }
            }
            add(fv, spec, Field::FormatSpec);
        } else if (!atOp(Op::RBrace)) {
            raiseAt(converted ? QStringLiteral("f-string: expecting ':' or '}'")
                    : debug   ? QStringLiteral("f-string: expecting '!', or ':', or '}'")
                              : QStringLiteral("f-string: expecting '=', or '!', or ':', or '}'"),
                    peek());
        }
        if (!atOp(Op::RBrace))
            raiseAt(QStringLiteral("f-string: expecting '}'"), peek());
        endAt(fv, peek());
        advance();
        add(parent, fv, Field::Values);
    }

    // f-string replacement fields (3.11: the string is one token, its fields are parsed
    // from the text): expressions, conversions and format specs become FormattedValue
    // children of `parent`.
    void fstring(int parent, const Token tok, std::string_view body, bool raw, int nesting)
    {
        const uint32_t bodyStart = uint32_t(body.data() - t.m_text.data());
        size_t i = 0;
        auto fail = [&](const QString &message) -> void {
            raiseAfter(message.startsWith(QLatin1String("expression part")) ? QStringLiteral("f-string ") + message
                                                                           : QStringLiteral("f-string: ") + message);
        };
        while (i < body.size()) {
            const char c = body[i];
            if (c == '\\' && !raw) {
                if (i + 2 < body.size() && body[i + 1] == 'N' && body[i + 2] == '{') {
                    const size_t close = body.find('}', i + 3);   // \N{NAME}: a character, not a field
                    i = close == std::string_view::npos ? body.size() : close + 1;
                    continue;
                }
                i += 2;
                continue;
            }
            if (c == '}') {
                if (i + 1 < body.size() && body[i + 1] == '}') {
                    i += 2;
                    continue;
                }
                fail(QStringLiteral("single '}' is not allowed"));
            }
            if (c != '{') {
                ++i;
                continue;
            }
            if (i + 1 < body.size() && body[i + 1] == '{') {
                i += 2;
                continue;
            }
            if (nesting >= 2)
                fail(QStringLiteral("expressions nested too deeply"));
            // The expression: up to '!', ':', '=' or '}' outside brackets and strings.
            const size_t exprStart = i + 1;
            size_t k = exprStart;
            int depth = 0;
            char quote = 0;
            bool tripleQuote = false;
            std::vector<char> stack;
            for (; k < body.size(); ++k) {
                const char ch = body[k];
                if (ch == '\\')
                    fail(QStringLiteral("expression part cannot include a backslash"));
                if (quote) {
                    if (ch == quote && (!tripleQuote || (k + 2 < body.size() && body[k + 1] == quote && body[k + 2] == quote))) {
                        if (tripleQuote)
                            k += 2;
                        quote = 0;
                    }
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    tripleQuote = k + 2 < body.size() && body[k + 1] == ch && body[k + 2] == ch;
                    if (tripleQuote)
                        k += 2;
                    continue;
                }
                if (ch == '[' || ch == '(' || ch == '{') {
                    if (stack.size() >= 200)
                        fail(QStringLiteral("too many nested parenthesis"));
                    stack.push_back(ch);
                    ++depth;
                    continue;
                }
                if (ch == '#')
                    fail(QStringLiteral("expression part cannot include '#'"));
                if (depth == 0 && (ch == '}' || ch == ':' || (ch == '!' && !(k + 1 < body.size() && body[k + 1] == '='))))
                    break;
                if (depth == 0 && ch == '=' && k + 1 < body.size() && body[k + 1] != '=' && (k == exprStart || (body[k - 1] != '=' && body[k - 1] != '!' && body[k - 1] != '<' && body[k - 1] != '>')))
                    break;
                if (ch == ']' || ch == ')' || ch == '}') {
                    if (stack.empty())
                        fail(QStringLiteral("unmatched '%1'").arg(QLatin1Char(ch)));
                    const char open = stack.back();
                    stack.pop_back();
                    --depth;
                    if ((open == '(' && ch != ')') || (open == '[' && ch != ']') || (open == '{' && ch != '}'))
                        fail(QStringLiteral("closing parenthesis '%1' does not match opening parenthesis '%2'").arg(QString(QLatin1Char(ch)), QString(QLatin1Char(open))));
                }
            }
            if (quote)
                fail(QStringLiteral("unterminated string"));
            if (k >= body.size()) {
                if (!stack.empty())
                    fail(QStringLiteral("unmatched '%1'").arg(QLatin1Char(stack.back())));
                fail(QStringLiteral("expecting '}'"));
            }
            const std::string_view expr = body.substr(exprStart, k - exprStart);
            bool blank = true;
            for (char ch : expr)
                if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\f')
                    blank = false;
            if (blank)
                fail(k < body.size() && body[k] == '!' ? QStringLiteral("expression required before '!'")
                                                       : QStringLiteral("empty expression not allowed"));
            const int fv = make(NodeKind::FormattedValue, tok);
            N(fv).flags = 0xFF; // conversion -1
            const int value = subExpression(bodyStart + uint32_t(exprStart), expr, tok);
            add(fv, value, Field::Value);
            if (k < body.size() && body[k] == '=') {
                ++k;
                N(fv).flags = 'r';
            }
            if (k < body.size() && body[k] == '!') {
                if (k + 1 >= body.size())
                    fail(QStringLiteral("expecting '}'"));
                const char conv = body[k + 1];
                if (conv != 's' && conv != 'r' && conv != 'a')
                    fail(QStringLiteral("invalid conversion character: expected 's', 'r', or 'a'"));
                N(fv).flags = uint8_t(conv);
                k += 2;
            }
            if (k < body.size() && body[k] == ':') {
                if (N(fv).flags == 'r' && body[k - 1] != 'r')
                    N(fv).flags = 0xFF;
                // The format spec, with nested fields, up to the matching '}'.
                size_t e = k + 1;
                int d = 0;
                for (; e < body.size(); ++e) {
                    if (body[e] == '{') ++d;
                    else if (body[e] == '}') {
                        if (d == 0)
                            break;
                        --d;
                    }
                }
                if (e >= body.size())
                    fail(QStringLiteral("expecting '}'"));
                const int spec = make(NodeKind::JoinedStr, tok);
                fstring(spec, tok, body.substr(k + 1, e - k - 1), raw, nesting + 1);
                add(fv, spec, Field::FormatSpec);
                k = e;
            }
            if (k >= body.size() || body[k] != '}')
                fail(QStringLiteral("expecting '}'"));
            add(parent, fv, Field::Values);
            i = k + 1;
        }
    }

    // Parses the text of a replacement field as CPython does: as "(expr)".
    int subExpression(uint32_t offset, std::string_view expr, const Token tok)
    {
        TokenStream ts = tokenize(expr, TokenizeMode::Code, t.m_version);
        // Tokens point into the file's text; lines are the string's.
        std::vector<Token> sub;
        sub.reserve(ts.tokens.size());
        for (Token x : ts.tokens) {
            const TokenKind k = x.kind;
            if (k == TokenKind::Newline || k == TokenKind::Indent || k == TokenKind::Dedent)
                continue;
            x.start += offset;
            x.end += offset;
            x.line = tok.line + (x.line - 1);
            x.endLine = tok.line + (x.endLine - 1);
            sub.push_back(x);
        }
        if (sub.back().kind == TokenKind::Error) {
            if (ts.error.error.message.contains(QLatin1String("was never closed")) || !ts.error.raisedImmediately)
                raiseAt(QStringLiteral("f-string: invalid syntax"), tok);
            raiseAt(QStringLiteral("f-string: ") + ts.error.error.message, tok);
        }
        Parser parser(t, sub, 0, m_depth);
        parser.m_last.swap(m_last);
        int e;
        try {
            e = parser.parseFStringExpression();
        } catch (ParseFailure &f) {
            parser.m_last.swap(m_last);
            if (f.kind == ParseFailure::Kind::Tokenizer)
                raiseAt(QStringLiteral("f-string: invalid syntax"), tok);
            f.error.message = QStringLiteral("f-string: ") + f.error.message;
            f.error.line = tok.line;
            f.error.column = int(f.offset - offset) + 2;
            throw;
        }
        parser.m_last.swap(m_last);
        m_last.resize(t.m_nodes.size(), -1);
        return e;
    }
};

// Module-level rules the compiler enforces after parsing ('return' outside function, ...).
class CompileChecks
{
public:
    explicit CompileChecks(const SyntaxTree &tree) : t(tree) {}

    SyntaxError run()
    {
        visit(t.root(), false, false);
        return error;
    }

private:
    const SyntaxTree &t;
    SyntaxError error;

    void fail(int n, const char *message) { failWith(n, QString::fromLatin1(message)); }
    void failWith(int n, const QString &message)
    {
        if (error.isValid())
            return;
        error.type = QStringLiteral("SyntaxError");
        error.message = message;
        error.line = t.node(n).line;
        const uint32_t off = t.node(n).start;
        const int line = t.node(n).line;
        uint32_t ls = off;
        while (ls > 0 && t.text()[ls - 1] != '\n')
            --ls;
        error.column = characterColumn(t.text(), ls, off - ls) + 1;
        (void)line;
    }

    void visit(int n, bool inFunction, bool inLoop)
    {
        if (error.isValid())
            return;
        const Node &node = t.node(n);
        switch (node.kind) {
        case NodeKind::FunctionDef: case NodeKind::AsyncFunctionDef:
            for (int c : t.children(n))
                visit(c, t.node(c).field == Field::Body ? true : inFunction, t.node(c).field == Field::Body ? false : inLoop);
            return;
        case NodeKind::Lambda:
            for (int c : t.children(n))
                visit(c, true, false);
            return;
        case NodeKind::Return:
            if (!inFunction)
                fail(n, "'return' outside function");
            break;
        case NodeKind::Call: case NodeKind::ClassDef: {
            // The compiler checks a call's (or a class's) keywords before its arguments.
            std::vector<std::string_view> seen;
            for (int c : t.children(n)) {
                if (t.node(c).field != Field::Keywords || t.node(c).kind != NodeKind::Keyword || t.name(c).empty())
                    continue;
                if (std::find(seen.begin(), seen.end(), t.name(c)) != seen.end()) {
                    failWith(c, QStringLiteral("keyword argument repeated: %1").arg(QString::fromUtf8(t.name(c).data(), qsizetype(t.name(c).size()))));
                    return;
                }
                seen.push_back(t.name(c));
            }
            if (node.kind == NodeKind::ClassDef) {
                for (int c : t.children(n))
                    visit(c, t.node(c).field == Field::Body ? false : inFunction, false);
                return;
            }
            break;
        }
        case NodeKind::Yield: case NodeKind::YieldFrom:
            if (!inFunction)
                fail(n, "'yield' outside function");
            break;
        case NodeKind::Break:
            if (!inLoop)
                fail(n, "'break' outside loop");
            break;
        case NodeKind::Continue:
            if (!inLoop)
                fail(n, "'continue' not properly in loop");
            break;
        case NodeKind::For: case NodeKind::AsyncFor: case NodeKind::While:
            for (int c : t.children(n))
                visit(c, inFunction, t.node(c).field == Field::Body ? true : inLoop);
            return;
        case NodeKind::ListComp: case NodeKind::SetComp: case NodeKind::DictComp: case NodeKind::GeneratorExp:
            for (int c : t.children(n))
                visit(c, inFunction, false);
            return;
        default:
            break;
        }
        for (int c : t.children(n))
            visit(c, inFunction, inLoop);
    }
};

std::shared_ptr<const SyntaxTree> SyntaxTree::parse(std::string_view bytes, PythonVersion version, ParseDepth depth)
{
    DecodedSource decoded = decodeSource(bytes);
    if (decoded.error.isValid()) {
        auto tree = std::make_shared<SyntaxTree>();
        tree->m_error = decoded.error;
        tree->m_version = version;
        return tree;
    }
    return parseText(std::move(decoded.text), version, depth);
}

// Parses a token stream into the tree: false (the tree left half built) when the stream's
// PlainLine tokens were not all taken where the token-level skim would have read them, for
// parseText() to parse the plain stream.
class TreeBuilder
{
public:
    static bool parse(SyntaxTree &tree, TokenStream &ts, ParseDepth depth)
    {
        std::vector<Token> &tokens = ts.tokens;
        // About seven nodes for every eight code tokens in typical files, and two for a
        // PlainLine: one allocation.
        tree.m_nodes.reserve(tokens.size() - tokens.size() / 8 + 2 * ts.plainLines + 8);
        Parser parser(tree, tokens, 0, 0);
        parser.setOutline(depth != ParseDepth::Full);
        try {
            parser.parseModule();
        } catch (const ParseFailure &f) {
            if (ts.plainLines > 0)
                return false;
            const bool tokError = tokens.back().kind == TokenKind::Error;
            if (f.kind == ParseFailure::Kind::Tokenizer) {
                tree.m_error = ts.error.error;
            } else if (tokError && ts.error.raisedImmediately && f.kind != ParseFailure::Kind::Indentation) {
                // CPython tokenizes the rest of the file after a parser error; a tokenizer
                // error found there wins.
                tree.m_error = ts.error.error;
            } else if (tokError && !ts.openBrackets.empty() && f.kind != ParseFailure::Kind::Indentation
                       && ts.openBrackets.back().line < f.error.line) {
                tree.m_error = ts.error.error;
            } else {
                tree.m_error = f.error;
            }
            if (tree.m_error.type.isEmpty())
                tree.m_error.type = QStringLiteral("SyntaxError");
            tree.m_nodes.clear();
            return true;
        }
        // A PlainLine the parser met outside a function body fails the parse; this is the
        // check that each was taken where skimStatement() would have read its tokens.
        if (parser.plainLinesTaken() != ts.plainLines)
            return false;
        // Only return, yield, break and continue can fail the compiler's checks.
        if (tree.m_hasScopedStatements) {
            const SyntaxError compileError = CompileChecks(tree).run();
            if (compileError.isValid()) {
                tree.m_error = compileError;
                tree.m_nodes.clear();
            }
        }
        return true;
    }
};

std::shared_ptr<const SyntaxTree> SyntaxTree::parseText(std::string text, PythonVersion version, ParseDepth depth)
{
    auto tree = std::make_shared<SyntaxTree>();
    tree->m_version = version;
    tree->m_text = std::move(text);
    const std::string &s = tree->m_text;

    TokenStream ts = tokenize(s, depth == ParseDepth::Outline ? TokenizeMode::Outline : TokenizeMode::CommentsAside, version);
    tree->m_comments = std::move(ts.comments);
    if (!TreeBuilder::parse(*tree, ts, depth)) {
        // A PlainLine where the parser wanted tokens (a guess of the tokenizer's that the
        // parser did not share, or a syntax error to place): the statements again, as tokens.
        tree->m_nodes.clear();
        tree->m_hasScopedStatements = false;
        tree->m_error = {};
        TokenStream plain = tokenize(s, TokenizeMode::CommentsAside, version);
        tree->m_comments = std::move(plain.comments);
        TreeBuilder::parse(*tree, plain, ParseDepth::OutlineByTokens);
    }
    return tree;
}

} // namespace retort::core::python
