#pragma once

#include <QStringList>

namespace retort::core {

// The bin/ folders (with a trailing slash) of the virtualenvs a project's developers would
// use, in the order AlembicLocator and AlembicFlavor both look: venv/, .venv/, env/, .env/ in
// the project folder, its parents (six levels) and their direct subfolders (backend/venv).
QStringList virtualenvBinDirs(const QString &projectDir);

} // namespace retort::core
