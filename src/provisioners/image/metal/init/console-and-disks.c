/* Shared by the initramfs and PID 1: the console, files, the kernel command line, partitions by label. */
#include "keelson-init.h"

void say(const char *format, ...) {
  char line[512];
  va_list args;
  va_start(args, format);
  vsnprintf(line, sizeof line, format, args);
  va_end(args);
  /* The console is what a person without a shell reads; the kernel log keeps it for the API. */
  int fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd >= 0) {
    dprintf(fd, "keelson-init: %s\n", line);
    close(fd);
  }
  fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    dprintf(fd, "<6>keelson-init: %s\n", line);
    close(fd);
  }
}

/* Every failure ends here: the boot loader's counter decides what boots next. */
void give_up(const char *why) {
  if (errno != 0)
    say("cannot boot this slot: %s (%s); rebooting", why, strerror(errno));
  else
    say("cannot boot this slot: %s; rebooting", why);
  sync();
  sleep(2);
  reboot(RB_AUTOBOOT);
  for (;;) pause();
}

/* Reads a whole file (sysfs hands out at most a page per read) into BUFFER; -1 if it does not fit. */
int read_file(const char *path, char *buffer, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t total = 0;
  for (;;) {
    ssize_t n = read(fd, buffer + total, size - 1 - total);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (n > 0 && total + (size_t)n >= size - 1)) {
      close(fd);
      if (n > 0) errno = EFBIG;
      return -1;
    }
    if (n == 0) break;
    total += (size_t)n;
  }
  close(fd);
  buffer[total] = 0;
  return (int)total;
}

/* The value of NAME= on the kernel command line, or NULL. */
const char *parameter(const char *cmdline, const char *name) {
  static char value[512];
  size_t length = strlen(name);
  for (const char *p = cmdline; (p = strstr(p, name)) != NULL; p += length) {
    if ((p != cmdline && p[-1] != ' ') || p[length] != '=') continue;
    const char *start = p + length + 1;
    size_t n = strcspn(start, " \n");
    if (n >= sizeof value) return NULL;
    memcpy(value, start, n);
    value[n] = 0;
    return value;
  }
  return NULL;
}

/* Loads the modules LIST names (one file name a line, in order) from DIR. */
void load_modules(const char *list_path, const char *dir) {
  char list[8192];
  if (read_file(list_path, list, sizeof list) < 0) return;
  for (char *name = strtok(list, "\n"); name; name = strtok(NULL, "\n")) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST))
      say("module %s: %s", name, strerror(errno));
    if (fd >= 0) close(fd);
  }
}

/* The block device whose GPT partition name is LABEL, waited for up to 10 s; its sysfs name into NAME. */
dev_t find_partition_named(const char *label, char name[NAME_MAX + 1]) {
  for (int tries = 0; tries < 1000; tries++) {
    DIR *dir = opendir("/sys/class/block");
    struct dirent *entry;
    while (dir && (entry = readdir(dir)) != NULL) {
      char path[512], text[1024];
      snprintf(path, sizeof path, "/sys/class/block/%s/uevent", entry->d_name);
      if (read_file(path, text, sizeof text) < 0) continue;
      char want[160];
      snprintf(want, sizeof want, "PARTNAME=%s\n", label);
      const char *major = strstr(text, "MAJOR="), *minor = strstr(text, "MINOR=");
      if (strstr(text, want) && major && minor) {
        snprintf(name, NAME_MAX + 1, "%s", entry->d_name);
        closedir(dir);
        return makedev(atoi(major + 6), atoi(minor + 6));
      }
    }
    if (dir) closedir(dir);
    struct timespec pause_for = {0, 10 * 1000 * 1000};
    nanosleep(&pause_for, NULL);
  }
  errno = ENOENT;
  return 0;
}

/* A number from a sysfs file, formatted into PATTERN with NAME; 0 when unreadable. */
unsigned long long sysfs_number(const char *pattern, const char *name) {
  char path[256], text[64];
  snprintf(path, sizeof path, pattern, name);
  return read_file(path, text, sizeof text) > 0 ? strtoull(text, NULL, 10) : 0;
}

