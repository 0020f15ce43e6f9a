/* The verified root: dm-verity set up by ioctl, as veritysetup would. */
#include "keelson-init.h"

static void dm_init(struct dm_ioctl *io, size_t size, const char *name) {
  memset(io, 0, size);
  io->version[0] = DM_VERSION_MAJOR;
  io->data_size = size;
  io->data_start = sizeof *io;
  snprintf(io->name, sizeof io->name, "%s", name);
}

/* Maps DEVICE through dm-verity (a device-mapper device, set up by ioctl); returns its number. */
dev_t map_verity(dev_t device, const char *spec) {
  unsigned long long data_blocks, hash_start;
  char root_hash[129], salt[129];
  if (sscanf(spec, "%llu:%llu:%128[0-9a-f]:%128[0-9a-f-]", &data_blocks, &hash_start, root_hash,
             salt) != 4) {
    errno = EINVAL;
    give_up("keelson.verity is malformed");
  }
  int control = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
  if (control < 0) give_up("no device-mapper control");
  union {
    struct dm_ioctl io;
    char bytes[16384];
  } buffer;
  dm_init(&buffer.io, sizeof buffer, "keelson-root");
  buffer.io.flags = DM_READONLY_FLAG;
  if (ioctl(control, DM_DEV_CREATE, &buffer) != 0) give_up("DM_DEV_CREATE");
  dm_init(&buffer.io, sizeof buffer, "keelson-root");
  buffer.io.flags = DM_READONLY_FLAG;
  buffer.io.target_count = 1;
  struct dm_target_spec *target = (struct dm_target_spec *)(buffer.bytes + sizeof buffer.io);
  target->sector_start = 0;
  target->length = data_blocks * 8;
  snprintf(target->target_type, sizeof target->target_type, "verity");
  char *table = (char *)(target + 1);
  snprintf(table, sizeof buffer - sizeof buffer.io - sizeof *target,
           "1 %u:%u %u:%u 4096 4096 %llu %llu sha256 %s %s", major(device), minor(device),
           major(device), minor(device), data_blocks, hash_start, root_hash, salt);
  target->next = 0;
  if (ioctl(control, DM_TABLE_LOAD, &buffer) != 0) give_up("DM_TABLE_LOAD");
  dm_init(&buffer.io, sizeof buffer, "keelson-root");
  if (ioctl(control, DM_DEV_SUSPEND, &buffer) != 0) give_up("resuming the verity device");
  dev_t mapped = (dev_t)buffer.io.dev;
  close(control);
  return mapped;
}

