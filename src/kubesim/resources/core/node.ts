import { field, type KubeObject } from "../../api";
import { ageColumn, nameColumn } from "../columns";
import { metaErrors } from "../meta-validation";
import { conditionStatus } from "../pod-helpers";
import type { ResourceType } from "../resource-type";

function nodeStatus(node: KubeObject): string {
  const ready = conditionStatus(node, "Ready");
  const text = ready === "True" ? "Ready" : ready === "False" ? "NotReady" : "Unknown";
  return field(node, "spec", "unschedulable") === true ? `${text},SchedulingDisabled` : text;
}

function roles(node: KubeObject): string {
  const found = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length))
    .filter((r) => r !== "");
  return found.length ? found.sort().join(",") : "<none>";
}

function address(node: KubeObject, type: string): string {
  const list = field(node, "status", "addresses");
  if (!Array.isArray(list)) return "<none>";
  return (
    (list as { type: string; address: string }[]).find((a) => a.type === type)?.address ?? "<none>"
  );
}

function info(key: string) {
  return (node: KubeObject) =>
    (field(node, "status", "nodeInfo", key) as string | undefined) ?? "<unknown>";
}

export const nodes: ResourceType = {
  group: "",
  version: "v1",
  plural: "nodes",
  singular: "node",
  kind: "Node",
  listKind: "NodeList",
  namespaced: false,
  shortNames: ["no"],
  subresources: ["status"],
  fieldSelectors: ["spec.unschedulable"],
  columns: [
    nameColumn,
    { name: "Status", type: "string", priority: 0, cell: nodeStatus },
    { name: "Roles", type: "string", priority: 0, cell: roles },
    ageColumn,
    { name: "Version", type: "string", priority: 0, cell: info("kubeletVersion") },
    { name: "Internal-IP", type: "string", priority: 1, cell: (n) => address(n, "InternalIP") },
    { name: "External-IP", type: "string", priority: 1, cell: (n) => address(n, "ExternalIP") },
    { name: "OS-Image", type: "string", priority: 1, cell: info("osImage") },
    { name: "Kernel-Version", type: "string", priority: 1, cell: info("kernelVersion") },
    {
      name: "Container-Runtime",
      type: "string",
      priority: 1,
      cell: info("containerRuntimeVersion"),
    },
  ],
  defaults(obj) {
    obj.spec ??= {};
    obj.status ??= {};
  },
  validate: (obj) => metaErrors(obj, "subdomain"),
};
