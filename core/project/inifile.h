#pragma once

#include "result.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace retort::core {

// An .ini file read the way Python's configparser.ConfigParser reads it
// (BasicInterpolation, lower-cased option names, '#'/';' comment lines,
// indented continuation lines), with `defaults` playing the role of [DEFAULT]
// entries passed to the constructor (Alembic passes `here`).
class IniFile
{
public:
    // `source` names the file in configparser's messages (the path as the user gave it, as
    // Alembic passes it to read()); empty: `path`.
    static Result<IniFile> load(const QString &path, const QHash<QString, QString> &defaults = {},
                                const QString &source = {});
    // `source` names the file in configparser's messages.
    static IniFile fromText(const QString &text, const QHash<QString, QString> &defaults = {},
                            const QString &source = QStringLiteral("<string>"));
    // What configparser's read() raises on the text (DuplicateSectionError, DuplicateOptionError,
    // MissingSectionHeaderError, ParsingError): invalid when it reads. load() returns it.
    const Error &readError() const { return m_readError; }

    bool hasSection(const QString &section) const;
    bool hasOption(const QString &section, const QString &option) const;
    // Interpolated like configparser's BasicInterpolation: an empty optional when the option is
    // absent; an error (Code::Config, configparser's wording) where configparser raises
    // InterpolationDepthError (more than 10 levels), InterpolationMissingOptionError or
    // InterpolationSyntaxError.
    Result<std::optional<QString>> get(const QString &section, const QString &option) const;
    // get() with an interpolation error read as "absent": for Retort's own settings.
    std::optional<QString> value(const QString &section, const QString &option) const;
    std::optional<QString> rawValue(const QString &section, const QString &option) const;
    // configparser's items(section): every option of the section and of [DEFAULT], each
    // interpolated; the first error it would raise.
    Result<QHash<QString, QString>> items(const QString &section) const;
    QStringList sections() const { return m_order; }
    QStringList options(const QString &section) const;

    // configparser.MAX_INTERPOLATION_DEPTH
    static constexpr int MaxInterpolationDepth = 10;

private:
    bool interpolate(const QString &section, const QString &option, const QString &rest, int depth, QString &out,
                     Error &error) const;

    QString m_path;
    Error m_readError;
    QHash<QString, QHash<QString, QString>> m_sections;
    QHash<QString, QString> m_defaults;
    QStringList m_order;
};

} // namespace retort::core
