/*
 * IPv4 links by ioctl (no netlink library, no shell, no ip tool): the
 * platform's address PID 1 brings up before the agent, and the tool the
 * agent drives to apply the machine configuration's static addresses and
 * routes:
 *
 *   keelson-init network LINK [mtu=N] [address=A.B.C.D/P]... [route=NET/P[,GATEWAY[,METRIC]]]...
 *
 * It brings the link up and replaces its addresses (the first on LINK, the
 * others on LINK:1, LINK:2, …) and the routes through them. Errors name the link and the item, on
 * standard error, and exit 1.
 */
#include "keelson-init.h"

#define MAX_ALIASES 16

static int complain(const char *link, const char *what, const char *value) {
  fprintf(stderr, "%s: %s %s: %s\n", link, what, value, strerror(errno));
  return -1;
}

static int interface_flags(int sock, const char *name, short set, short clear) {
  struct ifreq request = {0};
  snprintf(request.ifr_name, IFNAMSIZ, "%s", name);
  if (ioctl(sock, SIOCGIFFLAGS, &request) != 0) return -1;
  request.ifr_flags = (short)((request.ifr_flags | set) & ~clear);
  return ioctl(sock, SIOCSIFFLAGS, &request);
}

void interface_up(int sock, const char *name) { interface_flags(sock, name, IFF_UP, 0); }

int set_ipv4(int sock, const char *name, unsigned long request_code, in_addr_t value) {
  struct ifreq request = {0};
  snprintf(request.ifr_name, IFNAMSIZ, "%s", name);
  struct sockaddr_in *address = (struct sockaddr_in *)&request.ifr_addr;
  address->sin_family = AF_INET;
  address->sin_addr.s_addr = value;
  return ioctl(sock, request_code, &request);
}

/* Parses "A.B.C.D/P" into an address and a netmask; -1 when it is not one. */
static int parse_cidr(const char *text, in_addr_t *address, in_addr_t *mask) {
  char host[INET_ADDRSTRLEN];
  int prefix;
  char rest;
  if (sscanf(text, "%15[0-9.]/%d%c", host, &prefix, &rest) != 2 || prefix < 0 || prefix > 32)
    return -1;
  struct in_addr parsed;
  if (inet_pton(AF_INET, host, &parsed) != 1) return -1;
  *address = parsed.s_addr;
  *mask = prefix == 0 ? 0 : htonl(0xffffffffu << (32 - prefix));
  return 0;
}

/* An address on LINK (the first) or one of its aliases. */
int add_address(int sock, const char *link, int index, in_addr_t address, in_addr_t mask) {
  char name[IFNAMSIZ + 8];
  if (index == 0) snprintf(name, sizeof name, "%s", link);
  else snprintf(name, sizeof name, "%s:%d", link, index);
  if (strlen(name) >= IFNAMSIZ) {
    errno = ENAMETOOLONG;
    return -1;
  }
  if (set_ipv4(sock, name, SIOCSIFADDR, address) != 0) return -1;
  if (set_ipv4(sock, name, SIOCSIFNETMASK, mask) != 0) return -1;
  return 0;
}

/* A route through LINK: to NETWORK/MASK, through GATEWAY when it is not 0, at METRIC. */
int add_route(int sock, const char *link, in_addr_t network, in_addr_t mask, in_addr_t gateway,
              unsigned int metric) {
  struct rtentry route = {0};
  struct sockaddr_in *to = (struct sockaddr_in *)&route.rt_dst;
  struct sockaddr_in *via = (struct sockaddr_in *)&route.rt_gateway;
  struct sockaddr_in *genmask = (struct sockaddr_in *)&route.rt_genmask;
  to->sin_family = via->sin_family = genmask->sin_family = AF_INET;
  to->sin_addr.s_addr = network & mask;
  genmask->sin_addr.s_addr = mask;
  via->sin_addr.s_addr = gateway;
  route.rt_flags = RTF_UP | (gateway ? RTF_GATEWAY : 0) | (mask == 0xffffffffu ? RTF_HOST : 0);
  route.rt_metric = (short)(metric + 1); /* the ioctl's metric is one more than the route's */
  char device[IFNAMSIZ];
  snprintf(device, sizeof device, "%s", link);
  route.rt_dev = device;
  if (ioctl(sock, SIOCADDRT, &route) != 0 && errno != EEXIST) return -1;
  return 0;
}

/* Loopback, and the platform's address for eth0 ("ADDRESS/PREFIX GATEWAY", from fw_cfg). */
void network(void) {
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) return;
  interface_up(sock, "lo");
  char text[128], cidr[64], gateway[64];
  in_addr_t address, mask;
  if (read_file(FW_CFG "/network/raw", text, sizeof text) > 0 &&
      sscanf(text, "%63s %63[0-9.]", cidr, gateway) == 2 &&
      parse_cidr(cidr, &address, &mask) == 0) {
    interface_up(sock, "eth0");
    if (add_address(sock, "eth0", 0, address, mask) != 0 ||
        add_route(sock, "eth0", 0, 0, inet_addr(gateway), 0) != 0)
      say("eth0: %s", strerror(errno));
    else
      say("eth0 %s via %s", cidr, gateway);
  }
  close(sock);
}

int network_tool(int argc, char **argv) {
  if (argc < 1) {
    fprintf(stderr, "usage: keelson-init network LINK [mtu=N] [address=A/P]... [route=NET/P[,GW[,METRIC]]]...\n");
    return 2;
  }
  const char *link = argv[0];
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) return complain(link, "socket", ""), 1;
  if (strlen(link) >= IFNAMSIZ || interface_flags(sock, link, IFF_UP, 0) != 0) {
    fprintf(stderr, "%s: no such network link (see /sys/class/net)\n", link);
    return 1;
  }
  /*
   * Replaced, not added to: the aliases of an earlier configuration go, then
   * its primary address (set to 0.0.0.0, the kernel deletes it), and with the
   * link's last address the kernel drops the routes through it.
   */
  for (int i = 1; i < MAX_ALIASES; i++) {
    char alias[IFNAMSIZ + 8];
    snprintf(alias, sizeof alias, "%s:%d", link, i);
    if (strlen(alias) < IFNAMSIZ) interface_flags(sock, alias, 0, IFF_UP);
  }
  set_ipv4(sock, link, SIOCSIFADDR, 0);
  int addresses = 0;
  for (int i = 1; i < argc; i++) {
    char *value = strchr(argv[i], '=');
    if (!value) {
      fprintf(stderr, "%s: %s is not KEY=VALUE\n", link, argv[i]);
      return 1;
    }
    *value++ = 0;
    in_addr_t address, mask;
    if (strcmp(argv[i], "mtu") == 0) {
      struct ifreq request = {0};
      snprintf(request.ifr_name, IFNAMSIZ, "%s", link);
      request.ifr_mtu = atoi(value);
      if (ioctl(sock, SIOCSIFMTU, &request) != 0) return complain(link, "mtu", value), 1;
    } else if (strcmp(argv[i], "address") == 0) {
      errno = EINVAL;
      if (parse_cidr(value, &address, &mask) != 0 || addresses >= MAX_ALIASES ||
          add_address(sock, link, addresses++, address, mask) != 0)
        return complain(link, "address", value), 1;
    } else if (strcmp(argv[i], "route") == 0) {
      /* NET/P[,GATEWAY[,METRIC]], the gateway possibly empty */
      char whole[128];
      snprintf(whole, sizeof whole, "%s", value);
      char *cidr = strsep(&value, ","), *gateway = value ? strsep(&value, ",") : "";
      unsigned int metric = value ? (unsigned int)strtoul(value, NULL, 10) : 0;
      errno = EINVAL;
      in_addr_t via = 0;
      struct in_addr parsed;
      if (gateway[0] && inet_pton(AF_INET, gateway, &parsed) == 1) via = parsed.s_addr;
      else if (gateway[0]) return complain(link, "route gateway", gateway), 1;
      if (parse_cidr(cidr, &address, &mask) != 0 || add_route(sock, link, address, mask, via, metric) != 0)
        return complain(link, "route", whole), 1;
    } else {
      fprintf(stderr, "%s: unknown setting %s (mtu, address, route)\n", link, argv[i]);
      return 1;
    }
  }
  close(sock);
  return 0;
}
