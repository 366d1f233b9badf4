#pragma once
// A Prompter that answers the workbench's questions from scripts and records what it was
// asked, so no modal dialog ever opens in a test. Each script is taken in order; when one
// runs out the question is cancelled (confirm answers `confirmWhenUnscripted`).
#include "prompter.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace testsupport {

class ScriptedPrompter : public retort::ui::Prompter
{
public:
    using NewRevisionRequest = retort::ui::NewRevisionRequest;
    using DatabaseConnection = retort::ui::DatabaseConnection;

    // Scripted answers.
    QList<Answer> answers;                   // ask()
    QList<bool> confirmAnswers;              // confirm()
    bool confirmWhenUnscripted = false;      // confirm() once confirmAnswers is empty
    QStringList textAnswers;                 // askText()
    QList<NewRevisionRequest> newRevisions;  // askNewRevision()
    QStringList passwords;                   // askPassword()
    QList<DatabaseConnection> forms;         // editConnection()

    // What was asked and shown, in order.
    QStringList asked;    // the title of every ask, confirm and askText; "New Revision from <head>"
    QStringList html;     // the rich text of every confirm and askText
    QStringList mustType; // what each confirm made the person type ("" when nothing)
    int confirms = 0;     // how many confirms were asked
    QStringList shown;    // "title\ntext" of every showText
    QStringList diffs;    // "title\ndiff" of every showDiff
    QStringList passwordReasons;
    QList<DatabaseConnection> formsShown;

    Answer ask(QWidget *, const QString &title, const QString &, const QList<Answer> &) override
    {
        asked.append(title);
        return answers.isEmpty() ? Answer::Cancel : answers.takeFirst();
    }
    void showText(QWidget *, const QString &title, const QString &text) override
    {
        shown.append(title + QLatin1Char('\n') + text);
    }
    void showDiff(QWidget *, const QString &title, const QString &diff) override
    {
        diffs.append(title + QLatin1Char('\n') + diff);
    }
    bool confirm(QWidget *, const QString &title, const QString &text, const QString &type) override
    {
        asked.append(title);
        html.append(text);
        mustType.append(type);
        ++confirms;
        return confirmAnswers.isEmpty() ? confirmWhenUnscripted : confirmAnswers.takeFirst();
    }
    std::optional<QString> askText(QWidget *, const QString &title, const QString &text, const QString &,
                                   const QString &) override
    {
        asked.append(title);
        html.append(text);
        return textAnswers.isEmpty() ? std::nullopt : std::optional<QString>(textAnswers.takeFirst());
    }
    std::optional<NewRevisionRequest> askNewRevision(QWidget *, const QString &head) override
    {
        asked.append(QStringLiteral("New Revision from ") + head);
        return newRevisions.isEmpty() ? std::nullopt : std::optional<NewRevisionRequest>(newRevisions.takeFirst());
    }
    std::optional<QString> askPassword(QWidget *, const QString &, const QString &reason) override
    {
        passwordReasons.append(reason);
        return passwords.isEmpty() ? std::nullopt : std::optional<QString>(passwords.takeFirst());
    }
    std::optional<DatabaseConnection> editConnection(QWidget *, const QString &, const DatabaseConnection &initial) override
    {
        formsShown.append(initial);
        return forms.isEmpty() ? std::nullopt : std::optional<DatabaseConnection>(forms.takeFirst());
    }
};

} // namespace testsupport
