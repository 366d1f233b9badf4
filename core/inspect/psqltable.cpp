#include "psqltable.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace retort::core {

namespace {

// Unicode's East Asian Wide and Fullwidth characters (EastAsianWidth.txt, Unicode 15.1: W and
// F), the ones psql 17's ucs_wcwidth counts 2 columns wide; sorted, inclusive.
constexpr std::pair<char32_t, char32_t> kWide[] = {
    {0x1100, 0x115f}, {0x231a, 0x231b}, {0x2329, 0x232a}, {0x23e9, 0x23ec}, {0x23f0, 0x23f0}, {0x23f3, 0x23f3},
    {0x25fd, 0x25fe}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267f, 0x267f}, {0x2693, 0x2693}, {0x26a1, 0x26a1},
    {0x26aa, 0x26ab}, {0x26bd, 0x26be}, {0x26c4, 0x26c5}, {0x26ce, 0x26ce}, {0x26d4, 0x26d4}, {0x26ea, 0x26ea},
    {0x26f2, 0x26f3}, {0x26f5, 0x26f5}, {0x26fa, 0x26fa}, {0x26fd, 0x26fd}, {0x2705, 0x2705}, {0x270a, 0x270b},
    {0x2728, 0x2728}, {0x274c, 0x274c}, {0x274e, 0x274e}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
    {0x27b0, 0x27b0}, {0x27bf, 0x27bf}, {0x2b1b, 0x2b1c}, {0x2b50, 0x2b50}, {0x2b55, 0x2b55}, {0x2e80, 0x2e99},
    {0x2e9b, 0x2ef3}, {0x2f00, 0x2fd5}, {0x2ff0, 0x3029}, {0x302e, 0x303e}, {0x3041, 0x3096}, {0x309b, 0x30ff},
    {0x3105, 0x312f}, {0x3131, 0x318e}, {0x3190, 0x31e3}, {0x31ef, 0x321e}, {0x3220, 0x3247}, {0x3250, 0x4dbf},
    {0x4e00, 0xa48c}, {0xa490, 0xa4c6}, {0xa960, 0xa97c}, {0xac00, 0xd7a3}, {0xf900, 0xfaff}, {0xfe10, 0xfe19},
    {0xfe30, 0xfe52}, {0xfe54, 0xfe66}, {0xfe68, 0xfe6b}, {0xff01, 0xff60}, {0xffe0, 0xffe6}, {0x16fe0, 0x16fe3},
    {0x16ff0, 0x16ff1}, {0x17000, 0x187f7}, {0x18800, 0x18cd5}, {0x18d00, 0x18d08}, {0x1aff0, 0x1aff3},
    {0x1aff5, 0x1affb}, {0x1affd, 0x1affe}, {0x1b000, 0x1b122}, {0x1b132, 0x1b132}, {0x1b150, 0x1b152},
    {0x1b155, 0x1b155}, {0x1b164, 0x1b167}, {0x1b170, 0x1b2fb}, {0x1f004, 0x1f004}, {0x1f0cf, 0x1f0cf},
    {0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a}, {0x1f200, 0x1f202}, {0x1f210, 0x1f23b}, {0x1f240, 0x1f248},
    {0x1f250, 0x1f251}, {0x1f260, 0x1f265}, {0x1f300, 0x1f320}, {0x1f32d, 0x1f335}, {0x1f337, 0x1f37c},
    {0x1f37e, 0x1f393}, {0x1f3a0, 0x1f3ca}, {0x1f3cf, 0x1f3d3}, {0x1f3e0, 0x1f3f0}, {0x1f3f4, 0x1f3f4},
    {0x1f3f8, 0x1f43e}, {0x1f440, 0x1f440}, {0x1f442, 0x1f4fc}, {0x1f4ff, 0x1f53d}, {0x1f54b, 0x1f54e},
    {0x1f550, 0x1f567}, {0x1f57a, 0x1f57a}, {0x1f595, 0x1f596}, {0x1f5a4, 0x1f5a4}, {0x1f5fb, 0x1f64f},
    {0x1f680, 0x1f6c5}, {0x1f6cc, 0x1f6cc}, {0x1f6d0, 0x1f6d2}, {0x1f6d5, 0x1f6d7}, {0x1f6dc, 0x1f6df},
    {0x1f6eb, 0x1f6ec}, {0x1f6f4, 0x1f6fc}, {0x1f7e0, 0x1f7eb}, {0x1f7f0, 0x1f7f0}, {0x1f90c, 0x1f93a},
    {0x1f93c, 0x1f945}, {0x1f947, 0x1f9ff}, {0x1fa70, 0x1fa7c}, {0x1fa80, 0x1fa88}, {0x1fa90, 0x1fabd},
    {0x1fabf, 0x1fac5}, {0x1face, 0x1fadb}, {0x1fae0, 0x1fae8}, {0x1faf0, 0x1faf8}, {0x20000, 0x2fffd},
    {0x30000, 0x3fffd}
};

bool isWide(char32_t c)
{
    const auto it = std::upper_bound(std::begin(kWide), std::end(kWide), c,
                                     [](char32_t v, const std::pair<char32_t, char32_t> &r) { return v < r.first; });
    return it != std::begin(kWide) && c <= std::prev(it)->second;
}

} // namespace

int psqlWidth(QStringView text)
{
    int w = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size()) {
            c = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        }
        if (c < 0x20 || c == 0x7f)
            continue;
        // Non-spacing and enclosing marks and format characters (a zero-width space, a soft
        // hyphen) take no column.
        const QChar::Category cat = QChar::category(c);
        if (cat == QChar::Mark_NonSpacing || cat == QChar::Mark_Enclosing || cat == QChar::Other_Format)
            continue;
        w += isWide(c) ? 2 : 1;
    }
    return w;
}

QString psqlFormatLine(QStringView line)
{
    QString out;
    int width = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        char32_t c = line[i].unicode();
        qsizetype len = 1;
        if (QChar::isHighSurrogate(c) && i + 1 < line.size() && QChar::isLowSurrogate(line[i + 1].unicode())) {
            c = QChar::surrogateToUcs4(line[i], line[i + 1]);
            len = 2;
        }
        if (c == U'\r') {
            out += QStringLiteral("\\r");
            width += 2;
        } else if (c == U'\t') {
            // to the next multiple of 8, counted from the start of the cell's line
            do {
                out += QLatin1Char(' ');
                ++width;
            } while (width % 8 != 0);
        } else if (c != 0 && (c < 0x20 || c == 0x7f)) {
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0')).toUpper().replace(QStringLiteral("\\X"), QStringLiteral("\\x"));
            width += 4;
        } else if (c >= 0x80 && c < 0xa0) {
            out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0')).toUpper().replace(QStringLiteral("\\U"), QStringLiteral("\\u"));
            width += 6;
        } else {
            const QStringView ch = line.mid(i, len);
            out += ch;
            width += psqlWidth(ch);
        }
        i += len - 1;
    }
    return out;
}

QString PsqlTable::render() const
{
    const int cols = int(headers.size());
    std::vector<int> width(size_t(cols), 0);
    // print.c formats each line of a cell (pg_wcsformat) before measuring and printing it.
    auto lines = [](const QString &s) {
        QStringList out = s.split(QLatin1Char('\n'));
        for (QString &l : out)
            l = psqlFormatLine(l);
        return out;
    };
    for (int c = 0; c < cols; ++c)
        for (const QString &l : lines(headers[c]))
            width[size_t(c)] = std::max(width[size_t(c)], psqlWidth(l));
    for (const QStringList &row : rows)
        for (int c = 0; c < cols && c < row.size(); ++c)
            for (const QString &l : lines(row[c]))
                width[size_t(c)] = std::max(width[size_t(c)], psqlWidth(l));

    int total = cols > 0 ? cols * 3 - 1 : 0;
    for (int w : width)
        total += w;

    QString out;
    auto pad = [](int n) { return QString(std::max(0, n), QLatin1Char(' ')); };
    if (!title.isEmpty()) {
        // The title is printed as it is, centred by its formatted width (pg_wcssize).
        int tw = 0;
        for (const QString &l : lines(title))
            tw = std::max(tw, psqlWidth(l));
        out += (tw >= total ? title : pad((total - tw) / 2) + title) + QLatin1Char('\n');
    }
    // Headers: centred in every column, each followed by a blank (trailing one included).
    for (int c = 0; c < cols; ++c) {
        const int space = width[size_t(c)] - psqlWidth(headers[c]);
        out += QLatin1Char(' ') + pad(space / 2) + headers[c] + pad((space + 1) / 2) + QLatin1Char(' ');
        if (c < cols - 1)
            out += QLatin1Char('|');
    }
    out += QLatin1Char('\n');
    // The rule: "-" + dashes per column joined by "-+-" + "-".
    out += QLatin1Char('-');
    for (int c = 0; c < cols; ++c) {
        out += QString(width[size_t(c)], QLatin1Char('-'));
        if (c < cols - 1)
            out += QStringLiteral("-+-");
    }
    out += QStringLiteral("-\n");

    for (const QStringList &row : rows) {
        std::vector<QStringList> cell(static_cast<size_t>(cols));
        int height = 1;
        for (int c = 0; c < cols; ++c) {
            cell[size_t(c)] = lines(c < row.size() ? row[c] : QString());
            height = std::max(height, int(cell[size_t(c)].size()));
        }
        for (int ln = 0; ln < height; ++ln) {
            for (int c = 0; c < cols; ++c) {
                const QStringList &parts = cell[size_t(c)];
                const bool last = c == cols - 1;
                const bool has = ln < parts.size();
                const bool more = ln + 1 < parts.size();
                const int w = width[size_t(c)];
                out += QLatin1Char(' ');
                if (!has) {
                    if (!last)
                        out += pad(w);
                } else if (c < aligns.size() && aligns[c] == QLatin1Char('r')) {
                    out += pad(w - psqlWidth(parts[ln])) + parts[ln];
                } else {
                    out += parts[ln];
                    if (!last || more)
                        out += pad(w - psqlWidth(parts[ln]));
                }
                if (has && more)
                    out += QLatin1Char('+');
                else if (!last)
                    out += QLatin1Char(' ');
                if (!last)
                    out += QLatin1Char('|');
            }
            out += QLatin1Char('\n');
        }
    }
    QStringList foot = footers;
    if (foot.isEmpty() && defaultFooter)
        foot.append(rows.size() == 1 ? QStringLiteral("(1 row)") : QStringLiteral("(%1 rows)").arg(rows.size()));
    for (const QString &f : std::as_const(foot))
        out += f + QLatin1Char('\n');
    out += QLatin1Char('\n');
    return out;
}

} // namespace retort::core
