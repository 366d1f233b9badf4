#include "revisionfile.h"

#include "alembicflavor.h"
#include "contenthash.h"

#include <QHash>
#include <QRegularExpression>
#include <QVarLengthArray>

#include "python/syntaxtree.h"

#include <array>
#include <vector>

namespace retort::core {

namespace {

// Python's str.isspace() for the characters that matter in source text.
bool isPySpace(QChar c)
{
    return c.isSpace() || c == QChar(0x1c) || c == QChar(0x1d) || c == QChar(0x1e) || c == QChar(0x1f);
}

} // namespace

QStringList PyValue::toTuple() const
{
    switch (kind) {
    case Kind::None: return {};
    case Kind::String: return {string};
    case Kind::Sequence: return items;
    }
    return {};
}

QString pyStrip(const QString &s)
{
    qsizetype b = 0, e = s.size();
    while (b < e && isPySpace(s.at(b)))
        ++b;
    while (e > b && isPySpace(s.at(e - 1)))
        --e;
    return s.mid(b, e - b);
}

QString RevisionFile::doc() const
{
    const qsizetype cut = longDoc.indexOf(QStringLiteral("\n\n"));
    return cut < 0 ? longDoc : longDoc.left(cut);
}

QStringView RevisionFile::docView() const
{
    // Up to the first blank line ("\n\n"); a plain scan, as this runs once per history line.
    const QChar *begin = longDoc.constData();
    const qsizetype n = longDoc.size();
    for (qsizetype i = 0; i + 1 < n; ++i)
        if (begin[i] == u'\n' && begin[i + 1] == u'\n')
            return QStringView(begin, i);
    return QStringView(longDoc);
}

QString RevisionFile::createDate() const
{
    static const QRegularExpression re(QStringLiteral("^Create Date: *(.*)$"),
                                       QRegularExpression::MultilineOption);
    const auto m = re.match(longDoc);
    return m.hasMatch() ? m.captured(1).trimmed() : QString();
}

bool RevisionFile::isUsable() const
{
    for (const Diagnostic &d : problems)
        if (d.severity == Diagnostic::Severity::Error)
            return false;
    return true;
}


namespace {

using python::Field;
using python::NodeKind;
using python::SyntaxTree;

QString qstring(std::string_view v)
{
    return QString::fromUtf8(v.data(), qsizetype(v.size()));
}

// What the module's top-level statements bound so far: readable values, and imports.
struct Scope
{
    std::vector<std::pair<std::string_view, PyValue>> known;
    // `import a.b as x` binds x to module a.b; `from a.b import c` binds c to attribute c of a.b.
    // Views into the tree's text (the scope never outlives the tree), made QStrings only
    // when a reference is read through them.
    struct Imported { std::string_view alias; std::string_view module; std::string_view name; };
    std::vector<Imported> imports;

    // A revision file assigns the four identifiers and imports a few names: one allocation
    // each instead of three growths.
    Scope()
    {
        known.reserve(4);
        imports.reserve(8);
    }

    void set(std::string_view name, const std::optional<PyValue> &value)
    {
        for (auto it = known.begin(); it != known.end(); ++it) {
            if (it->first == name) {
                if (value)
                    it->second = *value;
                else
                    known.erase(it);
                return;
            }
        }
        if (value)
            known.emplace_back(name, *value);
    }
    void forgetImport(std::string_view name)
    {
        imports.erase(std::remove_if(imports.begin(), imports.end(), [&](const Imported &i) { return i.alias == name; }), imports.end());
    }
};

class Evaluator
{
public:
    Evaluator(const SyntaxTree &tree, const Scope &scope)
        : t(tree), m_scope(scope), m_mayHaveNamedEscape(tree.text().find("\\N{") != std::string::npos)
    {
    }

    // A \N{NAME} escape met in a string (Retort has no table of Unicode's names to decode it).
    bool sawNamedEscape = false;
    bool namedEscape(int n) const
    {
        if (!m_mayHaveNamedEscape) // nearly every file: no \N{ anywhere in it
            return false;
        const std::string &text = t.text();
        for (const SyntaxTree::Literal &l : t.literals(n)) {
            if (l.bytes)
                continue;
            const std::string_view prefix(text.data() + l.start, l.bodyStart - l.start);
            if (prefix.find_first_of("rR") != std::string_view::npos)
                continue;
            const std::string_view body(text.data() + l.bodyStart, l.bodyEnd - l.bodyStart);
            for (size_t i = 0; i + 2 < body.size(); ++i) {
                if (body[i] != '\\')
                    continue;
                if (body[i + 1] == 'N' && body[i + 2] == '{')
                    return true;
                ++i;   // an escaped character, maybe a backslash
            }
        }
        return false;
    }

    // None, a string, or a tuple/list of strings; references to other modules' constants.
    std::optional<PyValue> value(int n)
    {
        const python::Node &x = t.node(n);
        switch (x.kind) {
        case NodeKind::Constant:
            if (t.constantKind(n) == python::ConstantKind::None)
                return PyValue{};
            [[fallthrough]];
        case NodeKind::JoinedStr: {
            if (namedEscape(n)) {
                sawNamedEscape = true;
                return std::nullopt;
            }
            const auto s = t.stringValue(n);
            if (!s)
                return std::nullopt;
            PyValue v;
            v.kind = PyValue::Kind::String;
            v.string = *s;
            return v;
        }
        case NodeKind::Set: {
            // util.to_tuple takes a set's items in its iteration order: hash order, which only
            // a set of one string fixes.
            int items = 0;
            for (int c : t.children(n)) {
                (void)c;
                ++items;
            }
            if (items != 1)
                return std::nullopt;
            [[fallthrough]];
        }
        case NodeKind::Tuple: case NodeKind::List: {
            PyValue seq;
            seq.kind = PyValue::Kind::Sequence;
            for (int c : t.children(n)) {
                const auto item = value(c);
                if (!item || item->kind != PyValue::Kind::String)
                    return std::nullopt; // Alembic needs strings; None inside a tuple is not a revision
                for (PyValue::Reference r : item->references) {
                    r.index = int(seq.items.size());
                    seq.references.append(r);
                }
                seq.items.append(item->string);
            }
            return seq;
        }
        case NodeKind::Name: {
            const std::string_view name = t.name(n);
            for (const auto &[k, v] : m_scope.known)
                if (k == name)
                    return v;
            for (const Scope::Imported &imp : m_scope.imports) {
                if (imp.alias != name)
                    continue;
                if (imp.name.empty())
                    return std::nullopt; // a module is not a revision id
                return reference(qstring(imp.module), qstring(imp.name));
            }
            return std::nullopt;
        }
        case NodeKind::Attribute: {
            // module.NAME or package.module.NAME through an imported name
            QStringList chain{t.qname(n)};
            int base = x.first;
            while (t.node(base).kind == NodeKind::Attribute) {
                chain.prepend(t.qname(base));
                base = t.node(base).first;
            }
            if (t.node(base).kind != NodeKind::Name)
                return std::nullopt;
            for (const Scope::Imported &imp : m_scope.imports) {
                if (imp.alias != t.name(base))
                    continue;
                QStringList module = qstring(imp.module).split(QLatin1Char('.'));
                if (!imp.name.empty())
                    module.append(qstring(imp.name));
                module.append(chain.mid(0, chain.size() - 1));
                return reference(module.join(QLatin1Char('.')), chain.last());
            }
            return std::nullopt;
        }
        default:
            return std::nullopt;
        }
    }

private:
    const SyntaxTree &t;
    const Scope &m_scope;
    const bool m_mayHaveNamedEscape;  // the text has a \N{ somewhere

    static PyValue reference(const QString &module, const QString &name)
    {
        PyValue v;
        v.kind = PyValue::Kind::String;
        v.references.append({-1, module, name});
        return v;
    }
};

bool isTrivialBody(const SyntaxTree &t, int function)
{
    for (int c : t.children(function)) {
        if (t.node(c).field != Field::Body)
            continue;
        const NodeKind k = t.node(c).kind;
        if (k == NodeKind::Pass)
            continue;
        if (k == NodeKind::Expr) {
            const int v = t.node(c).first;
            const NodeKind vk = t.node(v).kind;
            if (vk == NodeKind::Constant || vk == NodeKind::JoinedStr)
                continue; // docstrings, other strings, `...`
        }
        return false;
    }
    return true;
}

QString syntaxErrorMessage(const python::SyntaxError &e)
{
    if (e.line > 0)
        return QStringLiteral("%1: %2 (line %3, column %4).").arg(e.type, e.message, QString::number(e.line), QString::number(std::max(e.column, 0)));
    return QStringLiteral("%1: %2.").arg(e.type, e.message);
}

const char *compoundKeyword(NodeKind k)
{
    switch (k) {
    case NodeKind::If: return "if";
    case NodeKind::While: return "while";
    case NodeKind::For: return "for";
    case NodeKind::AsyncFor: return "async for";
    case NodeKind::With: return "with";
    case NodeKind::AsyncWith: return "async with";
    case NodeKind::Try: case NodeKind::TryStar: return "try";
    case NodeKind::Match: return "match";
    default: return "statement";
    }
}

// The names a compound statement (if, try, for, while, with, match) may bind, at any depth
// below it but not inside a function or class body, with the line that binds each: which
// of its branches runs, and how often, only running the module tells.
void namesBoundIn(const SyntaxTree &t, int st, std::vector<std::pair<std::string_view, int>> &out)
{
    auto targets = [&](auto &self, int e, int line) -> void {
        const NodeKind k = t.node(e).kind;
        if (k == NodeKind::Name)
            out.emplace_back(t.name(e), line);
        else if (k == NodeKind::Tuple || k == NodeKind::List || k == NodeKind::Starred)
            for (int c : t.children(e))
                self(self, c, line);
    };
    if (t.node(st).kind == NodeKind::For || t.node(st).kind == NodeKind::AsyncFor)
        for (int x : t.children(st))
            if (t.node(x).field == Field::Target)
                targets(targets, x, t.node(st).line);
    for (int c : t.children(st)) {
        const python::Node &n = t.node(c);
        switch (n.kind) {
        case NodeKind::Assign: case NodeKind::AnnAssign: case NodeKind::AugAssign:
            for (int x : t.children(c))
                if (t.node(x).field == Field::Targets || t.node(x).field == Field::Target)
                    targets(targets, x, n.line);
            break;
        case NodeKind::Import: case NodeKind::ImportFrom:
            for (int a : t.children(c)) {
                if (t.node(a).name2End > t.node(a).name2Start)
                    out.emplace_back(t.name2(a), n.line);  // `as` name
                else if (n.kind == NodeKind::Import)
                    out.emplace_back(t.name(a).substr(0, t.name(a).find('.')), n.line);
                else if (t.name(a) != "*")
                    out.emplace_back(t.name(a), n.line);
            }
            break;
        case NodeKind::FunctionDef: case NodeKind::AsyncFunctionDef: case NodeKind::ClassDef:
            out.emplace_back(t.name(c), n.line);
            break;
        case NodeKind::WithItem:
            for (int x : t.children(c))
                if (t.node(x).field == Field::OptionalVars)
                    targets(targets, x, n.line);
            break;
        case NodeKind::ExceptHandler:
            if (n.nameEnd > n.nameStart)
                out.emplace_back(t.name(c), n.line);
            namesBoundIn(t, c, out);
            break;
        case NodeKind::If: case NodeKind::While: case NodeKind::For: case NodeKind::AsyncFor: case NodeKind::With:
        case NodeKind::AsyncWith: case NodeKind::Try: case NodeKind::TryStar: case NodeKind::Match: case NodeKind::MatchCase:
            namesBoundIn(t, c, out);
            break;
        default:
            break;
        }
    }
}

// Names an assignment expression (`:=`) in a simple statement binds at the module's level
// (in a comprehension too; a lambda's are its own).
void walrusNames(const SyntaxTree &t, int st, std::vector<std::pair<std::string_view, int>> &out)
{
    t.visit(st, [&](int n) {
        const python::Node &x = t.node(n);
        if (x.kind == NodeKind::Lambda)
            return false;
        if (x.kind == NodeKind::NamedExpr) {
            const int target = t.child(n, Field::Target);
            if (target >= 0 && t.node(target).kind == NodeKind::Name)
                out.emplace_back(t.name(target), x.line);
        }
        return true;
    });
}

bool isIdentifierName(std::string_view name)
{
    return name == "revision" || name == "down_revision" || name == "branch_labels" || name == "depends_on";
}

// Runs the module's top level as far as the identifiers need: assignments in order,
// imports, the docstring and the two functions.
void readModule(const SyntaxTree &t, RevisionFile *rf, Scope &scope, bool cleanDocstrings = false)
{
    const int module = t.root();
    bool first = true;
    // `:=` is one token: a file without the two characters side by side has no assignment
    // expression to look for (nearly every file; the walk costs a tenth of a cold read).
    const bool mayHaveWalrus = t.text().find(":=") != std::string::npos;
    for (int st : t.children(module)) {
        const python::Node &s = t.node(st);
        if (first && rf && s.kind == NodeKind::Expr && t.node(s.first).kind == NodeKind::Constant) {
            if (const auto doc = t.stringValue(s.first))
                rf->longDoc = pyStrip(cleanDocstrings ? cleanDocstring(*doc) : *doc);
        }
        first = false;
        if (s.kind == NodeKind::Expr || s.kind == NodeKind::Assign || s.kind == NodeKind::AnnAssign
            || s.kind == NodeKind::AugAssign || s.kind == NodeKind::Delete) {
            // `:=` and `del` change what a name holds in ways Retort does not follow: refused
            // (before: a walrus was not seen, a deleted identifier kept its value).
            std::vector<std::pair<std::string_view, int>> bound;
            if (s.kind == NodeKind::Delete) {
                for (int c : t.children(st))
                    if (t.node(c).kind == NodeKind::Name)
                        bound.emplace_back(t.name(c), s.line);
            } else if (mayHaveWalrus) {
                walrusNames(t, st, bound);
            }
            for (const auto &[name, line] : bound) {
                scope.forgetImport(name);
                scope.set(name, std::nullopt);
                if (rf && isIdentifierName(name))
                    rf->problems.append({Diagnostic::Severity::Error, QStringLiteral("unreadable-identifier"),
                                         QStringLiteral("%1 is %2 (line %3); Retort reads identifiers assigned by plain "
                                                        "statements at the module's top level only, without running Python.")
                                             .arg(QString::fromUtf8(name.data(), qsizetype(name.size())),
                                                  s.kind == NodeKind::Delete ? QStringLiteral("deleted by del")
                                                                             : QStringLiteral("assigned by an assignment expression (:=)"),
                                                  QString::number(line)),
                                         rf->path, line, {}});
            }
            if (s.kind == NodeKind::Delete)
                continue;
        }
        switch (s.kind) {
        case NodeKind::Import:
            for (int a : t.children(st)) {
                const std::string_view module = t.name(a);
                if (t.node(a).name2End > t.node(a).name2Start) {
                    scope.forgetImport(t.name2(a));
                    scope.set(t.name2(a), std::nullopt);
                    scope.imports.push_back({t.name2(a), module, {}});
                } else {
                    const std::string_view top = module.substr(0, module.find('.'));
                    scope.forgetImport(top);
                    scope.set(top, std::nullopt);
                    scope.imports.push_back({top, top, {}});
                }
            }
            break;
        case NodeKind::ImportFrom: {
            if (s.flags != 0)
                break; // relative imports are not read
            const std::string_view module = t.name2(st);
            for (int a : t.children(st)) {
                const std::string_view alias = t.node(a).name2End > t.node(a).name2Start ? t.name2(a) : t.name(a);
                if (alias == "*")
                    continue;
                scope.forgetImport(alias);
                scope.set(alias, std::nullopt);
                scope.imports.push_back({alias, module, t.name(a)});
            }
            break;
        }
        case NodeKind::Assign: case NodeKind::AnnAssign: {
            const int value = t.child(st, Field::Value);
            if (value < 0)
                break; // `x: int` binds nothing
            QVarLengthArray<int, 8> targets;   // one, but for `a = b = ...`: no allocation
            for (int c : t.children(st))
                if (t.node(c).field == Field::Targets || t.node(c).field == Field::Target)
                    targets.push_back(c);
            Evaluator ev(t, scope);
            const std::optional<PyValue> v = ev.value(value);
            for (int target : targets) {
                if (t.node(target).kind == NodeKind::Name) {
                    const std::string_view name = t.name(target);
                    scope.set(name, v);
                    scope.forgetImport(name);
                    if (!rf)
                        continue;
                    const bool interesting = name == "revision" || name == "down_revision" || name == "branch_labels" || name == "depends_on";
                    if (!interesting)
                        continue;
                    if (!v) {
                        rf->problems.append({Diagnostic::Severity::Error, QStringLiteral("unreadable-identifier"),
                                             ev.sawNamedEscape
                                                 ? QStringLiteral("%1 is a string with a \\N{...} escape, which Retort does "
                                                                  "not decode; write the character itself.")
                                                       .arg(t.qname(target))
                                                 : QStringLiteral("%1 is assigned an expression Retort cannot read without "
                                                                  "running Python; use a string, a tuple of strings or None.")
                                                       .arg(t.qname(target)),
                                             rf->path, s.line, {}});
                        continue;
                    }
                    if (name == "revision") {
                        if (v->kind != PyValue::Kind::String) {
                            rf->problems.append({Diagnostic::Severity::Error, QStringLiteral("bad-revision-id"),
                                                 QStringLiteral("revision must be a string."), rf->path, s.line, {}});
                            continue;
                        }
                        rf->hasRevision = true;
                        rf->revision = v->string;
                        rf->revisionReference = v->references;
                        rf->revisionLine = s.line;
                    } else if (name == "down_revision") {
                        rf->hasDownRevision = true;
                        rf->downRevision = *v;
                        rf->downRevisionLine = s.line;
                    } else if (name == "branch_labels") {
                        rf->branchLabels = *v;
                        rf->branchLabelsLine = s.line;
                    } else {
                        rf->dependsOn = *v;
                        rf->dependsOnLine = s.line;
                    }
                } else if (t.node(target).kind == NodeKind::Tuple || t.node(target).kind == NodeKind::List) {
                    // a, b = "x", "y": element-wise when both sides are displays of one length
                    std::vector<int> names, values;
                    for (int c : t.children(target))
                        names.push_back(c);
                    if (t.node(value).kind == NodeKind::Tuple || t.node(value).kind == NodeKind::List)
                        for (int c : t.children(value))
                            values.push_back(c);
                    for (size_t i = 0; i < names.size(); ++i) {
                        if (t.node(names[i]).kind != NodeKind::Name)
                            continue;
                        std::optional<PyValue> item;
                        if (values.size() == names.size())
                            item = ev.value(values[i]);
                        scope.set(t.name(names[i]), item);
                        const std::string_view name = t.name(names[i]);
                        if (rf && (name == "revision" || name == "down_revision" || name == "branch_labels" || name == "depends_on"))
                            rf->problems.append({Diagnostic::Severity::Error, QStringLiteral("unreadable-identifier"),
                                                 QStringLiteral("%1 is assigned by unpacking; Retort reads only plain assignments.")
                                                     .arg(t.qname(names[i])),
                                                 rf->path, s.line, {}});
                    }
                }
            }
            break;
        }
        case NodeKind::AugAssign: {
            const int target = t.child(st, Field::Target);
            if (t.node(target).kind == NodeKind::Name) {
                const std::string_view name = t.name(target);
                scope.set(name, std::nullopt);
                if (rf && (name == "revision" || name == "down_revision" || name == "branch_labels" || name == "depends_on"))
                    rf->problems.append({Diagnostic::Severity::Error, QStringLiteral("unreadable-identifier"),
                                         QStringLiteral("%1 is changed by an augmented assignment Retort cannot read without running Python.")
                                             .arg(t.qname(target)),
                                         rf->path, s.line, {}});
            }
            break;
        }
        case NodeKind::FunctionDef: case NodeKind::AsyncFunctionDef: {
            scope.set(t.name(st), std::nullopt);
            if (!rf)
                break;
            // The `def` line (decorators above it do not count), the body's last line.
            int defLine = s.line;
            for (int c : t.children(st))
                if (t.node(c).field == Field::Decorators)
                    defLine = std::max(defLine, t.node(c).endLine + 1);
            if (t.name(st) == "upgrade") {
                rf->upgradeLine = defLine;
                rf->upgradeEndLine = s.endLine;
                rf->upgradeEmpty = isTrivialBody(t, st);
                rf->upgradeNode = st;
            } else if (t.name(st) == "downgrade") {
                rf->downgradeLine = defLine;
                rf->downgradeEndLine = s.endLine;
                rf->downgradeEmpty = isTrivialBody(t, st);
                rf->downgradeNode = st;
            }
            break;
        }
        case NodeKind::ClassDef:
            scope.set(t.name(st), std::nullopt);
            break;
        case NodeKind::If: case NodeKind::While: case NodeKind::For: case NodeKind::AsyncFor: case NodeKind::With:
        case NodeKind::AsyncWith: case NodeKind::Try: case NodeKind::TryStar: case NodeKind::Match: {
            // A name bound in there has a value only running the module gives (an import in a
            // try may fail, an if may not run): unknown from here on, and an identifier bound
            // in there is one Retort cannot read.
            std::vector<std::pair<std::string_view, int>> bound;
            namesBoundIn(t, st, bound);
            for (const auto &[name, line] : bound) {
                scope.forgetImport(name);
                scope.set(name, std::nullopt);
                if (rf && (name == "revision" || name == "down_revision" || name == "branch_labels" || name == "depends_on"))
                    rf->problems.append({Diagnostic::Severity::Error, QStringLiteral("unreadable-identifier"),
                                         QStringLiteral("%1 is assigned inside a compound statement (%2, line %3); Retort "
                                                        "reads identifiers assigned at the module's top level only, without "
                                                        "running Python.")
                                             .arg(QString::fromUtf8(name.data(), qsizetype(name.size())),
                                                  QString::fromUtf8(compoundKeyword(s.kind)), QString::number(s.line)),
                                         rf->path, line, {}});
            }
            break;
        }
        default:
            break;
        }
    }
}

} // namespace

bool isLegacyRevisionFileName(const QString &fileName)
{
    // re.compile(r"([a-f0-9]+)\.py$").match(filename)
    if (!fileName.endsWith(QLatin1String(".py")) || fileName.size() <= 3)
        return false;
    for (qsizetype i = 0; i < fileName.size() - 3; ++i) {
        const QChar c = fileName.at(i);
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    }
    return true;
}

namespace {

// What the file's content says, before the rules that look at its name.
RevisionFile readRevisionContent(std::shared_ptr<const python::SyntaxTree> tree, const QString &path, const QString &fileName,
                                 bool cleanDocstrings = false)
{
    RevisionFile rf;
    rf.path = path;
    rf.fileName = fileName;
    rf.tree = std::move(tree);
    const SyntaxTree &t = *rf.tree;
    if (!t.isValid()) {
        // The import fails in Alembic, so every command does.
        rf.problems.append({Diagnostic::Severity::Error, QStringLiteral("parse-error"), syntaxErrorMessage(t.error()), path,
                            t.error().line, {}, std::max(t.error().column, 0)});
        return rf;
    }
    Scope scope;
    readModule(t, &rf, scope, cleanDocstrings);
    rf.hasReferences = !rf.revisionReference.isEmpty() || !rf.downRevision.references.isEmpty()
        || !rf.branchLabels.references.isEmpty() || !rf.dependsOn.references.isEmpty();
    return rf;
}

} // namespace

void applyFileNameRules(RevisionFile &rf)
{
    if (!rf.hasRevision && rf.problems.isEmpty() && isLegacyRevisionFileName(rf.fileName)) {
        // Script._from_filename: no module-level revision, the id comes from the name.
        rf.hasRevision = true;
        rf.revision = rf.fileName.left(rf.fileName.size() - 3);
        rf.revisionLine = 1;
    }
}

RevisionFile readRevision(std::shared_ptr<const python::SyntaxTree> tree, const QString &path, const QString &fileName)
{
    RevisionFile rf = readRevisionContent(std::move(tree), path, fileName);
    applyFileNameRules(rf);
    return rf;
}

void cleanDocstringAsPython313(RevisionFile &rf)
{
    if (!rf.tree || !rf.tree->isValid())
        return;
    const SyntaxTree &t = *rf.tree;
    for (int st : t.children(t.root())) {
        const python::Node &s = t.node(st);
        if (s.kind == NodeKind::Expr && t.node(s.first).kind == NodeKind::Constant)
            if (const auto doc = t.stringValue(s.first))
                rf.longDoc = pyStrip(cleanDocstring(*doc));
        return; // only the first statement is the docstring
    }
}

RevisionFile parseRevisionContent(std::string_view source, const QString &path, const QString &fileName,
                                  python::PythonVersion version, const RevisionParseOptions &options)
{
    RevisionFile rf = readRevisionContent(SyntaxTree::parse(source, version, options.outline ? python::ParseDepth::Outline : python::ParseDepth::Full), path, fileName, options.cleanDocstrings);
    rf.contentHash = options.contentHash ? *options.contentHash : hashContent(source).a;
    return rf;
}

RevisionFile parseRevisionSource(std::string_view source, const QString &path, const QString &fileName,
                                 python::PythonVersion version, const RevisionParseOptions &options)
{
    RevisionFile rf = parseRevisionContent(source, path, fileName, version, options);
    applyFileNameRules(rf);
    return rf;
}

QHash<QString, PyValue> parseModuleConstants(std::string_view source, python::PythonVersion version)
{
    QHash<QString, PyValue> constants;
    const auto tree = SyntaxTree::parse(source, version);
    if (!tree->isValid())
        return constants;
    Scope scope;
    readModule(*tree, nullptr, scope);
    for (const auto &[name, value] : scope.known)
        constants.insert(QString::fromUtf8(name.data(), qsizetype(name.size())), value);
    return constants;
}

} // namespace retort::core
