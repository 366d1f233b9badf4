#pragma once

#include "databases.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace retort::ui {

// The add / edit form of a named database connection: a PostgreSQL or MySQL server from its
// parts, a SQLite file, or a URL typed by hand (what an env.py builds from -x arguments or
// the environment), the -x arguments runs pass, and the production flag. It never asks for
// or stores a password: that is asked when connecting and kept in memory only.
// Shown by the default Prompter; tests answer Prompter::editConnection instead.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    enum Kind { Postgres, Mysql, Sqlite, TypedUrl };

    explicit ConnectionDialog(const DatabaseConnection &initial, QWidget *parent = nullptr);

    DatabaseConnection connection() const;
    QString url() const;

private:
    void showKind(int kind);
    void updateOk();

    DatabaseConnection m_initial;
    QFormLayout *m_form;
    QLineEdit *m_name;
    QComboBox *m_kind;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_database;
    QLineEdit *m_user;
    QComboBox *m_sslmode;
    QLineEdit *m_file;
    QLineEdit *m_url;
    QLineEdit *m_xArgs;
    QCheckBox *m_production;
    QLabel *m_problem;
    QPushButton *m_ok = nullptr;
};

} // namespace retort::ui
