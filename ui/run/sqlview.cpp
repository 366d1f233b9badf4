#include "sqlview.h"

#include "editor/migrationlexer.h"

#include <Qsci/qsciscintilla.h>

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QPushButton>
#include <QVBoxLayout>

namespace retort::ui {

SqlView::SqlView(const QString &title, const QString &sql, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(title);
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    m_edit = new QsciScintilla(this);
    auto *lexer = new MigrationLexer(m_edit);
    lexer->setSqlOnly(true);
    lexer->setDefaultFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    lexer->setPalette(palette());
    m_edit->setLexer(lexer);
    m_edit->setUtf8(true);
    m_edit->setMarginType(0, QsciScintilla::NumberMargin);
    m_edit->setMarginWidth(0, QStringLiteral("0000"));
    m_edit->setText(sql);
    m_edit->setReadOnly(true);
    layout->addWidget(m_edit);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(buttons->button(QDialogButtonBox::Save), &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save SQL"), QStringLiteral("migration.sql"), tr("SQL (*.sql)"));
        if (path.isEmpty())
            return;
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(m_edit->text().toUtf8());
    });
    layout->addWidget(buttons);
    resize(900, 640);
}

QString SqlView::text() const
{
    return m_edit->text();
}

} // namespace retort::ui
