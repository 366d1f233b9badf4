#pragma once

#include "project/scriptdirectory.h"

#include <QList>

namespace retort::core {

// Every problem of a loaded project that is about its structure: the loader's warnings,
// the map's diagnostics and several heads (review rules are in lints.h).
// Shared by `retort check` and the problems panel.
QList<Diagnostic> structuralProblems(const Project &project);

} // namespace retort::core
