#pragma once

#include <QString>

#include <string>
#include <string_view>

namespace retort::core::python {

// Python string literals: the body of one STRING token evaluated with its prefix's rules.
struct LiteralError
{
    QString message;   // empty when the literal is fine
};

// The body of a string token (prefix and quotes removed).
std::string_view literalBody(std::string_view token, bool &raw, bool &bytes, bool &fstring);

// Applies escapes to a str body (non-raw), as Python's unicode-escape decoding of a literal.
QString decodeStrBody(std::string_view body, bool raw, LiteralError *error = nullptr);
// The value of a bytes body, as bytes; non-ASCII characters are an error.
std::string decodeBytesBody(std::string_view body, bool raw, LiteralError *error = nullptr);

} // namespace retort::core::python
