#pragma once

namespace retort::ui {

// Builds the QApplication and the main window from the command line, runs the event loop.
int runWorkbench(int argc, char *argv[]);

} // namespace retort::ui
