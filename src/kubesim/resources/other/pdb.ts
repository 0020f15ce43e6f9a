import { field, type JsonObject, type KubeObject, type StatusCause } from "../../api";
import { ageColumn, fieldColumn, intOf, nameColumn } from "../columns";
import { invalidValue, metaErrors } from "../meta-validation";
import type { ResourceType } from "../resource-type";

function pdbErrors(obj: KubeObject): StatusCause[] {
  const causes = metaErrors(obj, "subdomain");
  const spec = (obj.spec ?? {}) as JsonObject;
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    causes.push(invalidValue("spec", spec, "minAvailable and maxUnavailable cannot be both set"));
  }
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== "IfHealthyBudget" && policy !== "AlwaysAllow") {
    causes.push({
      reason: "FieldValueNotSupported",
      message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "AlwaysAllow", "IfHealthyBudget"`,
      field: "spec.unhealthyPodEvictionPolicy",
    });
  }
  return causes;
}

export const podDisruptionBudgets: ResourceType = {
  group: "policy",
  version: "v1",
  plural: "poddisruptionbudgets",
  singular: "poddisruptionbudget",
  kind: "PodDisruptionBudget",
  listKind: "PodDisruptionBudgetList",
  namespaced: true,
  shortNames: ["pdb"],
  subresources: ["status"],
  columns: [
    nameColumn,
    fieldColumn("Min Available", ["spec", "minAvailable"], { fallback: "N/A" }),
    fieldColumn("Max Unavailable", ["spec", "maxUnavailable"], { fallback: "N/A" }),
    {
      name: "Allowed Disruptions",
      type: "integer",
      priority: 0,
      cell: (o) => intOf(o, "status", "disruptionsAllowed"),
    },
    ageColumn,
  ],
  defaults(obj) {
    obj.spec ??= {};
    obj.status ??= { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  validate: pdbErrors,
};

export function hasSelector(pdb: KubeObject): boolean {
  return field(pdb, "spec", "selector") !== undefined;
}

/**
 * policy/v1beta1, which kubectl up to 1.21 uses (its drain evicts through
 * it): the same objects, stored as policy/v1 and served converted.
 */
export const podDisruptionBudgetsV1beta1: ResourceType = {
  ...podDisruptionBudgets,
  version: "v1beta1",
  storedAs: "policy/v1",
};
