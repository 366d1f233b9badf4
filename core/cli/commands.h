#pragma once

#include <QString>
#include <QStringList>

#include <memory>
#include <string>

namespace retort::core {

// The headless command line: `retort [-c alembic.ini] [-n section] [--json] COMMAND ...`.
// Output is collected and returned so callers (main, tests) decide where it goes.
struct CommandOutput
{
    std::string out;   // UTF-8 for stdout
    std::string err;   // UTF-8 for stderr
    int exitCode = 0;
    // The loaded project, handed over so a process about to exit can skip freeing it.
    std::shared_ptr<const void> loaded;
};

class CommandLine
{
public:
    // True when `args` (without the program name) ask for a headless command.
    static bool isHeadless(const QStringList &args);
    static CommandOutput run(const QStringList &args, const QString &workingDir = QString());
    // The help text; the man page and the bash completion are generated from it at build time
    // (packaging/cli_docs.py), so every command in commands() must have an entry in it.
    static QString usage();
    static QStringList commands();
};

} // namespace retort::core
