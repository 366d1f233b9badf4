#include "parsecache.h"

#include "project/alembicflavor.h"
#include "project/nativefile.h"
#include "project/revisionfile.h"

#include "parserfingerprint.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <array>
#include <cstring>
#include <ctime>
#include <limits>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace retort::core {

namespace {

// Bump when what a record holds, or how it is laid out, changes. The parser's own changes
// are caught by RETORT_PARSER_FINGERPRINT (a hash of its sources, made by the build).
constexpr uint32_t kFormat = 3;  // 2: a problem's column; 3: files' stamps after the entries
constexpr char kMagic[8] = {'R', 'E', 'T', 'O', 'R', 'T', 'P', 'C'};
constexpr size_t kHeader = sizeof(kMagic) + 16;  // magic, then the body's checksum
constexpr qint64 kMaxFile = 512ll << 20;

class Writer
{
public:
    std::string out;  // appending to a std::string is a capacity check and a copy
    template <typename T> void put(T v) { out.append(reinterpret_cast<const char *>(&v), sizeof v); }
    void bytes(const char *p, size_t n) { out.append(p, n); }
    void str(const QString &s)
    {
        // UTF-8, length first. ASCII (ids, most docstrings) is copied as it is.
        const char16_t *p = reinterpret_cast<const char16_t *>(s.constData());
        const qsizetype n = s.size();
        if (std::all_of(p, p + n, [](char16_t c) { return c < 0x80; })) {
            put(uint32_t(n));
            const size_t at = out.size();
            out.resize(at + size_t(n));
            std::copy(p, p + n, out.begin() + qsizetype(at));
            return;
        }
        const QByteArray u = s.toUtf8();
        put(uint32_t(u.size()));
        out.append(u.constData(), size_t(u.size()));
    }
    void value(const PyValue &v)
    {
        put(uint8_t(v.kind));
        str(v.string);
        put(uint32_t(v.items.size()));
        for (const QString &i : v.items)
            str(i);
        refs(v.references);
    }
    void refs(const QList<PyValue::Reference> &rs)
    {
        put(uint32_t(rs.size()));
        for (const PyValue::Reference &r : rs) {
            put(int32_t(r.index));
            str(r.module);
            str(r.name);
        }
    }
};

// Reads within [p, end) only; the first read past it fails this and every later read.
class Reader
{
public:
    Reader(const char *p, const char *end) : m_p(p), m_end(end) {}
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_p == m_end; }
    const char *position() const { return m_p; }

    template <typename T> T get()
    {
        T v{};
        if (!take(sizeof v))
            return v;
        std::memcpy(&v, m_p - sizeof v, sizeof v);
        return v;
    }
    std::string_view bytes(size_t n)
    {
        if (!take(n))
            return {};
        return {m_p - n, n};
    }
    QString str()
    {
        const std::string_view u = bytes(get<uint32_t>());
        if (u.empty())
            return {};
        // Nearly every string is ASCII, which Latin-1 widens without decoding.
        size_t i = 0;
        uint64_t high = 0;
        for (; i + 8 <= u.size(); i += 8) {
            uint64_t word;
            std::memcpy(&word, u.data() + i, 8);
            high |= word;
        }
        for (; i < u.size(); ++i)
            high |= (unsigned char)u[i];
        if ((high & 0x8080808080808080ull) == 0)
            return QString::fromLatin1(u.data(), qsizetype(u.size()));
        return QString::fromUtf8(u.data(), qsizetype(u.size()));
    }
    // A count of items that each take at least `least` bytes: more than fit is a lie.
    uint32_t count(size_t least)
    {
        const uint32_t n = get<uint32_t>();
        if (size_t(m_end - m_p) / least < n)
            m_ok = false;
        return m_ok ? n : 0;
    }
    int line() { return std::max<int32_t>(0, get<int32_t>()); }
    PyValue value()
    {
        PyValue v;
        const uint8_t kind = get<uint8_t>();
        if (kind > uint8_t(PyValue::Kind::Sequence))
            m_ok = false;
        v.kind = PyValue::Kind(kind);
        v.string = str();
        for (uint32_t i = 0, n = count(4); i < n; ++i)
            v.items.append(str());
        v.references = refs(v.items.size());
        return v;
    }
    QList<PyValue::Reference> refs(qsizetype items)
    {
        QList<PyValue::Reference> out;
        for (uint32_t i = 0, n = count(12); i < n; ++i) {
            PyValue::Reference r;
            r.index = get<int32_t>();
            if (r.index < -1 || r.index >= items)
                m_ok = false; // resolving it would index past the items
            r.module = str();
            r.name = str();
            out.append(r);
        }
        return out;
    }
    void fail() { m_ok = false; }

private:
    bool take(size_t n)
    {
        if (!m_ok || size_t(m_end - m_p) < n) {
            m_ok = false;
            return false;
        }
        m_p += n;
        return true;
    }
    const char *m_p;
    const char *m_end;
    bool m_ok = true;
};

enum Flag : uint8_t {
    HasRevision = 1,
    HasDownRevision = 2,
    UpgradeEmpty = 4,
    DowngradeEmpty = 8,
    HasReferences = 16,
};

// The fields a record holds in this order, for the writer and the reader alike.
// (const or not: the writer reads through them, the reader writes)
template <typename File> auto assignments(File &f)
{
    return std::array{std::pair{&f.downRevision, &f.downRevisionLine}, std::pair{&f.branchLabels, &f.branchLabelsLine},
                      std::pair{&f.dependsOn, &f.dependsOnLine}};
}

template <typename File> auto functionLines(File &f)
{
    return std::array{&f.upgradeLine, &f.upgradeEndLine, &f.downgradeLine, &f.downgradeEndLine};
}

bool disabledByEnvironment()
{
    const QByteArray v = qgetenv("RETORT_NO_CACHE");
    return !v.isEmpty() && v != "0";
}

QString hex(const ContentHash &h)
{
    return QStringLiteral("%1%2").arg(h.a, 16, 16, QLatin1Char('0')).arg(h.b, 16, 16, QLatin1Char('0'));
}

} // namespace

QString ParseCache::directory()
{
    if (disabledByEnvironment())
        return {};
    const QString own = qEnvironmentVariable("RETORT_CACHE_DIR");
    if (!own.isEmpty())
        return own;
    // XDG: a relative XDG_CACHE_HOME is invalid and ignored.
    const QString xdg = qEnvironmentVariable("XDG_CACHE_HOME");
    if (!xdg.isEmpty() && QDir::isAbsolutePath(xdg))
        return xdg + QStringLiteral("/retort");
    const QString home = qEnvironmentVariable("HOME");
    if (home.isEmpty())
        return {};
    return home + QStringLiteral("/.cache/retort");
}

QByteArray ParseCache::encodeFacts(const RevisionFile &rf)
{
    Writer w;
    w.put(uint8_t((rf.hasRevision ? HasRevision : 0) | (rf.hasDownRevision ? HasDownRevision : 0)
                  | (rf.upgradeEmpty ? UpgradeEmpty : 0) | (rf.downgradeEmpty ? DowngradeEmpty : 0)
                  | (rf.hasReferences ? HasReferences : 0)));
    w.str(rf.revision);
    w.refs(rf.revisionReference);
    w.put(int32_t(rf.revisionLine));
    for (const auto &[value, line] : assignments(rf)) {
        w.value(*value);
        w.put(int32_t(*line));
    }
    w.str(rf.longDoc);
    for (const int *line : functionLines(rf))
        w.put(int32_t(*line));
    w.put(uint32_t(rf.problems.size()));
    for (const Diagnostic &d : rf.problems) {
        w.put(uint8_t(d.severity));
        w.str(d.rule);
        w.str(d.message);
        w.put(int32_t(d.line));
        w.put(int32_t(d.column));
        w.str(d.revision);
    }
    return QByteArray(w.out.data(), qsizetype(w.out.size()));
}

bool ParseCache::decodeFacts(std::string_view record, RevisionFile &rf)
{
    Reader r(record.data(), record.data() + record.size());
    RevisionFile f;
    f.path = rf.path;
    f.fileName = rf.fileName;
    f.contentHash = rf.contentHash;
    const uint8_t flags = r.get<uint8_t>();
    f.hasRevision = flags & HasRevision;
    f.hasDownRevision = flags & HasDownRevision;
    f.upgradeEmpty = flags & UpgradeEmpty;
    f.downgradeEmpty = flags & DowngradeEmpty;
    f.hasReferences = flags & HasReferences;
    f.revision = r.str();
    f.revisionReference = r.refs(0);
    f.revisionLine = r.line();
    for (const auto &[value, line] : assignments(f)) {
        *value = r.value();
        *line = r.line();
    }
    f.longDoc = r.str();
    for (int *line : functionLines(f))
        *line = r.line();
    for (uint32_t i = 0, n = r.count(14); i < n; ++i) {
        Diagnostic d;
        const uint8_t severity = r.get<uint8_t>();
        if (severity > uint8_t(Diagnostic::Severity::Error))
            r.fail();
        d.severity = Diagnostic::Severity(severity);
        d.rule = r.str();
        d.message = r.str();
        d.line = r.line();
        d.column = r.line();
        d.revision = r.str();
        d.file = f.path;
        f.problems.append(d);
    }
    // A revision reference counts as an item of a one-string value (index -1 only).
    for (const PyValue::Reference &ref : std::as_const(f.revisionReference))
        if (ref.index != -1)
            r.fail();
    if (!r.ok() || !r.atEnd())
        return false;
    rf = std::move(f);
    return true;
}

int ParseCache::readEntries(std::string_view bytes, const QByteArray &fingerprint,
                            std::vector<std::pair<Key, std::string_view>> *out, std::vector<StampRow> *stamps)
{
    if (bytes.size() < kHeader || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        return -1;
    ContentHash stored;
    std::memcpy(&stored.a, bytes.data() + 8, 8);
    std::memcpy(&stored.b, bytes.data() + 16, 8);
    const std::string_view body = bytes.substr(kHeader);
    if (hashContent(body) != stored)
        return -1;
    Reader r(body.data(), body.data() + body.size());
    if (r.get<uint32_t>() != kFormat)
        return -1;
    const std::string_view fp = r.bytes(r.get<uint32_t>());
    if (!r.ok() || fp != std::string_view(fingerprint.constData(), size_t(fingerprint.size())))
        return -1;
    const uint32_t n = r.count(28);
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
        Key k;
        k.hash.a = r.get<uint64_t>();
        k.hash.b = r.get<uint64_t>();
        k.size = r.get<uint64_t>();
        const std::string_view record = r.bytes(r.get<uint32_t>());
        if (out && r.ok())
            out->emplace_back(k, record);
    }
    // Then the stamps: path, stat fields, the key of the bytes read under that stamp.
    const uint32_t rows = r.count(4 + 6 * 8 + 3 * 8);
    for (uint32_t i = 0; i < rows && r.ok(); ++i) {
        StampRow row;
        row.path = r.bytes(r.get<uint32_t>());
        for (uint64_t *field : {&row.stamp.device, &row.stamp.inode, &row.stamp.size, &row.stamp.mode})
            *field = r.get<uint64_t>();
        row.stamp.mtimeNs = r.get<int64_t>();
        row.stamp.ctimeNs = r.get<int64_t>();
        row.key.hash.a = r.get<uint64_t>();
        row.key.hash.b = r.get<uint64_t>();
        row.key.size = r.get<uint64_t>();
        if (stamps && r.ok())
            stamps->push_back(row);
    }
    if (!r.ok() || !r.atEnd())
        return -1;
    return int(n);
}

ParseCache::ParseCache(const QString &realFolder, const AlembicFlavor &flavor)
{
    const QString dir = directory();
    if (dir.isEmpty() || realFolder.isEmpty())
        return;
    const QByteArray folder = realFolder.toUtf8();
    m_path = dir + QStringLiteral("/parse-") + hex(hashContent(std::string_view(folder.constData(), size_t(folder.size()))))
        + QStringLiteral(".bin");
    // Everything besides the bytes that a file's facts depend on.
    // The user is part of it: a stamp says the file was readable by whoever read it.
    m_fingerprint = QByteArrayLiteral("parser=") + RETORT_PARSER_FINGERPRINT + " python=" + flavor.python.toString().toUtf8()
        + " cleans-docstrings=" + (flavor.cleansDocstrings() ? "1" : "0") + " uid=" + QByteArray::number(uint(::geteuid()))
        + " folder=" + folder;
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    m_now = int64_t(now.tv_sec) * 1000000000 + now.tv_nsec;

    // Only a regular file is read: a FIFO or a device in its place is refused at once.
    QFile f;
    if (!openForReading(f, m_path) || f.size() > kMaxFile)
        return;
    m_data = f.readAll();
    std::vector<std::pair<Key, std::string_view>> entries;
    std::vector<StampRow> stamps;
    if (readEntries(std::string_view(m_data.constData(), size_t(m_data.size())), m_fingerprint, &entries, &stamps) < 0) {
        m_data.clear();
        return;
    }
    auto place = [](std::vector<uint32_t> &table, uint64_t hash, uint32_t row) {
        const size_t mask = table.size() - 1;
        size_t at = size_t(hash) & mask;
        while (table[at] != 0)
            at = (at + 1) & mask;
        table[at] = row + 1;
    };
    m_entries.reserve(entries.size());
    m_entrySlots = slotsFor(entries.size());
    for (const auto &entry : entries) {
        const Key &key = entry.first;
        if (find(m_entries, m_entrySlots, key.hash.a, [&](const EntryRow &r) { return r.key == key; }))
            continue; // a key twice: the first one serves
        m_entries.push_back({key, entry.second});
        place(m_entrySlots, key.hash.a, uint32_t(m_entries.size() - 1));
    }
    m_used.reset(new std::atomic<bool>[m_entries.size()]);
    for (size_t i = 0; i < m_entries.size(); ++i)
        m_used[i].store(false, std::memory_order_relaxed);
    m_stamps.reserve(stamps.size());
    m_stampSlots = slotsFor(stamps.size());
    for (const StampRow &row : stamps) {
        const uint64_t hash = hashContent(row.path).a;
        if (find(m_stamps, m_stampSlots, hash, [&](const StampRowIn &r) { return r.path == row.path; }))
            continue;
        m_stamps.push_back({row.path, {row.stamp, row.key}});
        place(m_stampSlots, hash, uint32_t(m_stamps.size() - 1));
    }
    m_stampUsed.reset(new std::atomic<bool>[m_stamps.size()]);
    for (size_t i = 0; i < m_stamps.size(); ++i)
        m_stampUsed[i].store(false, std::memory_order_relaxed);
}

std::vector<uint32_t> ParseCache::slotsFor(size_t rows)
{
    size_t n = 16;
    while (n < rows * 2)
        n *= 2;
    return std::vector<uint32_t>(n, 0);
}

ParseCache::Stamp ParseCache::stampOf(const struct ::stat &st)
{
    Stamp s;
    s.device = uint64_t(st.st_dev);
    s.inode = uint64_t(st.st_ino);
    s.size = uint64_t(st.st_size);
    s.mode = uint64_t(st.st_mode);
    s.mtimeNs = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    s.ctimeNs = int64_t(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
    return s;
}

int64_t ParseCache::settleMarginNs()
{
    // Two seconds: above every Linux file system's timestamp granularity (FAT's is two
    // seconds; the others take the kernel's coarse clock, a few milliseconds).
    bool ok = false;
    const int ms = qEnvironmentVariableIntValue("RETORT_CACHE_SETTLE_MS", &ok);
    return ok && ms >= 0 ? int64_t(ms) * 1000000 : int64_t(2000) * 1000000;
}

bool ParseCache::isSettled(const Stamp &stamp) const
{
    const int64_t before = m_now - settleMarginNs();
    return stamp.mtimeNs < before && stamp.ctimeNs < before;
}

const ParseCache::Key *ParseCache::stampedKey(std::string_view nativePath, const Stamp &stamp) const
{
    const StampRowIn *row = find(m_stamps, m_stampSlots, hashContent(nativePath).a,
                                 [&](const StampRowIn &r) { return r.path == nativePath; });
    if (!row || !(row->slot.stamp == stamp))
        return nullptr;
    m_stampUsed[size_t(row - m_stamps.data())].store(true, std::memory_order_relaxed);
    return &row->slot.key;
}

void ParseCache::recordStamp(std::string nativePath, const Stamp &stamp, const Key &key)
{
    if (!isEnabled() || !isSettled(stamp))
        return;
    const StampRowIn *row = find(m_stamps, m_stampSlots, hashContent(nativePath).a,
                                 [&](const StampRowIn &r) { return r.path == nativePath; });
    if (row && row->slot.stamp == stamp && row->slot.key == key) {
        m_stampUsed[size_t(row - m_stamps.data())].store(true, std::memory_order_relaxed);
        return;
    }
    m_addedStamps.emplace_back(std::move(nativePath), StampSlot{stamp, key});
}

ParseCache::~ParseCache() = default;

bool ParseCache::lookup(const Key &key, RevisionFile *rf) const
{
    const EntryRow *row = find(m_entries, m_entrySlots, key.hash.a, [&](const EntryRow &r) { return r.key == key; });
    if (!row || (rf && !decodeFacts(row->record, *rf)))
        return false;
    m_used[size_t(row - m_entries.data())].store(true, std::memory_order_relaxed);
    return true;
}

void ParseCache::insert(const Key &key, QByteArray record)
{
    if (!isEnabled())
        return;
    auto [it, end] = m_addedByHash.equal_range(key.hash.a);
    for (; it != end; ++it)
        if (m_added[it->second].first == key)
            return; // two files with the same bytes
    m_addedByHash.emplace(key.hash.a, m_added.size());
    m_added.emplace_back(key, std::move(record));
}

void ParseCache::save()
{
    if (!isEnabled())
        return;
    bool changed = !m_added.empty() || !m_addedStamps.empty();
    // The rows this load used, in their order; one that went unused means a rewrite.
    auto used = [&changed](const auto &rows, const std::unique_ptr<std::atomic<bool>[]> &flags) {
        std::vector<const typename std::decay_t<decltype(rows)>::value_type *> kept;
        kept.reserve(rows.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            if (flags[i].load(std::memory_order_relaxed))
                kept.push_back(&rows[i]);
            else
                changed = true;
        }
        return kept;
    };
    const auto kept = used(m_entries, m_used);
    const auto keptStamps = used(m_stamps, m_stampUsed);
    if (!changed)
        return;
    // In the order they were read, then the new ones: the file does not churn.
    Writer w;
    // The file's size, near enough, so the buffer is allocated once.
    size_t expected = 64 + size_t(m_fingerprint.size());
    for (const EntryRow *e : kept)
        expected += 32 + e->record.size();
    for (const auto &added : m_added)
        expected += 32 + size_t(added.second.size());
    for (const StampRowIn *row : keptStamps)
        expected += 92 + row->path.size();
    for (const auto &added : m_addedStamps)
        expected += 92 + added.first.size();
    w.out.reserve(expected);
    w.put(kFormat);
    w.put(uint32_t(m_fingerprint.size()));
    w.bytes(m_fingerprint.constData(), size_t(m_fingerprint.size()));
    w.put(uint32_t(kept.size() + m_added.size()));
    auto entry = [&](const Key &k, std::string_view record) {
        w.put(k.hash.a);
        w.put(k.hash.b);
        w.put(k.size);
        w.put(uint32_t(record.size()));
        w.bytes(record.data(), record.size());
    };
    for (const EntryRow *e : kept)
        entry(e->key, e->record);
    for (const auto &[k, r] : m_added)
        entry(k, std::string_view(r.constData(), size_t(r.size())));
    w.put(uint32_t(keptStamps.size() + m_addedStamps.size()));
    auto stampRow = [&](std::string_view path, const StampSlot &slot) {
        w.put(uint32_t(path.size()));
        w.bytes(path.data(), path.size());
        for (uint64_t field : {slot.stamp.device, slot.stamp.inode, slot.stamp.size, slot.stamp.mode})
            w.put(field);
        w.put(slot.stamp.mtimeNs);
        w.put(slot.stamp.ctimeNs);
        w.put(slot.key.hash.a);
        w.put(slot.key.hash.b);
        w.put(slot.key.size);
    };
    for (const StampRowIn *row : keptStamps)
        stampRow(row->path, row->slot);
    for (const auto &[path, slot] : m_addedStamps)
        stampRow(path, slot);
    const ContentHash sum = hashContent(w.out);
    char header[kHeader];
    std::memcpy(header, kMagic, sizeof kMagic);
    std::memcpy(header + sizeof kMagic, &sum.a, 8);
    std::memcpy(header + sizeof kMagic + 8, &sum.b, 8);

    // Written beside the old file and renamed over it, so a reader sees the old cache or the
    // new one. Not synced to disk: after a crash a torn file fails its checksum and is read as
    // no cache, which costs one cold read; a sync would cost every first read milliseconds
    // (more on a slow disk).
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    const QByteArray target = encodeFileName(m_path);
    QByteArray temporary = target + ".XXXXXX";
    const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
    if (fd < 0)
        return;
    auto writeAll = [fd](const char *p, size_t n) {
        while (n > 0) {
            const ssize_t done = ::write(fd, p, n);
            if (done < 0 && errno == EINTR)
                continue;
            if (done <= 0)
                return false;
            p += done;
            n -= size_t(done);
        }
        return true;
    };
    const bool written = writeAll(header, sizeof header)
        && writeAll(w.out.data(), w.out.size());
    if (::close(fd) != 0 || !written || ::rename(temporary.constData(), target.constData()) != 0)
        ::unlink(temporary.constData());
}

} // namespace retort::core
