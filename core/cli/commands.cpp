#include "commands.h"

#include "db/versiontable.h"
#include "graph/dotexport.h"
#include "graph/formatting.h"
#include "graph/lanes.h"
#include "inspect/inspector.h"
#include "lint/lints.h"
#include "run/schemareplay.h"
#include "run/stairway.h"
#include "lint/structure.h"
#include "project/scriptdirectory.h"
#include "git/mergeforecast.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QStringEncoder>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QJsonObject>

#include <functional>
#include <map>

namespace retort::core {

namespace {

const QStringList kCommands = {
    QStringLiteral("history"), QStringLiteral("heads"),  QStringLiteral("branches"), QStringLiteral("current"),
    QStringLiteral("show"),    QStringLiteral("plan"),   QStringLiteral("graph"),    QStringLiteral("check"),
    QStringLiteral("help"),    QStringLiteral("version"), QStringLiteral("describe"), QStringLiteral("stairway"),
    QStringLiteral("diff"),    QStringLiteral("drift"),
};

struct Options
{
    QString config = QStringLiteral("alembic.ini");
    QString section = QStringLiteral("alembic");
    QString url;            // overrides sqlalchemy.url
    QStringList xArgs;      // -x KEY=VALUE, for env.py in the replays (as alembic -x)
    bool json = false;
    bool verbose = false;
    QString command;
    QStringList positional;
    std::map<QString, QString> values; // --opt VALUE
    QStringList flags;                 // --flag
};

QJsonArray changesArray(const QList<SchemaChange> &changes)
{
    QJsonArray a;
    for (const SchemaChange &c : changes)
        a.append(c.toJson());
    return a;
}

class Runner
{
public:
    Runner(const Options &o, const QString &cwd) : m_o(o), m_cwd(cwd) {}

    CommandOutput run();

private:
    void print(const QString &line)
    {
        // Encoded straight into the output (no QByteArray per line).
        const size_t at = m_out.size();
        m_out.resize(at + size_t(m_encoder.requiredSpace(line.size())) + 1);
        char *end = m_encoder.appendToBuffer(m_out.data() + at, line);
        *end++ = '\n';
        m_out.resize(size_t(end - m_out.data()));
    }
    void printJson(const QJsonValue &v)
    {
        const QJsonDocument doc = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
        m_out += doc.toJson(QJsonDocument::Indented).toStdString();
    }
    // As Alembic's command line ends: a CommandError (and a RevisionError raised inside
    // ScriptDirectory._catch_revision_errors, `revisionErrorsCaught`) is "FAILED: message" on
    // stdout and exit status 255; any other exception escapes it: a traceback on stderr (here
    // its last line) and exit status 1. With --json the error object is on stdout instead, and
    // FAILED on stderr (as for describe, which answers as psql does).
    int fail(const Error &e, bool revisionErrorsCaught = true)
    {
        const bool escapes = !e.exception.isEmpty() && !(revisionErrorsCaught && isRevisionErrorClass(e.exception));
        if (escapes) {
            m_err += QStringLiteral("%1: %2\n").arg(e.exception, e.message).toUtf8().toStdString();
        } else {
            // describe answers as psql does: its errors go to stderr.
            std::string &to = m_o.json || m_o.command == QLatin1String("describe") ? m_err : m_out;
            to += QStringLiteral("FAILED: %1\n").arg(e.message).toUtf8().toStdString();
        }
        if (!e.detail.isEmpty())
            m_err += (e.detail + QLatin1Char('\n')).toUtf8().toStdString();
        if (m_o.json) {
            QJsonObject err{{QStringLiteral("message"), e.message}};
            if (!e.file.isEmpty())
                err.insert(QStringLiteral("file"), e.file);
            if (e.line > 0)
                err.insert(QStringLiteral("line"), e.line);
            printJson(QJsonObject{{QStringLiteral("error"), err}});
        }
        return escapes ? 1 : 255;
    }
    int usageError(const QString &message)
    {
        m_err += QStringLiteral("retort: error: %1\n").arg(message).toUtf8().toStdString();
        return 2;
    }
    bool flag(const QString &a, const QString &b = {}) const
    {
        return m_o.flags.contains(a) || (!b.isEmpty() && m_o.flags.contains(b));
    }
    QString value(const QString &a, const QString &b = {}) const
    {
        if (auto it = m_o.values.find(a); it != m_o.values.end())
            return it->second;
        if (auto it = m_o.values.find(b); !b.isEmpty() && it != m_o.values.end())
            return it->second;
        return {};
    }

    bool loadProject();
    bool readCurrent(QStringList &heads);

    int history();
    int heads();
    int branches();
    int current();
    int show();
    int plan();
    int graph();
    int check();
    int checkAgainst();
    int describe();
    int describeCreate(Inspector &inspector, const QString &url);
    int stairway();
    int schemaDiff();
    int drift();

    const Options &m_o;
    QString m_cwd;
    std::string m_out, m_err;
    QStringEncoder m_encoder{QStringConverter::Utf8};
    std::shared_ptr<Project> m_projectHolder;
    Project *m_project = nullptr;
    int m_loadExit = 0;
};

// util.load_python_file's search for env.py: the source, or its compiled form (PEP 3147's
// __pycache__/env.<tag>.pyc, or a legacy env.pyc beside it).
bool hasEnvPy(const QString &scriptLocation)
{
    const QDir dir(scriptLocation);
    if (QFileInfo::exists(dir.filePath(QStringLiteral("env.py"))) || QFileInfo::exists(dir.filePath(QStringLiteral("env.pyc"))))
        return true;
    return !QDir(dir.filePath(QStringLiteral("__pycache__"))).entryList({QStringLiteral("env.*.pyc")}, QDir::Files).isEmpty();
}

bool Runner::loadProject()
{
    auto cfg = ProjectConfig::load(m_o.config, m_o.section, m_cwd);
    if (!cfg) {
        m_loadExit = fail(cfg.error());
        return false;
    }
    // `check --against` reads every revision from git; the folders on disk are not needed.
    const bool gitOnly = m_o.command == QLatin1String("check") && m_o.values.count(QStringLiteral("--against"));
    // Commands that answer from the revision map alone do not keep the syntax trees.
    static const QStringList mapOnly = {QStringLiteral("history"), QStringLiteral("heads"), QStringLiteral("branches"),
                                        QStringLiteral("current"), QStringLiteral("show"), QStringLiteral("plan"),
                                        QStringLiteral("graph")};
    LoadOptions options;
    options.keepSyntaxTrees = !mapOnly.contains(m_o.command);
    auto project = gitOnly ? Result<Project>(Project{*cfg, {}, {}}) : ScriptDirectory::load(*cfg, nullptr, options);
    if (!project) {
        m_loadExit = fail(project.error());
        return false;
    }
    m_projectHolder = std::make_shared<Project>(std::move(*project));
    m_project = m_projectHolder.get();
    for (const Diagnostic &w : m_project->warnings)
        m_err += QStringLiteral("WARNING: %1\n").arg(w.message).toUtf8().toStdString();
    // `current` and `show current` meet the map only after env.py has connected (and, for
    // current -v, printed its heading): they report a broken map themselves, in that order.
    // `history` and `plan` do too: a range's syntax, the database (history -i) and targets
    // Alembic refuses from their text alone ("-1" as an upgrade target) come before the map.
    const bool databaseFirst = m_o.command == QLatin1String("current") || m_o.command == QLatin1String("history")
        || m_o.command == QLatin1String("plan")
        || (m_o.command == QLatin1String("show") && m_o.positional.value(0) == QLatin1String("current"));
    if (!m_project->map.isValid() && m_o.command != QLatin1String("check") && !databaseFirst) {
        // Alembic builds its map on first use: plain `heads` asks for it through get_heads(),
        // outside _catch_revision_errors, so a RevisionError there is not a CommandError.
        const bool caught = m_o.command != QLatin1String("heads") || flag(QStringLiteral("--resolve-dependencies"));
        m_loadExit = fail(m_project->map.loadError(), caught);
        return false;
    }
    for (const Diagnostic &d : m_project->map.diagnostics())
        if (d.rule == QLatin1String("duplicate-revision"))
            m_err += QStringLiteral("WARNING: %1\n").arg(d.message).toUtf8().toStdString();
    return true;
}

bool Runner::readCurrent(QStringList &heads)
{
    const ProjectConfig &cfg = m_project->config;
    if (m_o.url.isEmpty() && !hasEnvPy(cfg.scriptLocation)) {
        // Alembic reads the database through env.py (ScriptDirectory.run_env); without one its
        // ImportError escapes. --url is Retort's own: it reads the database without env.py.
        Error e = makeError(Error::Code::Config, QStringLiteral("Can't find Python file %1")
                                                     .arg(QDir(cfg.scriptLocation).filePath(QStringLiteral("env.py"))));
        e.exception = QStringLiteral("ImportError");
        m_loadExit = fail(e);
        return false;
    }
    VersionTable::Options opt;
    opt.url = m_o.url.isEmpty() ? cfg.sqlalchemyUrl : m_o.url;
    if (m_o.url.isEmpty() && cfg.sqlalchemyUrlError.isValid()) {
        m_loadExit = fail(cfg.sqlalchemyUrlError);
        return false;
    }
    if (opt.url.isEmpty()) {
        m_loadExit = fail(makeError(Error::Code::Config,
                                    QStringLiteral("No database URL: set sqlalchemy.url in %1 or pass --url.")
                                        .arg(cfg.iniPath.isEmpty() ? m_o.config : cfg.iniPath)));
        return false;
    }
    opt.workingDir = m_cwd;
    opt.table = cfg.versionTable;
    opt.schema = cfg.versionTableSchema;
    auto pos = VersionTable::read(opt);
    if (!pos) {
        m_loadExit = fail(pos.error());
        return false;
    }
    heads = pos->heads;
    return true;
}

int Runner::history()
{
    const RevisionMap &map = m_project->map;
    QString base, head;
    const QString range = value(QStringLiteral("-r"), QStringLiteral("--rev-range"));
    const bool hasRange = m_o.values.count(QStringLiteral("-r")) || m_o.values.count(QStringLiteral("--rev-range"));
    if (hasRange) {
        if (!range.contains(QLatin1Char(':'))) {
            return fail(makeError(Error::Code::Usage,
                                  QStringLiteral("History range requires [start]:[end], [start]:, or :[end]")));
        }
        const QStringList parts = range.trimmed().split(QLatin1Char(':'));
        if (parts.size() != 2) {
            // `base, head = rev_range.strip().split(":")`: the ValueError escapes Alembic.
            Error e = makeError(Error::Code::Usage, QStringLiteral("too many values to unpack (expected 2)"));
            e.exception = QStringLiteral("ValueError");
            return fail(e);
        }
        base = parts[0];
        head = parts[1];
    }
    const bool indicate = flag(QStringLiteral("-i"), QStringLiteral("--indicate-current"));
    QStringList current;
    if (indicate || base == QLatin1String("current") || head == QLatin1String("current")) {
        if (!readCurrent(current))
            return m_loadExit;
    }
    Result<std::vector<int>> revs = std::vector<int>{};
    if (base == QLatin1String("current") || head == QLatin1String("current")) {
        const QStringList b = base == QLatin1String("current") ? current : base.isEmpty() ? QStringList() : QStringList{base};
        const QStringList h = head == QLatin1String("current") ? current : head.isEmpty() ? QStringList() : QStringList{head};
        revs = map.walkRevisions(b, h);
    } else {
        revs = map.walkRevisions(base.isEmpty() ? QStringLiteral("base") : base,
                                 head.isEmpty() ? QStringLiteral("heads") : head);
    }
    if (!revs)
        return fail(revs.error());
    QJsonArray arr;
    for (int r : *revs) {
        FormatOptions fo;
        fo.verbose = m_o.verbose;
        fo.includeBranches = fo.includeDoc = fo.includeParents = true;
        fo.current = indicate && current.contains(map.at(r).id);
        if (m_o.json) {
            QJsonObject o = revisionJson(map, r);
            if (indicate)
                o.insert(QStringLiteral("current"), fo.current);
            arr.append(o);
        } else {
            print(cmdFormat(map, r, fo));
        }
    }
    if (m_o.json)
        printJson(arr);
    return 0;
}

int Runner::heads()
{
    const RevisionMap &map = m_project->map;
    std::vector<int> revs;
    if (flag(QStringLiteral("--resolve-dependencies"))) {
        auto r = map.resolve(QStringLiteral("heads"));
        if (!r)
            return fail(r.error());
        revs = *r;
    } else {
        revs = map.heads();
    }
    QJsonArray arr;
    for (int r : revs) {
        FormatOptions fo;
        fo.verbose = m_o.verbose;
        fo.includeBranches = true;
        fo.treeIndicators = false;
        if (m_o.json)
            arr.append(revisionJson(map, r));
        else
            print(cmdFormat(map, r, fo));
    }
    if (m_o.json)
        printJson(arr);
    return 0;
}

int Runner::branches()
{
    const RevisionMap &map = m_project->map;
    auto revs = map.walkRevisions();
    if (!revs)
        return fail(revs.error());
    QJsonArray arr;
    for (int r : *revs) {
        const Revision &rev = map.at(r);
        if (!rev.isBranchPoint())
            continue;
        if (m_o.json) {
            arr.append(revisionJson(map, r));
            continue;
        }
        FormatOptions fo;
        fo.verbose = m_o.verbose;
        fo.includeBranches = true;
        QStringList lines;
        const QString pad(rev.id.size(), QLatin1Char(' '));
        for (const QString &childId : nextRevisionIds(map, r)) {
            const int n = map.indexOf(childId);
            FormatOptions child;
            child.includeBranches = true;
            child.includeDoc = m_o.verbose;
            lines.append(QStringLiteral("%1 -> %2").arg(pad, cmdFormat(map, n, child)));
        }
        print(QStringLiteral("%1\n%2\n").arg(cmdFormat(map, r, fo), lines.join(QLatin1Char('\n'))));
    }
    if (m_o.json)
        printJson(arr);
    return 0;
}

int Runner::current()
{
    QStringList heads;
    if (!readCurrent(heads))
        return m_loadExit;
    const RevisionMap &map = m_project->map;
    if (m_o.verbose && !m_o.json) {
        const QString url = m_o.url.isEmpty() ? m_project->config.sqlalchemyUrl : m_o.url;
        auto parsed = SqlUrl::parse(url);
        // As the project's Alembic renders it: *** (Alembic 1.9+ or SQLAlchemy 2), XXXXX before.
        const QString mask = m_project->config.flavor.passwordMask();
        print(QStringLiteral("Current revision(s) for %1:").arg(parsed ? parsed->masked(mask) : maskPasswords(url, mask)));
    }
    if (!map.isValid())
        return fail(map.loadError());
    auto all = map.allCurrent(heads);
    if (!all)
        return fail(all.error());
    if (m_o.json) {
        QJsonArray arr;
        for (int r : *all)
            arr.append(revisionJson(map, r));
        printJson(QJsonObject{{QStringLiteral("version_table_rows"), QJsonArray::fromStringList(heads)},
                              {QStringLiteral("current"), arr}});
        return 0;
    }
    for (int r : *all) {
        FormatOptions fo;
        fo.verbose = m_o.verbose;
        print(cmdFormat(map, r, fo));
    }
    return 0;
}

int Runner::show()
{
    if (m_o.positional.size() != 1)
        return usageError(QStringLiteral("show takes one revision (e.g. `retort show head`)"));
    const RevisionMap &map = m_project->map;
    Result<std::vector<int>> revs = std::vector<int>{};
    if (m_o.positional.first() == QLatin1String("current")) {
        // alembic show current: the database's heads, each as a log entry (none for an empty database).
        QStringList heads;
        if (!readCurrent(heads))
            return m_loadExit;
        if (!heads.isEmpty() && !map.isValid())
            return fail(map.loadError());
        for (const QString &id : std::as_const(heads)) {
            auto one = map.resolve(id);
            if (!one)
                return fail(one.error());
            revs->insert(revs->end(), one->begin(), one->end());
        }
    } else {
        revs = map.resolve(m_o.positional.first());
    }
    if (!revs)
        return fail(revs.error());
    QJsonArray arr;
    for (int r : *revs) {
        if (r < 0) {
            // Alembic prints the log entry of each revision it found, up to a None (or a
            // string) where the walk went past the base, and fails on that one.
            Error e = makeError(Error::Code::Resolution, QStringLiteral("'%1' walks past the base of the revision graph; there "
                                                                        "is no such revision to show.")
                                                             .arg(m_o.positional.first()));
            e.exception = QStringLiteral("AttributeError");
            if (m_o.json)
                m_out.clear();
            return fail(e);
        }
        if (m_o.json)
            arr.append(revisionJson(map, r));
        else
            print(logEntry(map, r));
    }
    if (m_o.json)
        printJson(arr);
    return 0;
}

int Runner::plan()
{
    if (m_o.positional.size() != 2
        || (m_o.positional[0] != QLatin1String("upgrade") && m_o.positional[0] != QLatin1String("downgrade")))
        return usageError(QStringLiteral("usage: retort plan upgrade|downgrade TARGET [--from REV[,REV...]]"));
    const bool upgrade = m_o.positional[0] == QLatin1String("upgrade");
    const QString target = m_o.positional[1];
    QStringList from;
    if (m_o.values.count(QStringLiteral("--from"))) {
        for (const QString &r : value(QStringLiteral("--from")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (r.trimmed() != QLatin1String("base"))
                from.append(r.trimmed());
        }
    } else if (!readCurrent(from)) {
        return m_loadExit;
    }
    const RevisionMap &map = m_project->map;
    auto steps = upgrade ? map.upgradePlan(target, from) : map.downgradePlan(target, from);
    if (!steps)
        return fail(steps.error());
    if (m_o.json) {
        QJsonArray arr;
        for (const PlanStep &s : *steps) {
            arr.append(QJsonObject{{QStringLiteral("revision"), map.at(s.revision).id},
                                   {QStringLiteral("from"), QJsonArray::fromStringList(s.from)},
                                   {QStringLiteral("to"), QJsonArray::fromStringList(s.to)},
                                   {QStringLiteral("doc"), s.doc},
                                   {QStringLiteral("text"), s.text()}});
        }
        printJson(QJsonObject{{QStringLiteral("direction"), m_o.positional[0]},
                              {QStringLiteral("target"), target},
                              {QStringLiteral("current"), QJsonArray::fromStringList(from)},
                              {QStringLiteral("steps"), arr}});
        return 0;
    }
    for (const PlanStep &s : *steps)
        print(s.text());
    return 0;
}

int Runner::graph()
{
    const QString format = m_o.values.count(QStringLiteral("--format")) ? value(QStringLiteral("--format"))
                                                                        : QStringLiteral("ascii");
    const RevisionMap &map = m_project->map;
    const std::vector<int> order = map.displayOrder();
    if (format == QLatin1String("ascii") && !m_o.json) {
        const std::vector<LaneRow> rows = computeLanes(map, order);
        m_out += renderAsciiGraph(map, rows, [&map](int r) {
                     FormatOptions fo;
                     fo.includeBranches = true;
                     fo.includeDoc = true;
                     return QLatin1Char(' ') + headOnly(map, r, fo);
                 }).toUtf8().toStdString();
        return 0;
    }
    if (format == QLatin1String("dot")) {
        m_out += toDot(map).toUtf8().toStdString();
        return 0;
    }
    if (format == QLatin1String("json") || m_o.json) {
        QJsonArray nodes;
        const std::vector<LaneRow> rows = computeLanes(map, order);
        for (const LaneRow &row : rows) {
            QJsonObject o = revisionJson(map, row.revision);
            o.insert(QStringLiteral("lane"), row.column);
            nodes.append(o);
        }
        QJsonArray heads, bases;
        for (int h : map.heads())
            heads.append(map.at(h).id);
        for (int b : map.bases())
            bases.append(map.at(b).id);
        printJson(QJsonObject{{QStringLiteral("revisions"), nodes},
                              {QStringLiteral("heads"), heads},
                              {QStringLiteral("bases"), bases}});
        return 0;
    }
    return usageError(QStringLiteral("--format takes ascii, dot or json"));
}

int Runner::check()
{
    if (m_o.values.count(QStringLiteral("--against")))
        return checkAgainst();
    const RevisionMap &map = m_project->map;
    const QList<Diagnostic> structural = structuralProblems(*m_project);
    QList<Diagnostic> problems = structural;
    if (!flag(QStringLiteral("--structure-only")))
        problems += lintProject(*m_project);
    int errors = 0;
    QJsonArray arr;
    for (const Diagnostic &d : std::as_const(problems)) {
        const char *sev = d.severity == Diagnostic::Severity::Error ? "error"
                          : d.severity == Diagnostic::Severity::Warning ? "warning" : "info";
        if (d.severity == Diagnostic::Severity::Error)
            ++errors;
        if (m_o.json) {
            arr.append(QJsonObject{{QStringLiteral("severity"), QString::fromLatin1(sev)},
                                   {QStringLiteral("rule"), d.rule},
                                   {QStringLiteral("message"), d.message},
                                   {QStringLiteral("file"), d.file},
                                   {QStringLiteral("line"), d.line},
                                   {QStringLiteral("revision"), d.revision}});
        } else {
            const QString where = d.file.isEmpty() ? QString()
                                  : d.line > 0     ? QStringLiteral("%1:%2: ").arg(d.file, QString::number(d.line))
                                                   : d.file + QStringLiteral(": ");
            print(QStringLiteral("%1%2 [%3] %4").arg(where, QString::fromLatin1(sev), d.rule, d.message));
        }
    }
    if (m_o.json) {
        printJson(QJsonObject{{QStringLiteral("revisions"), map.size()},
                              {QStringLiteral("errors"), errors},
                              {QStringLiteral("problems"), arr}});
    } else if (problems.isEmpty()) {
        print(QStringLiteral("No problems in %1 revisions.").arg(map.size()));
    }
    // Structural problems and lint errors fail; lint warnings and notes do not.
    return (!structural.isEmpty() || errors > 0) ? 1 : 0;
}

// `check --against REF`: git's merge of the checkout into REF, read without touching either.
int Runner::checkAgainst()
{
    const QString target = value(QStringLiteral("--against"));
    if (target.isEmpty())
        return usageError(QStringLiteral("--against takes a branch, tag or commit (e.g. origin/main)"));
    auto forecast = MergeForecast::compute(m_project->config, target, value(QStringLiteral("--ours")));
    if (!forecast)
        return fail(forecast.error());
    const MergeForecast &f = *forecast;
    const QDir cwd(m_cwd);
    auto shown = [&](const QString &path) {
        if (path.isEmpty())
            return path;
        const QString rel = cwd.relativeFilePath(path);
        return rel.startsWith(QLatin1String("..")) ? path : rel;
    };
    for (const Diagnostic &w : f.warnings())
        m_err += QStringLiteral("WARNING: %1\n").arg(w.message).toUtf8().toStdString();
    const QString ours = f.oursIsWorktree() ? QStringLiteral("the checkout") : value(QStringLiteral("--ours"));
    auto headList = [&](const QStringList &ids) { return ids.isEmpty() ? QStringLiteral("none") : ids.join(QStringLiteral(", ")); };
    QStringList mergedIds;
    for (const ForecastHead &h : f.mergedHeads())
        mergedIds.append(h.revision);

    if (m_o.json) {
        QJsonArray heads, problems, conflicts;
        for (const ForecastHead &h : f.mergedHeads()) {
            heads.append(QJsonObject{{QStringLiteral("revision"), h.revision},
                                     {QStringLiteral("file"), shown(h.file)},
                                     {QStringLiteral("down_revisions"), QJsonArray::fromStringList(h.downRevisions)},
                                     {QStringLiteral("side"), h.yours ? QStringLiteral("yours") : QStringLiteral("target")}});
        }
        for (const ForecastProblem &p : f.problems()) {
            problems.append(QJsonObject{{QStringLiteral("rule"), p.rule},
                                        {QStringLiteral("message"), p.message},
                                        {QStringLiteral("revision"), p.revision},
                                        {QStringLiteral("file"), shown(p.file)},
                                        {QStringLiteral("line"), p.line},
                                        {QStringLiteral("parent"), p.parent},
                                        {QStringLiteral("suggested_parents"), QJsonArray::fromStringList(p.suggestedParents)}});
        }
        for (const GitConflict &c : f.conflicts()) {
            conflicts.append(QJsonObject{{QStringLiteral("path"), shown(c.path)},
                                         {QStringLiteral("ancestor"), shown(c.ancestorPath)},
                                         {QStringLiteral("ours"), shown(c.ourPath)},
                                         {QStringLiteral("target"), shown(c.theirPath)},
                                         {QStringLiteral("message"), c.message}});
        }
        printJson(QJsonObject{{QStringLiteral("against"), target},
                              {QStringLiteral("target_commit"), f.targetCommit()},
                              {QStringLiteral("merge_base"), f.baseCommit()},
                              {QStringLiteral("ours"), f.oursIsWorktree() ? QStringLiteral("worktree") : value(QStringLiteral("--ours"))},
                              {QStringLiteral("target_heads"), QJsonArray::fromStringList(f.targetHeads())},
                              {QStringLiteral("merged_heads"), heads},
                              {QStringLiteral("new_revisions"), QJsonArray::fromStringList(f.newRevisions())},
                              {QStringLiteral("target_only"), QJsonArray::fromStringList(f.targetOnly())},
                              {QStringLiteral("conflicts"), conflicts},
                              {QStringLiteral("problems"), problems},
                              {QStringLiteral("ok"), f.isClean()}});
        return f.isClean() ? 0 : 1;
    }
    for (const ForecastProblem &p : f.problems()) {
        const QString where = p.file.isEmpty() ? QString()
                              : p.line > 0     ? QStringLiteral("%1:%2: ").arg(shown(p.file), QString::number(p.line))
                                               : shown(p.file) + QStringLiteral(": ");
        QString message = p.message;
        if (!p.file.isEmpty())
            message.replace(p.file, shown(p.file));
        for (const ForecastHead &h : f.mergedHeads())
            message.replace(h.file, shown(h.file));
        print(QStringLiteral("%1error [%2] %3").arg(where, p.rule, message));
    }
    print(QStringLiteral("%1 has %2 head%3 (%4); merging %5 into it leaves %6 (%7); %8 new on this branch.")
              .arg(target, QString::number(f.targetHeads().size()),
                   f.targetHeads().size() == 1 ? QString() : QStringLiteral("s"), headList(f.targetHeads()), ours,
                   QString::number(mergedIds.size()), headList(mergedIds), QString::number(f.newRevisions().size())));
    return f.isClean() ? 0 : 1;
}

int Runner::describe()
{
    // psql's \d family against the project's database (or --url), without a display.
    QString url = m_o.url;
    QString workingDir = m_cwd;
    if (url.isEmpty()) {
        auto cfg = ProjectConfig::load(m_o.config, m_o.section, m_cwd);
        if (!cfg)
            return fail(cfg.error());
        url = cfg->sqlalchemyUrl;
        if (cfg->sqlalchemyUrlError.isValid())
            return fail(cfg->sqlalchemyUrlError);
        if (url.isEmpty())
            return fail(makeError(Error::Code::Config, QStringLiteral("No database URL: set sqlalchemy.url in %1 or pass --url.")
                                                           .arg(cfg->iniPath)));
    }
    QString command;
    if (m_o.values.count(QStringLiteral("--command"))) {
        command = value(QStringLiteral("--command"));
    } else {
        command = flag(QStringLiteral("--plus")) || flag(QStringLiteral("-p")) ? QStringLiteral("\\d+") : QStringLiteral("\\d");
        if (!m_o.positional.isEmpty())
            command += QLatin1Char(' ') + m_o.positional.join(QLatin1Char(' '));
    }
    auto inspector = Inspector::connect(url, workingDir);
    if (!inspector)
        return fail(inspector.error());
    if (flag(QStringLiteral("--create")))
        return describeCreate(**inspector, url);
    auto parsed = DescribeCommand::parse(command);
    if (!parsed)
        return fail(parsed.error());
    for (const QString &e : std::as_const(parsed->scanErrors))
        m_err += e.toUtf8().toStdString() + '\n';
    auto text = (*inspector)->run(*parsed);
    // psql eats the arguments after the pattern once the command has run, warning of each.
    auto warn = [&] {
        for (const QString &w : std::as_const(parsed->warnings))
            m_err += w.toUtf8().toStdString() + '\n';
    };
    if (!text) {
        const Error::Code code = text.error().code;
        if (code == Error::Code::Resolution || code == Error::Code::Refused) {
            // psql's words, on stderr. psql's \d NAME fails (exit status 1) when nothing matches;
            // its list commands (\d, \dt, \di, ... listTables) say so and succeed.
            m_err += text.error().message.toUtf8().toStdString() + '\n';
            warn();
            return code == Error::Code::Resolution && parsed->kind == DescribeCommand::Kind::ListRelations ? 0 : 1;
        }
        return fail(text.error());
    }
    warn();
    if (m_o.json) {
        printJson(QJsonObject{{QStringLiteral("command"), command}, {QStringLiteral("text"), *text}});
        return 0;
    }
    m_out += text->toUtf8().toStdString();
    return 0;
}

// `describe --create NAME`: the statements that create NAME (MySQL's SHOW CREATE text).
int Runner::describeCreate(Inspector &inspector, const QString &url)
{
    if (m_o.positional.size() != 1 || m_o.values.count(QStringLiteral("--command")))
        return usageError(QStringLiteral("describe --create takes one table, view or sequence name (e.g. "
                                         "`retort describe --create orders`)"));
    const QString name = m_o.positional.first();
    auto text = inspector.createStatements(name);
    if (!text) {
        if (text.error().code == Error::Code::Resolution || text.error().code == Error::Code::Refused) {
            m_err += text.error().message.toUtf8().toStdString() + '\n';
            return 1;
        }
        return fail(text.error());
    }
    if (m_o.json) {
        auto parsed = SqlUrl::parse(url);
        printJson(QJsonObject{{QStringLiteral("name"), name},
                              {QStringLiteral("database"), parsed ? parsed->masked() : maskPasswords(url)},
                              {QStringLiteral("create"), *text}});
        return 0;
    }
    m_out += text->toUtf8().toStdString();
    return 0;
}

int Runner::stairway()
{
    auto alembic = AlembicLocator::locate(m_project->config.baseDir, value(QStringLiteral("--alembic")));
    if (!alembic)
        return fail(alembic.error());
    Stairway stairway(*m_project, *alembic);
    if (!m_o.url.isEmpty())
        stairway.setBaseUrl(m_o.url);
    stairway.setXArguments(m_o.xArgs);
    stairway.setProgress([this](int done, int total, const QString &revision) {
        if (!revision.isEmpty() && !m_o.json)
            std::fprintf(stderr, "[%d/%d] %s\n", done + 1, total, qPrintable(revision));
    });
    auto steps = stairway.run();
    if (!steps)
        return fail(steps.error());
    int failed = 0;
    QJsonArray arr;
    for (const StairwayStep &st : *steps) {
        const char *status = st.status == StairwayStep::Status::Passed ? "pass" : st.status == StairwayStep::Status::Failed ? "FAIL" : "skip";
        if (st.status == StairwayStep::Status::Failed)
            ++failed;
        if (m_o.json) {
            arr.append(QJsonObject{{QStringLiteral("revision"), st.revision}, {QStringLiteral("message"), st.message},
                                   {QStringLiteral("status"), QString::fromLatin1(status).toLower()},
                                   {QStringLiteral("reason"), st.reason}, {QStringLiteral("diff"), st.diff},
                                   {QStringLiteral("changes"), changesArray(st.changes)},
                                   {QStringLiteral("elapsed_ms"), st.elapsedMs}, {QStringLiteral("log"), st.log}});
            continue;
        }
        print(QStringLiteral("%1  %2  %3%4").arg(QString::fromLatin1(status), st.revision, st.message.section(QLatin1Char('\n'), 0, 0),
                                                 st.reason.isEmpty() ? QString() : QStringLiteral("  (") + st.reason + QLatin1Char(')')));
        if (!st.diff.isEmpty()) {
            for (const QString &line : st.diff.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
                print(QStringLiteral("    ") + line);
        }
        if (st.status == StairwayStep::Status::Failed && st.diff.isEmpty()) {
            const QStringList lines = st.log.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            for (const QString &line : lines.mid(std::max<qsizetype>(0, lines.size() - 8)))
                print(QStringLiteral("    | ") + line);
        }
    }
    if (m_o.json) {
        printJson(QJsonObject{{QStringLiteral("scratch"), stairway.scratchDescription()},
                              {QStringLiteral("failed"), failed},
                              {QStringLiteral("steps"), arr}});
    } else {
        print(QStringLiteral("%1 revisions, %2 failed (%3, removed)")
                  .arg(QString::number(steps->size()), QString::number(failed), stairway.scratchDescription()));
    }
    return failed > 0 ? 1 : 0;
}

int Runner::schemaDiff()
{
    if (m_o.positional.size() != 1)
        return usageError(QStringLiteral("diff needs one revision: retort diff REV"));
    auto alembic = AlembicLocator::locate(m_project->config.baseDir, value(QStringLiteral("--alembic")));
    if (!alembic)
        return fail(alembic.error());
    RevisionDiffer differ(*m_project, *alembic);
    if (!m_o.url.isEmpty())
        differ.setBaseUrl(m_o.url);
    differ.setXArguments(m_o.xArgs);
    if (flag(QStringLiteral("--no-cache")))
        differ.setCacheDir(QString());
    auto d = differ.compute(m_o.positional.first());
    if (!d)
        return fail(d.error());
    // Like stairway's: 1 when the downgrade that undoes exactly REV fails or leaves the schema
    // different from before the upgrade.
    const int status = !d->downgradeTarget.isEmpty() && (!d->downgradeError.isEmpty() || !d->downgradeLeftovers.isEmpty()) ? 1 : 0;
    if (m_o.json) {
        printJson(d->toJson());
        return status;
    }
    print(QStringLiteral("upgrade %1 (%2):").arg(d->revision, d->dialect));
    if (d->upgrade.isEmpty())
        print(QStringLiteral("  no schema change"));
    for (const SchemaChange &c : d->upgrade)
        print(QStringLiteral("  ") + c.text());
    if (d->downgradeTarget.isEmpty()) {
        print(QStringLiteral("downgrade: no downgrade target undoes exactly %1").arg(d->revision));
    } else if (!d->downgradeError.isEmpty()) {
        print(QStringLiteral("downgrade %1 fails: %2").arg(d->downgradeTarget, d->downgradeError));
    } else if (d->downgradeLeftovers.isEmpty()) {
        print(QStringLiteral("downgrade %1: restores the schema").arg(d->downgradeTarget));
    } else {
        print(QStringLiteral("downgrade %1 leaves the schema different from before the upgrade:").arg(d->downgradeTarget));
        for (const SchemaChange &c : d->downgradeLeftovers)
            print(QStringLiteral("  ") + c.text());
    }
    return status;
}

int Runner::drift()
{
    auto alembic = AlembicLocator::locate(m_project->config.baseDir, value(QStringLiteral("--alembic")));
    if (!alembic)
        return fail(alembic.error());
    DriftCheck check(*m_project, *alembic);
    if (!m_o.url.isEmpty())
        check.setUrl(m_o.url);
    check.setXArguments(m_o.xArgs);
    auto r = check.run();
    if (!r)
        return fail(r.error());
    if (m_o.json) {
        printJson(r->toJson());
        return r->hasDrift() ? 1 : 0;
    }
    const QString at = r->recorded.isEmpty() ? QStringLiteral("no revision (base)") : r->recorded.join(QStringLiteral(", "));
    if (!r->hasDrift()) {
        print(QStringLiteral("No drift: the schema of %1 is the one the migrations give at %2.").arg(r->url, at));
        return 0;
    }
    print(QStringLiteral("Drift: %1 is recorded at %2, but its schema differs from the one the migrations give there").arg(r->url, at));
    print(QStringLiteral("(+ only in the database, - only in the migrations, ~ changed):"));
    for (const SchemaChange &c : r->changes)
        print(QStringLiteral("  ") + c.text());
    const QStringList hand = r->handMade();
    if (!hand.isEmpty())
        print(QStringLiteral("Made outside the migrations: %1.").arg(hand.join(QStringLiteral(", "))));
    for (const QString &line : r->advice())
        print(line);
    return 1;
}

CommandOutput Runner::run()
{
    CommandOutput result;
    int code = 0;
    if (m_o.command == QLatin1String("help")) {
        m_out += CommandLine::usage().toUtf8().toStdString();
    } else if (m_o.command == QLatin1String("describe")) {
        code = describe();
    } else if (m_o.command == QLatin1String("version")) {
        print(QStringLiteral("retort %1").arg(QStringLiteral(RETORT_VERSION)));
    } else if (!loadProject()) {
        code = m_loadExit;
    } else {
        static const std::map<QString, int (Runner::*)()> table = {
            {QStringLiteral("history"), &Runner::history}, {QStringLiteral("heads"), &Runner::heads},
            {QStringLiteral("branches"), &Runner::branches}, {QStringLiteral("current"), &Runner::current},
            {QStringLiteral("show"), &Runner::show}, {QStringLiteral("plan"), &Runner::plan},
            {QStringLiteral("graph"), &Runner::graph}, {QStringLiteral("check"), &Runner::check},
            {QStringLiteral("stairway"), &Runner::stairway},
            {QStringLiteral("diff"), &Runner::schemaDiff},
            {QStringLiteral("drift"), &Runner::drift},
        };
        code = (this->*table.at(m_o.command))();
    }
    result.out = std::move(m_out);
    result.err = std::move(m_err);
    result.exitCode = code;
    result.loaded = m_projectHolder;
    return result;
}

// Options that take a value, per position (global or command).
bool takesValue(const QString &opt)
{
    static const QStringList withValue = {
        QStringLiteral("-c"), QStringLiteral("--config"), QStringLiteral("-n"), QStringLiteral("--name"),
        QStringLiteral("-r"), QStringLiteral("--rev-range"), QStringLiteral("--from"), QStringLiteral("--format"),
        QStringLiteral("--url"), QStringLiteral("--command"), QStringLiteral("--alembic"),
        QStringLiteral("--against"), QStringLiteral("--ours"), QStringLiteral("-x"),
    };
    return withValue.contains(opt);
}

} // namespace

bool CommandLine::isHeadless(const QStringList &args)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (takesValue(a)) {
            ++i;
            continue;
        }
        if (a.startsWith(QLatin1Char('-')))
            continue;
        return kCommands.contains(a);
    }
    return false;
}

QStringList CommandLine::commands()
{
    return kCommands;
}

QString CommandLine::usage()
{
    return QStringLiteral(
        "usage: retort [-c CONFIG] [-n NAME] [--json] COMMAND [options]\n"
        "       retort [PROJECT_DIR | -c CONFIG]        open the workbench\n"
        "\n"
        "Reads an Alembic project exactly as Alembic does, without running Python.\n"
        "\n"
        "commands:\n"
        "  history [-r START:END] [-v] [-i]   revisions, newest first (alembic history)\n"
        "  heads [-v] [--resolve-dependencies] current heads (alembic heads)\n"
        "  branches [-v]                      branch points (alembic branches)\n"
        "  current [-v] [--url URL]           the database's revision (alembic current)\n"
        "  show REV                           one revision (alembic show)\n"
        "  plan upgrade|downgrade TARGET [--from REV[,REV...]]\n"
        "                                     the steps alembic would run, one per line\n"
        "  graph [--format ascii|dot|json]    the revision graph\n"
        "  check [--structure-only]           structural problems and review lints; exit 1 on\n"
        "                                     structural problems or lint errors\n"
        "  check --against REF [--ours REV]   what merging the checkout (or REV) into REF does to\n"
        "                                     the heads, read from git; exit 1 when it adds a head,\n"
        "                                     forks a revision REF moved past, or git conflicts\n"
        "  describe [--plus] [PATTERN] [--url URL] [--command '\\dt public.*']\n"
        "                                     the database's structure, as psql's \\d prints it\n"
        "  describe --create NAME [--url URL] the statements that create NAME (MySQL: SHOW CREATE)\n"
        "  stairway [--url URL] [--alembic PROGRAM] [-x KEY=VALUE]\n"
        "                                     upgrade, downgrade, upgrade again every revision on a\n"
        "                                     scratch database; exit 1 if a downgrade does not undo\n"
        "  diff REV [--url URL] [--no-cache] [-x KEY=VALUE]\n"
        "                                     what REV's upgrade changes in the schema, and what its\n"
        "                                     downgrade leaves different (replayed on a scratch database);\n"
        "                                     exit 1 when the downgrade fails or leaves a difference\n"
        "  drift [--url URL] [-x KEY=VALUE]   the database's schema against the one its recorded\n"
        "                                     revision gives; exit 1 when they differ\n"
        "  version                            Retort's version, and the Qt and KSyntaxHighlighting\n"
        "                                     it runs with (also --version)\n"
        "\n"
        "options:\n"
        "  -c, --config FILE   Alembic configuration (default: ./alembic.ini)\n"
        "  -n, --name NAME     section of the configuration (default: alembic)\n"
        "  --json              machine-readable output\n"
        "  -v, --verbose       verbose output, as alembic's\n"
        "  -q, --quiet         nothing on stdout, as alembic -q; the exit status still tells\n"
        "  -x KEY=VALUE        for env.py (context.get_x_argument), as alembic -x; the replays of\n"
        "                      stairway, diff and drift pass it on; repeatable\n"
        "  -h, --help          this text\n"
        "  --version           the version, as the version command\n"
        "\n"
        "exit status:\n"
        "  0     success\n"
        "  1     check or stairway found problems; drift found differences; describe found no such\n"
        "        relation; or where alembic itself would end with a Python traceback (e.g. a\n"
        "        syntax error in a revision file, a missing down revision), the error on stderr\n"
        "  2     a usage error\n"
        "  255   the project or the database could not be read: FAILED: ... on stdout, as alembic\n"
        "        prints it (with --json on stderr, the error object on stdout)\n");
}

CommandOutput CommandLine::run(const QStringList &args, const QString &workingDir)
{
    Options o;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString a = args[i];
        if (a == QLatin1String("--json")) {
            o.json = true;
        } else if (a == QLatin1String("-v") || a == QLatin1String("--verbose")) {
            o.verbose = true;
        } else if (a == QLatin1String("-h") || a == QLatin1String("--help")) {
            o.command = QStringLiteral("help");
        } else if (takesValue(a) || (a.startsWith(QStringLiteral("--")) && a.contains(QLatin1Char('=')))) {
            QString key = a, val;
            if (a.contains(QLatin1Char('=')) && a.startsWith(QStringLiteral("--"))) {
                key = a.left(a.indexOf(QLatin1Char('=')));
                val = a.mid(a.indexOf(QLatin1Char('=')) + 1);
            } else {
                // argparse takes a following "-..." for an option, unless it looks like a
                // negative number ("-1", "-.5"): `history -r -1:` is its usage error too.
                static const QRegularExpression negativeNumber(QStringLiteral("^-\\d+$|^-\\d*\\.\\d+$"));
                if (i + 1 >= args.size()
                    || (args[i + 1].size() > 1 && args[i + 1].startsWith(QLatin1Char('-'))
                        && !negativeNumber.match(args[i + 1]).hasMatch())) {
                    CommandOutput out;
                    out.err = QStringLiteral("retort: error: argument %1: expected one argument\n").arg(a).toStdString();
                    out.exitCode = 2;
                    return out;
                }
                val = args[++i];
            }
            if (key == QLatin1String("-c") || key == QLatin1String("--config"))
                o.config = val;
            else if (key == QLatin1String("-n") || key == QLatin1String("--name"))
                o.section = val;
            else if (key == QLatin1String("--url"))
                o.url = val;
            else if (key == QLatin1String("-x"))
                o.xArgs.append(val);
            else
                o.values[key] = val;
        } else if (a.startsWith(QLatin1String("-x")) && a.size() > 2) {
            o.xArgs.append(a.mid(2)); // -xKEY=VALUE, as argparse takes it
        } else if (a.startsWith(QLatin1Char('-')) && a.size() > 1 && !(a.size() > 1 && a.at(1).isDigit())) {
            o.flags.append(a);
        } else if (o.command.isEmpty()) {
            o.command = a;
        } else {
            o.positional.append(a);
        }
    }
    if (o.command.isEmpty())
        o.command = QStringLiteral("help");
    if (!kCommands.contains(o.command)) {
        CommandOutput out;
        out.err = QStringLiteral("retort: error: unknown command '%1'\n\n%2").arg(o.command, usage()).toUtf8().toStdString();
        out.exitCode = 2;
        return out;
    }
    // The commands that mirror alembic's take no more positional arguments than its argparse
    // does: the rest is its usage error (exit status 2) before anything is read.
    static const std::map<QString, int> alembicPositionals = {
        {QStringLiteral("heads"), 0}, {QStringLiteral("branches"), 0}, {QStringLiteral("current"), 0},
        {QStringLiteral("history"), 0}, {QStringLiteral("show"), 1}};
    if (const auto it = alembicPositionals.find(o.command);
        it != alembicPositionals.end() && o.positional.size() > it->second) {
        CommandOutput out;
        out.err = QStringLiteral("retort: error: unrecognized arguments: %1\n")
                      .arg(o.positional.mid(it->second).join(QLatin1Char(' ')))
                      .toUtf8()
                      .toStdString();
        out.exitCode = 2;
        return out;
    }
    Runner runner(o, workingDir.isEmpty() ? QDir::currentPath() : workingDir);
    CommandOutput out = runner.run();
    // alembic -q: nothing on stdout (its answers and its FAILED line); the exit status stays.
    if (!o.json && (o.flags.contains(QStringLiteral("-q")) || o.flags.contains(QStringLiteral("--quiet"))))
        out.out.clear();
    return out;
}

} // namespace retort::core
