/* Reading Node and the agent's files ahead, beside init's own work. */
#include "keelson-init.h"

/*
 * Reads the files LIST names (one path a line) into the page cache, in a
 * child of its own, and returns at once. Each read of the verified root
 * waits for its blocks to be read, hashed and decompressed in turn; under
 * emulation that is about 40 MB/s, and Node alone touches some 60 MB of its
 * binary at start. Read here, it is cached by the time the agent is run,
 * while init mounts the node's disks and brings up its network. A file that
 * cannot be read is skipped: it is only read ahead.
 */
void prefetch(const char *list) {
  if (fork() != 0) return;
  static char paths[16384];
  if (read_file(list, paths, sizeof paths) < 0) _exit(0);
  static char buffer[1 << 20];
  for (char *path = strtok(paths, "\n"); path; path = strtok(NULL, "\n")) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    while (read(fd, buffer, sizeof buffer) > 0) {
    }
    close(fd);
  }
  _exit(0);
}
