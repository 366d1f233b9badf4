// pyproject.toml text, read for [tool.alembic] (and retort.toml's [lints]).
#include "fuzzsupport.h"

#include "project/tomlreader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace retort::core;
    const QString text = fuzzText(data, size);
    for (const QString &table : {QStringLiteral("tool.alembic"), QStringLiteral("lints")}) {
        QString error;
        const TomlTable t = parseTomlTable(text, table, &error);
        (void)t.string(QStringLiteral("script_location"));
        (void)t.list(QStringLiteral("version_locations"));
    }
    return 0;
}
