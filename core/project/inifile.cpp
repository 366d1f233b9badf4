#include "inifile.h"

#include <QFile>
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

} // namespace

Result<IniFile> IniFile::load(const QString &path, const QHash<QString, QString> &defaults)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Config, QStringLiteral("Cannot read %1: %2").arg(path, f.errorString()), path);
    return fromText(QString::fromUtf8(f.readAll()), defaults);
}

IniFile IniFile::fromText(const QString &text, const QHash<QString, QString> &defaults)
{
    IniFile ini;
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        ini.m_defaults.insert(it.key().toLower(), it.value());

    static const QRegularExpression optionRe(QStringLiteral("^(.*?)\\s*([=:])\\s*(.*)$"));
    QString section;
    QHash<QString, QString> *current = nullptr;
    QString lastOption;
    int optionIndent = 0;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (QString line : lines) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
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
        if (stripped.startsWith(QLatin1Char('[')) && stripped.endsWith(QLatin1Char(']')) && stripped.size() > 2) {
            section = stripped.mid(1, stripped.size() - 2);
            if (section == QLatin1String("DEFAULT")) {
                current = &ini.m_defaults;
            } else {
                if (!ini.m_sections.contains(section))
                    ini.m_order.append(section);
                current = &ini.m_sections[section];
            }
            lastOption.clear();
            continue;
        }
        if (!current)
            continue; // configparser would raise MissingSectionHeaderError; Alembic then fails too
        const auto m = optionRe.match(stripped);
        if (!m.hasMatch())
            continue;
        lastOption = m.captured(1).trimmed().toLower();
        optionIndent = indent;
        current->insert(lastOption, m.captured(3).trimmed());
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

std::optional<QString> IniFile::value(const QString &section, const QString &option) const
{
    std::optional<QString> raw = rawValue(section, option);
    if (!raw)
        return raw;
    // BasicInterpolation: %(name)s and %%, resolved recursively (configparser allows depth 10).
    static const QRegularExpression ref(QStringLiteral("%\\(([^)]+)\\)s"));
    QString v = *raw;
    for (int depth = 0; depth < 10 && v.contains(QLatin1Char('%')); ++depth) {
        QString out;
        qsizetype i = 0;
        bool changed = false;
        while (i < v.size()) {
            const QChar c = v.at(i);
            if (c != QLatin1Char('%')) {
                out += c;
                ++i;
                continue;
            }
            if (i + 1 < v.size() && v.at(i + 1) == QLatin1Char('%')) {
                out += QStringLiteral("%%");
                i += 2;
                continue;
            }
            const auto m = ref.match(v, i, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
            if (m.hasMatch()) {
                const std::optional<QString> sub = rawValue(section, m.captured(1));
                out += sub ? *sub : m.captured(0);
                changed = changed || sub.has_value();
                i += m.capturedLength();
                continue;
            }
            out += c;
            ++i;
        }
        v = out;
        if (!changed)
            break;
    }
    v.replace(QStringLiteral("%%"), QStringLiteral("%"));
    return v;
}

QStringList IniFile::options(const QString &section) const
{
    return m_sections.value(section).keys();
}

} // namespace retort::core
