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
    if (!url->password.isEmpty() && url->password.size() > 3 && masked.contains(QLatin1Char(':') + url->password + QLatin1Char('@')))
        __builtin_trap(); // a password shown in clear
    if (url->port != -1 && (url->port < 1 || url->port > 65535))
        __builtin_trap(); // a port libpq would refuse, accepted
    (void)url->sqliteFile(QStringLiteral("/fuzz"));
    return 0;
}
