// CLinuxShims: loop devices, block-device ioctls and the new mount API (fsopen/fsconfig/fsmount, ...).
//
// ioctl() is variadic and the mount-API calls have no glibc wrappers that can be mixed with
// <linux/mount.h>, so both are reached through these small functions. Constants carry a
// `berth_` prefix so this header never collides with <sys/mount.h> pulled in elsewhere.
#pragma once
// No _GNU_SOURCE here: nothing below needs it, and it changes struct layouts (fd_set) seen by other modules.
#include <stdint.h>

// loop-control and loop device ioctls. Each returns what ioctl() returns (-1 with errno set).
int berth_loop_ctl_get_free(int control_fd);
int berth_loop_configure(
    int loop_fd, int backing_fd, uint64_t offset, uint64_t size_limit, uint32_t flags, uint32_t block_size);
int berth_block_get_size64(int fd, uint64_t *size);

// LO_FLAGS_* values as the kernel defines them.
#define BERTH_LO_FLAGS_READ_ONLY 1u
#define BERTH_LO_FLAGS_AUTOCLEAR 4u

// New mount API, raw syscalls. Each returns the syscall's result (-1 with errno set).
int berth_fsopen(const char *fs_name, unsigned int flags);
int berth_fsconfig(int fs_fd, unsigned int cmd, const char *key, const void *value, int aux);
int berth_fsmount(int fs_fd, unsigned int flags, unsigned int attr_flags);
int berth_move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path, unsigned int flags);
int berth_mount_setattr_flags(int dirfd, const char *path, unsigned int flags, uint64_t attr_set, uint64_t attr_clr);

#define BERTH_FSOPEN_CLOEXEC 0x00000001u
#define BERTH_FSMOUNT_CLOEXEC 0x00000001u
#define BERTH_FSCONFIG_SET_FLAG 0u
#define BERTH_FSCONFIG_SET_STRING 1u
#define BERTH_FSCONFIG_CMD_CREATE 6u
#define BERTH_MOUNT_ATTR_RDONLY 0x00000001u
#define BERTH_MOUNT_ATTR_NOSUID 0x00000002u
#define BERTH_MOUNT_ATTR_NODEV 0x00000004u
#define BERTH_MOUNT_ATTR_NOEXEC 0x00000008u
#define BERTH_MOVE_MOUNT_F_EMPTY_PATH 0x00000004u
#define BERTH_AT_EMPTY_PATH 0x1000u
#define BERTH_AT_RECURSIVE 0x8000u
