// alembic.ini text, then every option of every section read with interpolation, as
// ProjectConfig reads script_location, version_locations and sqlalchemy.url.
#include "fuzzsupport.h"

#include "project/inifile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using retort::core::IniFile;
    const IniFile ini = IniFile::fromText(fuzzText(data, size), {{QStringLiteral("here"), QStringLiteral("/fuzz")}});
    for (const QString &section : ini.sections()) {
        for (const QString &option : ini.options(section)) {
            auto v = ini.get(section, option);
            if (!v && v.error().message.isEmpty())
                __builtin_trap(); // an error a person cannot read
        }
    }
    return 0;
}
