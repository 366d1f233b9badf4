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

// Where psql's lexer ends a backslash command: at the next backslash outside quotes (in the
// command word or between/in arguments; in 'single quotes' a backslash escapes the next
// character, in "double quotes" it is literal). psql -c runs that one command and ignores
// the rest, "\\d foo\\dt" describes foo.
qsizetype commandEnd(const QString &text)
{
    bool inSingle = false, inDouble = false;
    for (qsizetype i = 1; i < text.size(); ++i) {
        const QChar c = text[i];
        if (inSingle) {
            if (c == QLatin1Char('\\'))
                ++i;
            else if (c == QLatin1Char('\''))
                inSingle = false;
        } else if (inDouble) {
            if (c == QLatin1Char('"'))
                inDouble = false;
        } else if (c == QLatin1Char('\'')) {
            inSingle = true;
        } else if (c == QLatin1Char('"')) {
            inDouble = true;
        } else if (c == QLatin1Char('\\')) {
            return i;
        }
    }
    return text.size();
}

// psql 17's \d-family commands Retort does not answer, by the letter after \d: what each lists.
QString psqlListOf(QChar letter, const QString &word)
{
    switch (letter.toLatin1()) {
    case 'a': return QStringLiteral("aggregates");
    case 'A': return QStringLiteral("access methods");
    case 'b': return QStringLiteral("tablespaces");
    case 'c': return word.startsWith(QLatin1String("\\dconfig")) ? QStringLiteral("configuration parameters") : QStringLiteral("conversions");
    case 'C': return QStringLiteral("casts");
    case 'd': return word.startsWith(QLatin1String("\\ddp")) ? QStringLiteral("default privileges") : QStringLiteral("object comments");
    case 'e': return QStringLiteral("foreign servers, tables, user mappings and data wrappers");
    case 'f': return QStringLiteral("functions");
    case 'F': return QStringLiteral("text search configurations");
    case 'g':
    case 'u': return QStringLiteral("roles");
    case 'l': return QStringLiteral("large objects");
    case 'L': return QStringLiteral("procedural languages");
    case 'o': return QStringLiteral("operators");
    case 'O': return QStringLiteral("collations");
    case 'p': return QStringLiteral("access privileges");
    case 'P': return QStringLiteral("partitioned relations");
    case 'r': return QStringLiteral("role settings and grants");
    case 'R': return QStringLiteral("publications and subscriptions");
    case 'T': return QStringLiteral("data types");
    case 'X': return QStringLiteral("extended statistics");
    case 'y': return QStringLiteral("event triggers");
    }
    return {};
}

} // namespace

Result<DescribeCommand> DescribeCommand::parse(const QString &textIn)
{
    QString text = textIn.trimmed();
    // psql ends a backslash command at the end of its line; what follows would be more input.
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    if (newline >= 0)
        return makeError(Error::Code::Usage, QStringLiteral("One command per line: %1 is followed by more lines.")
                                                 .arg(text.left(newline).trimmed()));
    if (text.startsWith(QLatin1Char('\\')))
        text = text.left(commandEnd(text)).trimmed();
    qsizetype end = 0;
    while (end < text.size() && !text[end].isSpace())
        ++end;
    const QString word = text.left(end);
    // psql dispatches on the letter after \d and reads + and S anywhere in the word.
    const QChar first = word.size() > 2 ? word[2] : QChar();
    const bool known = word.startsWith(QLatin1String("\\d"))
        && (first.isNull() || QStringLiteral("+StvmisEnDx").contains(first));
    if (!known) {
        const QString what = word.startsWith(QLatin1String("\\d")) ? psqlListOf(first, word) : QString();
        const QString answered = QStringLiteral("Retort answers \\d, \\d NAME, \\d+ NAME, \\dt, \\di, \\dv, \\dm, \\ds, \\dE, "
                                                "\\dn, \\dD and \\dx (with S and +), with an optional pattern.");
        if (!what.isEmpty())
            return makeError(Error::Code::Usage, QStringLiteral("Unsupported command: %1 (psql's list of %2). %3")
                                                     .arg(word, what, answered));
        return makeError(Error::Code::Usage, QStringLiteral("Unsupported command: %1. %2").arg(text, answered));
    }
    DescribeCommand c;
    c.word = word;
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
    } else if (first == QLatin1Char('D')) {
        c.kind = Kind::ListDomains;
    } else if (first == QLatin1Char('x')) {
        c.kind = Kind::ListExtensions;
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

Error DescribeCommand::notPostgres(const QString &product) const
{
    return makeError(Error::Code::Usage, QStringLiteral("%1: %2 has no %3; this command is PostgreSQL's.")
                                             .arg(word, product,
                                                  kind == Kind::ListDomains ? QStringLiteral("domains")
                                                                            : QStringLiteral("extensions")));
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
