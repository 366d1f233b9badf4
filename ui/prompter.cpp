#include "prompter.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace retort::ui {

namespace {

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

    void showText(QWidget *parent, const QString &title, const QString &text) override
    {
        QDialog dialog(parent);
        dialog.setWindowTitle(title);
        auto *layout = new QVBoxLayout(&dialog);
        auto *view = new QPlainTextEdit(text, &dialog);
        view->setReadOnly(true);
        view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        view->setLineWrapMode(QPlainTextEdit::NoWrap);
        layout->addWidget(view);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
        QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        layout->addWidget(buttons);
        dialog.resize(800, 600);
        dialog.exec();
    }
};

Prompter *g_prompter = nullptr;

} // namespace

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
