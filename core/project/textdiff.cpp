#include "textdiff.h"

#include <vector>

namespace retort::core {

namespace {

// A text as lines; the last one may lack its newline (diff -u says so under it).
struct Lines
{
    QStringList text;
    bool lastHasNewline = true;
};

Lines splitLines(const QString &s)
{
    Lines out;
    out.text = s.split(QLatin1Char('\n'));
    if (out.text.last().isEmpty())
        out.text.removeLast(); // the text ended with a newline (or was empty)
    else
        out.lastHasNewline = false;
    return out;
}

// "start,length" of a hunk side as diff -u prints it: one line is just its number, an empty
// side names the line before it.
QString range(int start, int length)
{
    if (length == 1)
        return QString::number(start + 1);
    return QStringLiteral("%1,%2").arg(length == 0 ? start : start + 1).arg(length);
}

} // namespace

QString unifiedDiff(const QString &before, const QString &after, const QString &beforeName,
                    const QString &afterName, int context)
{
    if (before == after)
        return {};
    const Lines la = splitLines(before), lb = splitLines(after);
    const QStringList &a = la.text, &b = lb.text;
    const size_t n = size_t(a.size()), m = size_t(b.size());
    // A last line without its newline differs from the same text with one.
    auto same = [&](size_t i, size_t j) {
        return a[qsizetype(i)] == b[qsizetype(j)]
               && (i + 1 == n ? la.lastHasNewline : true) == (j + 1 == m ? lb.lastHasNewline : true);
    };
    // Longest common subsequence table, from the end (files here are migration-sized).
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            lcs[i][j] = same(i, j) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);

    struct Op { char kind; int ai; int bi; };
    std::vector<Op> ops;
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && same(i, j)) {
            ops.push_back({' ', int(i), int(j)});
            ++i, ++j;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            // Removals first, as diff -u prints a change: the old lines, then the new.
            ops.push_back({'-', int(i), int(j)});
            ++i;
        } else {
            ops.push_back({'+', int(i), int(j)});
            ++j;
        }
    }

    QString out = QStringLiteral("--- %1\n+++ %2\n").arg(beforeName, afterName);
    size_t k = 0;
    while (k < ops.size()) {
        if (ops[k].kind == ' ') {
            ++k;
            continue;
        }
        // A hunk: from `context` lines before this change to `context` after the last change
        // that is not separated from the next by more than 2*context unchanged lines.
        size_t start = k >= size_t(context) ? k - size_t(context) : 0;
        size_t end = k;
        size_t quiet = 0;
        for (size_t t = k; t < ops.size(); ++t) {
            if (ops[t].kind == ' ') {
                if (++quiet > size_t(2 * context))
                    break;
            } else {
                quiet = 0;
                end = t;
            }
        }
        const size_t stop = std::min(ops.size(), end + 1 + size_t(context));
        int aStart = ops[start].ai, bStart = ops[start].bi, aLen = 0, bLen = 0;
        QString body;
        for (size_t t = start; t < stop; ++t) {
            const Op &op = ops[t];
            if (op.kind != '+')
                ++aLen;
            if (op.kind != '-')
                ++bLen;
            body += QLatin1Char(op.kind) + (op.kind == '+' ? b[op.bi] : a[op.ai]) + QLatin1Char('\n');
            const bool lastOfA = op.kind != '+' && size_t(op.ai) + 1 == n && !la.lastHasNewline;
            const bool lastOfB = op.kind != '-' && size_t(op.bi) + 1 == m && !lb.lastHasNewline;
            if (lastOfA || lastOfB)
                body += QStringLiteral("\\ No newline at end of file\n");
        }
        out += QStringLiteral("@@ -%1 +%2 @@\n").arg(range(aStart, aLen), range(bStart, bLen)) + body;
        k = stop;
    }
    return out;
}

} // namespace retort::core
