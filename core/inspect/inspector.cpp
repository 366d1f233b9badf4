#include "inspector.h"

#include "db/sqlurl.h"
#include "db/mysqlurl.h"
#include "inspect/mysqlinspector.h"
#include "inspect/pginspector.h"
#include "inspect/sqliteinspector.h"

#include <QRegularExpression>

namespace retort::core {

namespace {

// One argument of a backslash command as psql's lexer reads it for \d (OT_NORMAL): blanks
// end it; "double quotes" are kept (the pattern gives them meaning) and may hold blanks;
// 'single quotes' are stripped, '' inside them is one quote and \t, \b, \f are those characters
// (\n and \r stay as written, so a pattern is one line). Returns false at the end of the text, and (setting `unterminated`) for a
// quote left open: psql then reports it and takes no argument at all.
bool nextArgument(const QString &text, qsizetype &i, QString &arg, QString &raw, bool &unterminated)
{
    while (i < text.size() && text[i].isSpace())
        ++i;
    if (i >= text.size())
        return false;
    arg.clear();
    const qsizetype start = i;
    bool inDouble = false;
    while (i < text.size()) {
        const QChar c = text[i];
        if (!inDouble && c.isSpace())
            break;
        if (c == QLatin1Char('"')) {
            inDouble = !inDouble;
            arg += c;
            ++i;
        } else if (!inDouble && c == QLatin1Char('\'')) {
            ++i;
            bool closed = false;
            while (i < text.size()) {
                const QChar q = text[i];
                if (q == QLatin1Char('\'')) {
                    if (i + 1 < text.size() && text[i + 1] == QLatin1Char('\'')) {
                        arg += q;
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                if (q == QLatin1Char('\\') && i + 1 < text.size()) {
                    const QChar e = text[i + 1];
                    // \n and \r stay two characters: a pattern (and its message) is one line.
                    if (e == QLatin1Char('n') || e == QLatin1Char('r'))
                        arg += q;
                    arg += e == QLatin1Char('t')   ? QChar(u'\t')
                           : e == QLatin1Char('b') ? QChar(u'\b')
                           : e == QLatin1Char('f') ? QChar(u'\f')
                                                   : e;
                    i += 2;
                    continue;
                }
                arg += q;
                ++i;
            }
            if (!closed) {
                unterminated = true;
                return false;
            }
        } else {
            arg += c;
            ++i;
        }
    }
    if (inDouble) {
        unterminated = true;
        return false;
    }
    raw = text.mid(start, i - start);
    return true;
}

} // namespace

Result<DescribeCommand> DescribeCommand::parse(const QString &textIn)
{
    const QString text = textIn.trimmed();
    // psql ends a backslash command at the end of its line; what follows would be more input.
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    if (newline >= 0)
        return makeError(Error::Code::Usage, QStringLiteral("One command per line: %1 is followed by more lines.")
                                                 .arg(text.left(newline).trimmed()));
    qsizetype end = 0;
    while (end < text.size() && !text[end].isSpace())
        ++end;
    const QString word = text.left(end);
    // psql dispatches on the letter after \d and reads + and S anywhere in the word.
    const QChar first = word.size() > 2 ? word[2] : QChar();
    const bool known = word.startsWith(QLatin1String("\\d"))
        && (first.isNull() || QStringLiteral("+StvmisEn").contains(first));
    if (!known) {
        return makeError(Error::Code::Usage,
                         QStringLiteral("Unsupported command: %1. Use \\d, \\d NAME, \\d+ NAME, \\dt, \\di, \\dv, "
                                        "\\dm, \\ds, \\dE or \\dn (with S and +), with an optional pattern.")
                             .arg(text));
    }
    DescribeCommand c;
    c.verbose = word.contains(QLatin1Char('+'));
    c.system = word.contains(QLatin1Char('S'));
    qsizetype i = end;
    QString arg, raw;
    bool unterminated = false;
    if (nextArgument(text, i, arg, raw, unterminated)) {
        c.hasPattern = true;
        c.pattern = arg;
        while (nextArgument(text, i, arg, raw, unterminated))
            c.warnings.append(QStringLiteral("%1: extra argument \"%2\" ignored").arg(word, raw));
    }
    if (unterminated)
        c.scanErrors.append(QStringLiteral("unterminated quoted string"));
    if (first == QLatin1Char('n')) {
        c.kind = Kind::ListSchemas;
    } else if (first.isNull() || first == QLatin1Char('+') || first == QLatin1Char('S')) {
        c.kind = c.hasPattern ? Kind::Describe : Kind::ListRelations;
        c.types = QStringLiteral("tvmsE");
    } else {
        c.kind = Kind::ListRelations;
        c.types = word.mid(2);
    }
    return c;
}

Error DescribeCommand::notFound() const
{
    return makeError(Error::Code::Resolution, hasPattern ? QStringLiteral("Did not find any relation named \"%1\".").arg(pattern)
                                                         : QStringLiteral("Did not find any relations."));
}

Result<QString> Inspector::run(const QString &command)
{
    auto parsed = DescribeCommand::parse(command);
    if (!parsed)
        return parsed.error();
    return run(*parsed);
}

Result<std::unique_ptr<Inspector>> Inspector::connect(const QString &urlText, const QString &workingDir,
                                                      const QString &password)
{
    auto url = SqlUrl::parse(urlText);
    if (!url)
        return url.error();
    if (url->isPostgres())
        return PgInspector::connect(*url, workingDir, password);
    if (url->isSqlite())
        return SqliteInspector::connect(*url, workingDir);
    if (isMysqlUrl(*url))
        return MysqlInspector::connect(*url, workingDir, password);
    return makeError(Error::Code::Database,
                     QStringLiteral("Retort inspects SQLite, PostgreSQL and MySQL/MariaDB databases; %1 is a %2 database.")
                         .arg(url->masked(), url->dialect));
}

} // namespace retort::core
