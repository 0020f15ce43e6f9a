import { badRequest, field, type KubeObject } from "../../api";
import { ageColumn, fieldColumn, nameColumn } from "../columns";
import { metaErrors } from "../meta-validation";
import type { ResourceType } from "../resource-type";

/** metav1.MicroTime only decodes RFC 3339 with exactly six fractional digits. */
const microTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

function decodeLease(obj: KubeObject): void {
  for (const key of ["renewTime", "acquireTime"]) {
    const value = field(obj, "spec", key);
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" || !microTime.test(value)) {
      throw badRequest(
        `Lease in version "v1" cannot be handled as a Lease: parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05.000000Z07:00": cannot parse as RFC3339 with microseconds`,
      );
    }
  }
}

export const leases: ResourceType = {
  group: "coordination.k8s.io",
  version: "v1",
  plural: "leases",
  singular: "lease",
  kind: "Lease",
  listKind: "LeaseList",
  namespaced: true,
  shortNames: [],
  subresources: [],
  columns: [
    nameColumn,
    fieldColumn("Holder", ["spec", "holderIdentity"], { fallback: "" }),
    ageColumn,
  ],
  decode: decodeLease,
  validate: (obj) => metaErrors(obj, "subdomain"),
};
