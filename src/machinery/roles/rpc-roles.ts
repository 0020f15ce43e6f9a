import type { Role } from "./roles";

const reader: readonly Role[] = ["os:admin", "os:operator", "os:reader"];
const operator: readonly Role[] = ["os:admin", "os:operator"];
const admin: readonly Role[] = ["os:admin"];
const everyone: readonly Role[] = [
  "os:admin",
  "os:operator",
  "os:reader",
  "os:etcd:backup",
  "os:upgrader",
];

/**
 * The one table of who may call what, keyed by "Service/Method". An RPC that
 * is not listed is admin-only, so a new RPC is safe until someone opens it up.
 *
 * Reader sees no secrets: Read and List expose arbitrary files, so they are admin's.
 * Upgrader is least privilege for automation: version, health and boot state,
 * upgrade (with its upload), rollback, reboot, and etcd's member health.
 */
export const rpcRoles: Readonly<Record<string, readonly Role[]>> = {
  "keelson.machine.v1.MachineService/Version": everyone,
  "keelson.machine.v1.MachineService/Health": [...reader, "os:upgrader"],
  "keelson.machine.v1.MachineService/Hostname": reader,
  "keelson.machine.v1.MachineService/Processes": reader,
  "keelson.machine.v1.MachineService/Memory": reader,
  "keelson.machine.v1.MachineService/Cpu": reader,
  "keelson.machine.v1.MachineService/Mounts": reader,
  "keelson.machine.v1.MachineService/Disks": reader,
  "keelson.machine.v1.MachineService/NetworkLinks": reader,
  "keelson.machine.v1.MachineService/NetworkAddresses": reader,
  "keelson.machine.v1.MachineService/NetworkRoutes": reader,
  "keelson.machine.v1.MachineService/Time": reader,
  "keelson.machine.v1.MachineService/Dmesg": reader,
  "keelson.machine.v1.MachineService/ServiceList": reader,
  "keelson.machine.v1.MachineService/Logs": reader,
  "keelson.machine.v1.MachineService/Events": reader,
  "keelson.machine.v1.MachineService/GetConfiguration": reader,
  "keelson.machine.v1.MachineService/ConfigurationHistory": reader,
  "keelson.machine.v1.MachineService/ApplyConfiguration": admin,
  "keelson.machine.v1.MachineService/ConfirmConfiguration": admin,
  "keelson.machine.v1.MachineService/RollbackConfiguration": admin,
  "keelson.machine.v1.MachineService/Containers": reader,
  "keelson.machine.v1.MachineService/ContainerLogs": reader,
  "keelson.machine.v1.MachineService/ContainerStats": reader,
  "keelson.machine.v1.MachineService/Images": reader,
  "keelson.machine.v1.MachineService/ImageImport": operator,
  "keelson.machine.v1.MachineService/ImagePull": operator,
  "keelson.machine.v1.MachineService/ImageRemove": operator,

  // The upgrader asks etcd itself whether it keeps quorum before it takes a control plane.
  "keelson.machine.v1.MachineService/EtcdMembers": [...reader, "os:etcd:backup", "os:upgrader"],
  "keelson.machine.v1.MachineService/EtcdStatus": [...reader, "os:etcd:backup"],
  "keelson.machine.v1.MachineService/EtcdAlarms": [...reader, "os:etcd:backup"],
  "keelson.machine.v1.MachineService/EtcdSnapshot": [...operator, "os:etcd:backup"],
  "keelson.machine.v1.MachineService/EtcdDefragment": operator,
  "keelson.machine.v1.MachineService/EtcdAlarmDisarm": operator,
  "keelson.machine.v1.MachineService/Read": admin,

  "keelson.machine.v1.MachineService/List": admin,
  "keelson.machine.v1.MachineService/Reboot": [...operator, "os:upgrader"],
  "keelson.machine.v1.MachineService/Shutdown": operator,

  // Upgrades: automation holds os:upgrader and nothing else (a downgrade needs os:admin).
  "keelson.machine.v1.MachineService/BootState": [...reader, "os:upgrader"],
  "keelson.machine.v1.MachineService/Upgrade": [...admin, "os:upgrader"],
  "keelson.machine.v1.MachineService/UpgradeUpload": [...admin, "os:upgrader"],
  "keelson.machine.v1.MachineService/Rollback": [...admin, "os:upgrader"],
  "keelson.machine.v1.MachineService/CancelUpgrade": [...admin, "os:upgrader"],
  "keelson.machine.v1.MachineService/AcknowledgeFallback": operator,
};

/** The roles allowed to call `procedure` ("Service/Method", with or without a leading slash). */
export function rolesFor(procedure: string): readonly Role[] {
  const key = procedure.startsWith("/") ? procedure.slice(1) : procedure;
  return Object.hasOwn(rpcRoles, key) ? (rpcRoles[key] ?? admin) : admin;
}

/** Whether any of `held` may call `procedure`. */
export function isAllowed(procedure: string, held: readonly string[]): boolean {
  const allowed = rolesFor(procedure);
  return held.some((role) => (allowed as readonly string[]).includes(role));
}
