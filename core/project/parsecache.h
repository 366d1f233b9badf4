#pragma once

#include "project/contenthash.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace retort::core {

struct AlembicFlavor;
struct RevisionFile;

// What each revision file's bytes say (identifiers, docstring, functions' lines, problems),
// kept on disk between runs so that a command reading only the revision map parses only the
// files that changed, the way Python's __pycache__ or ruff's cache spare unchanged files.
// Every file is still read: the key is its content (hashContent + size), never its mtime.
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

    // Reads the cache of `realFolder` as `flavor` reads its files; disabled when
    // RETORT_NO_CACHE is set (to anything but 0) or no cache folder can be named.
    ParseCache(const QString &realFolder, const AlembicFlavor &flavor);
    ~ParseCache();
    ParseCache(const ParseCache &) = delete;
    ParseCache &operator=(const ParseCache &) = delete;

    bool isEnabled() const { return !m_path.isEmpty(); }
    QString filePath() const { return m_path; }
    int size() const { return int(m_index.size() + m_added.size()); }

    // The content facts stored for `key`, written into *rf (its path, file name and content
    // hash are kept; the file-name rules are the caller's). False when there is no usable
    // entry. With rf null, only whether there is an entry (kept by save()).
    bool lookup(const Key &key, RevisionFile *rf) const;
    // A file that missed, as parsed: kept for save().
    void insert(const Key &key, QByteArray record);
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
    static int readEntries(std::string_view bytes, const QByteArray &fingerprint,
                           std::vector<std::pair<Key, std::string_view>> *out = nullptr);

private:
    struct KeyHash
    {
        size_t operator()(const Key &k) const { return size_t(k.hash.a ^ k.size); }
    };
    struct Slot
    {
        std::string_view record;
        size_t ordinal = 0;
    };
    QString m_path;
    QByteArray m_fingerprint;
    QByteArray m_data;  // the cache file as read; m_index points into it
    std::unordered_map<Key, Slot, KeyHash> m_index;
    std::unique_ptr<std::atomic<bool>[]> m_used;
    std::vector<std::pair<Key, QByteArray>> m_added;
};

} // namespace retort::core
