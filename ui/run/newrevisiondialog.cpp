#include "newrevisiondialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>

namespace retort::ui {

NewRevisionDialog::NewRevisionDialog(const QString &head, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("New Revision"));
    auto *form = new QFormLayout(this);
    m_message = new QLineEdit(this);
    m_autogenerate = new QCheckBox(tr("Autogenerate from the models (compares with the database)"), this);
    m_head = new QLineEdit(head, this);
    m_label = new QLineEdit(this);
    m_splice = new QCheckBox(tr("Splice (allow a head that is not the tip of its branch)"), this);
    m_depends = new QLineEdit(this);
    form->addRow(tr("Message"), m_message);
    form->addRow(m_autogenerate);
    form->addRow(tr("Head"), m_head);
    form->addRow(tr("Branch label"), m_label);
    form->addRow(m_splice);
    form->addRow(tr("Depends on"), m_depends);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_message, &QLineEdit::textChanged, this, [buttons](const QString &t) {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!t.trimmed().isEmpty());
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    resize(520, sizeHint().height());
}

QString NewRevisionDialog::message() const { return m_message->text().trimmed(); }
bool NewRevisionDialog::autogenerate() const { return m_autogenerate->isChecked(); }
QString NewRevisionDialog::head() const { return m_head->text().trimmed(); }
QString NewRevisionDialog::branchLabel() const { return m_label->text().trimmed(); }
bool NewRevisionDialog::splice() const { return m_splice->isChecked(); }
QString NewRevisionDialog::dependsOn() const { return m_depends->text().trimmed(); }

} // namespace retort::ui
