#include "gitrepository.h"

#include "git/libgit2.h"

#include "project/scriptdirectory.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QHash>


#include <algorithm>

#include <sys/stat.h>

namespace retort::core {

namespace {

// RAII for libgit2's handles.
template<typename T, auto Free>
struct Handle
{
    T *p = nullptr;
    Handle() = default;
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
    ~Handle() { if (p) (libgit2().*Free)(p); }
    T **out() { return &p; }
    T *get() const { return p; }
    explicit operator bool() const { return p != nullptr; }
};
using Repo = Handle<git_repository, &Libgit2::git_repository_free>;
using Object = Handle<git_object, &Libgit2::git_object_free>;
using Commit = Handle<git_commit, &Libgit2::git_commit_free>;
using Tree = Handle<git_tree, &Libgit2::git_tree_free>;
using Index = Handle<git_index, &Libgit2::git_index_free>;
using Reference = Handle<git_reference, &Libgit2::git_reference_free>;
using Blob = Handle<git_blob, &Libgit2::git_blob_free>;
using Odb = Handle<git_odb, &Libgit2::git_odb_free>;

QString lastGitMessage()
{
    const git_error *e = libgit2().git_error_last();
    return e && e->message ? QString::fromUtf8(e->message) : QStringLiteral("unknown libgit2 error");
}

Error gitError(const QString &message)
{
    Error e = makeError(Error::Code::Io, message);
    e.detail = lastGitMessage();
    return e;
}

QString hex(const git_oid *oid)
{
    char buf[72];  // room for SHA-256 ids
    libgit2().git_oid_tostr(buf, sizeof buf, oid);
    return QString::fromLatin1(buf);
}

// Alembic's rule for the files it loads from a versions folder.
bool isRevisionFileName(const QString &name)
{
    return name.endsWith(QLatin1String(".py")) && !name.startsWith(QLatin1String(".#"))
           && !name.startsWith(QLatin1String("__init__")) && !name.contains(QLatin1Char('\n'));
}

// A version location as a path inside the repository ("alembic/versions").
struct Location
{
    QString checkout;   // as the configuration names it (absolute)
    QString inRepo;     // relative to the work tree, '/'-separated, no trailing slash
};

// Where each configured version location sits in the repository; locations outside the
// checkout become warnings.
QList<Location> locationsOf(const ProjectConfig &config, const QString &workdir, QList<Diagnostic> &warnings)
{
    QList<Location> out;
    const QString canonicalWork = QFileInfo(workdir).canonicalFilePath();
    for (const QString &location : config.versionLocations) {
        // A folder missing from the checkout may still exist in the target: resolve its parent.
        QFileInfo fi(location);
        QString real = fi.canonicalFilePath();
        if (real.isEmpty()) {
            const QString parent = QFileInfo(fi.absolutePath()).canonicalFilePath();
            real = parent.isEmpty() ? QDir::cleanPath(fi.absoluteFilePath()) : parent + QLatin1Char('/') + fi.fileName();
        }
        QString rel = QDir(canonicalWork).relativeFilePath(real);
        if (rel.startsWith(QLatin1String("..")) || QDir::isAbsolutePath(rel))
            rel = QDir(workdir).relativeFilePath(QDir::cleanPath(location));
        if (rel.startsWith(QLatin1String("..")) || QDir::isAbsolutePath(rel)) {
            warnings.append({Diagnostic::Severity::Warning, QStringLiteral("location-outside-git"),
                             QStringLiteral("Version location %1 is outside the git checkout %2; git is not asked about it.")
                                 .arg(location, workdir),
                             config.iniPath, 0, {}});
            continue;
        }
        if (rel == QLatin1String("."))
            rel.clear();
        out.append({QDir::cleanPath(location), rel});
    }
    return out;
}

// The part of an index path below a location, when the path is a revision file Alembic
// would load from it; empty otherwise.
QString relativeRevisionPath(const QString &path, const Location &loc, bool recursive)
{
    QString rest;
    if (loc.inRepo.isEmpty()) {
        rest = path;
    } else {
        if (!path.startsWith(loc.inRepo) || path.size() <= loc.inRepo.size() || path.at(loc.inRepo.size()) != QLatin1Char('/'))
            return {};
        rest = path.mid(loc.inRepo.size() + 1);
    }
    const QStringList parts = rest.split(QLatin1Char('/'));
    if (parts.size() > 1) {
        if (!recursive)
            return {};
        for (qsizetype i = 0; i + 1 < parts.size(); ++i)
            if (parts[i] == QLatin1String("__pycache__"))
                return {};
    }
    return isRevisionFileName(parts.last()) ? rest : QString();
}

// Alembic's order for a recursive location: a folder's files sorted, then its subfolders.
bool alembicOrder(const QString &a, const QString &b)
{
    const QStringList pa = a.split(QLatin1Char('/'));
    const QStringList pb = b.split(QLatin1Char('/'));
    for (qsizetype i = 0;; ++i) {
        const bool aFile = i + 1 == pa.size();
        const bool bFile = i + 1 == pb.size();
        if (aFile != bFile)
            return aFile;
        if (pa[i] != pb[i])
            return pa[i] < pb[i];
        if (aFile)
            return false;
    }
}

Result<QByteArray> blobBytes(git_repository *repo, const git_oid *id, const QString &path)
{
    Blob blob;
    if (libgit2().git_blob_lookup(blob.out(), repo, id) != 0)
        return gitError(QStringLiteral("Cannot read %1 from git.").arg(path));
    return QByteArray(static_cast<const char *>(libgit2().git_blob_rawcontent(blob.get())), qsizetype(libgit2().git_blob_rawsize(blob.get())));
}

// The revision files of every location, as the stage-0 entries of `index` hold them.
// Blob contents by id: target, ours and the merge share most files; each is inflated once.
using BlobCache = QHash<QString, QByteArray>;

Result<GitVersionFiles> filesOfIndex(git_repository *repo, git_index *index, const QList<Location> &locations,
                                     const ProjectConfig &config, BlobCache &cache)
{
    GitVersionFiles out;
    const size_t count = libgit2().git_index_entrycount(index);
    for (const Location &loc : locations) {
        std::vector<std::pair<QString, const git_index_entry *>> found;
        for (size_t i = 0; i < count; ++i) {
            const git_index_entry *e = libgit2().git_index_get_byindex(index, i);
            if (GIT_INDEX_ENTRY_STAGE(e) != 0)
                continue;
            const QString path = QString::fromUtf8(e->path);
            const QString rel = relativeRevisionPath(path, loc, config.recursiveVersionLocations);
            if (rel.isEmpty())
                continue;
            if (e->mode == GIT_FILEMODE_LINK || e->mode == GIT_FILEMODE_COMMIT) {
                out.warnings.append({Diagnostic::Severity::Warning, QStringLiteral("git-link-skipped"),
                                     QStringLiteral("%1 is a %2 in git; Retort does not follow it there.")
                                         .arg(path, e->mode == GIT_FILEMODE_LINK ? QStringLiteral("symbolic link")
                                                                                 : QStringLiteral("submodule")),
                                     loc.checkout + QLatin1Char('/') + rel, 0, {}});
                continue;
            }
            found.emplace_back(rel, e);
        }
        if (config.recursiveVersionLocations)
            std::stable_sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return alembicOrder(a.first, b.first); });
        for (const auto &[rel, e] : found) {
            const QString checkoutPath = loc.checkout + QLatin1Char('/') + rel;
            const QString id = hex(&e->id);
            auto cached = cache.constFind(id);
            if (cached == cache.constEnd()) {
                auto bytes = blobBytes(repo, &e->id, checkoutPath);
                if (!bytes)
                    return bytes.error();
                cached = cache.insert(id, *bytes);
            }
            out.files.append({checkoutPath, *cached});
        }
    }
    return out;
}

Result<QString> commitOf(git_repository *repo, const QString &spec, git_oid *oid)
{
    Object obj;
    const QByteArray utf8 = spec.toUtf8();
    if (libgit2().git_revparse_single(obj.out(), repo, utf8.constData()) != 0) {
        return gitError(QStringLiteral("'%1' names no branch, tag or commit in this repository (try `git fetch`, or "
                                       "`git branch -a` to list them).")
                            .arg(spec));
    }
    Object peeled;
    if (libgit2().git_object_peel(peeled.out(), obj.get(), GIT_OBJECT_COMMIT) != 0)
        return gitError(QStringLiteral("'%1' does not name a commit.").arg(spec));
    libgit2().git_oid_cpy(oid, libgit2().git_object_id(peeled.get()));
    return hex(oid);
}

Result<bool> readCommitTree(git_repository *repo, const git_oid *commitId, git_index *into)
{
    Commit commit;
    Tree tree;
    if (libgit2().git_commit_lookup(commit.out(), repo, commitId) != 0 || libgit2().git_commit_tree(tree.out(), commit.get()) != 0)
        return gitError(QStringLiteral("Cannot read the tree of commit %1.").arg(hex(commitId)));
    if (libgit2().git_index_read_tree(into, tree.get()) != 0)
        return gitError(QStringLiteral("Cannot list the tree of commit %1.").arg(hex(commitId)));
    return true;
}

// The working tree's revision files replace `index`'s in each location, as `git add` would
// stage them (clean filters such as autocrlf applied, .gitignore'd files left out). A file whose
// stat data matches the repository's own index is not read at all: its blob is the indexed one,
// the way `git status` decides. Other files are hashed into the in-memory object store.
Result<bool> stageWorktree(git_repository *repo, git_index *index, const QList<Location> &locations,
                           const ProjectConfig &config, QList<Diagnostic> &warnings)
{
    Index repoIndex;
    if (libgit2().git_repository_index(repoIndex.out(), repo) != 0)
        return gitError(QStringLiteral("Cannot read the repository's index."));
    // An entry written in the same second as the index file may hide a later change (racy git).
    struct stat indexStat{};
    const char *indexPath = libgit2().git_index_path(repoIndex.get());
    const bool haveIndexTime = indexPath && ::stat(indexPath, &indexStat) == 0;
    const QString workdir = QDir::cleanPath(QFile::decodeName(libgit2().git_repository_workdir(repo)));

    for (const Location &loc : locations) {
        QStringList stale;
        for (size_t i = 0; i < libgit2().git_index_entrycount(index); ++i) {
            const git_index_entry *e = libgit2().git_index_get_byindex(index, i);
            const QString path = QString::fromUtf8(e->path);
            if (!relativeRevisionPath(path, loc, config.recursiveVersionLocations).isEmpty())
                stale.append(path);
        }
        // Back to front: each removal shifts only the entries after it.
        for (qsizetype i = stale.size() - 1; i >= 0; --i)
            libgit2().git_index_remove(index, stale[i].toUtf8().constData(), 0);
        if (!QFileInfo(loc.checkout).isDir())
            continue;
        const QStringList names = ScriptDirectory::listRevisionFiles(loc.checkout, config.recursiveVersionLocations);
        for (const QString &name : names) {
            const QString inRepo = loc.inRepo.isEmpty() ? name : loc.inRepo + QLatin1Char('/') + name;
            const QByteArray utf8 = inRepo.toUtf8();
            const QByteArray native = QFile::encodeName(workdir + QLatin1Char('/') + inRepo);
            struct stat st{};
            if (::stat(native.constData(), &st) != 0)
                continue;
            git_index_entry entry{};
            entry.path = utf8.constData();
            entry.mode = (st.st_mode & S_IXUSR) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
            const git_index_entry *known = libgit2().git_index_get_bypath(repoIndex.get(), utf8.constData(), 0);
            const bool clean = known && known->file_size == uint32_t(st.st_size) && known->ino == uint32_t(st.st_ino)
                               && known->mtime.seconds == int32_t(st.st_mtim.tv_sec)
                               && known->mtime.nanoseconds == uint32_t(st.st_mtim.tv_nsec)
                               && haveIndexTime && st.st_mtim.tv_sec < indexStat.st_mtim.tv_sec;
            if (clean) {
                entry.id = known->id;
                entry.mode = known->mode;
            } else {
                int ignored = 0;
                if (!known && libgit2().git_ignore_path_is_ignored(&ignored, repo, utf8.constData()) == 0 && ignored)
                    continue;
                if (libgit2().git_blob_create_from_workdir(&entry.id, repo, utf8.constData()) != 0) {
                    warnings.append({Diagnostic::Severity::Warning, QStringLiteral("unreadable-file"),
                                     QStringLiteral("Cannot read %1: %2").arg(inRepo, lastGitMessage()),
                                     loc.checkout + QLatin1Char('/') + name, 0, {}});
                    continue;
                }
            }
            if (libgit2().git_index_add(index, &entry) != 0)
                return gitError(QStringLiteral("Cannot stage %1 in memory.").arg(inRepo));
        }
    }
    return true;
}

} // namespace

struct GitRepository::Private
{
    Repo repo;
    git_odb_backend *mempack = nullptr;  // owned by the repository's odb once added
    QString workdir;
};

GitRepository::GitRepository(std::unique_ptr<Private> p) : d(std::move(p)) {}
GitRepository::GitRepository(GitRepository &&) noexcept = default;
GitRepository &GitRepository::operator=(GitRepository &&) noexcept = default;
GitRepository::~GitRepository() = default;

Result<GitRepository> GitRepository::open(const QString &path)
{
    if (const Libgit2 &git = libgit2(); !git.isLoaded())
        return makeError(Error::Code::Io, git.error);
    auto p = std::make_unique<Private>();
    const QByteArray native = QFile::encodeName(QFileInfo(path).absoluteFilePath());
    if (libgit2().git_repository_open_ext(p->repo.out(), native.constData(), 0, nullptr) != 0)
        return gitError(QStringLiteral("%1 is not inside a git repository.").arg(path));
    const char *work = libgit2().git_repository_workdir(p->repo.get());
    if (!work)
        return makeError(Error::Code::Io, QStringLiteral("%1 is in a bare git repository; there is no checkout to compare.").arg(path));
    p->workdir = QDir::cleanPath(QFile::decodeName(work));
    // Everything a merge writes (blobs of the working tree, merged files, trees) stays in
    // memory: the user's object database is never written.
    Odb odb;
    if (libgit2().git_repository_odb(odb.out(), p->repo.get()) != 0 || libgit2().git_mempack_new(&p->mempack) != 0
        || libgit2().git_odb_add_backend(odb.get(), p->mempack, 1000) != 0)
        return gitError(QStringLiteral("Cannot prepare an in-memory object store for %1.").arg(path));
    return GitRepository(std::move(p));
}

GitInfo GitRepository::info() const
{
    git_repository *repo = d->repo.get();
    GitInfo info;
    info.workdir = d->workdir;
    info.gitDir = QDir::cleanPath(QFile::decodeName(libgit2().git_repository_path(repo)));

    Reference head;
    const int headState = libgit2().git_repository_head(head.out(), repo);
    if (headState == 0 && libgit2().git_reference_is_branch(head.get())) {
        const char *name = nullptr;
        if (libgit2().git_branch_name(&name, head.get()) == 0)
            info.currentBranch = QString::fromUtf8(name);
        Reference up;
        if (libgit2().git_branch_upstream(up.out(), head.get()) == 0 && libgit2().git_branch_name(&name, up.get()) == 0)
            info.upstream = QString::fromUtf8(name);
    } else if (headState == GIT_EUNBORNBRANCH) {
        Reference sym;
        if (libgit2().git_reference_lookup(sym.out(), repo, "HEAD") == 0 && libgit2().git_reference_symbolic_target(sym.get()))
            info.currentBranch = QString::fromUtf8(libgit2().git_reference_symbolic_target(sym.get())).section(QLatin1Char('/'), 2);
    }

    QStringList local, remote;
    git_branch_iterator *it = nullptr;
    if (libgit2().git_branch_iterator_new(&it, repo, GIT_BRANCH_ALL) == 0) {
        git_reference *ref = nullptr;
        git_branch_t type;
        while (libgit2().git_branch_next(&ref, &type, it) == 0) {
            const char *name = nullptr;
            if (libgit2().git_branch_name(&name, ref) == 0) {
                const QString n = QString::fromUtf8(name);
                if (type == GIT_BRANCH_LOCAL)
                    local.append(n);
                else if (!n.endsWith(QLatin1String("/HEAD")))
                    remote.append(n);
            }
            libgit2().git_reference_free(ref);
        }
        libgit2().git_branch_iterator_free(it);
    }
    local.sort();
    remote.sort();
    info.branches = local + remote;

    if (!info.upstream.isEmpty()) {
        info.defaultTarget = info.upstream;
    } else {
        for (const QString &candidate : {QStringLiteral("main"), QStringLiteral("master"), QStringLiteral("origin/main"),
                                         QStringLiteral("origin/master")}) {
            if (info.branches.contains(candidate)) {
                info.defaultTarget = candidate;
                break;
            }
        }
    }

    // Every ref and where it points, and what HEAD names: any commit, checkout or fetch changes it.
    QCryptographicHash hash(QCryptographicHash::Sha1);
    git_reference_iterator *refs = nullptr;
    if (libgit2().git_reference_iterator_new(&refs, repo) == 0) {
        git_reference *ref = nullptr;
        while (libgit2().git_reference_next(&ref, refs) == 0) {
            hash.addData(QByteArrayView(libgit2().git_reference_name(ref)));
            if (const git_oid *oid = libgit2().git_reference_target(ref))
                hash.addData(hex(oid).toLatin1());
            libgit2().git_reference_free(ref);
        }
        libgit2().git_reference_iterator_free(refs);
    }
    Reference headRef;
    if (libgit2().git_reference_lookup(headRef.out(), repo, "HEAD") == 0) {
        if (const char *sym = libgit2().git_reference_symbolic_target(headRef.get()))
            hash.addData(QByteArrayView(sym));
        else if (const git_oid *oid = libgit2().git_reference_target(headRef.get()))
            hash.addData(hex(oid).toLatin1());
    }
    info.fingerprint = QString::fromLatin1(hash.result().toHex());

    // HEAD, packed-refs and FETCH_HEAD live in the git dir; loose refs in refs/ and below.
    QStringList roots{info.gitDir};
    const QString common = QDir::cleanPath(QFile::decodeName(libgit2().git_repository_commondir(repo)));
    if (common != info.gitDir)
        roots.append(common);
    for (const QString &root : std::as_const(roots)) {
        info.watchPaths.append(root);
        const QString refsDir = root + QStringLiteral("/refs");
        if (!QFileInfo(refsDir).isDir())
            continue;
        info.watchPaths.append(refsDir);
        QDirIterator dirs(refsDir, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (dirs.hasNext())
            info.watchPaths.append(dirs.next());
    }
    return info;
}

Result<QString> GitRepository::resolveCommit(const QString &spec) const
{
    git_oid oid;
    return commitOf(d->repo.get(), spec, &oid);
}

Result<GitVersionFiles> GitRepository::versionFiles(const ProjectConfig &config, const QString &spec) const
{
    git_repository *repo = d->repo.get();
    git_oid oid;
    auto commit = commitOf(repo, spec, &oid);
    if (!commit)
        return commit.error();
    QList<Diagnostic> warnings;
    const QList<Location> locations = locationsOf(config, d->workdir, warnings);
    Index index;
    if (libgit2().git_index_new(index.out()) != 0)
        return gitError(QStringLiteral("Cannot create an in-memory index."));
    if (auto r = readCommitTree(repo, &oid, index.get()); !r)
        return r.error();
    BlobCache cache;
    auto files = filesOfIndex(repo, index.get(), locations, config, cache);
    if (!files)
        return files.error();
    files->commit = *commit;
    files->warnings = warnings + files->warnings;
    return files;
}

Result<GitMergeFiles> GitRepository::mergeFiles(const ProjectConfig &config, const QString &target, const QString &ours) const
{
    git_repository *repo = d->repo.get();
    // Objects written while merging live until the next merge unless dropped here.
    struct ResetMempack
    {
        git_odb_backend *backend;
        ~ResetMempack() { libgit2().git_mempack_reset(backend); }
    } resetMempack{d->mempack};
    GitMergeFiles out;
    out.targetName = target;
    out.oursIsWorktree = ours.isEmpty();
    QList<Diagnostic> warnings;
    const QList<Location> locations = locationsOf(config, d->workdir, warnings);

    git_oid targetId, oursId;
    auto targetHex = commitOf(repo, target, &targetId);
    if (!targetHex)
        return targetHex.error();
    bool haveOursCommit = true;
    if (ours.isEmpty()) {
        Reference head;
        const int state = libgit2().git_repository_head(head.out(), repo);
        if (state == GIT_EUNBORNBRANCH || state == GIT_ENOTFOUND) {
            haveOursCommit = false;
        } else if (state != 0) {
            return gitError(QStringLiteral("Cannot read HEAD."));
        } else {
            Object peeled;
            if (libgit2().git_reference_peel(peeled.out(), head.get(), GIT_OBJECT_COMMIT) != 0)
                return gitError(QStringLiteral("HEAD does not name a commit."));
            libgit2().git_oid_cpy(&oursId, libgit2().git_object_id(peeled.get()));
        }
    } else {
        auto oursHex = commitOf(repo, ours, &oursId);
        if (!oursHex)
            return oursHex.error();
    }

    Index targetIndex, oursIndex, baseIndex;
    if (libgit2().git_index_new(targetIndex.out()) != 0 || libgit2().git_index_new(oursIndex.out()) != 0 || libgit2().git_index_new(baseIndex.out()) != 0)
        return gitError(QStringLiteral("Cannot create an in-memory index."));
    if (auto r = readCommitTree(repo, &targetId, targetIndex.get()); !r)
        return r.error();
    if (haveOursCommit) {
        if (auto r = readCommitTree(repo, &oursId, oursIndex.get()); !r)
            return r.error();
        git_oid baseId;
        const int mb = libgit2().git_merge_base(&baseId, repo, &oursId, &targetId);
        if (mb == 0) {
            out.baseCommit = hex(&baseId);
            if (auto r = readCommitTree(repo, &baseId, baseIndex.get()); !r)
                return r.error();
        } else if (mb != GIT_ENOTFOUND) {
            return gitError(QStringLiteral("Cannot find the merge base of %1 and %2.").arg(ours.isEmpty() ? QStringLiteral("HEAD") : ours, target));
        }
    }

    if (ours.isEmpty()) {
        if (auto r = stageWorktree(repo, oursIndex.get(), locations, config, warnings); !r)
            return r.error();
    }

    BlobCache cache;
    auto targetFiles = filesOfIndex(repo, targetIndex.get(), locations, config, cache);
    if (!targetFiles)
        return targetFiles.error();
    out.target = std::move(*targetFiles);
    out.target.commit = *targetHex;
    auto oursFiles = filesOfIndex(repo, oursIndex.get(), locations, config, cache);
    if (!oursFiles)
        return oursFiles.error();
    out.ours = std::move(*oursFiles);
    out.ours.commit = haveOursCommit && !ours.isEmpty() ? hex(&oursId) : QString();

    // git's own merge of the three trees: rename detection, content merges, conflicts.
    git_oid baseTreeId, oursTreeId, targetTreeId;
    if (libgit2().git_index_write_tree_to(&baseTreeId, baseIndex.get(), repo) != 0
        || libgit2().git_index_write_tree_to(&oursTreeId, oursIndex.get(), repo) != 0
        || libgit2().git_index_write_tree_to(&targetTreeId, targetIndex.get(), repo) != 0)
        return gitError(QStringLiteral("Cannot build the trees to merge in memory."));
    Tree baseTree, oursTree, targetTree;
    if (libgit2().git_tree_lookup(oursTree.out(), repo, &oursTreeId) != 0 || libgit2().git_tree_lookup(targetTree.out(), repo, &targetTreeId) != 0
        || (!out.baseCommit.isEmpty() && libgit2().git_tree_lookup(baseTree.out(), repo, &baseTreeId) != 0))
        return gitError(QStringLiteral("Cannot read the trees to merge."));
    git_merge_options opts = GIT_MERGE_OPTIONS_INIT;
    Index merged;
    if (libgit2().git_merge_trees(merged.out(), repo, baseTree.get(), targetTree.get(), oursTree.get(), &opts) != 0)
        return gitError(QStringLiteral("git could not merge %1 into %2.").arg(ours.isEmpty() ? QStringLiteral("the checkout") : ours, target));
    auto mergedFiles = filesOfIndex(repo, merged.get(), locations, config, cache);
    if (!mergedFiles)
        return mergedFiles.error();
    out.merged = std::move(*mergedFiles);

    if (libgit2().git_index_has_conflicts(merged.get())) {
        git_index_conflict_iterator *it = nullptr;
        if (libgit2().git_index_conflict_iterator_new(&it, merged.get()) != 0)
            return gitError(QStringLiteral("Cannot list the merge's conflicts."));
        const git_index_entry *anc = nullptr, *tgt = nullptr, *our = nullptr;
        // In git_merge_trees "ours" is the target (merging into it), "theirs" this branch.
        while (libgit2().git_index_conflict_next(&anc, &tgt, &our, it) == 0) {
            auto checkoutPath = [&](const git_index_entry *e) -> QString {
                if (!e)
                    return {};
                const QString path = QString::fromUtf8(e->path);
                for (const Location &loc : locations) {
                    const QString rel = relativeRevisionPath(path, loc, config.recursiveVersionLocations);
                    if (!rel.isEmpty())
                        return loc.checkout + QLatin1Char('/') + rel;
                }
                return {};
            };
            GitConflict c;
            c.ancestorPath = checkoutPath(anc);
            c.ourPath = checkoutPath(our);
            c.theirPath = checkoutPath(tgt);
            if (c.ancestorPath.isEmpty() && c.ourPath.isEmpty() && c.theirPath.isEmpty())
                continue;  // a conflict outside the versions folders is not ours to judge
            c.path = !c.ourPath.isEmpty() ? c.ourPath : !c.theirPath.isEmpty() ? c.theirPath : c.ancestorPath;
            QString how;
            if (our && tgt)
                how = anc ? QStringLiteral("both sides changed it") : QStringLiteral("both sides added it with different contents");
            else if (our)
                how = QStringLiteral("this branch changed it and %1 deleted or renamed it").arg(target);
            else
                how = QStringLiteral("%1 changed it and this branch deleted or renamed it").arg(target);
            c.message = QStringLiteral("%1: git cannot merge this revision file into %2 (%3); resolve it before "
                                       "the merge, Retort does not guess which version wins.")
                            .arg(c.path, target, how);
            out.conflicts.append(c);
        }
        libgit2().git_index_conflict_iterator_free(it);
    }
    out.target.warnings = warnings + out.target.warnings;
    return out;
}

} // namespace retort::core
