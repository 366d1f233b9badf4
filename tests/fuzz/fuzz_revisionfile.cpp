// A revision file's bytes, read as `ScriptDirectory::load` reads each file.
#include "fuzzsupport.h"

#include "project/revisionfile.h"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view source(reinterpret_cast<const char *>(data), size);
    const retort::core::RevisionFile f =
        retort::core::parseRevisionSource(source, QStringLiteral("/fuzz/versions/x.py"), QStringLiteral("x.py"), retort::core::python::NewestPython);
    (void)f;
    (void)retort::core::parseModuleConstants(source, retort::core::python::NewestPython);
    return 0;
}
