// The floor for reading a project: open and read every file of a folder, nothing else.
// `--at` opens each file relative to the open folder (openat), as Retort does, so the kernel
// resolves one name per file rather than the whole path.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>

int main(int argc, char **argv)
{
    const bool at = argc > 2 && std::string(argv[1]) == "--at";
    if (at) {
        ++argv;
        --argc;
    }
    if (argc < 2)
        return 2;
    DIR *d = opendir(argv[1]);
    if (!d)
        return 1;
    static char buf[1 << 16];
    size_t total = 0;
    while (dirent *e = readdir(d)) {
        if (e->d_name[0] == '.')
            continue;
        const std::string path = at ? std::string() : std::string(argv[1]) + "/" + e->d_name;
        const int fd = at ? openat(dirfd(d), e->d_name, O_RDONLY) : open(path.c_str(), O_RDONLY);
        if (fd < 0)
            continue;
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            total += size_t(n);
        close(fd);
    }
    closedir(d);
    std::printf("%zu\n", total);
    return 0;
}
