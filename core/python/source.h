#pragma once

#include <QString>

#include <cstdint>

#include <string>
#include <string_view>

namespace retort::core::python {

// The Python whose grammar, tokenizer and error messages the front end follows: the one the
// project's Alembic runs on (AlembicFlavor::grammar()), because a file is loadable exactly when
// that Python imports it. 3.12 brought PEP 701 f-strings and PEP 695 type parameters, 3.13 type
// parameter defaults (PEP 696) and reworded errors. Passed by value to every parse; never global.
enum class PythonVersion : uint8_t { Py311 = 11, Py312 = 12, Py313 = 13 };
constexpr PythonVersion NewestPython = PythonVersion::Py313;
// 3.<minor> clamped to the versions above (older ones read as 3.11, newer as the newest).
PythonVersion pythonVersion(int major, int minor);
inline bool atLeast(PythonVersion v, PythonVersion min) { return uint8_t(v) >= uint8_t(min); }

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
