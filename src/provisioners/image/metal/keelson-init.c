/*
 * keelson-init: the only program of the initramfs, and PID 1 of the root.
 *
 * As /init of the initramfs it loads the modules listed in /modules (in
 * order, from /lib/modules), finds the slot's root partition by its GPT
 * label (keelson.root= on the kernel command line, from the slot's loader
 * entry), maps it through dm-verity (keelson.verity=DATA_BLOCKS:HASH_START:
 * ROOT_HASH:SALT, 4 KiB blocks, the hash tree after the data in the same
 * partition), mounts it read-only and switches to it, then runs itself
 * from the root.
 *
 * As PID 1 of the root (argv[1] == "pid1") it loads the root's modules,
 * mounts what the node needs (Node.js has no mount(2)), takes the platform's
 * record from QEMU's fw_cfg, brings up the network, hands the hardware
 * watchdog to the agent, runs it and reaps every orphan. The agent's exit
 * code is its power action (0 power off, 75 reboot). When it ends otherwise,
 * or anything above fails, the machine
 * reboots: the boot loader has already spent a try of an armed slot, so a
 * slot that cannot come up falls back by itself. No shell, ever.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <linux/dm-ioctl.h>
#include <linux/watchdog.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define AGENT_RUNTIME "/usr/bin/node"
#define AGENT_SCRIPT "/usr/lib/keelson/keelsond.mjs"
#define SELF_IN_ROOT "/usr/lib/keelson/keelson-init"
#define STATE_DIR "/mnt/state"
#define FW_CFG "/sys/firmware/qemu_fw_cfg/by_name/opt/keelson"
/* The agent's exit codes, as a process node's launcher reads them (machinery/platform/exit-codes). */
#define EXIT_POWEROFF 0
#define EXIT_REBOOT 75
#define WATCHDOG_SECONDS 30

static void say(const char *format, ...) {
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
static void give_up(const char *why) {
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
static int read_file(const char *path, char *buffer, size_t size) {
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
static const char *parameter(const char *cmdline, const char *name) {
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
static void load_modules(const char *list_path, const char *dir) {
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

/* The block device whose GPT partition name is LABEL, waited for up to 10 s. */
static dev_t find_partition(const char *label) {
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
        closedir(dir);
        return makedev(atoi(major + 6), atoi(minor + 6));
      }
    }
    if (dir) closedir(dir);
    struct timespec pause_for = {0, 10 * 1000 * 1000};
    nanosleep(&pause_for, NULL);
  }
  errno = ENOENT;
  give_up("no partition carries the slot's label");
  return 0;
}

static void dm_init(struct dm_ioctl *io, size_t size, const char *name) {
  memset(io, 0, size);
  io->version[0] = DM_VERSION_MAJOR;
  io->data_size = size;
  io->data_start = sizeof *io;
  snprintf(io->name, sizeof io->name, "%s", name);
}

/* Maps DEVICE through dm-verity (a device-mapper device, set up by ioctl); returns its number. */
static dev_t map_verity(dev_t device, const char *spec) {
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

static void initramfs(const char *self) {
  mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
  mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  char cmdline[4096];
  if (read_file("/proc/cmdline", cmdline, sizeof cmdline) < 0) give_up("no /proc/cmdline");
  load_modules("/modules", "/lib/modules");
  const char *label = parameter(cmdline, "keelson.root");
  if (!label) {
    errno = EINVAL;
    give_up("keelson.root is not on the kernel command line");
  }
  char wanted[128];
  snprintf(wanted, sizeof wanted, "%s", label);
  dev_t device = find_partition(wanted);
  const char *verity = parameter(cmdline, "keelson.verity");
  if (verity) device = map_verity(device, verity);
  else say("keelson.verity is not set: the root is not verified");
  mknod("/dev/keelson-root", S_IFBLK | 0600, device);
  mkdir("/newroot", 0755);
  if (mount("/dev/keelson-root", "/newroot", "squashfs", MS_RDONLY, NULL) != 0)
    give_up("mounting the root");
  say("root %s mounted%s", wanted, verity ? " and verified" : "");
  /* What the root needs comes along; the initramfs' memory is freed by the kernel's
     own rules for rootfs (it stays, small: the init and a few modules). */
  mount("/dev", "/newroot/dev", NULL, MS_MOVE, NULL);
  mount("/proc", "/newroot/proc", NULL, MS_MOVE, NULL);
  mount("/sys", "/newroot/sys", NULL, MS_MOVE, NULL);
  if (chdir("/newroot") != 0 || mount(".", "/", NULL, MS_MOVE, NULL) != 0 || chroot(".") != 0 ||
      chdir("/") != 0)
    give_up("switching to the root");
  (void)self;
  char *const argv[] = {SELF_IN_ROOT, "pid1", NULL};
  execv(SELF_IN_ROOT, argv);
  give_up("starting " SELF_IN_ROOT);
}

/* Mounts the partition labelled LABEL at TARGET; says why when it cannot. */
static int mount_partition(const char *label, const char *target, const char *type) {
  dev_t device = find_partition(label);
  char node[64];
  snprintf(node, sizeof node, "/dev/keelson-%s", label);
  mknod(node, S_IFBLK | 0600, device);
  if (mount(node, target, type, MS_NOSUID | MS_NODEV, NULL) == 0) return 0;
  say("cannot mount %s at %s: %s", label, target, strerror(errno));
  return -1;
}

/*
 * STATE holds what defines the node (configuration, PKI, boot records) and is
 * small; what grows (etcd's data, service logs) lives on EPHEMERAL, mounted
 * where the agent keeps it in its state, so the agent's layout is the same
 * on every platform.
 */
static void keep_on_ephemeral(const char *name) {
  char from[128], to[128];
  snprintf(from, sizeof from, "/var/lib/keelson/%s", name);
  snprintf(to, sizeof to, STATE_DIR "/%s", name);
  mkdir("/var/lib", 0755);
  mkdir("/var/lib/keelson", 0700);
  mkdir(from, 0700);
  mkdir(to, 0700);
  if (mount(from, to, NULL, MS_BIND, NULL) != 0) say("cannot keep %s on EPHEMERAL: %s", name, strerror(errno));
}

/* Copies a platform-given file (QEMU fw_cfg) into the state, unless the state has one. */
static void take_from_platform(const char *name, const char *into) {
  static char data[1 << 20];
  char source[256], partial[256];
  snprintf(source, sizeof source, FW_CFG "/%s/raw", name);
  if (access(into, F_OK) == 0 || access(source, F_OK) != 0) return;
  int n = read_file(source, data, sizeof data);
  if (n <= 0) {
    say("cannot read the platform's %s: %s", name, strerror(errno));
    return;
  }
  /* Written whole or not at all: a power loss never leaves half a file that is kept for good. */
  snprintf(partial, sizeof partial, "%s.partial", into);
  int fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || write(fd, data, (size_t)n) != n || fsync(fd) != 0 || rename(partial, into) != 0)
    say("cannot write %s: %s", into, strerror(errno));
  if (fd >= 0) close(fd);
}

static void interface_up(int sock, const char *name) {
  struct ifreq request = {0};
  snprintf(request.ifr_name, IFNAMSIZ, "%s", name);
  if (ioctl(sock, SIOCGIFFLAGS, &request) == 0) {
    request.ifr_flags |= IFF_UP;
    ioctl(sock, SIOCSIFFLAGS, &request);
  }
}

static void set_ipv4(int sock, const char *name, unsigned long request_code, in_addr_t value) {
  struct ifreq request = {0};
  snprintf(request.ifr_name, IFNAMSIZ, "%s", name);
  struct sockaddr_in *address = (struct sockaddr_in *)&request.ifr_addr;
  address->sin_family = AF_INET;
  address->sin_addr.s_addr = value;
  if (ioctl(sock, request_code, &request) != 0) say("%s: %s", name, strerror(errno));
}

/* Loopback, and the platform's address for eth0 ("ADDRESS/PREFIX GATEWAY", from fw_cfg). */
static void network(void) {
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) return;
  interface_up(sock, "lo");
  char text[128], address[64], gateway[64];
  int prefix;
  if (read_file(FW_CFG "/network/raw", text, sizeof text) > 0 &&
      sscanf(text, "%63[0-9.]/%d %63[0-9.]", address, &prefix, gateway) == 3 && prefix > 0 &&
      prefix <= 32) {
    set_ipv4(sock, "eth0", SIOCSIFADDR, inet_addr(address));
    set_ipv4(sock, "eth0", SIOCSIFNETMASK, htonl(0xffffffffu << (32 - prefix)));
    interface_up(sock, "eth0");
    struct rtentry route = {0};
    struct sockaddr_in *to = (struct sockaddr_in *)&route.rt_dst;
    struct sockaddr_in *via = (struct sockaddr_in *)&route.rt_gateway;
    struct sockaddr_in *mask = (struct sockaddr_in *)&route.rt_genmask;
    to->sin_family = via->sin_family = mask->sin_family = AF_INET;
    via->sin_addr.s_addr = inet_addr(gateway);
    route.rt_flags = RTF_UP | RTF_GATEWAY;
    if (ioctl(sock, SIOCADDRT, &route) != 0) say("default route: %s", strerror(errno));
    say("eth0 %s/%d via %s", address, prefix, gateway);
  }
  close(sock);
}

/*
 * The hardware watchdog, for the agent to pet (the same contract as a process
 * node's launcher). It runs from the moment it is opened: an agent that hangs
 * before its first pet resets the machine too (i6300esb: after two periods).
 */
static int open_watchdog(void) {
  int fd = open("/dev/watchdog", O_WRONLY);
  if (fd < 0) return -1;
  int seconds = WATCHDOG_SECONDS;
  ioctl(fd, WDIOC_SETTIMEOUT, &seconds);
  return fd;
}

/*
 * PID 1 of the root: it mounts what the node keeps (STATE, EPHEMERAL as
 * /var) and what the kernel offers (cgroup2, efivarfs), takes the platform's
 * record and user data, brings up the network, runs the agent and reaps
 * every orphan. The agent's exit is the power action it asked for.
 */
static void pid1(void) {
  load_modules("/usr/lib/keelson/modules", "/usr/lib/keelson/modules.d");
  mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
  mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
  mount("tmpfs", "/etc", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
  mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mount("efivarfs", "/sys/firmware/efi/efivars", "efivarfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
        NULL);
  if (mount_partition("KEELSON-STATE", STATE_DIR, "ext4") != 0) give_up("no STATE");
  /* The state's volatile part (uploads, runtime sockets) lives in memory: every boot starts it empty. */
  mkdir(STATE_DIR "/run", 0700);
  mount("tmpfs", STATE_DIR "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700");
  if (mount_partition("KEELSON-EPHEMERAL", "/var", "ext4") == 0) {
    keep_on_ephemeral("etcd");
    keep_on_ephemeral("logs");
  }
  /* The boot partition, where the agent arms, commits and repairs the slots' loader entries. */
  mount_partition("KEELSON-ESP", "/mnt/boot", "vfat");
  take_from_platform("platform.json", STATE_DIR "/platform.json");
  take_from_platform("user-data.yaml", STATE_DIR "/user-data.yaml");
  network();
  int watchdog = open_watchdog();
  char watchdog_fd[32], watchdog_seconds[64];
  snprintf(watchdog_fd, sizeof watchdog_fd, "KEELSON_WATCHDOG_FD=%d", watchdog);
  snprintf(watchdog_seconds, sizeof watchdog_seconds, "KEELSON_WATCHDOG_SECONDS=%d",
           WATCHDOG_SECONDS);
  pid_t agent = fork();
  if (agent == 0) {
    char *const argv[] = {AGENT_RUNTIME, AGENT_SCRIPT, "run", "--state-dir", STATE_DIR, NULL};
    char *const envp[] = {"PATH=/usr/bin:/usr/sbin", "HOME=/var/lib/keelson", watchdog_fd,
                          watchdog_seconds, NULL};
    execve(AGENT_RUNTIME, argv, watchdog >= 0 ? envp : (char *const[]){envp[0], envp[1], NULL});
    _exit(127);
  }
  for (;;) {
    int status;
    pid_t pid = wait(&status);
    if (pid == agent) {
      sync();
      if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_POWEROFF) {
        say("the agent asked to power off");
        reboot(RB_POWER_OFF);
      }
      if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_REBOOT) {
        say("the agent asked to reboot");
        reboot(RB_AUTOBOOT);
      }
      errno = 0;
      give_up(WIFEXITED(status) ? "the agent exited" : "the agent was killed");
    }
    if (pid < 0 && errno == ECHILD) give_up("nothing left to run");
  }
}

/* Standard input, output and error on the console, so no file opened later lands on 0-2. */
static void console_stdio(void) {
  int fd = open("/dev/console", O_RDWR | O_NOCTTY);
  if (fd < 0) fd = open("/dev/null", O_RDWR);
  for (int i = 0; fd >= 0 && i < 3; i++)
    if (fd != i) dup2(fd, i);
  if (fd > 2) close(fd);
}

int main(int argc, char **argv) {
  if (getpid() != 1) {
    fprintf(stderr, "keelson-init runs only as PID 1\n");
    return 2;
  }
  if (fcntl(0, F_GETFD) < 0 || fcntl(1, F_GETFD) < 0 || fcntl(2, F_GETFD) < 0) {
    mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    console_stdio();
  }
  if (argc > 1 && strcmp(argv[1], "pid1") == 0) pid1();
  initramfs(argv[0]);
  return 0;
}
