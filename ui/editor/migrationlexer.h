#pragma once

#include "python/source.h"

#include <Qsci/qscilexercustom.h>

#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/Theme>

#include <KSyntaxHighlighting/Format>

#include <QHash>
#include <QSet>

namespace retort::ui {

// QScintilla lexer whose colours come from KSyntaxHighlighting: Python for the file, and
// the PostgreSQL SQL definition for string literals passed to op.execute(), sa.text(),
// text() and <connection>.execute(). Styles the whole file at each change (migration files
// are small); folds by indentation.
class MigrationLexer : public QsciLexerCustom
{
    Q_OBJECT
public:
    explicit MigrationLexer(QObject *parent = nullptr);
    ~MigrationLexer() override;

    const char *language() const override { return "Python + SQL"; }
    QString description(int style) const override;
    void styleText(int start, int end) override;

    // Follows a light or dark palette with a matching KSyntaxHighlighting theme.
    void setPalette(const QPalette &palette);
    KSyntaxHighlighting::Theme theme() const { return m_theme; }

    // Everything is SQL (for Alembic's --sql output).
    void setSqlOnly(bool on) { m_sqlOnly = on; }
    // The Python the project's Alembic runs on: SQL regions are found with its grammar.
    void setPythonVersion(core::python::PythonVersion version);
    core::python::PythonVersion pythonVersion() const { return m_pythonVersion; }
    // Styles that come from the SQL definition (for tests and tooltips).
    bool isSqlStyle(int style) const { return m_sqlStyles.contains(style); }

private:
    int styleFor(bool sql, const KSyntaxHighlighting::Format &format);
    void applyFormat(int style, const KSyntaxHighlighting::Format &format);
    void applyTheme();

    KSyntaxHighlighting::Repository m_repository;
    KSyntaxHighlighting::Theme m_theme;
    QHash<quint64, int> m_styles;        // (sql << 32 | format id) -> style number
    QHash<int, QString> m_descriptions;
    QSet<int> m_sqlStyles;
    QHash<int, KSyntaxHighlighting::Format> m_formats;
    int m_nextStyle = 1;
    core::python::PythonVersion m_pythonVersion = core::python::NewestPython;
    bool m_sqlOnly = false;
};

} // namespace retort::ui
