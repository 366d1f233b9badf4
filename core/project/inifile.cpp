#include "inifile.h"

#include "project/nativefile.h"

#include <QFile>
#include <QSet>
#include <QRegularExpression>

namespace retort::core {

namespace {

int indentOf(const QString &line)
{
    int n = 0;
    while (n < line.size() && line.at(n).isSpace())
        ++n;
    return n;
}

// str.isprintable() for one UTF-16 unit: not in Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs (but ' ').
bool pyPrintable(QChar c)
{
    if (c == QLatin1Char(' '))
        return true;
    switch (c.category()) {
    case QChar::Other_Control: case QChar::Other_Format: case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse: case QChar::Other_NotAssigned: case QChar::Separator_Line:
    case QChar::Separator_Paragraph: case QChar::Separator_Space:
        return false;
    default:
        return true;
    }
}

// Python's repr() of a str, as configparser's messages print values (long ones cut short:
// the message is one line a person reads).
QString pyRepr(const QString &s)
{
    constexpr qsizetype Longest = 200;
    const bool useDouble = s.contains(QLatin1Char('\'')) && !s.contains(QLatin1Char('"'));
    const QChar quote = useDouble ? QLatin1Char('"') : QLatin1Char('\'');
    QString out = quote;
    for (qsizetype i = 0; i < s.size() && i < Longest; ++i) {
        const QChar c = s.at(i);
        if (c == QLatin1Char('\\'))
            out += QStringLiteral("\\\\");
        else if (c == quote)
            out += QLatin1Char('\\') + c;
        else if (c == QLatin1Char('\n'))
            out += QStringLiteral("\\n");
        else if (c == QLatin1Char('\r'))
            out += QStringLiteral("\\r");
        else if (c == QLatin1Char('\t'))
            out += QStringLiteral("\\t");
        else if (!pyPrintable(c))
            out += c.unicode() < 0x100 ? QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'))
                                       : QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    out += quote;
    if (s.size() > Longest)
        out += QStringLiteral("…");
    return out;
}

} // namespace

Result<IniFile> IniFile::load(const QString &path, const QHash<QString, QString> &defaults, const QString &source)
{
    QFile f;
    QString why;
    if (!openForReading(f, path, &why))
        return makeError(Error::Code::Config, QStringLiteral("Cannot read %1: %2").arg(path, why), path);
    const QByteArray bytes = f.readAll();
    // Python reads the file as UTF-8 text, a byte order mark kept as U+FEFF (configparser then
    // finds no section header); QString::fromUtf8 would drop it.
    QString text = QString::fromUtf8(bytes);
    if (bytes.startsWith("\xef\xbb\xbf") && !text.startsWith(QChar(0xfeff)))
        text.prepend(QChar(0xfeff));
    IniFile ini = fromText(text, defaults, source.isEmpty() ? path : source);
    ini.m_path = path;
    if (ini.m_readError.isValid()) {
        ini.m_readError.file = path;
        return ini.m_readError;
    }
    return ini;
}

IniFile IniFile::fromText(const QString &text, const QHash<QString, QString> &defaults, const QString &source)
{
    IniFile ini;
    // configparser's strict reading: a repeated section or option, or text before the first
    // section, raises at once; lines that are neither are collected and raised at the end.
    auto readError = [&ini, &source](const char *exception, const QString &message) {
        ini.m_readError = makeError(Error::Code::Config, message, source);
        ini.m_readError.exception = QLatin1String(exception);
    };
    const QString where = QStringLiteral("While reading from %1").arg(pyRepr(source));
    QSet<QString> sectionsAdded;
    QSet<QPair<QString, QString>> optionsAdded;
    QStringList badLines;
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        ini.m_defaults.insert(it.key().toLower(), it.value());

    static const QRegularExpression optionRe(QStringLiteral("^(.*?)\\s*([=:])\\s*(.*)$"));
    QString section;
    QHash<QString, QString> *current = nullptr;
    QString lastOption;
    int optionIndent = 0;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype lineNo = 1; lineNo <= lines.size(); ++lineNo) {
        QString line = lines[lineNo - 1];
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        // The line as Python read it, for the messages.
        const QString raw = lineNo < lines.size() ? line + QLatin1Char('\n') : line;
        const QString at = QStringLiteral("%1 [line %2]").arg(where).arg(lineNo, 2);
        const QString stripped = line.trimmed();
        const int indent = indentOf(line);
        if (stripped.startsWith(QLatin1Char('#')) || stripped.startsWith(QLatin1Char(';')))
            continue;
        if (stripped.isEmpty()) {
            if (current && !lastOption.isEmpty())
                (*current)[lastOption] += QLatin1Char('\n');
            continue;
        }
        if (current && !lastOption.isEmpty() && indent > optionIndent) {
            (*current)[lastOption] += QLatin1Char('\n') + stripped;
            continue;
        }
        // SECTCRE = r"\[(?P<header>.+)\]", matched from the start: up to the last ']'.
        const qsizetype close = stripped.startsWith(QLatin1Char('[')) ? stripped.lastIndexOf(QLatin1Char(']')) : -1;
        optionIndent = indent;
        if (close >= 2) {
            section = stripped.mid(1, close - 1);
            if (ini.m_sections.contains(section) && sectionsAdded.contains(section)) {
                readError("configparser.DuplicateSectionError",
                          QStringLiteral("%1: section %2 already exists").arg(at, pyRepr(section)));
                return ini;
            }
            if (section == QLatin1String("DEFAULT")) {
                current = &ini.m_defaults;
            } else {
                if (!ini.m_sections.contains(section))
                    ini.m_order.append(section);
                current = &ini.m_sections[section];
                sectionsAdded.insert(section);
            }
            lastOption.clear();
            continue;
        }
        if (!current) {
            readError("configparser.MissingSectionHeaderError",
                      QStringLiteral("File contains no section headers.\nfile: %1, line: %2\n%3")
                          .arg(pyRepr(source)).arg(lineNo).arg(pyRepr(raw)));
            return ini;
        }
        const auto m = optionRe.match(stripped);
        if (!m.hasMatch()) {
            badLines.append(QStringLiteral("\n\t[line %1]: %2").arg(lineNo, 2).arg(pyRepr(raw)));
            continue;
        }
        if (m.captured(1).isEmpty())
            badLines.append(QStringLiteral("\n\t[line %1]: %2").arg(lineNo, 2).arg(pyRepr(raw)));
        lastOption = m.captured(1).trimmed().toLower();
        const QPair<QString, QString> key{section, lastOption};
        if (optionsAdded.contains(key)) {
            readError("configparser.DuplicateOptionError", QStringLiteral("%1: option %2 in section %3 already exists")
                                                               .arg(at, pyRepr(lastOption), pyRepr(section)));
            return ini;
        }
        optionsAdded.insert(key);
        current->insert(lastOption, m.captured(3).trimmed());
    }
    if (!badLines.isEmpty()) {
        readError("configparser.ParsingError",
                  QStringLiteral("Source contains parsing errors: %1%2").arg(pyRepr(source), badLines.join(QString())));
    }
    // configparser strips trailing blank lines of multi-line values
    auto tidy = [](QHash<QString, QString> &h) {
        for (auto it = h.begin(); it != h.end(); ++it) {
            QString &v = it.value();
            while (v.endsWith(QLatin1Char('\n')))
                v.chop(1);
        }
    };
    tidy(ini.m_defaults);
    for (auto it = ini.m_sections.begin(); it != ini.m_sections.end(); ++it)
        tidy(it.value());
    return ini;
}

bool IniFile::hasSection(const QString &section) const
{
    return m_sections.contains(section);
}

bool IniFile::hasOption(const QString &section, const QString &option) const
{
    const QString key = option.toLower();
    return (m_sections.contains(section) && m_sections[section].contains(key)) || m_defaults.contains(key);
}

std::optional<QString> IniFile::rawValue(const QString &section, const QString &option) const
{
    const QString key = option.toLower();
    const auto sit = m_sections.constFind(section);
    if (sit != m_sections.constEnd()) {
        const auto it = sit->constFind(key);
        if (it != sit->constEnd())
            return *it;
    }
    const auto dit = m_defaults.constFind(key);
    if (dit != m_defaults.constEnd())
        return *dit;
    return std::nullopt;
}

// configparser.BasicInterpolation._interpolate_some, step for step: a reference whose value
// holds '%' is expanded one level deeper; beyond MAX_INTERPOLATION_DEPTH it raises.
bool IniFile::interpolate(const QString &section, const QString &option, const QString &rest, int depth, QString &out,
                          Error &error) const
{
    // configparser's exception escapes Alembic's command line (Error::exception).
    auto fail = [&](const QString &message, const char *exception = "configparser.InterpolationSyntaxError") {
        error = makeError(Error::Code::Config, m_path.isEmpty() ? message : QStringLiteral("%1: %2").arg(m_path, message),
                          m_path);
        error.exception = QLatin1String(exception);
        return false;
    };
    if (depth > MaxInterpolationDepth) {
        return fail(QStringLiteral("Recursion limit exceeded in value substitution: option %1 in section %2 contains "
                                   "an interpolation key which cannot be substituted in %3 steps. Raw value: %4")
                        .arg(pyRepr(option), pyRepr(section), QString::number(MaxInterpolationDepth),
                             pyRepr(rawValue(section, option).value_or(rest))),
                    "configparser.InterpolationDepthError");
    }
    qsizetype i = 0;
    const qsizetype n = rest.size();
    while (i < n) {
        const qsizetype p = rest.indexOf(QLatin1Char('%'), i);
        if (p < 0) {
            out += QStringView(rest).mid(i);
            return true;
        }
        out += QStringView(rest).mid(i, p - i);
        const QChar c = p + 1 < n ? rest.at(p + 1) : QChar();
        if (c == QLatin1Char('%')) {
            out += QLatin1Char('%');
            i = p + 2;
        } else if (c == QLatin1Char('(')) {
            // _KEYCRE = r"%\(([^)]+)\)s", matched at p
            const qsizetype close = rest.indexOf(QLatin1Char(')'), p + 2);
            if (close < 0 || close == p + 2 || close + 1 >= n || rest.at(close + 1) != QLatin1Char('s')) {
                return fail(QStringLiteral("bad interpolation variable reference %1").arg(pyRepr(rest.mid(p))));
            }
            const QString var = rest.mid(p + 2, close - p - 2).toLower();
            i = close + 2;
            const std::optional<QString> v = rawValue(section, var);
            if (!v) {
                return fail(QStringLiteral("Bad value substitution: option %1 in section %2 contains an interpolation "
                                           "key %3 which is not a valid option name. Raw value: %4")
                                .arg(pyRepr(option), pyRepr(section), pyRepr(var),
                                     pyRepr(rawValue(section, option).value_or(rest))),
                            "configparser.InterpolationMissingOptionError");
            }
            if (v->contains(QLatin1Char('%'))) {
                if (!interpolate(section, option, *v, depth + 1, out, error))
                    return false;
            } else {
                out += *v;
            }
        } else {
            return fail(QStringLiteral("'%' must be followed by '%' or '(', found: %1").arg(pyRepr(rest.mid(p))));
        }
    }
    return true;
}

Result<std::optional<QString>> IniFile::get(const QString &section, const QString &option) const
{
    const std::optional<QString> raw = rawValue(section, option);
    if (!raw || !raw->contains(QLatin1Char('%')))
        return raw;
    QString out;
    out.reserve(raw->size());
    Error error;
    if (!interpolate(section, option.toLower(), *raw, 1, out, error))
        return error;
    return std::optional<QString>(out);
}

std::optional<QString> IniFile::value(const QString &section, const QString &option) const
{
    auto v = get(section, option);
    return v ? *v : std::nullopt;
}

Result<QHash<QString, QString>> IniFile::items(const QString &section) const
{
    QStringList keys = m_defaults.keys();
    keys.sort(); // any order: the first error is reported, and each key is checked
    QStringList own = options(section);
    own.sort();
    keys += own;
    QHash<QString, QString> out;
    for (const QString &key : std::as_const(keys)) {
        auto v = get(section, key);
        if (!v)
            return v.error();
        if (*v)
            out.insert(key, **v);
    }
    return out;
}

QStringList IniFile::options(const QString &section) const
{
    return m_sections.value(section).keys();
}

} // namespace retort::core
