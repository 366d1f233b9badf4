#include "parsecache.h"

#include "project/alembicflavor.h"
#include "project/nativefile.h"
#include "project/revisionfile.h"

#include "parserfingerprint.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <array>
#include <cstring>
#include <limits>

namespace retort::core {

namespace {

// Bump when what a record holds, or how it is laid out, changes. The parser's own changes
// are caught by RETORT_PARSER_FINGERPRINT (a hash of its sources, made by the build).
constexpr uint32_t kFormat = 2;  // 2: a problem's column
constexpr char kMagic[8] = {'R', 'E', 'T', 'O', 'R', 'T', 'P', 'C'};
constexpr size_t kHeader = sizeof(kMagic) + 16;  // magic, then the body's checksum
constexpr qint64 kMaxFile = 512ll << 20;

class Writer
{
public:
    QByteArray out;
    template <typename T> void put(T v) { out.append(reinterpret_cast<const char *>(&v), sizeof v); }
    void str(const QString &s)
    {
        const QByteArray u = s.toUtf8();
        put(uint32_t(u.size()));
        out.append(u);
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
    return w.out;
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
                            std::vector<std::pair<Key, std::string_view>> *out)
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
    m_fingerprint = QByteArrayLiteral("parser=") + RETORT_PARSER_FINGERPRINT + " python=" + flavor.python.toString().toUtf8()
        + " cleans-docstrings=" + (flavor.cleansDocstrings() ? "1" : "0") + " folder=" + folder;

    // Only a regular file is read: a FIFO or a device in its place is refused at once.
    QFile f;
    if (!openForReading(f, m_path) || f.size() > kMaxFile)
        return;
    m_data = f.readAll();
    std::vector<std::pair<Key, std::string_view>> entries;
    if (readEntries(std::string_view(m_data.constData(), size_t(m_data.size())), m_fingerprint, &entries) < 0) {
        m_data.clear();
        return;
    }
    m_index.reserve(entries.size());
    for (const auto &[key, record] : entries)
        m_index.emplace(key, Slot{record, m_index.size()});
    m_used.reset(new std::atomic<bool>[m_index.size()]);
    for (size_t i = 0; i < m_index.size(); ++i)
        m_used[i].store(false, std::memory_order_relaxed);
}

ParseCache::~ParseCache() = default;

bool ParseCache::lookup(const Key &key, RevisionFile *rf) const
{
    const auto it = m_index.find(key);
    if (it == m_index.end() || (rf && !decodeFacts(it->second.record, *rf)))
        return false;
    m_used[it->second.ordinal].store(true, std::memory_order_relaxed);
    return true;
}

void ParseCache::insert(const Key &key, QByteArray record)
{
    if (!isEnabled())
        return;
    for (const auto &[k, r] : m_added)
        if (k == key)
            return; // two files with the same bytes
    m_added.emplace_back(key, std::move(record));
}

void ParseCache::save()
{
    if (!isEnabled())
        return;
    bool changed = !m_added.empty();
    std::vector<const std::pair<const Key, Slot> *> kept;
    kept.reserve(m_index.size());
    for (const auto &entry : m_index) {
        if (m_used[entry.second.ordinal].load(std::memory_order_relaxed))
            kept.push_back(&entry);
        else
            changed = true;
    }
    if (!changed)
        return;
    // In the order they were read, then the new ones: the file does not churn.
    std::sort(kept.begin(), kept.end(), [](auto *x, auto *y) { return x->second.ordinal < y->second.ordinal; });
    Writer w;
    w.put(kFormat);
    w.put(uint32_t(m_fingerprint.size()));
    w.out.append(m_fingerprint);
    w.put(uint32_t(kept.size() + m_added.size()));
    auto entry = [&](const Key &k, std::string_view record) {
        w.put(k.hash.a);
        w.put(k.hash.b);
        w.put(k.size);
        w.put(uint32_t(record.size()));
        w.out.append(record.data(), qsizetype(record.size()));
    };
    for (const auto *e : kept)
        entry(e->first, e->second.record);
    for (const auto &[k, r] : m_added)
        entry(k, std::string_view(r.constData(), size_t(r.size())));
    const ContentHash sum = hashContent(std::string_view(w.out.constData(), size_t(w.out.size())));
    QByteArray file(kMagic, sizeof kMagic);
    file.append(reinterpret_cast<const char *>(&sum.a), 8);
    file.append(reinterpret_cast<const char *>(&sum.b), 8);
    file.append(w.out);

    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile out(m_path);
    if (!out.open(QIODevice::WriteOnly))
        return;
    if (out.write(file) != file.size()) {
        out.cancelWriting();
        return;
    }
    out.commit();
}

} // namespace retort::core
