/*
 * A DHCP client for one link (RFC 2131), for the agent to run as a service:
 *
 *   keelson-init dhcp LINK
 *
 * It takes a lease (discover, offer, request, ack), puts its address and
 * router on the link, prints the lease as one JSON line on standard output
 * (the agent takes the name servers from it), renews it halfway through its
 * time and starts over when the lease is refused. A UDP socket bound to the
 * link, with the broadcast flag set in every request, works on a link that
 * has no address yet: no packet socket, no shell script.
 */
#include <poll.h>
#include <stddef.h>

#include "keelson-init.h"

struct dhcp_packet {
  uint8_t op, htype, hlen, hops;
  uint32_t xid;
  uint16_t secs, flags;
  uint32_t ciaddr, yiaddr, siaddr, giaddr;
  uint8_t chaddr[16];
  char sname[64], file[128];
  uint8_t magic[4];
  uint8_t options[308];
} __attribute__((packed));

enum { DISCOVER = 1, OFFER = 2, REQUEST = 3, ACK = 5, NAK = 6 };

struct lease {
  in_addr_t address, mask, router, server;
  in_addr_t dns[4];
  int dns_count;
  uint32_t seconds;
};

static const uint8_t magic_cookie[4] = {99, 130, 83, 99};

static uint8_t *put_option(uint8_t *p, uint8_t code, uint8_t length, const void *data) {
  *p++ = code;
  *p++ = length;
  memcpy(p, data, length);
  return p + length;
}

/* A request of TYPE; REQUESTED and SERVER when selecting an offer, CIADDR when renewing. */
static void request_packet(struct dhcp_packet *pk, uint32_t xid, const uint8_t mac[6], uint8_t type,
                           in_addr_t requested, in_addr_t server, in_addr_t ciaddr) {
  memset(pk, 0, sizeof *pk);
  pk->op = 1;
  pk->htype = 1;
  pk->hlen = 6;
  pk->xid = xid;
  pk->flags = htons(0x8000); /* answer by broadcast: the link has no address to answer to yet */
  pk->ciaddr = ciaddr;
  memcpy(pk->chaddr, mac, 6);
  memcpy(pk->magic, magic_cookie, 4);
  static const uint8_t wanted[] = {1, 3, 6, 51, 54};
  uint8_t *p = put_option(pk->options, 53, 1, &type);
  if (requested) p = put_option(p, 50, 4, &requested);
  if (server) p = put_option(p, 54, 4, &server);
  p = put_option(p, 55, sizeof wanted, wanted);
  *p = 255;
}

/* A reply to XID for MAC, read into LEASE; returns its message type, or 0 for anything else. */
static int parse_reply(const struct dhcp_packet *pk, ssize_t n, uint32_t xid, const uint8_t mac[6],
                       struct lease *lease) {
  if (n < (ssize_t)offsetof(struct dhcp_packet, options) || pk->op != 2 || pk->xid != xid ||
      memcmp(pk->chaddr, mac, 6) != 0 || memcmp(pk->magic, magic_cookie, 4) != 0)
    return 0;
  memset(lease, 0, sizeof *lease);
  lease->address = pk->yiaddr;
  int type = 0;
  const uint8_t *p = pk->options, *end = (const uint8_t *)pk + n;
  while (p < end && *p != 255) {
    if (*p == 0) {
      p++;
      continue;
    }
    if (p + 2 > end || p + 2 + p[1] > end) break;
    uint8_t code = p[0], length = p[1];
    const uint8_t *v = p + 2;
    if (code == 53 && length == 1) type = v[0];
    else if (code == 1 && length == 4) memcpy(&lease->mask, v, 4);
    else if (code == 3 && length >= 4) memcpy(&lease->router, v, 4);
    else if (code == 54 && length == 4) memcpy(&lease->server, v, 4);
    else if (code == 51 && length == 4) {
      uint32_t seconds;
      memcpy(&seconds, v, 4);
      lease->seconds = ntohl(seconds);
    } else if (code == 6)
      for (int i = 0; i + 4 <= length && lease->dns_count < 4; i += 4)
        memcpy(&lease->dns[lease->dns_count++], v + i, 4);
    p += 2 + length;
  }
  return type;
}

static long milliseconds_since(const struct timespec *start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Broadcasts OUT, then waits up to TIMEOUT_MS for a reply of type WANT or a refusal. */
static int exchange(int sock, const struct dhcp_packet *out, const uint8_t mac[6], int want,
                    int timeout_ms, struct lease *lease) {
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(67)};
  to.sin_addr.s_addr = INADDR_BROADCAST;
  if (sendto(sock, out, sizeof *out, 0, (struct sockaddr *)&to, sizeof to) < 0) return -1;
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  static struct dhcp_packet in;
  for (long left; (left = timeout_ms - milliseconds_since(&start)) > 0;) {
    struct pollfd ready = {.fd = sock, .events = POLLIN};
    if (poll(&ready, 1, (int)left) <= 0) continue;
    ssize_t n = recv(sock, &in, sizeof in, 0);
    int type = parse_reply(&in, n, out->xid, mac, lease);
    if (type == want || type == NAK) return type;
  }
  return 0;
}

static int prefix_of(in_addr_t mask) { return __builtin_popcount(ntohl(mask)); }

static void print_lease(const char *link, const struct lease *l) {
  char address[INET_ADDRSTRLEN], router[INET_ADDRSTRLEN] = "", dns[4][INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &l->address, address, sizeof address);
  if (l->router) inet_ntop(AF_INET, &l->router, router, sizeof router);
  printf("{\"link\":\"%s\",\"address\":\"%s/%d\",\"router\":\"%s\",\"leaseSeconds\":%u,\"dns\":[",
         link, address, prefix_of(l->mask), router, l->seconds);
  for (int i = 0; i < l->dns_count; i++) {
    inet_ntop(AF_INET, &l->dns[i], dns[i], sizeof dns[i]);
    printf("%s\"%s\"", i ? "," : "", dns[i]);
  }
  printf("]}\n");
  fflush(stdout);
}

/* A UDP socket on port 68 of LINK only, allowed to broadcast. */
static int client_socket(const char *link) {
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int one = 1;
  struct sockaddr_in self = {.sin_family = AF_INET, .sin_port = htons(68)};
  if (sock < 0 || setsockopt(sock, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) != 0 ||
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      setsockopt(sock, SOL_SOCKET, SO_BINDTODEVICE, link, (socklen_t)strlen(link) + 1) != 0 ||
      bind(sock, (struct sockaddr *)&self, sizeof self) != 0)
    return -1;
  return sock;
}

int dhcp_tool(int argc, char **argv) {
  if (argc != 1) {
    fprintf(stderr, "usage: keelson-init dhcp LINK\n");
    return 2;
  }
  const char *link = argv[0];
  int control = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq request = {0};
  snprintf(request.ifr_name, IFNAMSIZ, "%s", link);
  if (strlen(link) >= IFNAMSIZ || ioctl(control, SIOCGIFHWADDR, &request) != 0) {
    fprintf(stderr, "%s: no such network link (see /sys/class/net)\n", link);
    return 1;
  }
  uint8_t mac[6];
  memcpy(mac, request.ifr_hwaddr.sa_data, 6);
  interface_up(control, link);
  int sock = client_socket(link);
  if (sock < 0) {
    fprintf(stderr, "%s: cannot open the DHCP client's socket: %s\n", link, strerror(errno));
    return 1;
  }
  uint32_t xid;
  memcpy(&xid, mac + 2, 4);
  xid ^= (uint32_t)time(NULL);
  struct lease offered, bound = {0};
  struct dhcp_packet out;
  unsigned int backoff = 1;
  struct timespec expires = {0};
  for (;;) {
    if (bound.address && milliseconds_since(&expires) >= 0) {
      /* The lease ran out unrenewed: its address goes, and a new lease is sought. */
      fprintf(stderr, "%s: the lease expired; looking for a new one\n", link);
      set_ipv4(control, link, SIOCSIFADDR, 0);
      bound.address = 0;
    }
    if (bound.address) {
      request_packet(&out, ++xid, mac, REQUEST, 0, 0, bound.address);
    } else {
      request_packet(&out, ++xid, mac, DISCOVER, 0, 0, 0);
      /* Servers probe an address before offering it (udhcpd waits 2 s): give them time. */
      if (exchange(sock, &out, mac, OFFER, 4000, &offered) != OFFER || !offered.address) {
        sleep(backoff);
        backoff = backoff < 32 ? backoff * 2 : 60;
        continue;
      }
      request_packet(&out, xid, mac, REQUEST, offered.address, offered.server, 0);
    }
    struct lease acked;
    int answer = exchange(sock, &out, mac, ACK, 3000, &acked);
    if (answer == ACK && !acked.address) answer = NAK; /* an ack with no address is no lease */
    if (answer != ACK) {
      /* Refused: start over. No answer to a renewal: the lease still runs, ask again soon. */
      if (answer == NAK || !bound.address) bound.address = 0;
      else sleep(10);
      continue;
    }
    if (!acked.mask) acked.mask = htonl(0xffffff00u);
    if (add_address(control, link, 0, acked.address, acked.mask) != 0 ||
        (acked.router && add_route(control, link, 0, 0, acked.router, 0) != 0))
      fprintf(stderr, "%s: cannot apply the lease: %s\n", link, strerror(errno));
    print_lease(link, &acked);
    bound = acked;
    backoff = 1;
    uint32_t seconds = acked.seconds == 0xffffffffu || acked.seconds == 0 ? 86400 : acked.seconds;
    clock_gettime(CLOCK_MONOTONIC, &expires);
    expires.tv_sec += seconds;
    uint32_t renew = seconds / 2;
    sleep(renew < 10 ? 10 : renew);
  }
}
