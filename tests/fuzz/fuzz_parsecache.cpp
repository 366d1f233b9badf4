// A parse cache file's bytes, read as ParseCache reads one from the cache folder: the header
// and checksum, every entry's bounds, and each record as a lookup decodes it. Checksums make
// random bytes fail early, so the records are also fed straight to decodeFacts.
#include "fuzzsupport.h"

#include "project/parsecache.h"
#include "project/revisionfile.h"

#include <QByteArray>

#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using retort::core::ParseCache;
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    std::vector<std::pair<ParseCache::Key, std::string_view>> entries;
    if (ParseCache::readEntries(bytes, QByteArrayLiteral("fuzz"), &entries) >= 0) {
        for (const auto &[key, record] : entries) {
            retort::core::RevisionFile f;
            (void)ParseCache::decodeFacts(record, f);
        }
    }
    retort::core::RevisionFile f;
    f.path = QStringLiteral("/fuzz/versions/x.py");
    if (ParseCache::decodeFacts(bytes, f)) {
        // Whatever was accepted is a record encodeFacts can write and read back.
        (void)f.doc();
        (void)f.createDate();
        const QByteArray again = ParseCache::encodeFacts(f);
        retort::core::RevisionFile g;
        if (!ParseCache::decodeFacts(std::string_view(again.constData(), size_t(again.size())), g) || g.revision != f.revision
            || g.longDoc != f.longDoc || g.problems.size() != f.problems.size())
            __builtin_trap();
    }
    return 0;
}
