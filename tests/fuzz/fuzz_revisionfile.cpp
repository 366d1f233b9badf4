// A revision file's bytes, read as `ScriptDirectory::load` reads each file: in full (a load
// that keeps the trees) and outlined (a map-only load), which must agree on every fact and
// problem (a disagreement traps, so libFuzzer keeps the input).
#include "fuzzsupport.h"

#include "project/revisionfile.h"

#include <string_view>

namespace {

bool sameFacts(const retort::core::RevisionFile &a, const retort::core::RevisionFile &b)
{
    if (a.problems.size() != b.problems.size())
        return false;
    for (qsizetype i = 0; i < a.problems.size(); ++i)
        if (a.problems[i].message != b.problems[i].message || a.problems[i].line != b.problems[i].line)
            return false;
    return a.revision == b.revision && a.downRevision.toTuple() == b.downRevision.toTuple() && a.longDoc == b.longDoc
        && a.upgradeLine == b.upgradeLine && a.upgradeEndLine == b.upgradeEndLine && a.upgradeEmpty == b.upgradeEmpty
        && a.downgradeLine == b.downgradeLine && a.downgradeEndLine == b.downgradeEndLine
        && a.downgradeEmpty == b.downgradeEmpty;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view source(reinterpret_cast<const char *>(data), size);
    const QString path = QStringLiteral("/fuzz/versions/x.py"), name = QStringLiteral("x.py");
    using retort::core::python::PythonVersion;
    for (PythonVersion v : {PythonVersion::Py311, PythonVersion::Py313}) {
        const retort::core::RevisionFile full = retort::core::parseRevisionSource(source, path, name, v);
        retort::core::RevisionParseOptions how;
        how.outline = true;
        const retort::core::RevisionFile outlined = retort::core::parseRevisionSource(source, path, name, v, how);
        if (!sameFacts(full, outlined))
            __builtin_trap();
    }
    (void)retort::core::parseModuleConstants(source, retort::core::python::NewestPython);
    return 0;
}
