#include "tomlreader.h"

#include "project/nativefile.h"

#include <QFile>

namespace retort::core {

namespace {

class TomlValueParser
{
public:
    explicit TomlValueParser(const QString &text) : m_s(text) {}

    // CPython 3.11's tomllib, under the default recursion limit of 1000, reads arrays nested
    // 497 deep and raises RecursionError beyond: refuse the same input, with a message.
    static constexpr int MaxDepth = 497;

    bool tooDeep() const { return m_tooDeep; }

    bool parseValue(QVariant &out, int depth = 1)
    {
        skipSpace(true);
        if (m_i >= m_s.size())
            return false;
        const QChar c = m_s.at(m_i);
        if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            QString s;
            if (!parseString(s))
                return false;
            out = s;
            return true;
        }
        if (c == QLatin1Char('[')) {
            if (depth > MaxDepth) {
                m_tooDeep = true;
                return false;
            }
            ++m_i;
            QStringList items;
            for (;;) {
                skipSpace(true);
                if (m_i >= m_s.size())
                    return false;
                if (m_s.at(m_i) == QLatin1Char(']')) {
                    ++m_i;
                    break;
                }
                QVariant item;
                if (!parseValue(item, depth + 1))
                    return false;
                items.append(item.toString());
                skipSpace(true);
                if (m_i < m_s.size() && m_s.at(m_i) == QLatin1Char(','))
                    ++m_i;
            }
            out = items;
            return true;
        }
        qsizetype start = m_i;
        while (m_i < m_s.size() && !m_s.at(m_i).isSpace() && m_s.at(m_i) != QLatin1Char(',')
               && m_s.at(m_i) != QLatin1Char(']') && m_s.at(m_i) != QLatin1Char('#'))
            ++m_i;
        const QString word = m_s.mid(start, m_i - start);
        if (word == QLatin1String("true") || word == QLatin1String("false"))
            out = word == QLatin1String("true");
        else
            out = word;
        return !word.isEmpty();
    }

    qsizetype pos() const { return m_i; }

private:
    void skipSpace(bool newlines)
    {
        while (m_i < m_s.size()) {
            const QChar c = m_s.at(m_i);
            if (c == QLatin1Char('#')) {
                while (m_i < m_s.size() && m_s.at(m_i) != QLatin1Char('\n'))
                    ++m_i;
            } else if (c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\r')
                       || (newlines && c == QLatin1Char('\n'))) {
                ++m_i;
            } else {
                break;
            }
        }
    }

    bool parseString(QString &out)
    {
        const QChar q = m_s.at(m_i);
        const bool triple = m_s.mid(m_i, 3) == QString(3, q);
        m_i += triple ? 3 : 1;
        if (triple && m_i < m_s.size() && m_s.at(m_i) == QLatin1Char('\n'))
            ++m_i;
        while (m_i < m_s.size()) {
            const QChar c = m_s.at(m_i);
            if (c == q && (!triple || m_s.mid(m_i, 3) == QString(3, q))) {
                m_i += triple ? 3 : 1;
                return true;
            }
            if (c == QLatin1Char('\\') && q == QLatin1Char('"') && m_i + 1 < m_s.size()) {
                const QChar e = m_s.at(m_i + 1);
                m_i += 2;
                switch (e.unicode()) {
                case 'n': out += QLatin1Char('\n'); break;
                case 't': out += QLatin1Char('\t'); break;
                case 'r': out += QLatin1Char('\r'); break;
                case '\\': out += QLatin1Char('\\'); break;
                case '"': out += QLatin1Char('"'); break;
                case 'u': case 'U': {
                    const int n = e == QLatin1Char('u') ? 4 : 8;
                    bool ok = false;
                    const char32_t cp = char32_t(m_s.mid(m_i, n).toUInt(&ok, 16));
                    if (ok)
                        out += QString::fromUcs4(&cp, 1);
                    m_i += n;
                    break;
                }
                default: out += e;
                }
                continue;
            }
            if (c == QLatin1Char('\n') && !triple)
                return false;
            out += c;
            ++m_i;
        }
        return false;
    }

    const QString &m_s;
    qsizetype m_i = 0;
    bool m_tooDeep = false;
};

} // namespace

QString TomlTable::string(const QString &key) const
{
    const QVariant v = m_values.value(key);
    if (v.typeId() == QMetaType::QStringList)
        return v.toStringList().join(QLatin1Char(' '));
    if (v.typeId() == QMetaType::Bool)
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return v.toString();
}

TomlTable parseTomlTable(const QString &text, const QString &name, QString *error)
{
    TomlTable table;
    const QString header = QLatin1Char('[') + name + QLatin1Char(']');
    qsizetype at = -1;
    qsizetype from = 0;
    while ((at = text.indexOf(header, from)) >= 0) {
        if (at == 0 || text.at(at - 1) == QLatin1Char('\n'))
            break;
        from = at + 1;
    }
    if (at < 0)
        return table;
    QString body = text.mid(at + header.size());
    // The table ends at the next header line.
    const qsizetype end = body.indexOf(QLatin1String("\n["));
    if (end >= 0)
        body = body.left(end);

    qsizetype i = 0;
    while (i < body.size()) {
        while (i < body.size() && body.at(i).isSpace())
            ++i;
        if (i >= body.size())
            break;
        if (body.at(i) == QLatin1Char('#')) {
            while (i < body.size() && body.at(i) != QLatin1Char('\n'))
                ++i;
            continue;
        }
        const qsizetype eq = body.indexOf(QLatin1Char('='), i);
        if (eq < 0)
            break;
        QString key = body.mid(i, eq - i).trimmed();
        if (key.size() >= 2 && (key.startsWith(QLatin1Char('"')) || key.startsWith(QLatin1Char('\''))))
            key = key.mid(1, key.size() - 2);
        const QString rest = body.mid(eq + 1);
        TomlValueParser p(rest);
        QVariant v;
        if (!p.parseValue(v)) {
            if (error) {
                *error = p.tooDeep() ? QStringLiteral("the value of '%1' in [%2] nests arrays more than %3 deep")
                                           .arg(key, name, QString::number(TomlValueParser::MaxDepth))
                                     : QStringLiteral("cannot read the value of '%1' in [%2]").arg(key, name);
            }
            return table;
        }
        table.insert(key, v);
        i = eq + 1 + p.pos();
        while (i < body.size() && body.at(i) != QLatin1Char('\n'))
            ++i;
    }
    return table;
}

Result<TomlTable> readTomlTable(const QString &path, const QString &name)
{
    QFile f;
    QString why;
    if (!openForReading(f, path, &why))
        return makeError(Error::Code::Config, QStringLiteral("Cannot read %1: %2").arg(path, why), path);
    QString error;
    TomlTable t = parseTomlTable(QString::fromUtf8(f.readAll()), name, &error);
    if (!error.isEmpty())
        return makeError(Error::Code::Config, QStringLiteral("%1: %2").arg(path, error), path);
    return t;
}

} // namespace retort::core
