#pragma once

#include "result.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace retort::core {

// The scalar and string-array entries of one TOML table: enough for [tool.alembic].
class TomlTable
{
public:
    bool isEmpty() const { return m_values.isEmpty(); }
    bool contains(const QString &key) const { return m_values.contains(key); }
    bool isList(const QString &key) const { return m_values.value(key).typeId() == QMetaType::QStringList; }
    bool isBool(const QString &key) const { return m_values.value(key).typeId() == QMetaType::Bool; }
    QString string(const QString &key) const;
    QStringList list(const QString &key) const { return m_values.value(key).toStringList(); }
    bool boolean(const QString &key) const { return m_values.value(key).toBool(); }
    void insert(const QString &key, const QVariant &v) { m_values.insert(key, v); }

private:
    QHash<QString, QVariant> m_values;
};

// Reads table `name` (e.g. "tool.alembic") from a TOML file. Missing table: an empty table.
Result<TomlTable> readTomlTable(const QString &path, const QString &name);
TomlTable parseTomlTable(const QString &text, const QString &name, QString *error = nullptr);

} // namespace retort::core
