#pragma once

#include "project/contenthash.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <sys/stat.h>

namespace retort::core {

struct AlembicFlavor;
struct RevisionFile;

// What each revision file's bytes say (identifiers, docstring, functions' lines, problems),
// kept on disk between runs so that a command reading only the revision map parses only the
// files that changed, the way Python's __pycache__ or ruff's cache spare unchanged files.
// The facts are keyed by content (hashContent + size). Beside them the cache keeps, per path,
// the stamp the file had when those bytes were read -- device, inode, size, mode, mtime and
// ctime to the nanosecond, as git's index and Python's __pycache__ do (Python trusts mtime and
// size alone) -- so a later map-only load need only stat() a file whose stamp is unchanged.
// Any write, rename over, chmod or touch changes ctime, which no user can set back. Only
// *settled* stamps are kept: both times at least settleMargin() before the moment the file was
// read, so a change within the file system's timestamp granularity (the "racy" window) cannot
// hide behind an equal stamp; a file changed just now is read and hashed again until it settles.
// One cache file per versions folder (named by its real path) under directory(); its header
// names the format, the parser's build fingerprint and the flavor's Python, so a cache
// written by another Retort or for another Python is not used. A corrupt, truncated,
// foreign or unreadable cache is ignored (every lookup misses), an unwritable one is not
// written: the answer is always the parse's.
// Lookups are thread-safe; insert() and save() belong to the thread that made the cache.
class ParseCache
{
public:
    struct Key
    {
        ContentHash hash;
        uint64_t size = 0;
        friend bool operator==(const Key &, const Key &) = default;
    };
    static Key keyOf(std::string_view bytes) { return {hashContent(bytes), bytes.size()}; }

    // What stat() says of a file, as far as its content could have changed.
    struct Stamp
    {
        uint64_t device = 0, inode = 0, size = 0, mode = 0;
        int64_t mtimeNs = 0, ctimeNs = 0;
        friend bool operator==(const Stamp &, const Stamp &) = default;
    };
    static Stamp stampOf(const struct ::stat &st);

    // Reads the cache of `realFolder` as `flavor` reads its files; disabled when
    // RETORT_NO_CACHE is set (to anything but 0) or no cache folder can be named.
    ParseCache(const QString &realFolder, const AlembicFlavor &flavor);
    ~ParseCache();
    ParseCache(const ParseCache &) = delete;
    ParseCache &operator=(const ParseCache &) = delete;

    bool isEnabled() const { return !m_path.isEmpty(); }
    QString filePath() const { return m_path; }
    int size() const { return int(m_entries.size() + m_added.size()); }

    // The content facts stored for `key`, written into *rf (its path, file name and content
    // hash are kept; the file-name rules are the caller's). False when there is no usable
    // entry. With rf null, only whether there is an entry (kept by save()).
    bool lookup(const Key &key, RevisionFile *rf) const;
    // A file that missed, as parsed: kept for save().
    void insert(const Key &key, QByteArray record);

    // The key recorded for the file at `nativePath` when it still has the recorded `stamp`
    // (null when it has another, or none was recorded). Thread-safe; the row is kept by save().
    const Key *stampedKey(std::string_view nativePath, const Stamp &stamp) const;
    bool hasStamps() const { return !m_stamps.empty(); }
    // Whether a stamp taken now may be recorded: both its times lie settleMargin() or more
    // in the past (RETORT_CACHE_SETTLE_MS overrides the margin, for tests).
    bool isSettled(const Stamp &stamp) const;
    static int64_t settleMarginNs();
    // Records (for save()) that `nativePath`, stamped `stamp`, held the bytes of `key`.
    // The owner thread's; a row equal to the recorded one changes nothing.
    void recordStamp(std::string nativePath, const Stamp &stamp, const Key &key);
    // Writes the cache (temporary file, then rename) when an entry was added or one went
    // unused; keeps only the entries looked up or inserted, so files that are gone drop out.
    // Failures are ignored: the next run parses again.
    void save();

    // Where caches are kept: $RETORT_CACHE_DIR, $XDG_CACHE_HOME/retort or ~/.cache/retort;
    // empty when caching is off.
    static QString directory();
    // A file's content facts as a record, and back; decodeFacts refuses (false) any record
    // it cannot read in full within its bounds.
    static QByteArray encodeFacts(const RevisionFile &rf);
    static bool decodeFacts(std::string_view record, RevisionFile &rf);
    // The entries of a cache file's bytes written for `fingerprint`; -1 when it is refused
    // (wrong magic, checksum, version or fingerprint, or an entry out of bounds).
    struct StampRow
    {
        std::string_view path;
        Stamp stamp;
        Key key;
    };
    static int readEntries(std::string_view bytes, const QByteArray &fingerprint,
                           std::vector<std::pair<Key, std::string_view>> *out = nullptr,
                           std::vector<StampRow> *stamps = nullptr);

private:
    // Rows are kept in the file's order; an open-addressing table of row numbers finds them
    // (no node per row to allocate or free: a cache holds one row per revision file).
    struct EntryRow
    {
        Key key;
        std::string_view record;  // into m_data
    };
    struct StampSlot
    {
        Stamp stamp;
        Key key;
    };
    struct StampRowIn
    {
        std::string_view path;    // into m_data
        StampSlot slot;
    };
    static std::vector<uint32_t> slotsFor(size_t rows);
    template <typename Rows, typename Probe>
    const typename Rows::value_type *find(const Rows &rows, const std::vector<uint32_t> &table, uint64_t hash,
                                          Probe &&matches) const
    {
        if (table.empty())
            return nullptr;
        const size_t mask = table.size() - 1;
        for (size_t at = size_t(hash) & mask; table[at] != 0; at = (at + 1) & mask) {
            const auto &row = rows[table[at] - 1];
            if (matches(row))
                return &row;
        }
        return nullptr;
    }
    QString m_path;
    QByteArray m_fingerprint;
    QByteArray m_data;  // the cache file as read; the rows point into it
    std::vector<EntryRow> m_entries;
    std::vector<uint32_t> m_entrySlots;  // row + 1, 0 for an empty slot
    std::unique_ptr<std::atomic<bool>[]> m_used;
    std::vector<std::pair<Key, QByteArray>> m_added;
    std::unordered_multimap<uint64_t, size_t> m_addedByHash;  // key.hash.a -> index in m_added
    std::vector<StampRowIn> m_stamps;
    std::vector<uint32_t> m_stampSlots;
    std::unique_ptr<std::atomic<bool>[]> m_stampUsed;
    std::vector<std::pair<std::string, StampSlot>> m_addedStamps;
    int64_t m_now = 0;  // when this cache was opened (before any file was read), ns since the epoch
};

} // namespace retort::core
