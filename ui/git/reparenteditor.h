#pragma once

#include "git/mergeforecast.h"

#include <QString>

namespace retort::ui {

class MigrationEditor;

// Opens the revision `problem` names in `editor` and changes its down_revision and Revises:
// line to the target's head, as one undoable edit left unsaved for the person to review.
// Returns an empty string, or why nothing was changed.
QString reparentInEditor(MigrationEditor *editor, const core::ForecastProblem &problem);

} // namespace retort::ui
