#pragma once

#include <QDialog>

class QsciScintilla;

namespace retort::ui {

// Alembic's offline SQL in a read-only editor with SQL colours, savable to a file.
class SqlView : public QDialog
{
    Q_OBJECT
public:
    explicit SqlView(const QString &title, const QString &sql, QWidget *parent = nullptr);
    QString text() const;

private:
    QsciScintilla *m_edit;
};

} // namespace retort::ui
