// retort: the Alembic workbench, or a headless command when one is named.
#include "cli/commands.h"
#include "workbench.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));

    if (retort::core::CommandLine::isHeadless(args)
        || args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        QCoreApplication app(argc, argv);
        const retort::core::CommandOutput out = retort::core::CommandLine::run(args);
        std::fwrite(out.out.data(), 1, out.out.size(), stdout);
        std::fwrite(out.err.data(), 1, out.err.size(), stderr);
        return out.exitCode;
    }
    return retort::ui::runWorkbench(argc, argv);
}
