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
    static Result<IniFile> load(const QString &path, const QHash<QString, QString> &defaults = {});
    static IniFile fromText(const QString &text, const QHash<QString, QString> &defaults = {});

    bool hasSection(const QString &section) const;
    bool hasOption(const QString &section, const QString &option) const;
    // Interpolated value; empty optional when the option is absent.
    std::optional<QString> value(const QString &section, const QString &option) const;
    std::optional<QString> rawValue(const QString &section, const QString &option) const;
    QStringList sections() const { return m_order; }
    QStringList options(const QString &section) const;

private:
    QHash<QString, QHash<QString, QString>> m_sections;
    QHash<QString, QString> m_defaults;
    QStringList m_order;
};

} // namespace retort::core
