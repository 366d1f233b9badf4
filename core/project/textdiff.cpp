#include "textdiff.h"

#include <vector>

namespace retort::core {

QString unifiedDiff(const QString &before, const QString &after, const QString &beforeName,
                    const QString &afterName, int context)
{
    if (before == after)
        return {};
    const QStringList a = before.split(QLatin1Char('\n'));
    const QStringList b = after.split(QLatin1Char('\n'));
    const size_t n = size_t(a.size()), m = size_t(b.size());
    // Longest common subsequence table, from the end (files here are migration-sized).
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            lcs[i][j] = a[qsizetype(i)] == b[qsizetype(j)] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);

    struct Op { char kind; int ai; int bi; };
    std::vector<Op> ops;
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[qsizetype(i)] == b[qsizetype(j)]) {
            ops.push_back({' ', int(i), int(j)});
            ++i, ++j;
        } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
            ops.push_back({'+', int(i), int(j)});
            ++j;
        } else {
            ops.push_back({'-', int(i), int(j)});
            ++i;
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
        }
        out += QStringLiteral("@@ -%1,%2 +%3,%4 @@\n").arg(aStart + 1).arg(aLen).arg(bStart + 1).arg(bLen) + body;
        k = stop;
    }
    return out;
}

} // namespace retort::core
