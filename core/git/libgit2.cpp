#include "git/libgit2.h"

#include <QStringList>

#include <dlfcn.h>

namespace retort::core {

namespace {

Libgit2 load()
{
    Libgit2 api;
    // RTLD_LOCAL: its symbols serve only these pointers. Never closed: libgit2 keeps global
    // state (its allocator, TLS streams) for the life of the process.
    void *handle = ::dlopen(RETORT_LIBGIT2_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        api.error = QStringLiteral("git support needs %1, which does not load: %2")
                        .arg(QLatin1String(RETORT_LIBGIT2_SONAME), QString::fromLocal8Bit(::dlerror()));
        return api;
    }
    QStringList missing;
#define RETORT_LIBGIT2_RESOLVE(name)                                                   \
    api.name = reinterpret_cast<decltype(&::name)>(::dlsym(handle, #name));             \
    if (!api.name)                                                                      \
        missing.append(QLatin1String(#name));
    RETORT_LIBGIT2_FUNCTIONS(RETORT_LIBGIT2_RESOLVE)
#undef RETORT_LIBGIT2_RESOLVE
    if (!missing.isEmpty()) {
        api = Libgit2{};
        api.error = QStringLiteral("git support needs %1 with %2, which the loaded library lacks")
                        .arg(QLatin1String(RETORT_LIBGIT2_SONAME), missing.join(QLatin1String(", ")));
        return api;
    }
    // Balanced by nothing on purpose: the library lives as long as the process.
    if (api.git_libgit2_init() < 0) {
        const git_error *e = api.git_error_last();
        const QString why = e && e->message ? QString::fromUtf8(e->message) : QStringLiteral("no reason given");
        api = Libgit2{};
        api.error = QStringLiteral("%1 does not initialise: %2").arg(QLatin1String(RETORT_LIBGIT2_SONAME), why);
    }
    return api;
}

} // namespace

const Libgit2 &libgit2()
{
    static const Libgit2 api = load();
    return api;
}

QString libgit2Version()
{
    const Libgit2 &git = libgit2();
    if (!git.isLoaded())
        return QStringLiteral("not found (%1)").arg(git.error);
    int major = 0, minor = 0, rev = 0;
    git.git_libgit2_version(&major, &minor, &rev);
    return QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(rev);
}

} // namespace retort::core
