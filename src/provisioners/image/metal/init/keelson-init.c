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
 * As PID 1 of the root (argv[1] == "pid1") it reads ahead what the agent
 * will read, loads the root's modules,
 * mounts what the node needs (Node.js has no mount(2)), grows EPHEMERAL to
 * the disk's end, takes the platform's record from QEMU's fw_cfg, brings up
 * the network, hands the hardware watchdog to the agent, runs it and reaps
 * every orphan. A STATE it cannot mount is told to the agent, which then
 * stays in maintenance mode and says why. The agent's exit
 * code is its power action (0 power off, 75 reboot). When it ends otherwise,
 * or anything above fails, the machine
 * reboots: the boot loader has already spent a try of an armed slot, so a
 * slot that cannot come up falls back by itself. No shell, ever.
 */
#include "keelson-init.h"

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
  char name[NAME_MAX + 1];
  dev_t device = find_partition_named(wanted, name);
  if (!device) give_up("no partition carries the slot's label");
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

/* Mounts the partition labelled LABEL at TARGET; says why when it cannot (errno tells). */
static int mount_partition(const char *label, const char *target, const char *type) {
  char name[NAME_MAX + 1];
  dev_t device = find_partition_named(label, name);
  if (!device) {
    say("no partition is labelled %s", label);
    return -1;
  }
  char node[64];
  snprintf(node, sizeof node, "/dev/keelson-%s", label);
  mknod(node, S_IFBLK | 0600, device);
  if (mount(node, target, type, MS_NOSUID | MS_NODEV, NULL) == 0) return 0;
  int why = errno;
  say("cannot mount %s at %s: %s", label, target, strerror(why));
  errno = why;
  return -1;
}

/*
 * STATE holds what defines the node (configuration, PKI, boot records) and is
 * small; what grows (etcd's data, service logs, containerd's images) lives on EPHEMERAL, mounted
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

/*
 * Copies a platform-given file (QEMU fw_cfg) into the state: once (user
 * data, credentials: the node's own from then on), or at every boot where it
 * changed (the platform's record of the machine, which the platform owns).
 */
static void take_from_platform(const char *name, const char *into, int every_boot) {
  static char data[1 << 20], kept[1 << 20];
  char source[256], partial[256];
  snprintf(source, sizeof source, FW_CFG "/%s/raw", name);
  int have = access(into, F_OK) == 0;
  if ((have && !every_boot) || access(source, F_OK) != 0) return;
  int n = read_file(source, data, sizeof data);
  if (n <= 0) {
    say("cannot read the platform's %s: %s", name, strerror(errno));
    return;
  }
  if (have && read_file(into, kept, sizeof kept) == n && memcmp(kept, data, (size_t)n) == 0) return;
  /* Written whole or not at all: a power loss never leaves half a file that is kept for good. */
  snprintf(partial, sizeof partial, "%s.partial", into);
  int fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || write(fd, data, (size_t)n) != n || fsync(fd) != 0 || rename(partial, into) != 0)
    say("cannot write %s: %s", into, strerror(errno));
  if (fd >= 0) close(fd);
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
  prefetch("/usr/lib/keelson/prefetch");
  load_modules("/usr/lib/keelson/modules", "/usr/lib/keelson/modules.d");
  mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
  mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
  mount("tmpfs", "/etc", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
  mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mount("efivarfs", "/sys/firmware/efi/efivars", "efivarfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
        NULL);
  /*
   * A STATE that cannot be mounted (missing, corrupt) holds the node in
   * maintenance mode, saying why: never a node configured half from memory.
   * Its state then lives in memory for this boot, user data left untaken.
   */
  static char state_problem[256] = "";
  if (mount_partition("KEELSON-STATE", STATE_DIR, "ext4") != 0) {
    snprintf(state_problem, sizeof state_problem,
             "KEELSON_STATE_PROBLEM=the STATE partition (KEELSON-STATE) cannot be mounted: %s",
             strerror(errno));
    mount("tmpfs", STATE_DIR, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700");
  }
  /* The state's volatile part (uploads, runtime sockets) lives in memory: every boot starts it empty. */
  mkdir(STATE_DIR "/run", 0700);
  mount("tmpfs", STATE_DIR "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700");
  char ephemeral[NAME_MAX + 1];
  int found = find_partition_named("KEELSON-EPHEMERAL", ephemeral) != 0;
  if (found) grow_partition(ephemeral);
  if (mount_partition("KEELSON-EPHEMERAL", "/var", "ext4") == 0) {
    if (found) grow_filesystem("/var", ephemeral);
    keep_on_ephemeral("etcd");
    keep_on_ephemeral("logs");
    keep_on_ephemeral("containerd");
  }
  /* The boot partition, where the agent arms, commits and repairs the slots' loader entries. */
  mount_partition("KEELSON-ESP", "/mnt/boot", "vfat");
  take_from_platform("platform.json", STATE_DIR "/platform.json", 1);
  if (!state_problem[0]) {
    take_from_platform("user-data.yaml", STATE_DIR "/user-data.yaml", 0);
    /* The platform's identity for the node: a worker holds no CA key to make its own. */
    mkdir(STATE_DIR "/pki", 0700);
    take_from_platform("server.key", STATE_DIR "/pki/server.key", 0);
    take_from_platform("server.crt", STATE_DIR "/pki/server.crt", 0);
    /* The kubelet's credentials, where the platform runs one. */
    mkdir(STATE_DIR "/kubelet", 0700);
    take_from_platform("kubeconfig", STATE_DIR "/kubelet/kubeconfig", 0);
  }
  network();
  int watchdog = open_watchdog();
  char watchdog_fd[32], watchdog_seconds[64];
  snprintf(watchdog_fd, sizeof watchdog_fd, "KEELSON_WATCHDOG_FD=%d", watchdog);
  snprintf(watchdog_seconds, sizeof watchdog_seconds, "KEELSON_WATCHDOG_SECONDS=%d",
           WATCHDOG_SECONDS);
  pid_t agent = fork();
  if (agent == 0) {
    char *const argv[] = {AGENT_RUNTIME, AGENT_FLAGS AGENT_SCRIPT, "run", "--state-dir", STATE_DIR,
                          NULL};
    char *const agent_env[] = {AGENT_ENV NULL};
    /* PATH, HOME, the agent's environment, the watchdog's two, the state's problem, the end. */
    char *envp[2 + sizeof agent_env / sizeof *agent_env + 3];
    int n = 0;
    envp[n++] = "PATH=/usr/bin:/usr/sbin";
    envp[n++] = "HOME=/var/lib/keelson";
    for (char *const *e = agent_env; *e; e++) envp[n++] = *e;
    if (watchdog >= 0) {
      envp[n++] = watchdog_fd;
      envp[n++] = watchdog_seconds;
    }
    if (state_problem[0]) envp[n++] = state_problem;
    envp[n] = NULL;
    execve(AGENT_RUNTIME, argv, envp);
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
  if (argc > 1 && strcmp(argv[1], "network") == 0) return network_tool(argc - 2, argv + 2);
  if (argc > 1 && strcmp(argv[1], "dhcp") == 0) return dhcp_tool(argc - 2, argv + 2);
  if (getpid() != 1) {
    fprintf(stderr, "keelson-init runs only as PID 1 (or as keelson-init network|dhcp LINK …)\n");
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
