#pragma once

#include <QString>

namespace retort::ui {

class MainWindow;

// Keeps the workbench out of a crash loop. The window reopens the last project at start-up;
// if that project crashes it (a file that breaks a reader, a database that hangs it), every
// later start would crash again. So each run marks itself as running in the settings and
// clears the mark when the event loop ends normally. A start that finds the mark of a run
// that is gone (no process with its id) knows the last run crashed, and asks before
// reopening the last project instead of opening it.
//
// Owned by runWorkbench() on the GUI thread, for the life of the event loop.
class StartupGuard
{
public:
    // Reads how the previous run ended, then marks this run as running (written at once).
    StartupGuard();
    // Marks this run as ended normally.
    ~StartupGuard();

    // True when the previous run crashed (or was killed) instead of quitting.
    bool previousRunCrashed() const { return m_previousCrashed; }

    // What start-up does without a project on the command line: the last project is
    // reopened, unless the previous run crashed; then the Prompter asks first (open it, or
    // start without it). Returns true when it asked.
    bool reopenLastProject(MainWindow &window) const;

private:
    bool m_previousCrashed = false;
};

} // namespace retort::ui
