/* What the parts of keelson-init share: see keelson-init.c for what it is. */
#ifndef KEELSON_INIT_H
#define KEELSON_INIT_H
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <limits.h>
#include <linux/blkpg.h>
#include <linux/dm-ioctl.h>
#include <linux/fs.h>
#include <linux/watchdog.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How Node is started for the agent (machinery/platform/runtime-flags), given by the image
   builder as string literals, each followed by a comma. */
#if !defined(AGENT_FLAGS) || !defined(AGENT_ENV)
#error "build with -DAGENT_FLAGS=... -DAGENT_ENV=... (the image builder does)"
#endif
#define AGENT_RUNTIME "/usr/bin/node"
#define AGENT_SCRIPT "/usr/lib/keelson/keelsond.mjs"
#define SELF_IN_ROOT "/usr/lib/keelson/keelson-init"
#define STATE_DIR "/mnt/state"
#define FW_CFG "/sys/firmware/qemu_fw_cfg/by_name/opt/keelson"
/* The agent's exit codes, as a process node's launcher reads them (machinery/platform/exit-codes). */
#define EXIT_POWEROFF 0
#define EXIT_REBOOT 75
#define WATCHDOG_SECONDS 30


/* The console and the kernel log: what a person without a shell reads. */
void say(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* Every failure of a boot ends here: the boot loader's counter decides what boots next. */
void give_up(const char *why) __attribute__((noreturn));
int read_file(const char *path, char *buffer, size_t size);
const char *parameter(const char *cmdline, const char *name);
void load_modules(const char *list_path, const char *dir);
void prefetch(const char *list);
dev_t find_partition_named(const char *label, char name[NAME_MAX + 1]);
unsigned long long sysfs_number(const char *pattern, const char *name);
dev_t map_verity(dev_t device, const char *spec);
unsigned long long grow_partition(const char *part);
void grow_filesystem(const char *target, const char *part);
void interface_up(int sock, const char *name);
int set_ipv4(int sock, const char *name, unsigned long request_code, in_addr_t value);
int add_address(int sock, const char *link, int index, in_addr_t address, in_addr_t mask);
int add_route(int sock, const char *link, in_addr_t network, in_addr_t mask, in_addr_t gateway,
              unsigned int metric);
void network(void);
/* The tools the agent drives (keelson-init network|dhcp …): any process may run them. */
int network_tool(int argc, char **argv);
int dhcp_tool(int argc, char **argv);

#endif
