#pragma once

// libgit2, loaded when the first git question is asked rather than when Retort starts.
// libgit2 brings about fifteen libraries with it (Kerberos, TLS, SSH, HTTP); linking it
// would make every `retort heads` map and relocate them before reading a single file.

#include <QString>

#include <git2.h>
#include <git2/sys/mempack.h>

namespace retort::core {

// Every libgit2 function the engine calls. A function added to gitrepository.cpp goes here.
#define RETORT_LIBGIT2_FUNCTIONS(X) \
    X(git_blob_create_from_workdir) \
    X(git_blob_free) \
    X(git_blob_lookup) \
    X(git_blob_rawcontent) \
    X(git_blob_rawsize) \
    X(git_branch_iterator_free) \
    X(git_branch_iterator_new) \
    X(git_branch_name) \
    X(git_branch_next) \
    X(git_branch_upstream) \
    X(git_commit_free) \
    X(git_commit_lookup) \
    X(git_commit_tree) \
    X(git_error_last) \
    X(git_ignore_path_is_ignored) \
    X(git_index_add) \
    X(git_index_conflict_iterator_free) \
    X(git_index_conflict_iterator_new) \
    X(git_index_conflict_next) \
    X(git_index_entrycount) \
    X(git_index_free) \
    X(git_index_get_byindex) \
    X(git_index_get_bypath) \
    X(git_index_has_conflicts) \
    X(git_index_new) \
    X(git_index_path) \
    X(git_index_read_tree) \
    X(git_index_remove) \
    X(git_index_write_tree_to) \
    X(git_libgit2_init) \
    X(git_libgit2_version) \
    X(git_mempack_new) \
    X(git_mempack_reset) \
    X(git_merge_base) \
    X(git_merge_trees) \
    X(git_object_free) \
    X(git_object_id) \
    X(git_object_peel) \
    X(git_odb_add_backend) \
    X(git_odb_free) \
    X(git_oid_cpy) \
    X(git_oid_tostr) \
    X(git_reference_free) \
    X(git_reference_is_branch) \
    X(git_reference_iterator_free) \
    X(git_reference_iterator_new) \
    X(git_reference_lookup) \
    X(git_reference_name) \
    X(git_reference_next) \
    X(git_reference_peel) \
    X(git_reference_symbolic_target) \
    X(git_reference_target) \
    X(git_repository_commondir) \
    X(git_repository_free) \
    X(git_repository_head) \
    X(git_repository_index) \
    X(git_repository_odb) \
    X(git_repository_open_ext) \
    X(git_repository_path) \
    X(git_repository_workdir) \
    X(git_revparse_single) \
    X(git_tree_free) \
    X(git_tree_lookup)

struct Libgit2
{
#define RETORT_LIBGIT2_MEMBER(name) decltype(&::name) name = nullptr;
    RETORT_LIBGIT2_FUNCTIONS(RETORT_LIBGIT2_MEMBER)
#undef RETORT_LIBGIT2_MEMBER
    QString error;  // why libgit2 could not be used; empty when every function is there

    bool isLoaded() const { return error.isEmpty(); }
};

// The process's libgit2 (RETORT_LIBGIT2_SONAME, the library Retort was built against),
// loaded and initialised on the first call; thread-safe. When it cannot be loaded, or lacks
// a function, `error` says so in one line and every pointer is null.
const Libgit2 &libgit2();

// "1.9.0", or why it does not load: for `retort --version`.
QString libgit2Version();

} // namespace retort::core
