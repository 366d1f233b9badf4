#pragma once

#include "python/source.h"

#include <QString>
#include <QVersionNumber>

namespace retort::core {

// Which Alembic, on which Python and SQLAlchemy, the project's developers run — read from
// the files of the installation (no Python is started), because a few read answers depend
// on it and Retort must answer as that Alembic would:
//   - Alembic >= 1.10 lists each version folder in sorted order (os.walk + sorted(files))
//     and names each revision by its real path; older ones use os.listdir order and the
//     path as found.
//   - Python >= 3.13 cleans every docstring when it compiles a module (tabs expanded, the
//     common indentation of the lines after the first removed), so Script.doc differs.
//   - Revision files are parsed with that Python's grammar (3.12+: PEP 701 f-strings and
//     PEP 695 type parameters; 3.13: type parameter defaults) and its error messages.
//   - Alembic >= 1.9, or SQLAlchemy >= 2.0, shows a password in `current` as ***; Alembic
//     1.8 on SQLAlchemy 1.4 as XXXXX.
// Found in the order AlembicLocator looks for the Alembic to run: a virtualenv in or above
// the project folder, `alembic` on PATH, `python3 -m alembic`. When none is found, or
// RETORT_ALEMBIC_FLAVOR says otherwise ("alembic=1.8.1 python=3.11 sqlalchemy=1.4"), the
// values given (or the newest behaviour) are used.
struct AlembicFlavor
{
    QVersionNumber alembic;
    QVersionNumber python;
    QVersionNumber sqlalchemy;
    QString interpreter; // the Python it was read from; empty when nothing was found

    bool listsSorted() const { return alembic >= QVersionNumber(1, 10); }
    bool usesRealPaths() const { return alembic >= QVersionNumber(1, 10); }
    // Alembic 1.16's path_separator option and version_path_separator = newline.
    bool readsPathSeparator() const { return alembic >= QVersionNumber(1, 16); }
    // Alembic 1.16's [tool.alembic] table in pyproject.toml; 1.13 reads alembic.ini alone.
    bool readsPyproject() const { return alembic >= QVersionNumber(1, 16); }
    bool cleansDocstrings() const { return python >= QVersionNumber(3, 13); }
    // The grammar, tokenizer and error messages of that Python (what its import accepts).
    python::PythonVersion grammar() const
    {
        return python.isNull() ? python::NewestPython : python::pythonVersion(python.majorVersion(), python.minorVersion());
    }
    QString passwordMask() const
    {
        return alembic >= QVersionNumber(1, 9) || sqlalchemy >= QVersionNumber(2) ? QStringLiteral("***")
                                                                                  : QStringLiteral("XXXXX");
    }
    QString describe() const;

    // Debian 13's: Alembic 1.13.2, Python 3.13, SQLAlchemy 2.0.
    static AlembicFlavor newest();
    // For a project folder (cached per folder for the life of the process).
    static AlembicFlavor forProject(const QString &projectDir);
    // The same, from one interpreter (a python executable or an alembic script's #! line).
    static AlembicFlavor fromProgram(const QString &program);
};

// Python 3.13's compile-time docstring cleaning (what `__doc__` holds on 3.13+).
QString cleanDocstring(const QString &doc);

} // namespace retort::core
