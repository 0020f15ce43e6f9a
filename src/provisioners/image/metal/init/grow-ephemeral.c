/* EPHEMERAL grown to the disk's end: the GPT rewritten in place, then the ext4 filesystem online. */
#include "keelson-init.h"

static uint32_t crc32(const void *data, size_t length) {
  const unsigned char *p = data;
  uint32_t c = 0xffffffffu;
  while (length--) {
    c ^= *p++;
    for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
  }
  return ~c;
}

struct gpt_header {
  char signature[8];
  uint32_t revision, header_size, header_crc, reserved;
  uint64_t my_lba, alternate_lba, first_usable, last_usable;
  uint8_t disk_guid[16];
  uint64_t entries_lba;
  uint32_t entry_count, entry_size, entries_crc;
} __attribute__((packed));

struct gpt_entry {
  uint8_t type[16], unique[16];
  uint64_t first, last, attributes;
  uint16_t name[36];
} __attribute__((packed));

#define SECTOR 512ull
#define MAX_ENTRIES 128

static int write_at(int fd, const void *data, size_t length, unsigned long long sector) {
  return pwrite(fd, data, length, (off_t)(sector * SECTOR)) == (ssize_t)length ? 0 : -1;
}

/* The protective MBR's one partition covers the whole disk (as far as 32 bits reach). */
static int protect(int fd, unsigned long long sectors) {
  unsigned char mbr[SECTOR];
  if (pread(fd, mbr, sizeof mbr, 0) != (ssize_t)sizeof mbr) return -1;
  if (mbr[510] != 0x55 || mbr[511] != 0xaa || mbr[446 + 4] != 0xee) return 0;
  uint32_t size = sectors - 1 > 0xffffffffull ? 0xffffffffu : (uint32_t)(sectors - 1);
  memcpy(mbr + 446 + 12, &size, sizeof size);
  return write_at(fd, mbr, sizeof mbr, 0);
}

static void seal(struct gpt_header *h) {
  h->header_crc = 0;
  h->header_crc = crc32(h, h->header_size);
}

/*
 * EPHEMERAL is the disk's last partition, and the image is smaller than most
 * disks it is written to: when the disk is larger than the table says, the
 * partition is extended to the disk's end (1 MiB aligned), the backup table
 * moved there, and the kernel told. The backup is written before the primary:
 * a power loss in between leaves the old table whole, and the next boot
 * grows again. Returns the partition's new size in bytes, or 0.
 */
unsigned long long grow_partition(const char *part) {
  char path[300], disk_path[PATH_MAX];
  snprintf(path, sizeof path, "/sys/class/block/%s/..", part);
  if (!realpath(path, disk_path)) return 0;
  const char *disk = strrchr(disk_path, '/') + 1;
  unsigned long long sectors = sysfs_number("/sys/class/block/%s/size", disk);
  unsigned long long number = sysfs_number("/sys/class/block/%s/partition", part);
  if (sysfs_number("/sys/class/block/%s/queue/logical_block_size", disk) != SECTOR || !number ||
      number > MAX_ENTRIES)
    return 0;
  char text[32];
  unsigned int major_number, minor_number;
  snprintf(path, sizeof path, "/sys/class/block/%s/dev", disk);
  if (read_file(path, text, sizeof text) < 0 ||
      sscanf(text, "%u:%u", &major_number, &minor_number) != 2)
    return 0;
  mknod("/dev/keelson-disk", S_IFBLK | 0600, makedev(major_number, minor_number));
  int fd = open("/dev/keelson-disk", O_RDWR | O_CLOEXEC);
  if (fd < 0) return 0;
  static struct gpt_header h;
  static struct gpt_entry entries[MAX_ENTRIES];
  unsigned long long grown = 0;
  if (pread(fd, &h, sizeof h, SECTOR) != sizeof h || memcmp(h.signature, "EFI PART", 8) != 0 ||
      h.header_size != sizeof h || h.entry_size != sizeof(struct gpt_entry) ||
      h.entry_count > MAX_ENTRIES || h.entry_count < number || h.my_lba != 1 ||
      h.entries_lba != 2 || sectors < 64)
    goto done; /* not a table this code lays out */
  struct gpt_header check = h;
  check.header_crc = 0;
  if (crc32(&check, sizeof check) != h.header_crc) {
    say("the partition table's header does not check out: EPHEMERAL is not grown");
    goto done;
  }
  size_t table = h.entry_count * sizeof(struct gpt_entry);
  unsigned long long table_sectors = (table + SECTOR - 1) / SECTOR;
  if (pread(fd, entries, table, (off_t)(h.entries_lba * SECTOR)) != (ssize_t)table ||
      crc32(entries, table) != h.entries_crc) {
    say("the partition table does not check out: EPHEMERAL is not grown");
    goto done;
  }
  struct gpt_entry *e = &entries[number - 1];
  for (unsigned int i = 0; i < h.entry_count; i++)
    if (entries[i].last > e->last) goto done; /* not the last partition */
  unsigned long long old_backup = h.alternate_lba;
  unsigned long long last_usable = sectors - 2 - table_sectors;
  unsigned long long align = (1ull << 20) / SECTOR;
  if (e->first + align > last_usable || e->last > last_usable) goto done; /* not on this disk */
  unsigned long long last = e->first + (last_usable + 1 - e->first) / align * align - 1;
  /* Already reaching the end, its backup table where it belongs: nothing to do. */
  if (last <= e->last && old_backup == sectors - 1) goto done;
  if (last < e->last) last = e->last;
  /* The old backup lies past the old end of EPHEMERAL: zeroed, so no stale table is found there. */
  int zero_old = old_backup != sectors - 1 && old_backup > e->last && old_backup < sectors;
  e->last = last;
  h.last_usable = last_usable;
  h.entries_crc = crc32(entries, table);
  struct gpt_header backup = h;
  backup.my_lba = sectors - 1;
  backup.alternate_lba = 1;
  backup.entries_lba = sectors - 1 - table_sectors;
  seal(&backup);
  h.alternate_lba = sectors - 1;
  seal(&h);
  /* The primary in one write: its header sector, then its entries (LBA 1 and 2 on). */
  static unsigned char primary[SECTOR + MAX_ENTRIES * sizeof(struct gpt_entry)];
  memset(primary, 0, sizeof primary);
  memcpy(primary, &h, sizeof h);
  memcpy(primary + SECTOR, entries, table);
  static const char zero[SECTOR];
  if (write_at(fd, entries, table, backup.entries_lba) ||
      write_at(fd, &backup, sizeof backup, backup.my_lba) || fsync(fd) ||
      write_at(fd, primary, SECTOR + table, 1) || fsync(fd) ||
      (zero_old && write_at(fd, zero, sizeof zero, old_backup)) ||
      protect(fd, sectors) || fsync(fd)) {
    say("cannot write the grown partition table: %s", strerror(errno));
    goto done;
  }
  struct blkpg_partition resized = {
      .start = (long long)(e->first * SECTOR),
      .length = (long long)((last - e->first + 1) * SECTOR),
      .pno = (int)number,
  };
  struct blkpg_ioctl_arg request = {
      .op = BLKPG_RESIZE_PARTITION, .datalen = sizeof resized, .data = &resized};
  if (ioctl(fd, BLKPG, &request) != 0) say("cannot tell the kernel of the grown EPHEMERAL: %s", strerror(errno));
  else grown = (unsigned long long)resized.length;
done:
  close(fd);
  return grown;
}

/*
 * Grows the ext4 filesystem mounted at TARGET to the whole of partition PART,
 * online, whenever it is smaller: a boot that lost power after the table grew
 * finishes the job at the next boot.
 */
void grow_filesystem(const char *target, const char *part) {
  struct statvfs before, after;
  unsigned long long bytes = sysfs_number("/sys/class/block/%s/size", part) * SECTOR;
  int fd = open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || bytes == 0 || fstatvfs(fd, &before) != 0 || before.f_frsize == 0) {
    if (fd >= 0) close(fd);
    return;
  }
  uint64_t blocks = bytes / before.f_frsize;
  /* EXT4_IOC_RESIZE_FS: to the size it has, it does nothing. */
  if (ioctl(fd, _IOW('f', 16, uint64_t), &blocks) != 0)
    say("cannot grow the filesystem at %s: %s", target, strerror(errno));
  else if (fstatvfs(fd, &after) == 0 && after.f_blocks > before.f_blocks)
    say("EPHEMERAL grown to %llu MiB, the disk's end", bytes >> 20);
  close(fd);
}
