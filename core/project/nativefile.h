#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

#include <sys/stat.h>

namespace retort::core {

// File names as the file system holds them: bytes. Linux allows any bytes but '/' and NUL,
// so a name need not be UTF-8; Python keeps such bytes through its "surrogateescape" error
// handler (a byte 0x80..0xFF that is not part of valid UTF-8 becomes U+DC80..U+DCFF) and so
// Alembic reads a revision file named "caf\xe9.py". QFile::decodeName turns those bytes into
// U+FFFD, which names no file. These functions do what Python does, both ways, so a name read
// from a directory opens the same file again. Valid UTF-8 decodes exactly as QFile::decodeName.
QString decodeFileName(const QByteArray &bytes);
QByteArray encodeFileName(const QString &name);

// Opens `path` (encoded as above) for reading without blocking: only a regular file opens;
// a FIFO, socket or device is refused at once (errno EINVAL), a directory with EISDIR.
// Returns the descriptor, or -1 with errno set. The caller closes it. With `keepNonBlocking`
// the descriptor keeps O_NONBLOCK (which reads of a regular file ignore): two system calls
// fewer, for a reader that only read()s it (the project loader opens 10,000 files).
// `status`, when given, receives what fstat() said of the opened file.
int openRegularFileForReading(const QString &path, bool keepNonBlocking = false, struct ::stat *status = nullptr);
// The same for a path already in the file system's bytes.
int openRegularFileForReading(const QByteArray &nativePath, bool keepNonBlocking = false, struct ::stat *status = nullptr);
// The same for a path relative to the open folder `folder` (openat(); AT_FDCWD for the working
// directory): the kernel walks only the name below the folder, not every component of the path.
int openRegularFileForReadingAt(int folder, const char *nativePath, bool keepNonBlocking = false,
                                struct ::stat *status = nullptr);

// openRegularFileForReading() into a QFile (which then owns the descriptor), for readers
// that want a QIODevice. On failure the QFile is closed and `error` says why.
bool openForReading(QFile &file, const QString &path, QString *error = nullptr);

// os.path.exists for a path encoded as above.
bool fileExists(const QString &path);

// Python's os.path.realpath for a path encoded as above; empty when it cannot be resolved.
QString realPath(const QString &path);

} // namespace retort::core
