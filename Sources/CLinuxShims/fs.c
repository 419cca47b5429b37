// CLinuxShims: fs helpers.
#define _GNU_SOURCE 1  /* here, not in the module headers: see CLinuxShims.h */
#include "CLinuxShims.h"
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/btrfs.h>
#include <stdio.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <fcntl.h>

int berth_o_path_flag(void) { return O_PATH; }

long berth_fgetxattr(int fd, const char *name, void *value, size_t size) {
    return (long)fgetxattr(fd, name, value, size);
}

int berth_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags) {
    return fsetxattr(fd, name, value, size, flags);
}

int berth_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how = { .flags = flags, .mode = mode, .resolve = resolve };
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

int berth_get_inode_flags(int fd, unsigned int *flags) {
    int value = 0;
    if (ioctl(fd, FS_IOC_GETFLAGS, &value) < 0) return -1;
    *flags = (unsigned int)value;
    return 0;
}

int berth_set_inode_flags(int fd, unsigned int flags) {
    int value = (int)flags;
    return ioctl(fd, FS_IOC_SETFLAGS, &value);
}

unsigned int berth_fs_immutable_flag(void) { return FS_IMMUTABLE_FL; }

int berth_btrfs_get_subvolume_flags(int fd, uint64_t *flags) {
    return ioctl(fd, BTRFS_IOC_SUBVOL_GETFLAGS, flags);
}

int berth_btrfs_set_subvolume_flags(int fd, uint64_t flags) {
    return ioctl(fd, BTRFS_IOC_SUBVOL_SETFLAGS, &flags);
}

uint64_t berth_btrfs_subvolume_readonly_flag(void) { return BTRFS_SUBVOL_RDONLY; }

int berth_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
    return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, flags);
}

unsigned int berth_rename_noreplace(void) { return RENAME_NOREPLACE; }
unsigned int berth_rename_exchange(void) { return RENAME_EXCHANGE; }

int berth_fstatfs(int fd, uint64_t *type, uint64_t *flags) {
    struct statfs buffer;
    if (fstatfs(fd, &buffer) < 0) return -1;
    *type = (uint64_t)buffer.f_type;
    *flags = (uint64_t)buffer.f_flags;
    return 0;
}
