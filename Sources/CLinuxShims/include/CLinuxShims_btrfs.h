// CLinuxShims: btrfs quota ioctls.
// The BTRFS_IOC_* numbers are function-like macros Swift cannot import and their argument structs hold
// unions and flexible buffers, so each ioctl gets one tiny C entry point. Only SystemCalls calls them.
#pragma once
#include <stdint.h>
#include <stddef.h>

/// BTRFS_IOC_INO_LOOKUP of the directory inode 256: the ID of the subvolume (tree) `fd` is in.
int berth_btrfs_tree_id(int fd, uint64_t *tree_id);

/// The key range of one BTRFS_IOC_TREE_SEARCH; `nr_items` is the most to return on input, the number
/// returned on output.
struct berth_btrfs_search_key {
    uint64_t tree_id;
    uint64_t min_objectid;
    uint64_t max_objectid;
    uint64_t min_offset;
    uint64_t max_offset;
    uint32_t min_type;
    uint32_t max_type;
    uint32_t nr_items;
};

/// Size of the result buffer BTRFS_IOC_TREE_SEARCH fills (BTRFS_SEARCH_ARGS_BUFSIZE).
size_t berth_btrfs_search_buffer_size(void);

/// One BTRFS_IOC_TREE_SEARCH; the items (header + body each) are copied to `buffer` (at least
/// `berth_btrfs_search_buffer_size()` bytes). 0 or -1 with errno set.
int berth_btrfs_tree_search(int fd, struct berth_btrfs_search_key *key, uint8_t *buffer);

/// Where `ctime` (struct btrfs_timespec: le64 seconds, le32 nanoseconds) sits in struct btrfs_root_item.
size_t berth_btrfs_root_item_ctime_offset(void);

/// BTRFS_IOC_QUOTA_CTL with BTRFS_QUOTA_CTL_ENABLE (enable != 0) or _DISABLE.
int berth_btrfs_quota_ctl(int fd, int enable);

/// BTRFS_IOC_QGROUP_LIMIT setting the referenced maximum of `qgroupid` (UINT64_MAX: none).
int berth_btrfs_qgroup_limit(int fd, uint64_t qgroupid, uint64_t max_referenced);

/// BTRFS_IOC_QGROUP_CREATE (create != 0) or destroy.
int berth_btrfs_qgroup_create(int fd, int create, uint64_t qgroupid);

/// BTRFS_IOC_QGROUP_ASSIGN (assign != 0) or unassign; the ioctl's result (> 0: a rescan is needed).
int berth_btrfs_qgroup_assign(int fd, int assign, uint64_t child, uint64_t parent);

/// BTRFS_IOC_QUOTA_RESCAN (start), BTRFS_IOC_QUOTA_RESCAN_WAIT, BTRFS_IOC_QUOTA_RESCAN_STATUS.
int berth_btrfs_quota_rescan(int fd);
int berth_btrfs_quota_rescan_wait(int fd);
int berth_btrfs_quota_rescan_status(int fd, uint64_t *flags);
