// CLinuxShims: fs helpers.
// openat2 has no glibc wrapper and the inode-flag ioctls are function-like macros Swift cannot import,
// so they get tiny C entry points here. Only the SystemCalls module calls them.
#pragma once
#include <stdint.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stddef.h>

// No libc headers beyond these: a libc header pulled in here under _GNU_SOURCE would give types such as
// fd_set a second, different definition next to Swift's Glibc module.

/// O_PATH needs _GNU_SOURCE, which Swift's Glibc module is built without.
int berth_o_path_flag(void);

/// fgetxattr/fsetxattr (their header is not part of Swift's Glibc module); as the libc calls.
long berth_fgetxattr(int fd, const char *name, void *value, size_t size);
int berth_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags);

/// Raw openat2(2); returns the new fd or -1 with errno set.
int berth_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

/// FS_IOC_GETFLAGS / FS_IOC_SETFLAGS; return 0 or -1 with errno set.
int berth_get_inode_flags(int fd, unsigned int *flags);
int berth_set_inode_flags(int fd, unsigned int flags);

/// FS_IMMUTABLE_FL, exported as a plain value.
unsigned int berth_fs_immutable_flag(void);

/// BTRFS_IOC_SUBVOL_GETFLAGS / SETFLAGS for the read-only subvolume flag; 0 or -1 with errno set.
int berth_btrfs_get_subvolume_flags(int fd, uint64_t *flags);
int berth_btrfs_set_subvolume_flags(int fd, uint64_t flags);
uint64_t berth_btrfs_subvolume_readonly_flag(void);

/// renameat2(2) (declared by glibc only under _GNU_SOURCE); 0 or -1 with errno set.
int berth_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);
unsigned int berth_rename_noreplace(void);
unsigned int berth_rename_exchange(void);

/// What statx(2) reports of a file: stat's fields, plus the mount ID and the immutable attribute where
/// the kernel and the file system report them (the `has_`/`_known` fields say so).
struct berth_statx {
    uint64_t device;
    uint64_t inode;
    uint32_t mode;
    uint32_t uid;
    uint32_t gid;
    uint64_t link_count;
    int64_t size;
    int64_t blocks;
    int64_t mtime_sec;
    uint32_t mtime_nsec;
    int64_t ctime_sec;
    uint32_t ctime_nsec;
    uint64_t mount_id;
    int has_mount_id;
    int immutable_known;
    int immutable;
    int has_btime;
    int64_t btime_sec;
    uint32_t btime_nsec;
};

/// statx(2) of `path` below `dirfd` (an empty path: `dirfd` itself), not following a last symlink;
/// 0 or -1 with errno set.
int berth_statx(int dirfd, const char *path, struct berth_statx *out);

/// fstatfs(2) reduced to the two fields callers need; 0 or -1 with errno set.
int berth_fstatfs(int fd, uint64_t *type, uint64_t *flags);
