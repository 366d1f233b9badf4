#pragma once

#include "result.h"

#include <QString>
#include <QStringList>

namespace retort::core {

// How to start the project's Alembic: a program and the arguments that come before
// Alembic's own (e.g. "/srv/app/.venv/bin/python", {"-m", "alembic"}).
struct AlembicCommand
{
    QString program;
    QStringList prefix;
    QString version;      // "1.8.1"
    QString description;  // where it was found, for the status bar

    QString display() const { return (QStringList{program} + prefix).join(QLatin1Char(' ')); }
};

// Finds the Alembic the project's developers run: an explicit choice, a virtualenv in or
// above the project folder (venv/, .venv/, env/, also one level down as in backend/venv),
// `alembic` on PATH, then `python3 -m alembic`. Each candidate is asked for its version.
class AlembicLocator
{
public:
    // `configured`: a python interpreter or an alembic executable chosen by the user (optional).
    static Result<AlembicCommand> locate(const QString &projectDir, const QString &configured = QString());
    static Result<AlembicCommand> probe(const QString &program, const QStringList &prefix, const QString &description);
};

} // namespace retort::core
