#include "reparenteditor.h"

#include "editor/migrationeditor.h"
#include "editor/migrationlexer.h"
#include "git/reparent.h"

#include <Qsci/qsciscintilla.h>

#include <QCoreApplication>

namespace retort::ui {

QString reparentInEditor(MigrationEditor *editor, const core::ForecastProblem &problem)
{
    if (problem.suggestedParents.size() != 1)
        return QCoreApplication::translate("retort::ui::MergeBanner", "%1 could go onto several heads (%2); edit it by hand.")
            .arg(problem.revision, problem.suggestedParents.join(QStringLiteral(", ")));
    if (editor->path() != problem.file && !editor->openFile(problem.file)) {
        return editor->errorString().isEmpty()
                   ? QCoreApplication::translate("retort::ui::MergeBanner", "the editor kept the file it has open.")
                   : editor->errorString();
    }
    // A file the snapshot does not hold is read in the pool: its text is not there yet.
    if (editor->isLoading())
        return QCoreApplication::translate("retort::ui::MergeBanner", "%1 is still being read; try again in a moment.")
            .arg(problem.file);
    QsciScintilla *edit = editor->textEdit();
    auto edited = core::reparentSource(edit->text(), problem.file, problem.parent, problem.suggestedParents.first(),
                                       editor->lexer()->pythonVersion());
    if (!edited)
        return edited.error().message;
    edit->beginUndoAction();
    edit->selectAll();
    edit->replaceSelectedText(*edited);
    edit->endUndoAction();
    editor->goToLine(problem.line);
    return {};
}

} // namespace retort::ui
