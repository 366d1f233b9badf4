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
// PlainLine: TokenizeMode::Outline only, a whole statement of a function body read at once
// (see there); CPython has no such token.
enum class TokenKind : uint8_t { EndMarker, Name, Number, String, Newline, Indent, Dedent, Op, Comment, NL, Error,
                                 FStringStart, FStringMiddle, FStringEnd, PlainLine };

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
// Outline is CommentsAside that also reads the plainest statements of function bodies at the
// character level, each into one PlainLine token in place of its tokens (ParseDepth::Outline's
// stream): a logical line indented deeper than the nearest `def` line above it that is one
// primary of ASCII names (no keyword but None/True/False; not match/case/type/_ first),
// attribute, call and non-empty subscript trailers, whose brackets hold only such primaries,
// plain numbers (digits, an optional fraction; no leading zero), one-line strings without a
// prefix, backslash or control character, `...`, displays (dict or set alike), and keyword
// arguments (at most 8, distinct, after the positional ones); spaces only, newlines only inside
// brackets, no comment, no ';', ending the line. Such a line holds no tokenizer error and is
// one the parser's token-level skim (Parser::skimStatement) takes whole; its flags say what
// the primary is (PlainLineKind). Anything else is tokenized as usual. Outline's text must be
// followed by a NUL byte (a std::string's), where the line reading stops without bounds checks.
enum class TokenizeMode : uint8_t { Code, CommentsAside, All, Outline };
// Outline also reads the annotation of `name: annotation = ...` / `name: annotation` starting
// a logical line (anywhere), when it is such a primary starting with a name other than a
// keyword: the name and ':' as tokens, the annotation as a PlainLine with PlainAnnotation set
// (what Parser::skimAnnotation reads from tokens).
// The NodeKind of a PlainLine's primary, in Token::flags (the low two bits).
enum class PlainLineKind : uint8_t { Name, Attribute, Call, Subscript };
constexpr uint8_t PlainAnnotation = 0x80;

struct TokenStream
{
    std::vector<Token> tokens;     // ends with EndMarker, or with an Error token
    std::vector<CommentSpan> comments;   // TokenizeMode::CommentsAside only
    TokenizerError error;          // valid when the last token is Error
    // Open brackets at the end of input (line, 0-based byte column, character).
    struct Bracket { int line; int col; char c; };
    std::vector<Bracket> openBrackets;
    size_t plainLines = 0;         // PlainLine tokens (TokenizeMode::Outline)
};

TokenStream tokenize(std::string_view text, TokenizeMode mode, PythonVersion version);

constexpr int MaxBracketDepth = 200;
constexpr int MaxIndentDepth = 100;
constexpr size_t MaxFStringDepth = 150;   // nested f-strings (3.12+: MAXFSTRINGLEVEL)

std::string_view opText(Op op);

} // namespace retort::core::python
