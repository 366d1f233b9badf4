// A revision file's bytes, read as `ScriptDirectory::load` reads each file: in full (a load
// that keeps the trees) and outlined (a map-only load), which must agree on every fact and
// problem (a disagreement traps, so libFuzzer keeps the input). The outline's tree must also
// be node for node the one read without the tokenizer's PlainLine tokens (OutlineByTokens).
#include "fuzzsupport.h"

#include "project/revisionfile.h"
#include "python/syntaxtree.h"

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

bool sameTree(const retort::core::python::SyntaxTree &a, const retort::core::python::SyntaxTree &b)
{
    const auto &x = a.error(), &y = b.error();
    if (x.type != y.type || x.message != y.message || x.line != y.line || x.column != y.column || a.size() != b.size())
        return false;
    for (int i = 0; i < a.size(); ++i) {
        const auto &m = a.node(i), &n = b.node(i);
        if (m.kind != n.kind || m.field != n.field || m.op != n.op || m.flags != n.flags || m.first != n.first
            || m.next != n.next || m.start != n.start || m.end != n.end || m.line != n.line || m.endLine != n.endLine
            || m.nameStart != n.nameStart || m.nameEnd != n.nameEnd || m.name2Start != n.name2Start
            || m.name2End != n.name2End)
            return false;
    }
    return true;
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
        using retort::core::python::ParseDepth;
        using retort::core::python::SyntaxTree;
        if (!sameTree(*SyntaxTree::parse(source, v, ParseDepth::Outline), *SyntaxTree::parse(source, v, ParseDepth::OutlineByTokens)))
            __builtin_trap();
    }
    (void)retort::core::parseModuleConstants(source, retort::core::python::NewestPython);
    return 0;
}
