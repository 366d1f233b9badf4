#pragma once
// Permission tests (chmod 000, a read-only file) mean nothing to a process that may read and
// write anything: root's CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH. A test that includes this
// drops both before main() runs, while it has one thread (capabilities
// are per thread; every thread started later, the pool's too, inherits the reduced set), so
// the checks hold as they do for a person's own account. Child processes (Alembic) get root's
// full set again at exec.
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace testsupport {

inline bool dropFileAccessOverride()
{
    if (::geteuid() != 0)
        return true;
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (::syscall(SYS_capget, &header, data) != 0)
        return false;
    // From the permitted set too: access(), which QSaveFile asks, gives a real root the
    // permitted set back for its check.
    for (int cap : {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH}) {
        data[cap / 32].effective &= ~(1u << (cap % 32));
        data[cap / 32].permitted &= ~(1u << (cap % 32));
    }
    return ::syscall(SYS_capset, &header, data) == 0;
}

// Whether this process is refused a file it cannot read (false: the permission tests skip).
inline bool permissionsApply()
{
    static const bool dropped = dropFileAccessOverride();
    return dropped;
}

namespace {
[[maybe_unused]] const bool fileAccessDropped = permissionsApply();
}

} // namespace testsupport
