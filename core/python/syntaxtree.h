#pragma once

#include "source.h"
#include "tokenizer.h"

#include <QString>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::core::python {

// Node kinds: the classes of CPython's ast module (Parser/Python.asdl), plus Null for the
// None entries of ast lists (Dict.keys for `**x`, arguments.kw_defaults).
enum class NodeKind : uint8_t {
    Null,
    Module,
    // statements
    FunctionDef, AsyncFunctionDef, ClassDef, Return, Delete, Assign, AugAssign, AnnAssign, For, AsyncFor, While, If,
    With, AsyncWith, Match, Raise, Try, TryStar, Assert, Import, ImportFrom, Global, Nonlocal, Expr, Pass, Break,
    Continue,
    // expressions
    BoolOp, NamedExpr, BinOp, UnaryOp, Lambda, IfExp, Dict, Set, ListComp, SetComp, DictComp, GeneratorExp, Await,
    Yield, YieldFrom, Compare, Call, FormattedValue, JoinedStr, Constant, Attribute, Subscript, Starred, Name, List,
    Tuple, Slice,
    // other
    Comprehension, ExceptHandler, Arguments, Arg, Keyword, Alias, WithItem, MatchCase,
    MatchValue, MatchSingleton, MatchSequence, MatchMapping, MatchClass, MatchStar, MatchAs, MatchOr,
    // a name that is a field value (Global.names, MatchClass.kwd_attrs): `text` holds it
    Identifier,
    // 3.12+: the `type` statement and type parameters (name in nameStart..nameEnd)
    TypeAlias, TypeVar, ParamSpec, TypeVarTuple
};

// Which field of its parent a node fills. The order is one that agrees with the field order
// of every ast class, so sorting children by field gives ast's order.
enum class Field : uint8_t {
    None, Subject, Cases, Test, Target, Targets, Cls, Func, Left, Key, Keys, Annotation, Value, Slice, FormatSpec,
    Values, Elt, Elts, ContextExpr, OptionalVars, Type, Exc, Cause, Msg, Lower, Upper, Step, Iter, Ifs, Generators,
    Posonlyargs, Args, Vararg, Kwonlyargs, KwDefaults, Kwarg, Defaults, Patterns, KwdAttrs, KwdPatterns, Bases, Keywords,
    Pattern, Guard, Items, Body, Handlers, OrElse, FinalBody, Decorators, Returns, Names, Operand, Right, Comparators,
    // 3.12+ (after Returns and Decorators, as in FunctionDef / ClassDef; TypeAlias has its own
    // name and value fields because its value follows its type_params)
    AliasName, TypeParams, AliasValue, Bound, DefaultValue
};

// Operators of BinOp / AugAssign / UnaryOp / BoolOp / Compare, in ast's names.
enum class OpKind : uint8_t {
    None, Add, Sub, Mult, MatMult, Div, Mod, Pow, LShift, RShift, BitOr, BitXor, BitAnd, FloorDiv,
    Invert, Not, UAdd, USub, And, Or, Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot, In, NotIn
};

enum class ConstantKind : uint8_t { None, True, False, Ellipsis, Int, Float, Complex, String, Bytes };

struct Node
{
    NodeKind kind = NodeKind::Null;
    Field field = Field::None;
    OpKind op = OpKind::None;
    uint8_t flags = 0;          // ConstantKind for Constant; 1 = async for Comprehension; AnnAssign.simple
    int32_t first = -1;         // first child
    int32_t next = -1;          // next sibling
    uint32_t start = 0;         // byte offsets of the node's text
    uint32_t end = 0;
    int32_t line = 0;           // 1-based
    int32_t endLine = 0;
    // An identifier the node carries (Name.id, Attribute.attr, FunctionDef.name, keyword.arg,
    // alias.name, arg.arg, ...), as offsets into the text; nameEnd == nameStart for none.
    uint32_t nameStart = 0;
    uint32_t nameEnd = 0;
    // A second identifier (alias.asname, ImportFrom.module, ExceptHandler.name, MatchAs.name).
    uint32_t name2Start = 0;
    uint32_t name2End = 0;
};

// How much of a file the parser builds. Outline (for loads that read only the revision map)
// builds every statement outside function bodies, and inside them every statement but the
// plainest: a call or name chain whose arguments are names, literals without escapes,
// displays and keyword arguments (`op.drop_table("t")`) becomes an Expr whose value node has
// its kind and span and no children; such a statement cannot be a syntax error, so the
// error reported is the one the full parse reports. Anything else there is parsed in full.
// The annotation of an annotated assignment (`x: Union[str, None] = ...`) is outlined alike
// when it is such a primary starting with a name: one node of its kind and span, no children.
// Outline reads the plainest of those statements already in the tokenizer (TokenizeMode::
// Outline's PlainLine tokens); OutlineByTokens is the same outline without that, read from the
// tokens (the reference the tokenizer's reading is tested against).
enum class ParseDepth : uint8_t { Full, Outline, OutlineByTokens };

// The parsed form of one Python source file: the decoded text, a node arena rooted at a
// Module, the comments, and the first syntax error CPython would report (then the tree is
// empty). Immutable after parse(); share it through std::shared_ptr<const SyntaxTree>.
class SyntaxTree
{
public:
    // Parses raw file bytes (decodes them first) or already decoded text, as `version` would.
    static std::shared_ptr<const SyntaxTree> parse(std::string_view bytes, PythonVersion version,
                                                   ParseDepth depth = ParseDepth::Full);
    static std::shared_ptr<const SyntaxTree> parseText(std::string text, PythonVersion version,
                                                       ParseDepth depth = ParseDepth::Full);

    const std::string &text() const { return m_text; }
    const SyntaxError &error() const { return m_error; }
    bool isValid() const { return !m_error.isValid(); }
    PythonVersion version() const { return m_version; }

    int root() const { return m_nodes.empty() ? -1 : 0; }
    const Node &node(int i) const { return m_nodes[size_t(i)]; }
    int size() const { return int(m_nodes.size()); }

    // Children in ast field order.
    struct ChildRange
    {
        const SyntaxTree *tree;
        int first;
        struct Iterator
        {
            const SyntaxTree *tree;
            int i;
            int operator*() const { return i; }
            Iterator &operator++() { i = tree->node(i).next; return *this; }
            bool operator!=(const Iterator &o) const { return i != o.i; }
        };
        Iterator begin() const { return {tree, first}; }
        Iterator end() const { return {tree, -1}; }
    };
    ChildRange children(int n) const { return {this, node(n).first}; }
    // The first child filling `field`, or -1.
    int child(int n, Field field) const;

    std::string_view source(int n) const { return std::string_view(m_text).substr(node(n).start, node(n).end - node(n).start); }
    std::string_view name(int n) const { return std::string_view(m_text).substr(node(n).nameStart, node(n).nameEnd - node(n).nameStart); }
    std::string_view name2(int n) const { return std::string_view(m_text).substr(node(n).name2Start, node(n).name2End - node(n).name2Start); }
    QString qname(int n) const { const auto v = name(n); return QString::fromUtf8(v.data(), qsizetype(v.size())); }
    // 0-based byte column of an offset, as ast's col_offset.
    int column(uint32_t offset) const;
    int lineOf(uint32_t offset) const;
    int col(int n) const { return column(node(n).start); }
    int endCol(int n) const { return column(node(n).end); }

    // The value of a str Constant (or of a JoinedStr without replacement fields).
    std::optional<QString> stringValue(int n) const;
    // The same read literal by literal, as stringValue() does unless the node's text is one
    // plain literal (plainLiteralBody()); for tests comparing the two.
    std::optional<QString> literalsValue(int n) const;
    static std::optional<std::string_view> plainLiteralBody(std::string_view source);
    ConstantKind constantKind(int n) const { return ConstantKind(node(n).flags); }

    // Dotted name of a Name / Attribute chain ("op.batch_alter_table"), empty for anything else.
    QString dottedName(int n) const;

    // The string literal tokens of a Constant / JoinedStr (several when concatenated):
    // token and body (between the quotes) byte offsets, and the token's line.
    struct Literal { uint32_t start, end, bodyStart, bodyEnd; int line; bool bytes; };
    std::vector<Literal> literals(int n) const;

    // Pre-order walk of the subtree at n (n included) without recursion; `f(node)` returns
    // false to skip a node's children.
    template<typename F>
    void visit(int n, F &&f) const
    {
        std::vector<int> stack{n};
        while (!stack.empty()) {
            const int i = stack.back();
            stack.pop_back();
            if (!f(i))
                continue;
            const size_t mark = stack.size();
            for (int c = m_nodes[size_t(i)].first; c >= 0; c = m_nodes[size_t(c)].next)
                stack.push_back(c);
            std::reverse(stack.begin() + std::ptrdiff_t(mark), stack.end());
        }
    }

    // Comments, in order (offsets of '#' to the end of the line).
    using Comment = CommentSpan;
    const std::vector<Comment> &comments() const { return m_comments; }

    // ast.dump-like text of the tree, one node a line (for reference tests and debugging).
    QString dump() const;

private:
    friend class Parser;
    friend class TreeBuilder;
    std::string m_text;
    std::vector<Node> m_nodes;
    // Where each line starts, found on first use (lineStarts()); safe from any thread.
    const std::vector<uint32_t> &lineStarts() const;
    mutable std::vector<uint32_t> m_lineStarts;
    mutable std::once_flag m_lineStartsFound;
    std::vector<Comment> m_comments;
    std::vector<OpKind> m_compareOps;   // Compare nodes: nameStart..nameEnd index this
    SyntaxError m_error;
    PythonVersion m_version = NewestPython;
    bool m_hasScopedStatements = false;   // return / yield / break / continue: CompileChecks has work
};

// Python's str.splitlines() line boundaries.
bool isLineBoundary(char32_t c);
QStringList pySplitLines(const QString &s);

} // namespace retort::core::python
