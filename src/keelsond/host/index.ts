export { AllowListFiles, type AllowListFilesLimits } from "./files/allow-list-files";
export { isWithin, MAX_PATH_BYTES, PathPolicy } from "./files/path-policy";
export type { Host, HostFiles, KernelInfo } from "./host";
export type { DmesgOptions } from "./linux/dmesg";
export { LinuxHost, type LinuxHostOptions } from "./linux-host";
