#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace retort::core {

// What went wrong, for a person to read: the message names the thing and the fix,
// detail carries what a driver or tool said, file/line point at the source when known.
struct Error
{
    enum class Code {
        None,
        Config,          // alembic.ini / pyproject.toml missing or unusable
        Parse,           // a revision file that cannot be read statically
        Revision,        // the revision map is broken (missing parent, cycle, label clash)
        Resolution,      // a target that names nothing, or names several things
        MultipleHeads,
        Range,           // a range or plan whose ends do not relate
        Database,        // connection or query failure
        Authentication,  // a connect the server refused for its credentials (missing or wrong password)
        Timeout,         // a server that did not answer in time (it may have taken the connection and hung)
        Io,
        Usage,
        Refused,         // a \d pattern psql itself refuses (too many dotted names, another database, a regular
                         // expression the server cannot compile): the message is psql's line, exit status 1
    };

    Code code = Code::None;
    QString message;
    QString detail;
    QString file;
    int line = 0;
    // The Python exception Alembic raises here, when it is not a CommandError (empty: a
    // CommandError, which Alembic's command line prints as "FAILED: message", exit status
    // 255). A RevisionError class (isRevisionErrorClass) is one of the revision map that
    // Alembic turns into a CommandError only inside ScriptDirectory._catch_revision_errors;
    // any other name escapes Alembic's command line: a traceback, exit status 1.
    QString exception;

    bool isValid() const { return code != Code::None; }
};

// RevisionError and its subclasses in alembic.script.revision.
inline bool isRevisionErrorClass(const QString &exception)
{
    static const char *const names[] = {"RevisionError", "RangeNotAncestorError", "MultipleHeads", "ResolutionError",
                                        "CycleDetected", "DependencyCycleDetected", "LoopDetected", "DependencyLoopDetected"};
    for (const char *n : names)
        if (exception == QLatin1String(n))
            return true;
    return false;
}

inline Error makeError(Error::Code code, QString message, QString file = {}, int line = 0)
{
    Error e;
    e.code = code;
    e.message = std::move(message);
    e.file = std::move(file);
    e.line = line;
    return e;
}

// Either a value or an Error. Every fallible core call returns one; nothing throws.
template<typename T>
class Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool isOk() const { return m_data.index() == 0; }
    explicit operator bool() const { return isOk(); }

    T &value() { return std::get<0>(m_data); }
    const T &value() const { return std::get<0>(m_data); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

} // namespace retort::core
