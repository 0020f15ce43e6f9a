import { field } from "../../api";
import { ageColumn, countColumn, fieldColumn, nameColumn } from "../columns";
import { metaErrors } from "../meta-validation";
import type { ResourceType } from "../resource-type";

const core = { group: "", version: "v1", namespaced: true, subresources: [] } as const;

export const configMaps: ResourceType = {
  ...core,
  plural: "configmaps",
  singular: "configmap",
  kind: "ConfigMap",
  listKind: "ConfigMapList",
  shortNames: ["cm"],
  columns: [nameColumn, countColumn("Data", ["data"]), ageColumn],
  validate: (obj) => metaErrors(obj, "subdomain"),
};

export const secrets: ResourceType = {
  ...core,
  plural: "secrets",
  singular: "secret",
  kind: "Secret",
  listKind: "SecretList",
  shortNames: [],
  fieldSelectors: ["type"],
  columns: [nameColumn, fieldColumn("Type", ["type"]), countColumn("Data", ["data"]), ageColumn],
  defaults(obj) {
    obj.type ??= "Opaque";
  },
  validate: (obj) => metaErrors(obj, "subdomain"),
};

export const serviceAccounts: ResourceType = {
  ...core,
  plural: "serviceaccounts",
  returnsDeletedObject: true,
  singular: "serviceaccount",
  kind: "ServiceAccount",
  listKind: "ServiceAccountList",
  shortNames: ["sa"],
  columns: [nameColumn, countColumn("Secrets", ["secrets"]), ageColumn],
  validate: (obj) => metaErrors(obj, "subdomain"),
};

export const events: ResourceType = {
  ...core,
  plural: "events",
  singular: "event",
  kind: "Event",
  listKind: "EventList",
  shortNames: ["ev"],
  fieldSelectors: [
    "involvedObject.kind",
    "involvedObject.name",
    "involvedObject.namespace",
    "involvedObject.uid",
    "reason",
    "type",
  ],
  columns: [
    fieldColumn("Last Seen", ["lastTimestamp"]),
    fieldColumn("Type", ["type"]),
    fieldColumn("Reason", ["reason"]),
    {
      name: "Object",
      type: "string",
      priority: 0,
      cell: (o) =>
        `${String(field(o, "involvedObject", "kind")).toLowerCase()}/${String(field(o, "involvedObject", "name"))}`,
    },
    fieldColumn("Message", ["message"]),
  ],
  validate: (obj) => metaErrors(obj, "subdomain"),
};
