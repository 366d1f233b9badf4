#include "prompter.h"

#include "editor/diffview.h"
#include "run/newrevisiondialog.h"
#include "inspector/connectiondialog.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace retort::ui {

namespace {

// A dialog that starts with a title and a paragraph of rich text; returns its layout.
QVBoxLayout *richTextDialog(QDialog &dialog, const QString &title, const QString &html)
{
    dialog.setWindowTitle(title);
    auto *layout = new QVBoxLayout(&dialog);
    auto *label = new QLabel(html, &dialog);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    layout->addWidget(label);
    return layout;
}

// A dialog showing the text view `make` builds (with the dialog as its parent) and a Close button.
template<typename Make>
void showReadOnly(QWidget *parent, const QString &title, Make make)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(title);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(make(&dialog));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(800, 600);
    dialog.exec();
}

class MessageBoxPrompter : public Prompter
{
public:
    Answer ask(QWidget *parent, const QString &title, const QString &text, const QList<Answer> &choices) override
    {
        QMessageBox box(QMessageBox::Question, title, text, QMessageBox::NoButton, parent);
        QHash<QAbstractButton *, Answer> map;
        for (Answer a : choices) {
            QAbstractButton *b = nullptr;
            switch (a) {
            case Answer::Save: b = box.addButton(QMessageBox::Save); break;
            case Answer::Discard: b = box.addButton(QMessageBox::Discard); break;
            case Answer::Cancel: b = box.addButton(QMessageBox::Cancel); break;
            case Answer::Reload: b = box.addButton(QObject::tr("Reload from Disk"), QMessageBox::DestructiveRole); break;
            case Answer::Overwrite: b = box.addButton(QObject::tr("Overwrite"), QMessageBox::AcceptRole); break;
            case Answer::Compare: b = box.addButton(QObject::tr("Compare…"), QMessageBox::ActionRole); break;
            }
            map.insert(b, a);
        }
        box.exec();
        return map.value(box.clickedButton(), Answer::Cancel);
    }

    bool confirm(QWidget *parent, const QString &title, const QString &html, const QString &mustType) override
    {
        QDialog dialog(parent);
        QVBoxLayout *layout = richTextDialog(dialog, title, html);
        QLineEdit *typed = nullptr;
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Yes | QDialogButtonBox::No, &dialog);
        if (!mustType.isEmpty()) {
            layout->addWidget(new QLabel(QObject::tr("Type <b>%1</b> to confirm:").arg(mustType.toHtmlEscaped()), &dialog));
            typed = new QLineEdit(&dialog);
            layout->addWidget(typed);
            buttons->button(QDialogButtonBox::Yes)->setEnabled(false);
            QObject::connect(typed, &QLineEdit::textChanged, &dialog, [buttons, mustType](const QString &t) {
                buttons->button(QDialogButtonBox::Yes)->setEnabled(t == mustType);
            });
        }
        buttons->button(QDialogButtonBox::No)->setDefault(true);
        QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
        QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        layout->addWidget(buttons);
        dialog.resize(560, dialog.sizeHint().height());
        return dialog.exec() == QDialog::Accepted;
    }

    std::optional<QString> askText(QWidget *parent, const QString &title, const QString &html, const QString &labelText,
                                   const QString &initial) override
    {
        QDialog dialog(parent);
        QVBoxLayout *layout = richTextDialog(dialog, title, html);
        layout->addWidget(new QLabel(labelText, &dialog));
        auto *edit = new QLineEdit(initial, &dialog);
        layout->addWidget(edit);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
        QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
        QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        layout->addWidget(buttons);
        dialog.resize(640, dialog.sizeHint().height());
        if (dialog.exec() != QDialog::Accepted || edit->text().trimmed().isEmpty())
            return std::nullopt;
        return edit->text().trimmed();
    }

    std::optional<QString> askPassword(QWidget *parent, const QString &connection, const QString &reason) override
    {
        QDialog dialog(parent);
        QVBoxLayout *layout = richTextDialog(dialog, QObject::tr("Password for %1").arg(connection),
                                             reason.toHtmlEscaped());
        layout->addWidget(new QLabel(QObject::tr("Password (kept in memory until Retort quits, never saved):"), &dialog));
        auto *edit = new QLineEdit(&dialog);
        edit->setEchoMode(QLineEdit::Password);
        layout->addWidget(edit);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
        QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
        QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        layout->addWidget(buttons);
        dialog.resize(520, dialog.sizeHint().height());
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        return edit->text();
    }

    std::optional<DatabaseConnection> editConnection(QWidget *parent, const QString &title,
                                                     const DatabaseConnection &initial) override
    {
        ConnectionDialog dialog(initial, parent);
        if (!title.isEmpty())
            dialog.setWindowTitle(title);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        return dialog.connection();
    }

    void showText(QWidget *parent, const QString &title, const QString &text) override
    {
        showReadOnly(parent, title, [&text](QDialog *dialog) {
            auto *view = new QPlainTextEdit(text, dialog);
            view->setReadOnly(true);
            view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
            view->setLineWrapMode(QPlainTextEdit::NoWrap);
            return view;
        });
    }

    void showDiff(QWidget *parent, const QString &title, const QString &diff) override
    {
        showReadOnly(parent, title, [&diff](QDialog *dialog) {
            auto *view = new DiffView(dialog);
            view->setDiff(diff);
            return view;
        });
    }

    std::optional<NewRevisionRequest> askNewRevision(QWidget *parent, const QString &head) override
    {
        NewRevisionDialog dialog(head, parent);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        return NewRevisionRequest{dialog.message(), dialog.autogenerate(), dialog.head(), dialog.branchLabel(), dialog.splice(),
                                  dialog.dependsOn()};
    }
};

Prompter *g_prompter = nullptr;

} // namespace

std::optional<QString> Prompter::askPassword(QWidget *, const QString &, const QString &)
{
    return std::nullopt;
}

std::optional<DatabaseConnection> Prompter::editConnection(QWidget *, const QString &, const DatabaseConnection &)
{
    return std::nullopt;
}

Prompter *Prompter::instance()
{
    static MessageBoxPrompter fallback;
    return g_prompter ? g_prompter : &fallback;
}

void Prompter::setInstance(Prompter *prompter)
{
    g_prompter = prompter;
}

} // namespace retort::ui
