#include "syntaxtree.h"

#include "literals.h"

#include <QStringList>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace retort::core::python {

namespace {

const char *kindName(NodeKind k)
{
    static const char *const names[] = {
        "None", "Module",
        "FunctionDef", "AsyncFunctionDef", "ClassDef", "Return", "Delete", "Assign", "AugAssign", "AnnAssign", "For",
        "AsyncFor", "While", "If", "With", "AsyncWith", "Match", "Raise", "Try", "TryStar", "Assert", "Import",
        "ImportFrom", "Global", "Nonlocal", "Expr", "Pass", "Break", "Continue",
        "BoolOp", "NamedExpr", "BinOp", "UnaryOp", "Lambda", "IfExp", "Dict", "Set", "ListComp", "SetComp", "DictComp",
        "GeneratorExp", "Await", "Yield", "YieldFrom", "Compare", "Call", "FormattedValue", "JoinedStr", "Constant",
        "Attribute", "Subscript", "Starred", "Name", "List", "Tuple", "Slice",
        "comprehension", "ExceptHandler", "arguments", "arg", "keyword", "alias", "withitem", "match_case",
        "MatchValue", "MatchSingleton", "MatchSequence", "MatchMapping", "MatchClass", "MatchStar", "MatchAs", "MatchOr",
        "identifier", "TypeAlias", "TypeVar", "ParamSpec", "TypeVarTuple"};
    return names[size_t(k)];
}

const char *fieldName(Field f)
{
    static const char *const names[] = {
        "", "subject", "cases", "test", "target", "targets", "cls", "func", "left", "key", "keys", "annotation", "value",
        "slice", "format_spec", "values", "elt", "elts", "context_expr", "optional_vars", "type", "exc", "cause", "msg",
        "lower", "upper", "step", "iter", "ifs", "generators", "posonlyargs", "args", "vararg", "kwonlyargs",
        "kw_defaults", "kwarg", "defaults", "patterns", "kwd_attrs", "kwd_patterns", "bases", "keywords", "pattern",
        "guard", "items", "body", "handlers", "orelse", "finalbody", "decorator_list", "returns", "names", "operand",
        "right", "comparators", "name", "type_params", "value", "bound", "default_value"};
    return names[size_t(f)];
}

const char *opName(OpKind o)
{
    static const char *const names[] = {
        "", "Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow", "LShift", "RShift", "BitOr", "BitXor", "BitAnd",
        "FloorDiv", "Invert", "Not", "UAdd", "USub", "And", "Or", "Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot",
        "In", "NotIn"};
    return names[size_t(o)];
}

bool hasPosition(NodeKind k)
{
    switch (k) {
    case NodeKind::Module: case NodeKind::Comprehension: case NodeKind::Arguments: case NodeKind::WithItem:
    case NodeKind::MatchCase: case NodeKind::Null: case NodeKind::Identifier:
        return false;
    default:
        return true;
    }
}

// The escaped form both this dumper and tests/data/python/generate.py write.
QString quoted(const QString &s)
{
    QString out = QStringLiteral("'");
    const auto ucs = s.toUcs4();
    for (char32_t c : ucs) {
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

QString fromView(std::string_view v) { return QString::fromUtf8(v.data(), qsizetype(v.size())); }

size_t skipFString(std::string_view src, size_t i, char q, bool triple, bool raw);

// `i` is just past a string's opening quote(s): the index past its closing quote(s), or
// src.size(). A plain string goes from quote to backslash to quote (memchr) instead of byte
// by byte: docstrings are read for every file.
size_t skipStringBody(std::string_view src, size_t i, char q, bool triple, bool fstring, bool raw)
{
    if (fstring)
        return skipFString(src, i, q, triple, raw);
    size_t slash = src.find('\\', i);
    while (i < src.size()) {
        if (slash < i)
            slash = src.find('\\', i);
        const size_t quote = src.find(q, i);
        if (slash < quote) {
            i = slash + 2;
            continue;
        }
        if (quote == std::string_view::npos)
            return src.size();
        i = quote;
        if (!triple || (i + 2 < src.size() && src[i + 1] == q && src[i + 2] == q))
            return i + (triple ? 3 : 1);
        ++i;
    }
    return src.size();
}

bool isPrefixLetter(char c)
{
    const char l = char(c | 0x20);
    return l == 'r' || l == 'b' || l == 'f' || l == 'u' || l == 't';
}

// `i` is at a string's opening quote inside an expression that starts at `from`. The letters
// right before it are its prefix only when the whole word is one (`rb"x"`; `or"x"` is the
// keyword and a plain string).
size_t skipNestedString(std::string_view src, size_t from, size_t i)
{
    auto word = [](char c) { return c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c & 0x80); };
    size_t p = i;
    while (p > from && word(src[p - 1]))
        --p;
    bool raw = false, fstring = false, prefix = i - p <= 3;
    for (size_t k = p; k < i && prefix; ++k) {
        const char l = char(src[k] | 0x20);
        prefix = isPrefixLetter(src[k]);
        raw = raw || l == 'r';
        fstring = fstring || l == 'f' || l == 't';
    }
    const char q = src[i];
    const bool triple = i + 2 < src.size() && src[i + 1] == q && src[i + 2] == q;
    return skipStringBody(src, i + (triple ? 3 : 1), q, triple, prefix && fstring, prefix && raw);
}

// `i` is just past the '{' that opens a replacement field: the index past its '}'. The
// expression may hold strings in any quotes (the f-string's own too, since PEP 701),
// brackets, comments (in a triple-quoted f-string) and a format spec with fields of its own.
size_t skipField(std::string_view src, size_t i, char q, bool triple, bool raw)
{
    int depth = 0;
    const size_t from = i;
    while (i < src.size()) {
        const char c = src[i];
        if (c == '"' || c == '\'') {
            i = skipNestedString(src, from, i);
            continue;
        }
        if (c == '#') {
            while (i < src.size() && src[i] != '\n')
                ++i;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if (c == ')' || c == ']') {
            --depth;
        } else if (c == '}') {
            if (depth == 0)
                return i + 1;
            --depth;
        } else if (c == ':' && depth == 0) {
            // The format spec: literal text up to the field's '}', with nested fields.
            ++i;
            while (i < src.size()) {
                const char d = src[i];
                if (d == '{') {
                    i = skipField(src, i + 1, q, triple, raw);
                } else if (d == '}') {
                    return i + 1;
                } else if (d == '\\') {
                    i += i + 1 < src.size() && (src[i + 1] == '{' || src[i + 1] == '}') ? 1 : 2;
                } else if (d == q && (!triple || (i + 2 < src.size() && src[i + 1] == q && src[i + 2] == q))) {
                    return i; // the string ends here (an unterminated field); its owner closes it
                } else {
                    ++i;
                }
            }
            return src.size();
        }
        ++i;
    }
    return src.size();
}

size_t skipFString(std::string_view src, size_t i, char q, bool triple, bool raw)
{
    while (i < src.size()) {
        const char c = src[i];
        if (c == '\\') {
            // \N{NAME} names a character, its braces open no field; a backslash before a
            // quote or a backslash (raw or not) keeps the string open; before a brace it
            // escapes nothing (f"\{x}" has a field).
            if (!raw && i + 2 < src.size() && src[i + 1] == 'N' && src[i + 2] == '{') {
                const size_t close = src.find('}', i + 3);
                i = close == std::string_view::npos ? src.size() : close + 1;
            } else {
                i += i + 1 < src.size() && (src[i + 1] == '{' || src[i + 1] == '}') ? 1 : 2;
            }
        } else if (c == '{') {
            if (i + 1 < src.size() && src[i + 1] == '{')
                i += 2;
            else
                i = skipField(src, i + 1, q, triple, raw);
        } else if (c == q) {
            if (!triple)
                return i + 1;
            if (i + 2 < src.size() && src[i + 1] == q && src[i + 2] == q)
                return i + 3;
            ++i;
        } else {
            ++i;
        }
    }
    return src.size();
}

// Visits each string literal token in `src` (a run of adjacent literals, possibly with
// comments and line breaks between them inside brackets).
template<typename F>
void forEachLiteral(std::string_view src, F &&f)
{
    size_t i = 0;
    while (i < src.size()) {
        const char c = src[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\\' || c == '(' || c == ')') {
            ++i;
            continue;
        }
        if (c == '#') {
            while (i < src.size() && src[i] != '\n')
                ++i;
            continue;
        }
        const size_t start = i;
        bool raw = false, fstring = false;
        while (i < src.size() && src[i] != '"' && src[i] != '\'') {
            const char l = char(src[i] | 0x20);
            raw = raw || l == 'r';
            fstring = fstring || l == 'f' || l == 't';
            ++i;
        }
        if (i >= src.size())
            return;
        const char q = src[i];
        const bool triple = i + 2 < src.size() && src[i + 1] == q && src[i + 2] == q;
        i = skipStringBody(src, i + (triple ? 3 : 1), q, triple, fstring, raw);
        f(src.substr(start, std::min(i, src.size()) - start));
    }
}

} // namespace

int SyntaxTree::child(int n, Field field) const
{
    for (int c = node(n).first; c >= 0; c = node(c).next)
        if (node(c).field == field)
            return c;
    return -1;
}

const std::vector<uint32_t> &SyntaxTree::lineStarts() const
{
    // Map-only loads never ask for a column: the starts are found on the first question.
    std::call_once(m_lineStartsFound, [this] {
        m_lineStarts.reserve(m_text.size() / 16 + 2);   // lines of 16 bytes and more need no growth
        m_lineStarts.push_back(0);
        for (size_t i = m_text.find('\n'); i != std::string::npos; i = m_text.find('\n', i + 1))
            m_lineStarts.push_back(uint32_t(i + 1));
    });
    return m_lineStarts;
}

int SyntaxTree::lineOf(uint32_t offset) const
{
    const std::vector<uint32_t> &starts = lineStarts();
    const auto it = std::upper_bound(starts.begin(), starts.end(), offset);
    return int(it - starts.begin());
}

int SyntaxTree::column(uint32_t offset) const
{
    const int line = lineOf(offset);
    return int(offset - lineStarts()[size_t(line - 1)]);
}

namespace {

// A str Constant, or a JoinedStr without replacement fields: a node with a string value.
bool holdsString(const Node &x)
{
    if (x.kind == NodeKind::JoinedStr)
        return x.first < 0;
    return x.kind == NodeKind::Constant && ConstantKind(x.flags) == ConstantKind::String;
}

} // namespace

std::optional<QString> SyntaxTree::stringValue(int n) const
{
    if (!holdsString(node(n)))
        return std::nullopt;
    if (const std::optional<std::string_view> body = plainLiteralBody(source(n)))
        return QString::fromUtf8(body->data(), qsizetype(body->size()));
    return literalsValue(n);
}

// One literal without prefix whose body holds no backslash and no quote of its kind (most
// revision ids and docstrings): its value is its body. Anything else gives nullopt.
std::optional<std::string_view> SyntaxTree::plainLiteralBody(std::string_view src)
{
    if (src.size() < 2)
        return std::nullopt;
    const char q = src.front();
    if ((q != '"' && q != '\'') || src.back() != q)
        return std::nullopt;
    const size_t open = src.size() >= 6 && src[1] == q && src[2] == q ? 3 : 1;
    if (src.size() < 2 * open || (open == 3 && (src[src.size() - 2] != q || src[src.size() - 3] != q)))
        return std::nullopt;
    const std::string_view body = src.substr(open, src.size() - 2 * open);
    if (body.find(q) != std::string_view::npos || body.find('\\') != std::string_view::npos)
        return std::nullopt;
    return body;
}

std::optional<QString> SyntaxTree::literalsValue(int n) const
{
    if (!holdsString(node(n)))
        return std::nullopt;
    QString out;
    forEachLiteral(source(n), [&](std::string_view tok) {
        bool raw, bytes, f;
        const std::string_view body = literalBody(tok, raw, bytes, f);
        if (f) {
            // no fields: only {{ and }} to undo
            QString s = decodeStrBody(body, raw);
            s.replace(QStringLiteral("{{"), QStringLiteral("{")).replace(QStringLiteral("}}"), QStringLiteral("}"));
            out += s;
        } else {
            out += decodeStrBody(body, raw);
        }
    });
    return out;
}

std::vector<SyntaxTree::Literal> SyntaxTree::literals(int n) const
{
    std::vector<Literal> out;
    const uint32_t base = node(n).start;
    forEachLiteral(source(n), [&](std::string_view tok) {
        bool raw, bytes, f;
        const std::string_view body = literalBody(tok, raw, bytes, f);
        const uint32_t start = base + uint32_t(tok.data() - (m_text.data() + base));
        const uint32_t bodyStart = uint32_t(body.data() - m_text.data());
        out.push_back({start, start + uint32_t(tok.size()), bodyStart, bodyStart + uint32_t(body.size()), lineOf(start), bytes});
    });
    return out;
}

QString SyntaxTree::dottedName(int n) const
{
    const Node &x = node(n);
    if (x.kind == NodeKind::Name)
        return qname(n);
    if (x.kind == NodeKind::Attribute) {
        const QString base = dottedName(x.first);
        if (base.isEmpty())
            return {};
        return base + QLatin1Char('.') + qname(n);
    }
    return {};
}

QString SyntaxTree::dump() const
{
    if (!isValid())
        return m_error.type + QStringLiteral(": ") + m_error.message + QStringLiteral(" @%1:%2\n").arg(m_error.line).arg(m_error.column);
    QString out;
    struct Item { int node; int depth; bool inFString; };
    std::vector<Item> stack{{0, 0, false}};
    while (!stack.empty()) {
        const Item it = stack.back();
        stack.pop_back();
        const Node &x = node(it.node);
        QString line(it.depth * 2, QLatin1Char(' '));
        if (x.field != Field::None) {
            line += QLatin1Char('.');
            line += QLatin1String(fieldName(x.field));
            line += QLatin1Char(' ');
        }
        line += QLatin1String(kindName(x.kind));
        if (hasPosition(x.kind) && !it.inFString)
            line += QStringLiteral(" @%1:%2-%3:%4").arg(x.line).arg(column(x.start)).arg(x.endLine).arg(column(x.end));
        QStringList prims;
        auto name1 = [&](const char *f) {
            if (x.nameEnd > x.nameStart)
                prims << QStringLiteral("%1=%2").arg(QLatin1String(f), quoted(fromView(name(it.node))));
        };
        auto name2f = [&](const char *f) {
            if (x.name2End > x.name2Start)
                prims << QStringLiteral("%1=%2").arg(QLatin1String(f), quoted(fromView(name2(it.node))));
        };
        auto identifiers = [&](Field f, const char *label) {
            QStringList ids;
            for (int c : children(it.node))
                if (node(c).field == f)
                    ids << quoted(fromView(name(c)));
            if (!ids.isEmpty())
                prims << QStringLiteral("%1=[%2]").arg(QLatin1String(label), ids.join(QStringLiteral(", ")));
        };
        switch (x.kind) {
        case NodeKind::FunctionDef: case NodeKind::AsyncFunctionDef: case NodeKind::ClassDef: name1("name"); break;
        case NodeKind::AugAssign: case NodeKind::BoolOp: case NodeKind::BinOp: case NodeKind::UnaryOp:
            prims << QStringLiteral("op=%1").arg(QLatin1String(opName(x.op)));
            break;
        case NodeKind::AnnAssign: prims << QStringLiteral("simple=%1").arg(x.flags); break;
        case NodeKind::ImportFrom: name2f("module"); prims << QStringLiteral("level=%1").arg(x.flags); break;
        case NodeKind::Global: case NodeKind::Nonlocal: identifiers(Field::Names, "names"); break;
        case NodeKind::Compare: {
            QStringList ops;
            for (uint32_t i = x.nameStart; i < x.nameEnd; ++i)
                ops << QLatin1String(opName(m_compareOps[i]));
            prims << QStringLiteral("ops=[%1]").arg(ops.join(QStringLiteral(", ")));
            break;
        }
        case NodeKind::FormattedValue: prims << QStringLiteral("conversion=%1").arg(x.flags == 0xFF ? -1 : int(x.flags)); break;
        case NodeKind::Constant: {
            const ConstantKind ck = ConstantKind(x.flags);
            QString v;
            const std::string_view src = source(it.node);
            std::string digits;
            for (char c : src)
                if (c != '_')
                    digits += c;
            switch (ck) {
            case ConstantKind::None: v = QStringLiteral("None"); break;
            case ConstantKind::True: v = QStringLiteral("True"); break;
            case ConstantKind::False: v = QStringLiteral("False"); break;
            case ConstantKind::Ellipsis: v = QStringLiteral("Ellipsis"); break;
            case ConstantKind::Int: {
                int base = 10;
                const char *p = digits.c_str();
                if (digits.size() > 1 && digits[0] == '0') {
                    const char k = char(digits[1] | 0x20);
                    if (k == 'x') base = 16; else if (k == 'o') base = 8; else if (k == 'b') base = 2;
                    if (base != 10) p += 2;
                }
                errno = 0;
                const unsigned long long value = strtoull(p, nullptr, base);
                v = errno == ERANGE || value > 0x7fffffffffffffffULL ? QStringLiteral("i:big") : QStringLiteral("i:%1").arg(value);
                break;
            }
            case ConstantKind::Float: case ConstantKind::Complex: {
                char buf[64];
                snprintf(buf, sizeof buf, "%.17g", strtod(digits.c_str(), nullptr));
                v = (ck == ConstantKind::Float ? QStringLiteral("f:") : QStringLiteral("j:")) + QString::fromLatin1(buf);
                break;
            }
            case ConstantKind::String: v = quoted(stringValue(it.node).value_or(QString())); break;
            case ConstantKind::Bytes: {
                QByteArray bytes;
                forEachLiteral(src, [&](std::string_view tok) {
                    bool raw, b, f;
                    const std::string_view body = literalBody(tok, raw, b, f);   // sets raw first
                    const std::string s = decodeBytesBody(body, raw);
                    bytes.append(s.data(), qsizetype(s.size()));
                });
                v = QStringLiteral("b:") + QString::fromLatin1(bytes.toHex());
                break;
            }
            }
            prims << QStringLiteral("value=") + v;
            // kind='u' when the first literal has a u prefix
            const char c0 = src.empty() ? 0 : char(src[0] | 0x20);
            if (ck == ConstantKind::String && c0 == 'u')
                prims << QStringLiteral("kind='u'");
            break;
        }
        case NodeKind::Attribute: name1("attr"); break;
        case NodeKind::Name: name1("id"); break;
        case NodeKind::Comprehension: prims << QStringLiteral("is_async=%1").arg(x.flags); break;
        case NodeKind::ExceptHandler: name2f("name"); break;
        case NodeKind::Arg: name1("arg"); break;
        case NodeKind::Keyword: name1("arg"); break;
        case NodeKind::Alias: name1("name"); name2f("asname"); break;
        case NodeKind::MatchSingleton:
            prims << QStringLiteral("value=%1").arg(ConstantKind(x.flags) == ConstantKind::None ? QStringLiteral("None")
                                                    : ConstantKind(x.flags) == ConstantKind::True ? QStringLiteral("True") : QStringLiteral("False"));
            break;
        case NodeKind::MatchMapping: name2f("rest"); break;
        case NodeKind::MatchClass: identifiers(Field::KwdAttrs, "kwd_attrs"); break;
        case NodeKind::MatchStar: name1("name"); break;
        case NodeKind::TypeVar: case NodeKind::ParamSpec: case NodeKind::TypeVarTuple: name1("name"); break;
        case NodeKind::MatchAs: name2f("name"); break;
        default: break;
        }
        if (!prims.isEmpty())
            line += QLatin1Char(' ') + prims.join(QLatin1Char(' '));
        out += line + QLatin1Char('\n');
        std::vector<int> kids;
        for (int c : children(it.node))
            if (node(c).kind != NodeKind::Identifier)
                kids.push_back(c);
        std::stable_sort(kids.begin(), kids.end(), [&](int a, int b) { return node(a).field < node(b).field; });
        const bool inF = it.inFString || x.kind == NodeKind::JoinedStr;
        for (auto k = kids.rbegin(); k != kids.rend(); ++k)
            stack.push_back({*k, it.depth + 1, inF});
    }
    return out;
}

bool isLineBoundary(char32_t c)
{
    return c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e || c == 0x85
        || c == 0x2028 || c == 0x2029;
}

QStringList pySplitLines(const QString &s)
{
    QStringList out;
    qsizetype start = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = s.at(i).unicode();
        if (!isLineBoundary(c))
            continue;
        out.append(s.mid(start, i - start));
        if (c == '\r' && i + 1 < s.size() && s.at(i + 1) == QLatin1Char('\n'))
            ++i;
        start = i + 1;
    }
    if (start < s.size())
        out.append(s.mid(start));
    return out;
}

} // namespace retort::core::python
