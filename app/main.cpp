// retort: a headless command when one is named, otherwise the workbench.
#include "cli/commands.h"
#include "git/libgit2.h"

#include <QCoreApplication>
#include <QtVersion>

#include <dlfcn.h>
#include <link.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <malloc.h>
#include <sys/mman.h>

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

// The KSyntaxHighlighting the workbench runs with. This executable does not link it (it
// must start without any GUI library), so ask the dynamic linker which file it would load
// and read the full version from that file's name (libKF6SyntaxHighlighting.so.6.13.0).
std::string syntaxHighlightingVersion()
{
    const char *soname = "libKF6SyntaxHighlighting.so.6";
    void *handle = ::dlopen(soname, RTLD_LAZY | RTLD_LOCAL);
    if (!handle)
        return std::string("not found (") + soname + " does not load: " + ::dlerror() + ")";
    std::string version = "loaded, version unknown";
    link_map *map = nullptr;
    if (::dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name) {
        char real[PATH_MAX];
        if (::realpath(map->l_name, real)) {
            const std::string file(real);
            const std::string marker = ".so.";
            const auto at = file.rfind(marker);
            if (at != std::string::npos && file.find('.', at + marker.size()) != std::string::npos)
                version = file.substr(at + marker.size());
            else
                version = "from " + file;
        }
    }
    ::dlclose(handle);
    return version;
}

// `retort --version`: what this binary is and the libraries it runs with.
int printVersion()
{
    std::printf("retort %s\n", RETORT_VERSION);
    std::printf("Qt %s (built with %s)\n", qVersion(), QT_VERSION_STR);
    std::printf("KSyntaxHighlighting %s (built with %s)\n", syntaxHighlightingVersion().c_str(),
                RETORT_KSYNTAXHIGHLIGHTING_VERSION);
    std::printf("libgit2 %s (built with %s)\n", qPrintable(retort::core::libgit2Version()), RETORT_LIBGIT2_VERSION);
    return 0;
}

// A command that reads a large project keeps about 1.5 KB per revision: at 10,000 revisions,
// some 4,000 page faults when the heap is faulted in 4 KB at a time, each a trap into the
// kernel. Here the main heap grows at once by 64 MB (pages never touched cost nothing) that
// the kernel may back with transparent huge pages (it does where THP is "madvise" or
// "always"), allocations up to 32 MB come from it rather than from their own mappings, and
// it is never trimmed: the command exits soon. On the 10,000-revision bench this takes cold
// `heads` from ~5,100 faults to ~1,400 and 8 ms off its time. Without THP (or under a
// sanitizer's allocator, which refuses mallopt) nothing changes.
void preferHugePagesForTheHeap()
{
    constexpr size_t pad = size_t(64) << 20;
    if (mallopt(M_TOP_PAD, int(pad)) != 1 || mallopt(M_TRIM_THRESHOLD, int(2 * pad)) != 1
        || mallopt(M_MMAP_THRESHOLD, 32 << 20) != 1)
        return;
    // More than the fresh heap has left, so it grows by the pad now (volatile: the compiler
    // may not drop an allocation nothing reads).
    void *volatile grow = std::malloc(512 << 10);
    const char *const end = static_cast<char *>(sbrk(0));
    const size_t inHeap = mallinfo2().arena;
    std::free(grow);
    if (end == reinterpret_cast<char *>(-1) || inHeap < (size_t(4) << 20))
        return;
    constexpr uintptr_t huge = uintptr_t(2) << 20;
    const uintptr_t from = (reinterpret_cast<uintptr_t>(end) - inHeap + huge - 1) & ~(huge - 1);
    const uintptr_t to = reinterpret_cast<uintptr_t>(end) & ~(huge - 1);
    if (to > from)
        ::madvise(reinterpret_cast<void *>(from), to - from, MADV_HUGEPAGE);
}
} // namespace

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));

    if (args == QStringList{QStringLiteral("--version")} || args == QStringList{QStringLiteral("version")})
        return printVersion();

    if (!retort::core::CommandLine::isHeadless(args) && !args.contains(QStringLiteral("--help"))
        && !args.contains(QStringLiteral("-h")))
        return execWorkbench(argv);

    // A headless command: a short-lived process that may hold a large project.
    preferHugePagesForTheHeap();
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
