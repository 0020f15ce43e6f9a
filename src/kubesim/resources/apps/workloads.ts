import { field, type JsonObject } from "../../api";
import { ageColumn, intOf, nameColumn } from "../columns";
import type { ResourceType } from "../resource-type";
import { appsV1, defaultTemplate, wideTemplateColumns, workloadErrors } from "./workload-common";

/** READY as kubectl shows it for Deployments and StatefulSets: ready/desired. */
const readyReplicasColumn: ResourceType["columns"][number] = {
  name: "Ready",
  type: "string",
  priority: 0,
  cell: (o) => `${intOf(o, "status", "readyReplicas")}/${intOf(o, "spec", "replicas")}`,
};

const subresources = ["status", "scale"] as const;

export const deployments: ResourceType = {
  ...appsV1,
  plural: "deployments",
  singular: "deployment",
  kind: "Deployment",
  listKind: "DeploymentList",
  shortNames: ["deploy"],
  subresources,
  columns: [
    nameColumn,
    readyReplicasColumn,
    {
      name: "Up-to-date",
      type: "integer",
      priority: 0,
      cell: (o) => intOf(o, "status", "updatedReplicas"),
    },
    {
      name: "Available",
      type: "integer",
      priority: 0,
      cell: (o) => intOf(o, "status", "availableReplicas"),
    },
    ageColumn,
    ...wideTemplateColumns,
  ],
  defaults(obj) {
    defaultTemplate(obj);
    const spec = obj.spec as JsonObject;
    spec.replicas ??= 1;
    spec.strategy ??= {
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" },
    };
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
  },
  validate: workloadErrors,
};

export const replicaSets: ResourceType = {
  ...appsV1,
  plural: "replicasets",
  singular: "replicaset",
  kind: "ReplicaSet",
  listKind: "ReplicaSetList",
  shortNames: ["rs"],
  subresources,
  columns: [
    nameColumn,
    { name: "Desired", type: "integer", priority: 0, cell: (o) => intOf(o, "spec", "replicas") },
    { name: "Current", type: "integer", priority: 0, cell: (o) => intOf(o, "status", "replicas") },
    {
      name: "Ready",
      type: "integer",
      priority: 0,
      cell: (o) => intOf(o, "status", "readyReplicas"),
    },
    ageColumn,
    ...wideTemplateColumns,
  ],
  defaults(obj) {
    defaultTemplate(obj);
    (obj.spec as JsonObject).replicas ??= 1;
  },
  validate: workloadErrors,
};

export const daemonSets: ResourceType = {
  ...appsV1,
  plural: "daemonsets",
  singular: "daemonset",
  kind: "DaemonSet",
  listKind: "DaemonSetList",
  shortNames: ["ds"],
  subresources: ["status"],
  columns: [
    nameColumn,
    {
      name: "Desired",
      type: "integer",
      priority: 0,
      cell: (o) => intOf(o, "status", "desiredNumberScheduled"),
    },
    {
      name: "Current",
      type: "integer",
      priority: 0,
      cell: (o) => intOf(o, "status", "currentNumberScheduled"),
    },
    { name: "Ready", type: "integer", priority: 0, cell: (o) => intOf(o, "status", "numberReady") },
    {
      name: "Up-to-date",
      type: "integer",
      priority: 0,
      cell: (o) => intOf(o, "status", "updatedNumberScheduled"),
    },
    {
      name: "Available",
      type: "integer",
      priority: 0,
      cell: (o) => intOf(o, "status", "numberAvailable"),
    },
    {
      name: "Node Selector",
      type: "string",
      priority: 0,
      cell: (o) => {
        const sel = (field(o, "spec", "template", "spec", "nodeSelector") ?? {}) as Record<
          string,
          string
        >;
        return (
          Object.entries(sel)
            .map(([k, v]) => `${k}=${v}`)
            .join(",") || "<none>"
        );
      },
    },
    ageColumn,
    ...wideTemplateColumns,
  ],
  defaults(obj) {
    defaultTemplate(obj);
    (obj.spec as JsonObject).updateStrategy ??= {
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    };
  },
  validate: workloadErrors,
};

export const statefulSets: ResourceType = {
  ...appsV1,
  plural: "statefulsets",
  singular: "statefulset",
  kind: "StatefulSet",
  listKind: "StatefulSetList",
  shortNames: ["sts"],
  subresources,
  columns: [nameColumn, readyReplicasColumn, ageColumn, ...wideTemplateColumns.slice(0, 2)],
  defaults(obj) {
    defaultTemplate(obj);
    const spec = obj.spec as JsonObject;
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= "OrderedReady";
    spec.updateStrategy ??= { type: "RollingUpdate", rollingUpdate: { partition: 0 } };
    spec.revisionHistoryLimit ??= 10;
  },
  validate: workloadErrors,
};
