// A sqlalchemy.url / --url value: parsed, masked for display, resolved for SQLite.
#include "fuzzsupport.h"

#include "db/sqlurl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace retort::core;
    const QString text = fuzzText(data, size);
    (void)maskPasswords(text);
    auto url = SqlUrl::parse(text);
    if (!url)
        return 0;
    const QString masked = url->masked();
    // The password is masked where it stands: whoever reads the masked URL back finds the
    // mask as its password (the same text may legitimately appear elsewhere, in a database name).
    if (!url->password.isEmpty() && !url->username.isEmpty()) {
        auto again = SqlUrl::parse(masked);
        if (again && again->password != QLatin1String("XXXXX"))
            __builtin_trap(); // a password shown in clear
    }
    if (url->port != -1 && (url->port < 1 || url->port > 65535))
        __builtin_trap(); // a port libpq would refuse, accepted
    (void)url->sqliteFile(QStringLiteral("/fuzz"));
    return 0;
}
