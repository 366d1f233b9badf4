#pragma once

#include "source.h"

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

namespace retort::core::python {

// FStringStart / FStringMiddle / FStringEnd: 3.12+ (PEP 701) tokenize an f-string into its
// prefix and quote, its literal pieces (a doubled brace ends a piece after its first brace;
// the next starts after the second) and the tokens of its replacement fields. 3.11 keeps an
// f-string one String token whose fields the parser reads from the text.
enum class TokenKind : uint8_t { EndMarker, Name, Number, String, Newline, Indent, Dedent, Op, Comment, NL, Error,
                                 FStringStart, FStringMiddle, FStringEnd };

// Operators and delimiters (Grammar/Tokens). Other is a character CPython passes to the
// parser as a lone OP ('$', '?', '!'), which no rule accepts.
enum class Op : uint8_t {
    None, LPar, RPar, LSqb, RSqb, Colon, Comma, Semi, Plus, Minus, Star, Slash, VBar, Amper, Less, Greater,
    Equal, Dot, Percent, LBrace, RBrace, EqEqual, NotEqual, LessEqual, GreaterEqual, Tilde, Circumflex,
    LeftShift, RightShift, DoubleStar, PlusEqual, MinEqual, StarEqual, SlashEqual, PercentEqual, AmperEqual,
    VBarEqual, CircumflexEqual, LeftShiftEqual, RightShiftEqual, DoubleStarEqual, DoubleSlash,
    DoubleSlashEqual, At, AtEqual, RArrow, Ellipsis, ColonEqual, Exclamation /* 3.12+ */, Other
};

// Hard keywords of Python 3.11-3.13 (soft keywords match/case/_/type are names).
enum class Keyword : uint8_t {
    None, False_, None_, True_, And, As, Assert, Async, Await, Break, Class, Continue, Def, Del, Elif, Else,
    Except, Finally, For, From, Global, If, Import, In, Is, Lambda, Nonlocal, Not, Or, Pass, Raise, Return,
    Try, While, With, Yield
};

// String prefix letters of a STRING token.
enum StringFlag : uint8_t { RawString = 1, BytesString = 2, FString = 4, UnicodeString = 8, TripleQuoted = 16 };

// One token. Offsets are bytes into the decoded text; line is 1-based, col the 0-based byte
// column (as ast's col_offset). A trivial type, so token buffers are copied with memmove:
// `Token{}` is an EndMarker with every field zero.
struct Token
{
    TokenKind kind;
    Op op;
    Keyword keyword;
    uint8_t flags;        // StringFlag for strings
    uint32_t start;
    uint32_t end;
    int32_t line;
    int32_t col;
    int32_t endLine;
    int32_t endCol;
};
static_assert(std::is_trivial_v<Token>);

// What the tokenizer stopped at. CPython raises some tokenizer errors as exceptions at
// once (strings, numbers, brackets) and reports others only when the parser reaches them
// (indentation, tabs, line continuation, end of file).
struct TokenizerError
{
    SyntaxError error;
    bool raisedImmediately = false;
};

// CPython's tokenizer (Parser/tokenizer.c, Lib/tokenize.py) over decoded text:
// INDENT/DEDENT, NEWLINE/NL, implicit line joining in brackets, backslash continuation,
// every number and string form, at most 200 nested brackets and 100 indentation levels, as
// `version` tokenizes (3.12+: PEP 701 f-strings, '!' an operator).
// A comment: offsets of '#' to the end of its line.
struct CommentSpan { uint32_t start; uint32_t end; int line; };

// What a token stream holds besides code tokens: Code drops comments and NL (what the
// parser reads); CommentsAside also records the comments in TokenStream::comments, so the
// parser's stream needs no second pass; All keeps both as tokens (tokenize.py's view).
enum class TokenizeMode : uint8_t { Code, CommentsAside, All };

struct TokenStream
{
    std::vector<Token> tokens;     // ends with EndMarker, or with an Error token
    std::vector<CommentSpan> comments;   // TokenizeMode::CommentsAside only
    TokenizerError error;          // valid when the last token is Error
    // Open brackets at the end of input (line, 0-based byte column, character).
    struct Bracket { int line; int col; char c; };
    std::vector<Bracket> openBrackets;
};

TokenStream tokenize(std::string_view text, TokenizeMode mode, PythonVersion version);

constexpr int MaxBracketDepth = 200;
constexpr int MaxIndentDepth = 100;
constexpr size_t MaxFStringDepth = 150;   // nested f-strings (3.12+: MAXFSTRINGLEVEL)

std::string_view opText(Op op);

} // namespace retort::core::python
