#include "migrationlexer.h"

#include "project/sqlregions.h"

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/State>

#include <Qsci/qsciscintilla.h>

#include <QPalette>

#include <vector>

namespace retort::ui {

namespace {

namespace KSH = KSyntaxHighlighting;

struct Span
{
    int offset;
    int length;
    KSH::Format format;
};

// Collects what a KSyntaxHighlighting definition says about one line at a time.
class SpanCollector : public KSH::AbstractHighlighter
{
public:
    std::vector<Span> spans;
    KSH::State line(QStringView text, const KSH::State &state)
    {
        spans.clear();
        return highlightLine(text, state);
    }

protected:
    void applyFormat(int offset, int length, const KSH::Format &format) override
    {
        if (length > 0)
            spans.push_back({offset, length, format});
    }
};

constexpr int kDefaultStyle = 0;

} // namespace

MigrationLexer::MigrationLexer(QObject *parent) : QsciLexerCustom(parent)
{
    m_theme = m_repository.defaultTheme(KSH::Repository::LightTheme);
    applyTheme();
}

MigrationLexer::~MigrationLexer() = default;

void MigrationLexer::setPythonVersion(core::python::PythonVersion version)
{
    if (version == m_pythonVersion)
        return;
    m_pythonVersion = version;
    if (editor())
        editor()->recolor();
}

QString MigrationLexer::description(int style) const
{
    if (style == kDefaultStyle)
        return QStringLiteral("Default");
    return m_descriptions.value(style);
}

void MigrationLexer::setPalette(const QPalette &palette)
{
    m_theme = m_repository.themeForPalette(palette);
    applyTheme();
}

void MigrationLexer::applyTheme()
{
    const QColor paper = QColor::fromRgba(m_theme.editorColor(KSH::Theme::BackgroundColor));
    const QColor ink = QColor::fromRgba(m_theme.textColor(KSH::Theme::Normal));
    setDefaultPaper(paper);
    setDefaultColor(ink);
    setPaper(paper, kDefaultStyle);
    setColor(ink, kDefaultStyle);
    for (auto it = m_formats.cbegin(); it != m_formats.cend(); ++it)
        applyFormat(it.key(), it.value());
    if (editor())
        editor()->recolor();
}

void MigrationLexer::applyFormat(int style, const KSH::Format &format)
{
    const QColor paper = QColor::fromRgba(m_theme.editorColor(KSH::Theme::BackgroundColor));
    const QColor ink = QColor::fromRgba(m_theme.textColor(KSH::Theme::Normal));
    setColor(format.hasTextColor(m_theme) ? format.textColor(m_theme) : ink, style);
    setPaper(format.hasBackgroundColor(m_theme) ? format.backgroundColor(m_theme) : paper, style);
    QFont font = defaultFont(style);
    font.setBold(format.isBold(m_theme));
    font.setItalic(format.isItalic(m_theme));
    setFont(font, style);
}

int MigrationLexer::styleFor(bool sql, const KSH::Format &format)
{
    const quint64 key = (quint64(sql) << 32) | quint64(quint32(format.id()));
    if (const auto it = m_styles.constFind(key); it != m_styles.constEnd())
        return *it;
    if (m_nextStyle == QsciScintillaBase::STYLE_DEFAULT)
        m_nextStyle = QsciScintillaBase::STYLE_LASTPREDEFINED + 1;
    if (m_nextStyle > 127)
        return kDefaultStyle; // more formats than styles: plain text is the honest fallback
    const int style = m_nextStyle++;
    m_styles.insert(key, style);
    m_formats.insert(style, format);
    m_descriptions.insert(style, (sql ? QStringLiteral("SQL: ") : QStringLiteral("Python: ")) + format.name());
    if (sql)
        m_sqlStyles.insert(style);
    applyFormat(style, format);
    return style;
}

void MigrationLexer::styleText(int, int)
{
    QsciScintilla *ed = editor();
    if (!ed)
        return;
    const QString text = ed->text();
    const QByteArray utf8 = text.toUtf8();
    if (utf8.isEmpty())
        return;

    // UTF-16 offset -> UTF-8 byte offset (Scintilla styles bytes).
    std::vector<int> byteAt(size_t(text.size()) + 1, 0);
    {
        int b = 0;
        for (qsizetype i = 0; i < text.size(); ++i) {
            byteAt[size_t(i)] = b;
            const char16_t c = text.at(i).unicode();
            if (QChar::isHighSurrogate(c) && i + 1 < text.size()) {
                byteAt[size_t(i) + 1] = b; // a surrogate pair is one 4-byte character
                b += 4;
                ++i;
            } else {
                b += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        byteAt[size_t(text.size())] = b;
    }
    std::vector<unsigned char> styles(size_t(utf8.size()), kDefaultStyle);
    auto paint = [&](qsizetype from, qsizetype length, int style) {
        const int b0 = byteAt[size_t(from)];
        const int b1 = byteAt[size_t(std::min(text.size(), from + length))];
        for (int b = b0; b < b1; ++b)
            styles[size_t(b)] = static_cast<unsigned char>(style);
    };

    static const QString pythonName = QStringLiteral("Python");
    static const QString sqlName = QStringLiteral("SQL (PostgreSQL)");
    SpanCollector python;
    if (!m_sqlOnly) {
        python.setDefinition(m_repository.definitionForName(pythonName));
        python.setTheme(m_theme);
        KSH::State state;
        qsizetype lineStart = 0;
        while (lineStart <= text.size()) {
            qsizetype lineEnd = text.indexOf(QLatin1Char('\n'), lineStart);
            if (lineEnd < 0)
                lineEnd = text.size();
            state = python.line(QStringView(text).mid(lineStart, lineEnd - lineStart), state);
            for (const Span &s : python.spans)
                paint(lineStart + s.offset, s.length, styleFor(false, s.format));
            lineStart = lineEnd + 1;
        }
    }

    SpanCollector sql;
    sql.setDefinition(m_repository.definitionForName(sqlName));
    sql.setTheme(m_theme);
    const QList<core::SqlRegion> regions = m_sqlOnly ? QList<core::SqlRegion>{{0, text.size(), 1}} : core::findSqlRegions(text, m_pythonVersion);
    for (const core::SqlRegion &region : regions) {
        KSH::State sqlState;
        qsizetype pos = region.start;
        const qsizetype end = region.start + region.length;
        while (pos <= end) {
            qsizetype eol = text.indexOf(QLatin1Char('\n'), pos);
            if (eol < 0 || eol > end)
                eol = end;
            sqlState = sql.line(QStringView(text).mid(pos, eol - pos), sqlState);
            // Text the SQL definition leaves unformatted is still SQL, not a Python string.
            paint(pos, eol - pos, styleFor(true, KSH::Format()));
            for (const Span &s : sql.spans)
                paint(pos + s.offset, s.length, styleFor(true, s.format));
            pos = eol + 1;
        }
    }

    startStyling(0);
    size_t run = 0;
    for (size_t b = 1; b <= styles.size(); ++b) {
        if (b == styles.size() || styles[b] != styles[run]) {
            setStyling(int(b - run), styles[run]);
            run = b;
        }
    }

    // Fold by indentation, Python's own structure.
    const int lines = ed->lines();
    std::vector<int> indent(size_t(lines), -1);
    for (int l = 0; l < lines; ++l) {
        const QString t = ed->text(l);
        if (!t.trimmed().isEmpty())
            indent[size_t(l)] = ed->indentation(l);
    }
    int next = 0;
    for (int l = lines - 1; l >= 0; --l) {
        if (indent[size_t(l)] < 0)
            indent[size_t(l)] = next;
        else
            next = indent[size_t(l)];
    }
    for (int l = 0; l < lines; ++l) {
        const QString t = ed->text(l);
        int level = QsciScintillaBase::SC_FOLDLEVELBASE + indent[size_t(l)] / 4;
        if (t.trimmed().isEmpty())
            level |= QsciScintillaBase::SC_FOLDLEVELWHITEFLAG;
        else if (l + 1 < lines && indent[size_t(l) + 1] > indent[size_t(l)])
            level |= QsciScintillaBase::SC_FOLDLEVELHEADERFLAG;
        ed->SendScintilla(QsciScintillaBase::SCI_SETFOLDLEVEL, l, level);
    }
}

} // namespace retort::ui
