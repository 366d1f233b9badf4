#include "scriptdirectory.h"
#include "parallel.h"

#include "project/nativefile.h"
#include "project/parsecache.h"
#include "python/syntaxtree.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <optional>
#include <utility>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace retort::core {

namespace {

// Python's str order: by code point (a surrogate pair is one code point above U+FFFF; a
// lone surrogate, as decodeFileName keeps an undecodable byte, is its own value).
char32_t codePointAt(const QString &s, qsizetype &i)
{
    const char16_t u = s.at(i).unicode();
    if (QChar::isHighSurrogate(u) && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
        const char32_t c = QChar::surrogateToUcs4(u, s.at(i + 1).unicode());
        i += 2;
        return c;
    }
    ++i;
    return u;
}

bool pyStrLess(const QString &a, const QString &b)
{
    // UTF-16 units order as code points do up to the first difference unless a surrogate
    // is involved there: decode only then (the listing sorts every name of a folder).
    const qsizetype common = std::min(a.size(), b.size());
    const char16_t *x = reinterpret_cast<const char16_t *>(a.constData());
    const char16_t *y = reinterpret_cast<const char16_t *>(b.constData());
    qsizetype k = 0;
    while (k < common && x[k] == y[k])
        ++k;
    if (k == common)
        return a.size() < b.size();
    if (!QChar::isSurrogate(x[k]) && !QChar::isSurrogate(y[k]))
        return x[k] < y[k];
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const char32_t x = codePointAt(a, i);
        const char32_t y = codePointAt(b, j);
        if (x != y)
            return x < y;
    }
    return i >= a.size() && j < b.size();
}

bool isRevisionFileName(const char *name)
{
    const size_t len = strlen(name);
    if (len < 3 || strcmp(name + len - 3, ".py") != 0)
        return false;
    if (name[0] == '.' && name[1] == '#')
        return false;
    if (strncmp(name, "__init__", 8) == 0)
        return false;
    return strchr(name, '\n') == nullptr;
}

// One listed file: its name below the location (with the subfolders' prefix) as Python
// decodes it, and as the file system holds it.
struct Listed
{
    QString name;       // null until decodedName() when listed with `lazyNames`
    QByteArray native;
    bool maybeLink = false;  // not known to be a regular file: the caller resolves it
};

// A name as the file system holds it, decoded as Python decodes it (see decodeFileName).
QString decodeName(const QByteArray &native)
{
    if (std::all_of(native.begin(), native.end(), [](char c) { return (unsigned char)c < 0x80; }))
        return QString::fromLatin1(native);
    return decodeFileName(native);
}

QString decodedName(const Listed &l)
{
    return l.name.isNull() ? decodeName(l.native) : l.name;
}

// Python's sorted() of the names (by code point), as Listed entries with `prefix`. For names
// without bytes above 0x7F (nearly every project) that is the bytes' order, compared before
// anything is decoded.
void sortedListed(std::vector<QByteArray> &names, const Listed &prefix, bool sorted, bool maybeLinks,
                  const std::vector<char> &links, std::vector<Listed> &out, bool lazyNames = false)
{
    std::vector<size_t> order(names.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    const bool ascii = std::all_of(names.begin(), names.end(), [](const QByteArray &n) {
        return std::all_of(n.begin(), n.end(), [](char c) { return (unsigned char)c < 0x80; });
    });
    std::vector<QString> decoded;
    if (sorted && !ascii) {
        decoded.reserve(names.size());
        for (const QByteArray &n : names)
            decoded.push_back(decodeName(n));
    }
    if (sorted && ascii) {
        // By the first eight bytes as one big-endian number (a shorter name pads with NULs,
        // which sort first, as its end does), then by the rest where those tie.
        std::vector<std::pair<uint64_t, size_t>> keyed(names.size());
        for (size_t i = 0; i < names.size(); ++i) {
            uint64_t key = 0;
            for (qsizetype k = 0; k < 8; ++k)
                key = (key << 8) | (k < names[i].size() ? (unsigned char)names[i][k] : 0u);
            keyed[i] = {key, i};
        }
        auto rest = [&](size_t i) {
            const QByteArray &n = names[i];
            return n.size() > 8 ? std::string_view(n.constData() + 8, size_t(n.size() - 8)) : std::string_view();
        };
        std::sort(keyed.begin(), keyed.end(), [&](const auto &a, const auto &b) {
            if (a.first != b.first)
                return a.first < b.first;
            return rest(a.second) < rest(b.second);
        });
        for (size_t i = 0; i < keyed.size(); ++i)
            order[i] = keyed[i].second;
    }
    else if (sorted)
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pyStrLess(decoded[a], decoded[b]); });
    out.reserve(out.size() + names.size());
    const bool lazy = lazyNames && prefix.name.isEmpty() && prefix.native.isEmpty();
    for (size_t i : order) {
        QString name = !decoded.empty() ? std::move(decoded[i]) : lazy ? QString() : decodeName(names[i]);
        if (!prefix.name.isEmpty())
            name = prefix.name + name;
        out.push_back({std::move(name), prefix.native.isEmpty() ? std::move(names[i]) : prefix.native + names[i],
                       maybeLinks && links[i]});
    }
}

// A link to a file is a file. Alembic before 1.10 takes os.listdir's order (and has no
// recursive option); 1.10 and later sort each folder's files and subfolders as Python's
// sorted() does: by code point. With `byRealName` (1.10+, which judges a file by the name
// its real path ends in) links are listed whatever their name: the caller resolves them.
// A folder that cannot be listed is skipped, as os.walk skips it; `openError` gets why.
void listFolder(const QByteArray &folder, const Listed &prefix, bool recursive, bool sorted, std::vector<Listed> &out,
                bool byRealName = false, int *openError = nullptr, bool lazyNames = false)
{
    DIR *dir = opendir(folder.constData());
    if (!dir) {
        if (openError)
            *openError = errno;
        return;
    }
    std::vector<QByteArray> files;
    std::vector<char> fileLinks;   // not known to be a regular file
    std::vector<QByteArray> subdirs;
    while (dirent *e = readdir(dir)) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        bool isDir = e->d_type == DT_DIR;
        bool isLink = e->d_type == DT_LNK;
        if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
            struct stat st;
            const QByteArray full = folder + '/' + name;
            if (e->d_type == DT_UNKNOWN && lstat(full.constData(), &st) == 0)
                isLink = S_ISLNK(st.st_mode);
            isDir = stat(full.constData(), &st) == 0 && S_ISDIR(st.st_mode);
        }
        if (isDir) {
            if (recursive && !isLink && strcmp(name, "__pycache__") != 0)
                subdirs.emplace_back(name);
            continue;
        }
        if (isRevisionFileName(name) || (byRealName && isLink)) {
            files.emplace_back(name);
            fileLinks.push_back(e->d_type != DT_REG);
        }
    }
    closedir(dir);
    sortedListed(files, prefix, sorted, true, fileLinks, out, lazyNames);
    std::vector<Listed> folders;
    sortedListed(subdirs, Listed{}, sorted, false, {}, folders);
    for (const Listed &sub : std::as_const(folders))
        listFolder(folder + '/' + sub.native,
                   {prefix.name + sub.name + QLatin1Char('/'), prefix.native + sub.native + '/', false}, true, sorted, out,
                   byRealName);
}

// folder + '/' + name, allocated once.
QString joinPath(const QString &folder, const QString &name)
{
    QString out(folder.size() + 1 + name.size(), Qt::Uninitialized);
    QChar *p = out.data();
    std::copy(folder.cbegin(), folder.cend(), p);
    p[folder.size()] = QLatin1Char('/');
    std::copy(name.cbegin(), name.cend(), p + folder.size() + 1);
    return out;
}

// Reads a whole file into `buffer` (which keeps its size between calls, so nothing is
// zero-filled twice); returns the number of bytes read, or -1 with errno set. Only regular
// files are read: a FIFO named *.py is refused at once instead of waiting for a writer.
ssize_t readWholeFile(int folder, const char *nativePath, std::string &buffer, struct stat *status = nullptr)
{
    const int fd = openRegularFileForReadingAt(folder, nativePath, true, status);
    if (fd < 0)
        return -1;
    // The buffer keeps its size between files: it only grows, never zero-fills again.
    if (buffer.size() < 16384)
        buffer.resize(16384);
    size_t used = 0;
    for (;;) {
        if (used == buffer.size())
            buffer.resize(buffer.size() * 2);
        const ssize_t got = ::read(fd, buffer.data() + used, buffer.size() - used);
        if (got < 0) {
            ::close(fd);
            return -1;
        }
        if (got == 0)
            break;
        used += size_t(got);
        // A regular file returns less than asked only at its end: spare the extra read.
        if (used < buffer.size())
            break;
    }
    ::close(fd);
    return ssize_t(used);
}

// Finds `module.NAME` constants in the application's source, the way Python would import it
// from the project: the working directory, prepend_sys_path, and the folders above the scripts.
class ModuleConstants
{
public:
    explicit ModuleConstants(const ProjectConfig &cfg) : m_version(cfg.flavor.grammar())
    {
        m_roots.append(cfg.baseDir);
        m_roots.append(cfg.prependSysPath);
        QDir dir(cfg.scriptLocation);
        for (int up = 0; up < 8 && dir.cdUp(); ++up)
            m_roots.append(dir.absolutePath());
        m_roots.removeDuplicates();
    }

    std::optional<PyValue> lookup(const QString &module, const QString &name)
    {
        auto it = m_cache.find(module);
        if (it == m_cache.end()) {
            QHash<QString, PyValue> constants;
            const QString rel = QString(module).replace(QLatin1Char('.'), QLatin1Char('/'));
            for (const QString &root : std::as_const(m_roots)) {
                for (const QString &candidate : {root + QLatin1Char('/') + rel + QStringLiteral(".py"),
                                                 root + QLatin1Char('/') + rel + QStringLiteral("/__init__.py")}) {
                    QFile f;
                    if (openForReading(f, candidate)) {
                        const QByteArray src = f.readAll();
                        constants = parseModuleConstants(std::string_view(src.constData(), size_t(src.size())), m_version);
                        break;
                    }
                }
                if (!constants.isEmpty())
                    break;
            }
            it = m_cache.insert(module, constants);
        }
        const auto v = it->constFind(name);
        if (v == it->constEnd())
            return std::nullopt;
        return *v;
    }

    // Replaces references in `f` by their values; a reference that cannot be found is a problem.
    void resolve(RevisionFile &f)
    {
        auto fix = [&](PyValue &v, int line, const char *what) {
            const QList<PyValue::Reference> refs = std::exchange(v.references, {});
            for (const PyValue::Reference &ref : refs) {
                const std::optional<PyValue> value = lookup(ref.module, ref.name);
                if (!value || (ref.index >= 0 && value->kind != PyValue::Kind::String)) {
                    f.problems.append({Diagnostic::Severity::Error, QStringLiteral("unreadable-identifier"),
                                       value ? QStringLiteral("%1 uses %2.%3, which is not a string.")
                                                   .arg(QString::fromLatin1(what), ref.module, ref.name)
                                             : QStringLiteral("%1 uses %2.%3, which Retort could not find in the project's source "
                                                              "(looked for %4.py under %5).")
                                                   .arg(QString::fromLatin1(what), ref.module, ref.name,
                                                        QString(ref.module).replace(QLatin1Char('.'), QLatin1Char('/')),
                                                        m_roots.join(QStringLiteral(", "))),
                                       f.path, line, f.revision});
                    continue;
                }
                if (ref.index < 0) {
                    v = *value;
                    v.references.clear();
                } else if (ref.index < v.items.size()) {
                    v.items[ref.index] = value->string;
                }
            }
        };
        PyValue rev;
        rev.kind = PyValue::Kind::String;
        rev.string = f.revision;
        rev.references = std::exchange(f.revisionReference, {});
        fix(rev, f.revisionLine, "revision");
        if (rev.kind == PyValue::Kind::String)
            f.revision = rev.string;
        fix(f.downRevision, f.downRevisionLine, "down_revision");
        fix(f.branchLabels, f.branchLabelsLine, "branch_labels");
        fix(f.dependsOn, f.dependsOnLine, "depends_on");
        f.hasReferences = false;
    }

private:
    QStringList m_roots;
    python::PythonVersion m_version;
    QHash<QString, QHash<QString, PyValue>> m_cache;
};

} // namespace

QStringList ScriptDirectory::listRevisionFiles(const QString &folder, bool recursive, bool sorted)
{
    std::vector<Listed> listed;
    listFolder(encodeFileName(folder), Listed{}, recursive && sorted, sorted, listed);
    QStringList out;
    out.reserve(qsizetype(listed.size()));
    for (Listed &l : listed)
        out.append(std::move(l.name));
    return out;
}

namespace {

RevisionFile unreadableFile(const QString &path, const QString &fileName, int reason)
{
    RevisionFile rf;
    rf.path = path;
    rf.fileName = fileName;
    rf.problems.append({Diagnostic::Severity::Error, QStringLiteral("unreadable-file"),
                        QStringLiteral("Cannot read %1: %2")
                            .arg(path, reason == EINVAL ? QStringLiteral("not a regular file (a FIFO, socket or device)")
                                                        : QString::fromLocal8Bit(strerror(reason))),
                        path,
                        0, {}});
    return rf;
}

// With `sourceless = true` Alembic also imports compiled revisions: a .pyc / .pyo without its
// .py beside it, and what __pycache__ holds for a name the folder lacks (Script._list_py_dir,
// Script._from_filename). Retort reads sources only: the first such file, or none.
std::optional<QString> compiledOnlyRevision(const QString &location, bool recursive)
{
    QStringList folders{location};
    for (qsizetype i = 0; i < folders.size(); ++i) {
        const QDir dir(folders[i]);
        if (dir.dirName() == QLatin1String("__pycache__"))
            continue;
        const QStringList files = dir.entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
        QSet<QString> stems;
        for (const QString &f : files)
            stems.insert(f.section(QLatin1Char('.'), 0, 0));
        for (const QString &f : files) {
            if ((f.endsWith(QLatin1String(".pyc")) || f.endsWith(QLatin1String(".pyo"))) && !f.startsWith(QLatin1String("__init__"))
                && !f.startsWith(QLatin1String(".#")) && !files.contains(f.chopped(1)))
                return dir.filePath(f);
        }
        const QDir cache(dir.filePath(QStringLiteral("__pycache__")));
        if (cache.exists()) {
            for (const QString &f : cache.entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name)) {
                if ((f.endsWith(QLatin1String(".pyc")) || f.endsWith(QLatin1String(".pyo"))) && !f.startsWith(QLatin1String("__init__"))
                    && !stems.contains(f.section(QLatin1Char('.'), 0, 0)))
                    return cache.filePath(f);
            }
        }
        if (recursive)
            for (const QString &sub : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden | QDir::NoSymLinks, QDir::Name))
                folders.append(dir.filePath(sub));
    }
    return std::nullopt;
}

bool sameFile(const RevisionFile *previous, size_t contentHash, const QString &fileName, python::PythonVersion version)
{
    return previous && previous->tree && previous->tree->version() == version && previous->contentHash == contentHash
        && previous->fileName == fileName;
}

} // namespace

RevisionFile ScriptDirectory::readRevisionFile(const QString &path, const QString &fileName, python::PythonVersion version,
                                               const RevisionFile *previous)
{
    thread_local std::string buffer;
    const ssize_t size = readWholeFile(AT_FDCWD, encodeFileName(path).constData(), buffer);
    if (size < 0)
        return unreadableFile(path, fileName, errno);
    const std::string_view bytes(buffer.data(), size_t(size));
    if (sameFile(previous, hashContent(bytes).a, fileName, version))
        return *previous; // unchanged: the parsed file is reused
    return parseRevisionSource(bytes, path, fileName, version);
}

Result<Project> ScriptDirectory::load(const ProjectConfig &config, const Project *previous, LoadOptions options)
{
    Project project;
    project.config = config;
    if (config.sourceless) {
        for (const QString &location : config.versionLocations) {
            if (const auto compiled = compiledOnlyRevision(location, config.recursiveVersionLocations)) {
                return makeError(Error::Code::Config,
                                 QStringLiteral("%1: sourceless = true, and Alembic would import this compiled file, "
                                                "which has no source beside it. Retort reads revision sources only: put "
                                                "the .py file back, or remove the compiled one.")
                                     .arg(*compiled),
                                 *compiled);
            }
        }
    }
    QHash<QString, const RevisionFile *> before;
    if (previous)
        for (const RevisionFile &f : previous->map.files())
            before.insert(f.path, &f);

    struct Entry
    {
        QString path;
        QString fileName;
        QByteArray native;    // `path` as the file system names it
        size_t location = 0;  // its folder's index in `caches`
        qsizetype relative = -1;  // where, in `native`, the name below the folder `folders[location]` starts
        // Set: the three names above are still to be made from it and the location's base
        // (the worker does that, so a large folder's names are not made on one thread).
        const Listed *listed = nullptr;
    };
    // Each location's folder as the loaded paths name it, as a string and natively.
    struct Base
    {
        QString path;
        QByteArray native;
    };
    std::vector<Base> bases;
    std::vector<std::vector<Listed>> listings;  // kept while `entries` point into them
    // Each location's folder, open for openat() and fstatat(): reading a file or looking up
    // its stamp need not walk the whole path.
    std::vector<int> folders;
    struct FolderCloser
    {
        std::vector<int> &fds;
        ~FolderCloser()
        {
            for (int fd : fds)
                if (fd >= 0)
                    ::close(fd);
        }
    } closeFolders{folders};
    std::vector<Entry> entries;
    // One parse cache per versions folder. A load that keeps the trees parses every file it
    // cannot borrow from `previous` (the cache holds no trees) but still refreshes the cache,
    // so the map-only commands after it find every file.
    std::vector<std::unique_ptr<ParseCache>> caches;
    QSet<QString> seen;
    for (const QString &location : config.versionLocations) {
        if (!QFileInfo(location).isDir()) {
            if (!config.explicitVersionLocations) {
                return makeError(Error::Code::Config,
                                 QStringLiteral("The versions folder %1 does not exist. Create it, or set "
                                                "version_locations in %2.")
                                     .arg(location, config.iniPath.isEmpty() ? config.tomlPath : config.iniPath),
                                 location);
            }
            project.warnings.append({Diagnostic::Severity::Warning, QStringLiteral("missing-version-location"),
                                     QStringLiteral("Version location %1 does not exist; skipped.").arg(location),
                                     config.iniPath, 0, {}});
            continue;
        }
        const QString realLocation = realPath(location);
        const QByteArray nativeLocation = encodeFileName(location);
        const QByteArray nativeRealLocation = encodeFileName(realLocation);
        std::vector<Listed> &names = listings.emplace_back();
        const AlembicFlavor &flavor = config.flavor;
        // The cache file is read and indexed while the folder is listed: neither needs the
        // other, and both come before any file can be looked at.
        std::unique_ptr<ParseCache> cache;
        int listError = 0;
        {
            std::thread reader;
            if (threadsWanted() > 1 && !ParseCache::directory().isEmpty())
                reader = std::thread([&] { cache = std::make_unique<ParseCache>(realLocation, config.flavor); });
            else
                cache = std::make_unique<ParseCache>(realLocation, config.flavor);
            listFolder(nativeLocation, Listed{}, config.recursiveVersionLocations && flavor.listsSorted(),
                       flavor.listsSorted(), names, flavor.usesRealPaths(), &listError, true);
            if (reader.joinable())
                reader.join();
        }
        if (!cache->isEnabled())
            cache.reset();
        caches.push_back(std::move(cache));
        folders.push_back(::open(nativeLocation.constData(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (listError != 0) {
            // Alembic's os.walk skips it without a word; a person is told.
            project.warnings.append({Diagnostic::Severity::Warning, QStringLiteral("unlistable-version-location"),
                                     QStringLiteral("Cannot list version location %1: %2. Its revisions are missing, "
                                                    "for Alembic too.")
                                         .arg(location, QString::fromLocal8Bit(strerror(listError))),
                                     location, 0, {}});
        }
        // Names listed from one folder are distinct real paths unless links are among them:
        // the set of loaded paths is kept only when a repeat is possible.
        const bool mayRepeat = config.versionLocations.size() > 1
            || std::any_of(names.begin(), names.end(), [](const Listed &l) { return l.maybeLink; });
        bases.push_back(flavor.usesRealPaths() ? Base{realLocation, nativeRealLocation} : Base{location, nativeLocation});
        if (!mayRepeat) {
            // No links, one folder: every name is a file of its own, named below the base.
            entries.reserve(entries.size() + names.size());
            for (const Listed &listed : names)
                entries.push_back({{}, {}, {}, caches.size() - 1, -1, &listed});
            continue;
        }
        for (Listed &listed : names) {
            const QString name = decodedName(listed);
            const QString path = joinPath(location, name);
            // Alembic skips a file whose real path it has loaded already; only links can
            // give one file two names, so only they pay for a realpath().
            const bool link = listed.maybeLink;
            QString real = link ? realPath(path) : joinPath(realLocation, name);
            if (real.isEmpty())
                real = path; // a dangling link: realpath() keeps the name, the read reports it
            if (flavor.usesRealPaths() && link && !isRevisionFileName(encodeFileName(real.mid(real.lastIndexOf(QLatin1Char('/')) + 1)).constData()))
                continue; // 1.10+ judges the real file's name: a link to notes.txt is no revision
            if (mayRepeat) {
                if (seen.contains(real)) {
                    project.warnings.append({Diagnostic::Severity::Warning, QStringLiteral("loaded-twice"),
                                             QStringLiteral("File %1 loaded twice! ignoring. Please ensure version_locations "
                                                            "is unique.")
                                                 .arg(real),
                                             path, 0, {}});
                    continue;
                }
                seen.insert(real);
            }
            const qsizetype slash = name.lastIndexOf(QLatin1Char('/'));
            QString fileName = slash >= 0 ? name.mid(slash + 1) : name;
            if (flavor.usesRealPaths()) {
                // Alembic 1.10+ names the script by its real path (Script.path, `Path:`).
                QByteArray native = link ? encodeFileName(real) : nativeRealLocation + '/' + listed.native;
                if (link)
                    fileName = real.mid(real.lastIndexOf(QLatin1Char('/')) + 1);
                const qsizetype relative = link ? -1 : nativeRealLocation.size() + 1;
                entries.push_back({std::move(real), std::move(fileName), std::move(native), caches.size() - 1, relative});
            } else {
                entries.push_back({path, std::move(fileName), nativeLocation + '/' + listed.native, caches.size() - 1,
                                   link ? -1 : nativeLocation.size() + 1});
            }
        }
    }

    // Each worker moves its file straight into the list the map is built from.
    QList<RevisionFile> files(qsizetype(entries.size()));
    RevisionFile *const read = files.data();
    std::vector<char> parsed(entries.size(), 0);   // not lent by `previous`, not from the cache
    std::vector<char> cached(entries.size(), 0);
    std::vector<std::pair<ParseCache::Key, QByteArray>> records(entries.size());  // for the cache
    struct StampNote
    {
        QByteArray nativePath;
        ParseCache::Stamp stamp;
        ParseCache::Key key;
    };
    std::vector<StampNote> stamps(entries.size());  // read files, for the cache's stamps
    std::vector<char> unread(entries.size(), 0);     // taken by their stamp alone
    auto readOne = [&](size_t i) {
        thread_local std::string buffer;
        Entry &e = entries[i];
        if (e.listed) {
            const Base &base = bases[e.location];
            const QString name = decodedName(*e.listed);
            e.path = joinPath(base.path, name);
            const qsizetype slash = name.lastIndexOf(QLatin1Char('/'));
            e.fileName = slash >= 0 ? name.mid(slash + 1) : name;
            e.relative = base.native.size() + 1;
            if (caches[e.location]) { // the cache names files by their whole native path
                e.native.reserve(e.relative + e.listed->native.size());
                e.native.append(base.native).append('/').append(e.listed->native);
            }
        }
        // The name below the open folder, when it is open and the name is below it.
        const char *const relativeName = e.relative <= 0 ? nullptr
            : e.listed && e.native.isEmpty()            ? e.listed->native.constData()
                                                        : e.native.constData() + e.relative;
        ParseCache *cache = caches[e.location].get();
        const RevisionFile *lent = before.value(e.path, nullptr);
        if (cache) {
            const QByteArray &native = e.native;
            // A map-only load takes the facts of a file whose stamp is the recorded one
            // without reading it (see ParseCache: settled stamps only).
            struct stat st;
            const ParseCache::Key *known = nullptr;
            const int folder = e.relative > 0 ? folders[e.location] : -1;
            if (!options.keepSyntaxTrees && !lent && cache->hasStamps()
                && (folder >= 0 ? ::fstatat(folder, relativeName, &st, 0)
                                : ::stat(native.constData(), &st)) == 0
                && S_ISREG(st.st_mode))
                known = cache->stampedKey(std::string_view(native.constData(), size_t(native.size())),
                                          ParseCache::stampOf(st));
            if (known) {
                RevisionFile f;
                f.path = e.path;
                f.fileName = e.fileName;
                f.contentHash = known->hash.a;
                if (cache->lookup(*known, &f)) {
                    applyFileNameRules(f);
                    read[i] = std::move(f);
                    cached[i] = unread[i] = 1;  // its stamp row was kept by stampedKey()
                    return;
                }
            }
        }
        struct stat status;
        const int folder = e.relative > 0 ? folders[e.location] : -1;
        const ssize_t size = folder >= 0 ? readWholeFile(folder, relativeName, buffer, &status)
                                         : readWholeFile(AT_FDCWD, e.native.constData(), buffer, &status);
        if (size < 0) {
            read[i] = unreadableFile(e.path, e.fileName, errno);
            parsed[i] = 1;
            return;
        }
        const std::string_view bytes(buffer.data(), size_t(size));
        const ParseCache::Key key = ParseCache::keyOf(bytes);
        if (cache)
            stamps[i] = {e.native, ParseCache::stampOf(status), key};
        RevisionFile f;
        f.path = e.path;
        f.fileName = e.fileName;
        f.contentHash = key.hash.a;
        if (sameFile(lent, f.contentHash, e.fileName, config.flavor.grammar())) {
            f = *lent; // unchanged: the parsed file is reused
            if (cache)
                cache->lookup(key, nullptr); // kept (its facts, resolved, are no longer the bytes' alone)
        } else if (cache && !options.keepSyntaxTrees && cache->lookup(key, &f)) {
            cached[i] = 1;
            applyFileNameRules(f);
        } else {
            RevisionParseOptions how;
            how.contentHash = key.hash.a;
            how.cleanDocstrings = config.flavor.cleansDocstrings();
            how.outline = !options.keepSyntaxTrees;
            f = parseRevisionContent(bytes, e.path, e.fileName, config.flavor.grammar(), how);
            parsed[i] = 1;
            if (cache && (!options.keepSyntaxTrees || !cache->lookup(key, nullptr)))
                records[i] = {key, ParseCache::encodeFacts(f)};
            applyFileNameRules(f);
        }
        if (!options.keepSyntaxTrees) {
            f.tree.reset();
            f.upgradeNode = f.downgradeNode = -1;
        }
        read[i] = std::move(f);
    };
    // A small folder is read on this thread alone (RETORT_THREADS asks for threads regardless).
    parallelFor(entries.size(), qEnvironmentVariableIsSet("RETORT_THREADS") ? 0 : 64, 1, readOne);

    for (char p : parsed)
        project.reparsed += p;
    for (char c : cached)
        project.fromCache += c;
    for (char u : unread)
        project.unread += u;
    // The caches take what was read and write themselves out while the map is built: neither
    // needs the other (the records are copies), and a first read writes megabytes.
    auto saveCaches = [&]() {
        for (size_t i = 0; i < entries.size(); ++i) {
            if (!records[i].second.isEmpty())
                caches[entries[i].location]->insert(records[i].first, std::move(records[i].second));
            if (!stamps[i].nativePath.isEmpty())
                caches[entries[i].location]->recordStamp(stamps[i].nativePath.toStdString(), stamps[i].stamp, stamps[i].key);
        }
        for (const auto &cache : caches)
            if (cache)
                cache->save();
    };
    const bool anyCache = std::any_of(caches.begin(), caches.end(), [](const auto &c) { return c != nullptr; });
    std::thread saver;
    if (anyCache && threadsWanted() > 1 && entries.size() >= 64) // a small folder's cache is small
        saver = std::thread(saveCaches);
    else if (anyCache)
        saveCaches();
    struct Joiner
    {
        std::thread &t;
        ~Joiner()
        {
            if (t.joinable())
                t.join();
        }
    } joinSaver{saver};
    std::optional<ModuleConstants> modules;
    for (size_t i = 0; i < entries.size(); ++i) {
        RevisionFile &f = read[i];
        if (!f.hasReferences)
            continue;
        if (!modules)
            modules.emplace(config);
        modules->resolve(f);
    }
    project.map = RevisionMap::build(std::move(files));
    return project;
}

std::optional<Project> ScriptDirectory::reloadFiles(const Project &previous, const QStringList &changedPaths)
{
    const QList<RevisionFile> &files = previous.map.files();
    QHash<QString, int> indexOf;
    indexOf.reserve(files.size());
    for (int i = 0; i < files.size(); ++i)
        indexOf.insert(files[i].path, i);
    QHash<int, RevisionFile> replaced;
    std::optional<ModuleConstants> modules;
    int reparsed = 0;
    for (const QString &path : changedPaths) {
        const int i = indexOf.value(path, -1);
        if (i < 0)
            return std::nullopt;
        if (replaced.contains(i))
            continue;
        RevisionFile f = readRevisionFile(path, files[i].fileName, previous.config.flavor.grammar(), &files[i]);
        if (!f.tree)
            return std::nullopt; // gone or unreadable: the listing decides what Alembic loads
        if (f.tree != files[i].tree)
            ++reparsed;
        if (f.hasReferences) {
            if (!modules)
                modules.emplace(previous.config);
            modules->resolve(f);
        }
        replaced.insert(i, std::move(f));
    }
    Project project;
    project.config = previous.config;
    project.warnings = previous.warnings;
    project.map = RevisionMap::withFiles(previous.map, replaced);
    project.reparsed = reparsed;
    return project;
}

Project ScriptDirectory::loadFromContents(const ProjectConfig &config, const QList<std::pair<QString, QByteArray>> &files)
{
    Project project;
    project.config = config;
    QList<RevisionFile> parsed;
    parsed.reserve(files.size());
    std::optional<ModuleConstants> modules;
    for (const auto &[path, bytes] : files) {
        const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
        RevisionParseOptions how;
        how.cleanDocstrings = config.flavor.cleansDocstrings();
        RevisionFile f = parseRevisionSource(std::string_view(bytes.constData(), size_t(bytes.size())), path,
                                             slash >= 0 ? path.mid(slash + 1) : path, config.flavor.grammar(), how);
        if (f.hasReferences) {
            if (!modules)
                modules.emplace(config);
            modules->resolve(f);
        }
        parsed.append(std::move(f));
    }
    project.map = RevisionMap::build(std::move(parsed));
    return project;
}

} // namespace retort::core
