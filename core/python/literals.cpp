#include "literals.h"
#include "source.h"

namespace retort::core::python {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}


// Shared by str and bytes: returns false with a message on a malformed escape.
template<typename Out>
bool decodeEscapes(std::string_view s, bool bytes, Out &&emitChar, QString *error)
{
    const char *codec = bytes ? "unicodeescape" : "unicodeescape";
    size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c != '\\') {
            emitChar(char32_t(static_cast<unsigned char>(c)), true);
            ++i;
            continue;
        }
        if (i + 1 >= s.size()) {
            if (error)
                *error = QStringLiteral("(unicode error) '%1' codec can't decode byte 0x5c in position %2: \\ at end of string")
                             .arg(QLatin1String(codec)).arg(i);
            return false;
        }
        const char e = s[i + 1];
        size_t next = i + 2;
        switch (e) {
        case '\n': break;
        case '\\': emitChar('\\', false); break;
        case '\'': emitChar('\'', false); break;
        case '"': emitChar('"', false); break;
        case 'a': emitChar(7, false); break;
        case 'b': emitChar(8, false); break;
        case 'f': emitChar(12, false); break;
        case 'n': emitChar('\n', false); break;
        case 'r': emitChar('\r', false); break;
        case 't': emitChar('\t', false); break;
        case 'v': emitChar(11, false); break;
        case 'x': case 'u': case 'U': {
            if (bytes && e != 'x') {
                emitChar('\\', false);
                next = i + 1;
                break;
            }
            const int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            char32_t cp = 0;
            int n = 0;
            while (n < digits && next < s.size() && hexValue(s[next]) >= 0) {
                cp = cp * 16 + char32_t(hexValue(s[next]));
                ++next;
                ++n;
            }
            if (n < digits) {
                if (error) {
                    const char *what = e == 'x' ? "truncated \\xXX escape" : e == 'u' ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape";
                    *error = bytes ? QStringLiteral("(value error) invalid \\x escape at position %1").arg(i)
                                   : QStringLiteral("(unicode error) 'unicodeescape' codec can't decode bytes in position %1-%2: %3")
                                         .arg(i).arg(next - 1).arg(QLatin1String(what));
                }
                return false;
            }
            if (cp > 0x10FFFF) {
                if (error)
                    *error = QStringLiteral("(unicode error) 'unicodeescape' codec can't decode bytes in position %1-%2: illegal Unicode character")
                                 .arg(i).arg(next - 1);
                return false;
            }
            emitChar(cp, false);
            break;
        }
        case 'N':
            if (!bytes) {
                // Named characters need Unicode's name table; keep the escape as written.
                const size_t close = s.find('}', i);
                if (next >= s.size() || s[next] != '{' || close == std::string_view::npos || close == next + 1) {
                    if (error)
                        *error = QStringLiteral("(unicode error) 'unicodeescape' codec can't decode bytes in position %1-%2: malformed \\N character escape")
                                     .arg(i).arg(std::min(s.size(), next + 1) - 1);
                    return false;
                }
                for (size_t k = i; k <= close; ++k)
                    emitChar(char32_t(static_cast<unsigned char>(s[k])), true);
                next = close + 1;
                break;
            }
            [[fallthrough]];
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
                emitChar(bytes ? (cp & 0xFF) : cp, false);
            } else {
                // Unknown escapes stay as written (a DeprecationWarning in CPython).
                emitChar('\\', false);
                next = i + 1;
            }
        }
        i = next;
    }
    return true;
}

} // namespace

std::string_view literalBody(std::string_view token, bool &raw, bool &bytes, bool &fstring)
{
    raw = bytes = fstring = false;
    size_t p = 0;
    while (p < token.size() && token[p] != '"' && token[p] != '\'') {
        const char l = char(token[p] | 0x20);
        raw = raw || l == 'r';
        bytes = bytes || l == 'b';
        fstring = fstring || l == 'f';
        ++p;
    }
    const char q = p < token.size() ? token[p] : '"';
    const bool triple = token.size() >= p + 6 && token[p + 1] == q && token[p + 2] == q;
    const size_t open = triple ? 3 : 1;
    if (token.size() < p + 2 * open)
        return {};
    return token.substr(p + open, token.size() - p - 2 * open);
}

QString decodeStrBody(std::string_view body, bool raw, LiteralError *error)
{
    if (raw || body.find('\\') == std::string_view::npos)
        return QString::fromUtf8(body.data(), qsizetype(body.size()));
    std::string utf8;
    utf8.reserve(body.size());
    QString message;
    const bool ok = decodeEscapes(body, false, [&](char32_t cp, bool rawByte) {
        if (rawByte)
            utf8 += char(cp);
        else
            appendUtf8(utf8, cp);
    }, error ? &message : nullptr);
    if (!ok && error)
        error->message = message;
    return QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
}

std::string decodeBytesBody(std::string_view body, bool raw, LiteralError *error)
{
    for (unsigned char c : body) {
        if (c >= 0x80) {
            if (error)
                error->message = QStringLiteral("bytes can only contain ASCII literal characters");
            return {};
        }
    }
    if (raw)
        return std::string(body);
    std::string out;
    QString message;
    const bool ok = decodeEscapes(body, true, [&](char32_t cp, bool) { out += char(cp); }, error ? &message : nullptr);
    if (!ok && error)
        error->message = message;
    return out;
}

} // namespace retort::core::python
