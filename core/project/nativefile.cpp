#include "nativefile.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace retort::core {

namespace {

// Length of the valid UTF-8 sequence starting at s[i] (as Python's decoder accepts it:
// no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
int utf8SequenceLength(const unsigned char *s, qsizetype i, qsizetype n)
{
    const unsigned char c = s[i];
    if (c < 0x80)
        return 1;
    auto cont = [&](qsizetype k) { return k < n && (s[k] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF)
        return cont(i + 1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(i + 1) || !cont(i + 2))
            return 0;
        const unsigned char c1 = s[i + 1];
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3))
            return 0;
        const unsigned char c1 = s[i + 1];
        if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

} // namespace

QString decodeFileName(const QByteArray &bytes)
{
    const auto *s = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    QString out;
    qsizetype runStart = 0;
    qsizetype i = 0;
    while (i < n) {
        const int len = utf8SequenceLength(s, i, n);
        if (len > 0) {
            i += len;
            continue;
        }
        out += QString::fromUtf8(bytes.constData() + runStart, i - runStart);
        out += QChar(char16_t(0xDC00 + s[i]));
        ++i;
        runStart = i;
    }
    if (runStart == 0)
        return QString::fromUtf8(bytes);
    out += QString::fromUtf8(bytes.constData() + runStart, n - runStart);
    return out;
}

QByteArray encodeFileName(const QString &name)
{
    qsizetype escaped = 0;
    for (const QChar c : name)
        if (c.unicode() >= 0xDC80 && c.unicode() <= 0xDCFF)
            ++escaped;
    if (escaped == 0)
        return name.toUtf8();
    QByteArray out;
    out.reserve(name.size() + escaped);
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t u = name.at(i).unicode();
        // A lone low surrogate (not the second half of a pair) carries one raw byte.
        const bool pairSecond = i > 0 && name.at(i - 1).isHighSurrogate();
        if (u >= 0xDC80 && u <= 0xDCFF && !pairSecond) {
            out += QStringView(name).mid(runStart, i - runStart).toUtf8();
            out += char(u - 0xDC00);
            runStart = i + 1;
        }
    }
    out += QStringView(name).mid(runStart).toUtf8();
    return out;
}

int openRegularFileForReading(const QString &path, bool keepNonBlocking, struct ::stat *status)
{
    return openRegularFileForReading(encodeFileName(path), keepNonBlocking, status);
}

int openRegularFileForReading(const QByteArray &native, bool keepNonBlocking, struct ::stat *status)
{
    return openRegularFileForReadingAt(AT_FDCWD, native.constData(), keepNonBlocking, status);
}

int openRegularFileForReadingAt(int folder, const char *nativePath, bool keepNonBlocking, struct ::stat *status)
{
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    const int fd = ::openat(folder, nativePath, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return -1;
    struct stat st;
    if (::fstat(fd, &st) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return -1;
    }
    if (status)
        *status = st;
    if (keepNonBlocking)
        return fd;
    // Regular files never block; clear the flag so later reads behave normally.
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

bool openForReading(QFile &file, const QString &path, QString *error)
{
    const int fd = openRegularFileForReading(path);
    if (fd < 0) {
        if (error)
            *error = errno == EINVAL ? QStringLiteral("not a regular file") : QString::fromLocal8Bit(strerror(errno));
        return false;
    }
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

bool fileExists(const QString &path)
{
    struct stat st;
    return ::stat(encodeFileName(path).constData(), &st) == 0;
}

QString realPath(const QString &path)
{
    const QByteArray native = encodeFileName(path);
    char *resolved = ::realpath(native.constData(), nullptr);
    if (!resolved)
        return {};
    const QString out = decodeFileName(QByteArray(resolved));
    std::free(resolved);
    return out;
}

} // namespace retort::core
