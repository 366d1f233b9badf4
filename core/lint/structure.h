#pragma once

#include "project/scriptdirectory.h"

#include <QList>

namespace retort::core {

// Every problem of a loaded project that is about its structure: the loader's warnings,
// the map's diagnostics, several heads, and revisions whose downgrade() does nothing.
// Shared by `retort check` and the problems panel.
QList<Diagnostic> structuralProblems(const Project &project);

} // namespace retort::core
