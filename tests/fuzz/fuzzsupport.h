// Shared by the libFuzzer harnesses: each reads one kind of hostile input through the same
// public function the product uses, and must return (no crash, no hang, no sanitizer report).
#pragma once

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

inline QByteArray fuzzBytes(const uint8_t *data, size_t size)
{
    return QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
}

inline QString fuzzText(const uint8_t *data, size_t size)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
}
