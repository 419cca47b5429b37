// CLinuxShims: btrfs quota ioctls.
#define _GNU_SOURCE 1  /* here, not in the module headers: see CLinuxShims.h */
#include "CLinuxShims.h"
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>

int berth_btrfs_tree_id(int fd, uint64_t *tree_id) {
    struct btrfs_ioctl_ino_lookup_args args;
    memset(&args, 0, sizeof(args));
    args.objectid = BTRFS_FIRST_FREE_OBJECTID;
    if (ioctl(fd, BTRFS_IOC_INO_LOOKUP, &args) < 0) return -1;
    *tree_id = args.treeid;
    return 0;
}

size_t berth_btrfs_search_buffer_size(void) { return BTRFS_SEARCH_ARGS_BUFSIZE; }

int berth_btrfs_tree_search(int fd, struct berth_btrfs_search_key *key, uint8_t *buffer) {
    struct btrfs_ioctl_search_args args;
    memset(&args, 0, sizeof(args));
    args.key.tree_id = key->tree_id;
    args.key.min_objectid = key->min_objectid;
    args.key.max_objectid = key->max_objectid;
    args.key.min_offset = key->min_offset;
    args.key.max_offset = key->max_offset;
    args.key.min_transid = 0;
    args.key.max_transid = UINT64_MAX;
    args.key.min_type = key->min_type;
    args.key.max_type = key->max_type;
    args.key.nr_items = key->nr_items;
    if (ioctl(fd, BTRFS_IOC_TREE_SEARCH, &args) < 0) return -1;
    key->nr_items = args.key.nr_items;
    memcpy(buffer, args.buf, sizeof(args.buf));
    return 0;
}

size_t berth_btrfs_root_item_ctime_offset(void) { return offsetof(struct btrfs_root_item, ctime); }

int berth_btrfs_quota_ctl(int fd, int enable) {
    struct btrfs_ioctl_quota_ctl_args args;
    memset(&args, 0, sizeof(args));
    args.cmd = enable ? BTRFS_QUOTA_CTL_ENABLE : BTRFS_QUOTA_CTL_DISABLE;
    return ioctl(fd, BTRFS_IOC_QUOTA_CTL, &args);
}

int berth_btrfs_qgroup_limit(int fd, uint64_t qgroupid, uint64_t max_referenced) {
    struct btrfs_ioctl_qgroup_limit_args args;
    memset(&args, 0, sizeof(args));
    args.qgroupid = qgroupid;
    args.lim.flags = BTRFS_QGROUP_LIMIT_MAX_RFER;
    args.lim.max_rfer = max_referenced;
    return ioctl(fd, BTRFS_IOC_QGROUP_LIMIT, &args);
}

int berth_btrfs_qgroup_create(int fd, int create, uint64_t qgroupid) {
    struct btrfs_ioctl_qgroup_create_args args;
    memset(&args, 0, sizeof(args));
    args.create = create ? 1 : 0;
    args.qgroupid = qgroupid;
    return ioctl(fd, BTRFS_IOC_QGROUP_CREATE, &args);
}

int berth_btrfs_qgroup_assign(int fd, int assign, uint64_t child, uint64_t parent) {
    struct btrfs_ioctl_qgroup_assign_args args;
    memset(&args, 0, sizeof(args));
    args.assign = assign ? 1 : 0;
    args.src = child;
    args.dst = parent;
    return ioctl(fd, BTRFS_IOC_QGROUP_ASSIGN, &args);
}

int berth_btrfs_quota_rescan(int fd) {
    struct btrfs_ioctl_quota_rescan_args args;
    memset(&args, 0, sizeof(args));
    return ioctl(fd, BTRFS_IOC_QUOTA_RESCAN, &args);
}

int berth_btrfs_quota_rescan_wait(int fd) { return ioctl(fd, BTRFS_IOC_QUOTA_RESCAN_WAIT); }

int berth_btrfs_quota_rescan_status(int fd, uint64_t *flags) {
    struct btrfs_ioctl_quota_rescan_args args;
    memset(&args, 0, sizeof(args));
    if (ioctl(fd, BTRFS_IOC_QUOTA_RESCAN_STATUS, &args) < 0) return -1;
    *flags = args.flags;
    return 0;
}
