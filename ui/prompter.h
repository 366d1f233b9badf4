#pragma once

#include "databases.h"

#include <QList>
#include <QString>

#include <optional>

class QWidget;

namespace retort::ui {

// What `alembic revision` is asked to make (the New Revision dialog's answers).
struct NewRevisionRequest
{
    QString message;
    bool autogenerate = false;
    QString head = QStringLiteral("head");
    QString branchLabel;
    bool splice = false;
    QString dependsOn;
};

// The questions the workbench asks a person (unsaved edits, files changed on disk, a new
// revision's options, a database's password, the add/edit-connection form).
// The default implementation shows message boxes; tests install a scripted one, so no
// modal dialog ever blocks a test.
class Prompter
{
public:
    enum class Answer { Save, Discard, Cancel, Reload, Overwrite, Compare };
    virtual ~Prompter() = default;
    virtual Answer ask(QWidget *parent, const QString &title, const QString &text, const QList<Answer> &choices) = 0;
    virtual void showText(QWidget *parent, const QString &title, const QString &text) = 0;
    // A yes/no question with rich text; when `mustType` is set the person has to type it
    // (a production database's name) before Yes is enabled.
    virtual bool confirm(QWidget *parent, const QString &title, const QString &html, const QString &mustType = QString()) = 0;
    // Rich text above a one-line field; empty optional when the person cancels.
    virtual std::optional<QString> askText(QWidget *parent, const QString &title, const QString &html, const QString &label,
                                           const QString &initial = QString()) = 0;
    // A unified diff (core::unifiedDiff), coloured by the default prompter; a prompter that
    // does not show diffs of its own gets it as text.
    virtual void showDiff(QWidget *parent, const QString &title, const QString &diff) { showText(parent, title, diff); }
    // The options of a new revision, starting from `head`; empty when the person cancels.
    // A prompter that does not know this question cancels it.
    virtual std::optional<NewRevisionRequest> askNewRevision(QWidget *parent, const QString &head)
    {
        Q_UNUSED(parent);
        Q_UNUSED(head);
        return std::nullopt;
    }

    // A database's password (`reason`: what the server said); empty optional when cancelled.
    // The defaults of these two answer "cancelled", so a scripted prompter that does not
    // expect them never blocks.
    virtual std::optional<QString> askPassword(QWidget *parent, const QString &connection, const QString &reason);
    // The add/edit-connection form filled with `initial`; empty optional when cancelled.
    virtual std::optional<DatabaseConnection> editConnection(QWidget *parent, const QString &title,
                                                             const DatabaseConnection &initial);

    static Prompter *instance();
    static void setInstance(Prompter *prompter); // not owned; nullptr restores the default
};

} // namespace retort::ui
