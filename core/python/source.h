#pragma once

#include <QString>

#include <string>
#include <string_view>

namespace retort::core::python {

// A syntax error as CPython reports it: the exception type ("SyntaxError",
// "IndentationError", "TabError"), its message, and the 1-based line and column
// (SyntaxError.lineno / .offset: characters, not bytes).
struct SyntaxError
{
    QString type;
    QString message;
    int line = 0;
    int column = 0;

    bool isValid() const { return !message.isEmpty(); }
    // "SyntaxError: invalid syntax (line 3, column 7)"
    QString toString() const;
};

// Python source as the interpreter sees it after decoding: UTF-8 text with universal
// newlines (CRLF and lone CR are LF), the BOM removed. Decoding follows PEP 263 and
// importlib: a UTF-8 BOM, or a coding cookie on line 1 or 2, else UTF-8.
struct DecodedSource
{
    std::string text;
    SyntaxError error;    // undecodable bytes, unknown encoding
};

DecodedSource decodeSource(std::string_view bytes);

// The character (code point) column of byte offset `byteCol` in the line that starts at `lineStart`.
// Appends code point `cp` to `out` as UTF-8 (the decoder and string literals share it).
void appendUtf8(std::string &out, char32_t cp);

int characterColumn(std::string_view text, size_t lineStart, size_t byteCol);

} // namespace retort::core::python
