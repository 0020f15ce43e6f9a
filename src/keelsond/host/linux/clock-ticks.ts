/**
 * USER_HZ, the unit of /proc/stat and /proc/<pid>/stat times. The kernel fixes
 * it at 100 on every architecture Keelson targets (x86_64, arm64) regardless
 * of CONFIG_HZ, so it is a constant rather than a `getconf CLK_TCK` child
 * process per agent start.
 */
export const USER_HZ = 100;
