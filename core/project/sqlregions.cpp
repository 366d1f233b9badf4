#include "sqlregions.h"

#include <QRegularExpression>

namespace retort::core {

namespace {

bool isIdent(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

// The callee names (last dotted part, with the part before it) that take SQL.
bool takesSql(QStringView dotted)
{
    const qsizetype dot = dotted.lastIndexOf(QLatin1Char('.'));
    const QStringView last = dot < 0 ? dotted : dotted.mid(dot + 1);
    const QStringView owner = dot < 0 ? QStringView() : dotted.left(dot);
    if (last == QLatin1String("text"))
        return owner.isEmpty() || owner == QLatin1String("sa") || owner == QLatin1String("sqlalchemy")
            || owner.endsWith(QLatin1String(".sql")) || owner == QLatin1String("sql");
    if (last == QLatin1String("execute") || last == QLatin1String("exec_driver_sql"))
        return !owner.isEmpty(); // op.execute, connection.execute, bind.execute, session.execute, ...
    return false;
}

struct Scanner
{
    QStringView s;
    qsizetype i = 0;
    int line = 1;

    bool atEnd() const { return i >= s.size(); }
    QChar at(qsizetype k) const { return k < s.size() ? s[k] : QChar(); }

    void skipSpaceAndComments()
    {
        while (!atEnd()) {
            const QChar c = s[i];
            if (c == QLatin1Char('\n')) {
                ++line;
                ++i;
            } else if (c.isSpace() || c == QLatin1Char('\\')) {
                ++i;
            } else if (c == QLatin1Char('#')) {
                while (!atEnd() && s[i] != QLatin1Char('\n'))
                    ++i;
            } else {
                break;
            }
        }
    }

    // At a quote (after any prefix): skips the literal, returning its body range.
    SqlRegion readString()
    {
        const QChar q = s[i];
        const bool triple = at(i + 1) == q && at(i + 2) == q;
        SqlRegion r;
        r.line = line;
        i += triple ? 3 : 1;
        r.start = i;
        while (!atEnd()) {
            const QChar c = s[i];
            if (c == QLatin1Char('\\')) {
                if (at(i + 1) == QLatin1Char('\n'))
                    ++line;
                i += 2;
                continue;
            }
            if (c == QLatin1Char('\n')) {
                ++line;
                if (!triple)
                    break;
            }
            if (c == q && (!triple || (at(i + 1) == q && at(i + 2) == q))) {
                r.length = i - r.start;
                i += triple ? 3 : 1;
                return r;
            }
            ++i;
        }
        r.length = i - r.start;
        return r;
    }

    // At a string (with optional prefix)? Returns the prefix length, or -1.
    qsizetype stringPrefixAt(qsizetype k) const
    {
        qsizetype p = 0;
        while (p < 2 && k + p < s.size() && QStringLiteral("rRbBuUfF").contains(s[k + p]))
            ++p;
        const QChar c = at(k + p);
        return c == QLatin1Char('"') || c == QLatin1Char('\'') ? p : -1;
    }
};

} // namespace

QList<SqlRegion> findSqlRegions(QStringView source)
{
    QList<SqlRegion> out;
    Scanner sc{source};
    QString lastName;       // the dotted name just read
    while (!sc.atEnd()) {
        const QChar c = source[sc.i];
        if (c == QLatin1Char('\n')) {
            ++sc.line;
            ++sc.i;
            continue;
        }
        if (c == QLatin1Char('#')) {
            while (!sc.atEnd() && source[sc.i] != QLatin1Char('\n'))
                ++sc.i;
            continue;
        }
        const qsizetype prefix = sc.stringPrefixAt(sc.i);
        if (prefix >= 0 && (sc.i == 0 || !isIdent(source[sc.i - 1]))) {
            sc.i += prefix;
            sc.readString();
            lastName.clear();
            continue;
        }
        if (isIdent(c) && !c.isDigit()) {
            const qsizetype start = sc.i;
            while (!sc.atEnd() && (isIdent(source[sc.i]) || (source[sc.i] == QLatin1Char('.') && isIdent(sc.at(sc.i + 1)))))
                ++sc.i;
            lastName = source.mid(start, sc.i - start).toString();
            continue;
        }
        if (c == QLatin1Char('(') && !lastName.isEmpty() && takesSql(lastName)) {
            ++sc.i;
            sc.skipSpaceAndComments();
            // The first argument: one string or several adjacent ones.
            for (;;) {
                const qsizetype p = sc.stringPrefixAt(sc.i);
                if (p < 0)
                    break;
                const bool bytes = source.mid(sc.i, p).contains(QLatin1Char('b'), Qt::CaseInsensitive);
                sc.i += p;
                const SqlRegion r = sc.readString();
                if (!bytes && r.length > 0)
                    out.append(r);
                sc.skipSpaceAndComments();
            }
            lastName.clear();
            continue;
        }
        if (!c.isSpace())
            lastName.clear();
        ++sc.i;
    }
    return out;
}

} // namespace retort::core
