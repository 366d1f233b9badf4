#pragma once

#include "python/source.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <string_view>

namespace retort::core::python {
class SyntaxTree;
}

namespace retort::core {

// A problem found while reading a project: shown in the problems panel and by `retort check`.
struct Diagnostic
{
    enum class Severity { Info, Warning, Error };
    Severity severity = Severity::Error;
    QString rule;      // stable id, e.g. "parse-error", "missing-parent"
    QString message;
    QString file;
    int line = 0;
    QString revision;
    int column = 0;    // 1-based, as CPython's SyntaxError.offset; 0: the line only
};

// Whether `d` is about `path`: names it, or a folder it is in (a version location that
// cannot be listed).
inline bool concernsFile(const Diagnostic &d, const QString &path)
{
    return !d.file.isEmpty() && (d.file == path || (path.startsWith(d.file) && path.size() > d.file.size()
                                                    && path.at(d.file.size()) == QLatin1Char('/')));
}

// A statically read value of a top-level assignment in a revision file:
// None, a string, or a sequence of strings (tuple or list).
struct PyValue
{
    enum class Kind { None, String, Sequence };
    Kind kind = Kind::None;
    QString string;
    QStringList items;

    // A constant of another module (`branch_labels = (cli.EXPAND_BRANCH,)`), kept beside the
    // value so that no string a file writes can pass for one: `index` is the item it stands
    // for, -1 for the string itself.
    struct Reference
    {
        int index = -1;
        QString module;
        QString name;
    };
    QList<Reference> references;

    // Alembic's util.to_tuple(x, default=()).
    QStringList toTuple() const;
};

// One revision file as read from disk, before it joins the revision map.
// Plain data; cheap to copy between threads.
struct RevisionFile
{
    QString path;          // as Alembic prints it: <version location>/<file name>
    QString fileName;

    // The file as parsed, shared by every analysis (operations, lints, SQL regions, the
    // editor); null when the file could not be read, or when its facts came from the parse
    // cache (a command that reads only the map). `contentHash` (hashContent(bytes).a) keys
    // it by content so a reload re-parses only files that changed.
    std::shared_ptr<const python::SyntaxTree> tree;
    size_t contentHash = 0;

    bool hasRevision = false;
    QString revision;
    QList<PyValue::Reference> revisionReference;  // revision = module.NAME
    int revisionLine = 0;

    bool hasDownRevision = false;
    PyValue downRevision;
    int downRevisionLine = 0;

    PyValue branchLabels;  // None unless assigned
    int branchLabelsLine = 0;
    PyValue dependsOn;
    int dependsOnLine = 0;

    QString longDoc;       // module docstring, stripped (Script.longdoc)

    int upgradeLine = 0;   // 1-based line of `def upgrade`, 0 when absent
    int upgradeEndLine = 0;
    int downgradeLine = 0;
    int downgradeEndLine = 0;
    bool upgradeEmpty = false;   // body only pass / ... / docstring / comments
    bool downgradeEmpty = false;
    int upgradeNode = -1;        // the functions' nodes in `tree`
    int downgradeNode = -1;

    QList<Diagnostic> problems;  // Error severity means the file cannot join the map
    // Some identifier names a constant of another module (`branch_labels = (cli.EXPAND_BRANCH,)`);
    // ScriptDirectory resolves those from the module's source before the map is built.
    bool hasReferences = false;

    // Script.doc: first paragraph of the docstring.
    QString doc() const;
    QStringView docView() const;  // the same, without a copy
    // The "Create Date:" header line of the docstring, when present.
    QString createDate() const;
    bool isUsable() const;
};

RevisionFile readRevision(std::shared_ptr<const python::SyntaxTree> tree, const QString &path, const QString &fileName);
// What a caller of parseRevisionContent already knows or wants, so nothing is done twice.
struct RevisionParseOptions
{
    // hashContent(source).a when the caller hashed the bytes already (the parse cache's key).
    std::optional<size_t> contentHash;
    // Read the docstring as Python 3.13+ does (cleanDocstringAsPython313), in the same pass.
    bool cleanDocstrings = false;
    // The tree serves only the revision map (it is dropped after the read): function bodies
    // are outlined (python::ParseDepth::Outline); every fact and problem is the same.
    bool outline = false;
};

// parseRevisionSource in two steps: what the bytes alone say (what the parse cache keeps, by
// content), then the rules that look at the file's name (a legacy hex name gives the id).
RevisionFile parseRevisionContent(std::string_view source, const QString &path, const QString &fileName,
                                  python::PythonVersion version, const RevisionParseOptions &options = {});
// Reads a Python migration file without running it: parses it (a syntax error anywhere
// is a parse-error problem, as the import fails in Alembic) and evaluates the top-level
// statements that set the revision identifiers.
RevisionFile parseRevisionSource(std::string_view source, const QString &path, const QString &fileName,
                                 python::PythonVersion version, const RevisionParseOptions &options = {});
void applyFileNameRules(RevisionFile &rf);
// Python 3.13+ cleans a module's docstring when it compiles it (see cleanDocstring):
// re-reads longDoc from the tree that way. For projects whose Alembic runs on 3.13+.
void cleanDocstringAsPython313(RevisionFile &rf);

// The top-level string / tuple constants of a Python module (for resolving references).
QHash<QString, PyValue> parseModuleConstants(std::string_view source, python::PythonVersion version);

// Alembic's _legacy_rev: a file name that is all lowercase hex digits and ".py".
bool isLegacyRevisionFileName(const QString &fileName);

// Python's str.strip() whitespace set, for docstrings.
QString pyStrip(const QString &s);

} // namespace retort::core
