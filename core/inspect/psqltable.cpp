#include "psqltable.h"

#include <algorithm>

namespace retort::core {

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
        // East Asian wide / fullwidth ranges (the ones ucs_wcwidth treats as 2)
        const bool wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f)
            || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe6f)
            || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x2fffd)
            || (c >= 0x30000 && c <= 0x3fffd) || (c >= 0x1f300 && c <= 0x1f64f) || (c >= 0x1f900 && c <= 0x1f9ff);
        const QChar::Category cat = QChar::category(c);
        if (cat == QChar::Mark_NonSpacing || cat == QChar::Mark_Enclosing)
            continue;
        w += wide ? 2 : 1;
    }
    return w;
}

QString PsqlTable::render() const
{
    const int cols = int(headers.size());
    std::vector<int> width(size_t(cols), 0);
    auto lines = [](const QString &s) { return s.split(QLatin1Char('\n')); };
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
        const int tw = psqlWidth(title);
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
