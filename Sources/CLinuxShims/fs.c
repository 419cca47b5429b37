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
#include <sys/stat.h>
#include <sys/sysmacros.h>

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

int berth_statx(int dirfd, const char *path, struct berth_statx *out) {
    struct statx buffer;
    int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | (path[0] == 0 ? AT_EMPTY_PATH : 0);
    if (statx(dirfd, path, flags, STATX_BASIC_STATS | STATX_MNT_ID | STATX_BTIME, &buffer) < 0) return -1;
    out->device = (uint64_t)makedev(buffer.stx_dev_major, buffer.stx_dev_minor);
    out->inode = buffer.stx_ino;
    out->mode = buffer.stx_mode;
    out->uid = buffer.stx_uid;
    out->gid = buffer.stx_gid;
    out->link_count = buffer.stx_nlink;
    out->size = (int64_t)buffer.stx_size;
    out->blocks = (int64_t)buffer.stx_blocks;
    out->mtime_sec = buffer.stx_mtime.tv_sec;
    out->mtime_nsec = buffer.stx_mtime.tv_nsec;
    out->ctime_sec = buffer.stx_ctime.tv_sec;
    out->ctime_nsec = buffer.stx_ctime.tv_nsec;
    out->has_mount_id = (buffer.stx_mask & STATX_MNT_ID) != 0;
    out->mount_id = out->has_mount_id ? buffer.stx_mnt_id : 0;
    out->immutable_known = (buffer.stx_attributes_mask & STATX_ATTR_IMMUTABLE) != 0;
    out->immutable = (buffer.stx_attributes & STATX_ATTR_IMMUTABLE) != 0;
    out->has_btime = (buffer.stx_mask & STATX_BTIME) != 0;
    out->btime_sec = out->has_btime ? buffer.stx_btime.tv_sec : 0;
    out->btime_nsec = out->has_btime ? buffer.stx_btime.tv_nsec : 0;
    return 0;
}
