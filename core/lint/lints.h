#pragma once

#include "project/scriptdirectory.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <memory>

namespace retort::core {

// A lint rule: stable id, severity, and what to do about it.
struct LintRule
{
    QString id;
    Diagnostic::Severity severity;
    QString summary;
};

// The review rules Retort checks migrations against (see docs/lints.md).
const QList<LintRule> &lintRules();

// Which rules a project switched off: `retort.toml` ([lints] disable = ["id", ...]) beside
// alembic.ini, or a [retort] section in alembic.ini (disable = id, id).
QSet<QString> disabledRules(const ProjectConfig &config);

// Lints of one revision file, judged from its syntax tree (comments and strings are never
// code), honouring `# retort: ignore[rule-id]` comments on the offending line (or the line
// above it).
QList<Diagnostic> lintRevision(const RevisionMap &map, int revision);

// Every lint finding of a project (per-revision rules plus project-wide ones), minus the
// disabled rules. Uses the trees the project holds; reads no file.
QList<Diagnostic> lintProject(const Project &project);

// One run's findings per file, for the next run: a file whose parsed tree (the same object,
// so the same bytes), path and revision id are unchanged keeps its findings unlinted.
struct LintCache
{
    struct Entry
    {
        std::shared_ptr<const python::SyntaxTree> tree;
        QString revision;
        QList<Diagnostic> findings; // before the disabled rules are taken out
    };
    QHash<QString, Entry> files;    // by path
};
// lintProject, reusing `previous` (may be null) and filling `next` for the run after.
QList<Diagnostic> lintProject(const Project &project, const LintCache *previous, LintCache *next);

} // namespace retort::core
