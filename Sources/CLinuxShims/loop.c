// CLinuxShims: loop devices, block-device ioctls and the new mount API.
#define _GNU_SOURCE 1  /* here, not in the module headers: see CLinuxShims.h */
#include "CLinuxShims.h"

#include <linux/fs.h>
#include <linux/loop.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

// mount_setattr's argument struct; spelled out here because <linux/mount.h> clashes with <sys/mount.h>.
struct berth_mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};

int berth_loop_ctl_get_free(int control_fd) { return ioctl(control_fd, LOOP_CTL_GET_FREE); }

int berth_loop_configure(
    int loop_fd, int backing_fd, uint64_t offset, uint64_t size_limit, uint32_t flags, uint32_t block_size) {
    struct loop_config config;
    memset(&config, 0, sizeof(config));
    config.fd = (uint32_t)backing_fd;
    config.block_size = block_size;
    config.info.lo_offset = offset;
    config.info.lo_sizelimit = size_limit;
    config.info.lo_flags = flags;
    return ioctl(loop_fd, LOOP_CONFIGURE, &config);
}

int berth_block_get_size64(int fd, uint64_t *size) { return ioctl(fd, BLKGETSIZE64, size); }

int berth_fsopen(const char *fs_name, unsigned int flags) { return (int)syscall(SYS_fsopen, fs_name, flags); }

int berth_fsconfig(int fs_fd, unsigned int cmd, const char *key, const void *value, int aux) {
    return (int)syscall(SYS_fsconfig, fs_fd, cmd, key, value, aux);
}

int berth_fsmount(int fs_fd, unsigned int flags, unsigned int attr_flags) {
    return (int)syscall(SYS_fsmount, fs_fd, flags, attr_flags);
}

int berth_move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path, unsigned int flags) {
    return (int)syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags);
}

int berth_mount_setattr_flags(int dirfd, const char *path, unsigned int flags, uint64_t attr_set, uint64_t attr_clr) {
    struct berth_mount_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.attr_set = attr_set;
    attr.attr_clr = attr_clr;
    return (int)syscall(SYS_mount_setattr, dirfd, path, flags, &attr, sizeof(attr));
}
