import { field, forbidden } from "../../api";
import { ageColumn, nameColumn } from "../columns";
import { metaErrors } from "../meta-validation";
import type { ResourceType } from "../resource-type";

export const namespaces: ResourceType = {
  group: "",
  version: "v1",
  plural: "namespaces",
  returnsDeletedObject: true,
  singular: "namespace",
  kind: "Namespace",
  listKind: "NamespaceList",
  namespaced: false,
  shortNames: ["ns"],
  subresources: ["status"],
  fieldSelectors: ["status.phase"],
  columns: [
    nameColumn,
    {
      name: "Status",
      type: "string",
      priority: 0,
      cell: (o) => (field(o, "status", "phase") as string) ?? "",
    },
    ageColumn,
  ],
  defaults(obj) {
    obj.spec ??= { finalizers: ["kubernetes"] };
    obj.status ??= { phase: "Active" };
  },
  validate: (obj) => metaErrors(obj, "label"),
  specFinalizers: (obj) => (field(obj, "spec", "finalizers") as string[] | undefined) ?? [],
  onTerminating(obj) {
    obj.status = { ...(obj.status as object), phase: "Terminating" };
  },
  admitDelete(obj) {
    const name = obj.metadata.name ?? "";
    if (["default", "kube-system", "kube-public"].includes(name)) {
      throw forbidden("namespaces", "", name, "this namespace may not be deleted");
    }
  },
};
