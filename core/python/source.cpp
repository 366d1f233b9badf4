#include "source.h"

#include <QStringDecoder>

#include <cstdint>
#include <cstring>
#include <vector>

namespace retort::core::python {

QString SyntaxError::toString() const
{
    return QStringLiteral("%1: %2 (line %3, column %4)").arg(type, message, QString::number(line), QString::number(column));
}

namespace {

// The byte length of the valid UTF-8 sequence at p, or 0.
size_t utf8Sequence(const unsigned char *p, const unsigned char *end)
{
    const unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (size_t(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

// Offset of the first byte that is not valid UTF-8, or npos.
size_t firstInvalidUtf8(std::string_view s)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const auto *end = p + s.size();
    const auto *b = p;
    while (p < end) {
        // Source is mostly ASCII: skip 32, then eight such bytes at a time.
        if (end - p >= 32) {
            uint64_t w[4];
            std::memcpy(w, p, 32);
            if (((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL) == 0) {
                p += 32;
                continue;
            }
        }
        if (end - p >= 8) {
            uint64_t word;
            std::memcpy(&word, p, 8);
            if ((word & 0x8080808080808080ULL) == 0) {
                p += 8;
                continue;
            }
        }
        if (*p < 0x80) {
            ++p;
            continue;
        }
        const size_t n = utf8Sequence(p, end);
        if (n == 0)
            return size_t(p - b);
        p += n;
    }
    return std::string_view::npos;
}

std::string_view lineAt(std::string_view s, size_t &pos)
{
    const size_t start = pos;
    while (pos < s.size() && s[pos] != '\n' && s[pos] != '\r')
        ++pos;
    if (pos < s.size()) {
        if (s[pos] == '\r' && pos + 1 < s.size() && s[pos + 1] == '\n')
            ++pos;
        ++pos;
    }
    return s.substr(start, pos - start);
}

bool isBlankOrComment(std::string_view line)
{
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f'))
        ++i;
    return i == line.size() || line[i] == '#' || line[i] == '\r' || line[i] == '\n';
}

// tokenize.py's cookie_re: ^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)
std::string cookieOf(std::string_view line)
{
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f'))
        ++i;
    if (i >= line.size() || line[i] != '#')
        return {};
    for (size_t k = i + 1; k + 7 <= line.size(); ++k) {
        if (line.compare(k, 6, "coding") != 0 || (line[k + 6] != ':' && line[k + 6] != '='))
            continue;
        size_t v = k + 7;
        while (v < line.size() && (line[v] == ' ' || line[v] == '\t'))
            ++v;
        const size_t b = v;
        while (v < line.size() && (isalnum(static_cast<unsigned char>(line[v])) || line[v] == '-' || line[v] == '_' || line[v] == '.'))
            ++v;
        if (v > b)
            return std::string(line.substr(b, v - b));
    }
    return {};
}

// tokenize.py's _get_normal_name.
std::string normalName(std::string name)
{
    std::string enc = name.substr(0, 12);
    for (char &c : enc)
        c = c == '_' ? '-' : char(tolower(static_cast<unsigned char>(c)));
    if (enc == "utf-8" || enc.rfind("utf-8-", 0) == 0)
        return "utf-8";
    for (const char *latin : {"latin-1", "iso-8859-1", "iso-latin-1"}) {
        const size_t n = strlen(latin);
        if (enc == latin || (enc.size() > n && enc.compare(0, n, latin) == 0 && enc[n] == '-'))
            return "iso-8859-1";
    }
    return name;
}


// Where the comments are, for the undecodable bytes CPython's tokenizer lets through: it
// skips a comment's bytes without decoding them. A light scan (strings with their escapes
// and triple quotes, comments to the end of the line); run only when a byte does not decode.
std::vector<std::pair<size_t, size_t>> commentRanges(std::string_view s)
{
    std::vector<std::pair<size_t, size_t>> out;
    size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '#') {
            const size_t start = i;
            while (i < s.size() && s[i] != '\n' && s[i] != '\r')
                ++i;
            out.emplace_back(start, i);
        } else if (c == '\'' || c == '"') {
            const bool triple = i + 2 < s.size() && s[i + 1] == c && s[i + 2] == c;
            i += triple ? 3 : 1;
            while (i < s.size()) {
                if (s[i] == '\\') {
                    i += 2;
                } else if (triple ? (s[i] == c && i + 2 < s.size() && s[i + 1] == c && s[i + 2] == c) : s[i] == c) {
                    i += triple ? 3 : 1;
                    break;
                } else if (!triple && (s[i] == '\n' || s[i] == '\r')) {
                    break;   // unterminated: the tokenizer's error, not ours
                } else {
                    ++i;
                }
            }
        } else {
            i += c == '\\' ? 2 : 1;
        }
    }
    return out;
}

int lineOfOffset(std::string_view s, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset && i < s.size(); ++i) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n')))
            ++line;
    }
    return line;
}

SyntaxError makeError(const char *message, int line = 0)
{
    SyntaxError e;
    e.type = QStringLiteral("SyntaxError");
    e.message = QString::fromUtf8(message);
    e.line = line;
    return e;
}

} // namespace

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

int characterColumn(std::string_view text, size_t lineStart, size_t byteCol)
{
    int col = 0;
    for (size_t i = lineStart; i < lineStart + byteCol && i < text.size(); ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            ++col;
    return col;
}

PythonVersion pythonVersion(int major, int minor)
{
    if (major < 3 || (major == 3 && minor <= 11))
        return PythonVersion::Py311;
    if (major == 3 && minor == 12)
        return PythonVersion::Py312;
    return PythonVersion::Py313;
}

DecodedSource decodeSource(std::string_view bytes)
{
    DecodedSource out;
    // compile() refuses a NUL byte anywhere before it looks at the encoding.
    if (bytes.find('\0') != std::string_view::npos) {
        out.error = makeError("source code string cannot contain null bytes", 0);
        out.error.column = 0;
        return out;
    }
    bool bom = false;
    if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        bom = true;
        bytes.remove_prefix(3);
    }
    // PEP 263: a cookie on line 1, or on line 2 when line 1 is blank or a comment.
    std::string encoding;
    size_t pos = 0;
    const std::string_view first = lineAt(bytes, pos);
    encoding = cookieOf(first);
    if (encoding.empty() && isBlankOrComment(first) && pos < bytes.size())
        encoding = cookieOf(lineAt(bytes, pos));
    if (!encoding.empty())
        encoding = normalName(encoding);
    if (bom && !encoding.empty() && encoding != "utf-8") {
        out.error = makeError("", 0);
        out.error.message = QStringLiteral("encoding problem: %1 with BOM").arg(QString::fromStdString(encoding));
        out.error.column = -1;
        return out;
    }

    std::string decoded;
    std::string_view text = bytes;
    if (encoding.empty() || encoding == "utf-8") {
        size_t bad = firstInvalidUtf8(bytes);
        if (bad != std::string_view::npos) {
            // Undecodable bytes in comments pass (as '?': the columns stay the bytes' columns).
            const auto comments = commentRanges(bytes);
            auto inComment = [&comments](size_t at) {
                for (const auto &[from, to] : comments)
                    if (at >= from && at < to)
                        return true;
                return false;
            };
            while (bad != std::string_view::npos && inComment(bad)) {
                if (decoded.empty())
                    decoded.assign(bytes);
                decoded[bad] = '?';
                const size_t next = firstInvalidUtf8(bytes.substr(bad + 1));
                bad = next == std::string_view::npos ? next : bad + 1 + next;
            }
            if (!decoded.empty())
                text = decoded;
        }
        if (bad != std::string_view::npos) {
            char hex[8];
            snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(bytes[bad]));
            const unsigned char c = static_cast<unsigned char>(bytes[bad]);
            const char *reason = "invalid continuation byte";
            if (c < 0xC2 || c > 0xF4)
                reason = "invalid start byte";
            else if (bad + (c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2) > bytes.size())
                reason = "unexpected end of data";
            size_t lineStart = bad;
            while (lineStart > 0 && bytes[lineStart - 1] != '\n' && bytes[lineStart - 1] != '\r')
                --lineStart;
            SyntaxError e = makeError("", lineOfOffset(bytes, bad));
            e.message = QStringLiteral("(unicode error) 'utf-8' codec can't decode byte 0x%1 in position %2: %3")
                            .arg(QString::fromLatin1(hex), QString::number(bad - lineStart), QString::fromLatin1(reason));
            e.column = int(bad - lineStart) + 1;
            out.error = e;
            return out;
        }
    } else if (encoding == "iso-8859-1") {
        decoded.reserve(bytes.size() + bytes.size() / 8);
        for (unsigned char c : bytes)
            appendUtf8(decoded, c);
        text = decoded;
    } else {
        std::string lower = encoding;
        for (char &c : lower)
            c = char(tolower(static_cast<unsigned char>(c)));
        if (lower == "ascii" || lower == "us-ascii") {
            for (size_t i = 0; i < bytes.size(); ++i) {
                if (static_cast<unsigned char>(bytes[i]) >= 0x80) {
                    out.error = makeError("", lineOfOffset(bytes, i));
                    out.error.message = QStringLiteral("(unicode error) 'ascii' codec can't decode byte 0x%1 in position %2: ordinal not in range(128)")
                                            .arg(QString::number(static_cast<unsigned char>(bytes[i]), 16), QString::number(i));
                    return out;
                }
            }
        } else {
            QStringDecoder decoder(encoding.c_str());
            if (!decoder.isValid()) {
                out.error = makeError("", 0);
                out.error.message = QStringLiteral("unknown encoding: %1").arg(QString::fromStdString(encoding));
                out.error.column = -1;
                return out;
            }
            const QString s = decoder(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
            if (decoder.hasError()) {
                out.error = makeError("", 0);
                out.error.message = QStringLiteral("(unicode error) '%1' codec can't decode the source").arg(QString::fromStdString(encoding));
                return out;
            }
            decoded = s.toStdString();
            text = decoded;
        }
    }

    // Universal newlines, as importlib's decode_source applies them before compiling.
    if (text.find('\r') == std::string_view::npos) {
        out.text = decoded.empty() ? std::string(text) : std::move(decoded);
        return out;
    }
    out.text.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out.text += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
        } else {
            out.text += text[i];
        }
    }
    return out;
}

} // namespace retort::core::python
