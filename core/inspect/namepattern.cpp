#include "namepattern.h"

namespace retort::core {

PatternParts patternToRegex(const QString &pattern, int maxParts)
{
    PatternParts p;
    QString cur = QStringLiteral("^(");
    QString literal;
    bool left = true;
    bool inQuotes = false;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar ch = pattern[i];
        if (ch == QLatin1Char('"')) {
            if (inQuotes && i + 1 < pattern.size() && pattern[i + 1] == QLatin1Char('"')) {
                cur += QLatin1Char('"');
                if (left)
                    literal += QLatin1Char('"');
                ++i;
            } else {
                inQuotes = !inQuotes;
            }
        } else if (!inQuotes && ch.isUpper() && ch.unicode() < 128) {
            cur += ch.toLower();
            if (left)
                literal += ch.toLower();
        } else if (!inQuotes && ch == QLatin1Char('*')) {
            cur += QStringLiteral(".*");
            if (left)
                literal += QLatin1Char('*');
        } else if (!inQuotes && ch == QLatin1Char('?')) {
            cur += QLatin1Char('.');
            if (left)
                literal += QLatin1Char('?');
        } else if (!inQuotes && ch == QLatin1Char('.')) {
            left = false;
            ++p.dots;
            if (p.parts.size() + 1 < maxParts) {
                p.parts.append(cur + QStringLiteral(")$"));
                cur = QStringLiteral("^(");
            } else {
                cur += ch;
            }
        } else if (ch == QLatin1Char('$')) {
            cur += QStringLiteral("\\$");
            if (left)
                literal += QLatin1Char('$');
        } else {
            if (inQuotes && QStringLiteral("|*+?()[]{}.^$\\").contains(ch))
                cur += QLatin1Char('\\');
            else if (ch == QLatin1Char('[') && i + 1 < pattern.size() && pattern[i + 1] == QLatin1Char(']'))
                cur += QLatin1Char('\\');
            cur += ch;
            if (left)
                literal += ch;
        }
    }
    p.parts.append(cur + QStringLiteral(")$"));
    p.dbLiteral = literal;
    return p;
}


} // namespace retort::core
