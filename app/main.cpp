// retort: a headless command when one is named, otherwise the workbench.
#include "cli/commands.h"

#include <QCoreApplication>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

// The workbench lives in its own executable beside this one.
int execWorkbench(char *argv[])
{
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::string path = "retort-workbench";
    if (n > 0) {
        self[n] = '\0';
        std::string dir(self);
        dir.erase(dir.rfind('/') + 1);
        path = dir + "retort-workbench";
    }
    argv[0] = path.data();
    ::execv(path.c_str(), argv);
    std::fprintf(stderr, "retort: cannot start the workbench (%s): %s\n", path.c_str(), std::strerror(errno));
    return 127;
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));

    if (!retort::core::CommandLine::isHeadless(args) && !args.contains(QStringLiteral("--help"))
        && !args.contains(QStringLiteral("-h")))
        return execWorkbench(argv);

    QCoreApplication app(argc, argv);
    const retort::core::CommandOutput out = retort::core::CommandLine::run(args);
    std::fwrite(out.out.data(), 1, out.out.size(), stdout);
    std::fwrite(out.err.data(), 1, out.err.size(), stderr);
    std::fflush(stdout);
    std::fflush(stderr);
    // Nothing left to do but exit: let the kernel reclaim a 10,000-revision map at once
    // instead of freeing it node by node.
    std::_Exit(out.exitCode);
}
