#pragma once

#include <QDialog>

class QCheckBox;
class QLineEdit;

namespace retort::ui {

// `alembic revision` options: message, autogenerate, head, branch label, splice, depends-on.
class NewRevisionDialog : public QDialog
{
    Q_OBJECT
public:
    explicit NewRevisionDialog(const QString &head, QWidget *parent = nullptr);
    QString message() const;
    bool autogenerate() const;
    QString head() const;
    QString branchLabel() const;
    bool splice() const;
    QString dependsOn() const;

private:
    QLineEdit *m_message, *m_head, *m_label, *m_depends;
    QCheckBox *m_autogenerate, *m_splice;
};

} // namespace retort::ui
