import * as z from "zod/mini";
import { planGroup, planSpec, planVersion } from "../plan/plan-schema";
import { nodePhases } from "../schedule/node-phase";

type Json = Record<string, unknown>;

/**
 * The UpgradePlan CustomResourceDefinition, its spec schema derived from the
 * same zod schema keelctl and the controller validate with, so the three can
 * never disagree. JSON Schema is made structural as Kubernetes wants it:
 * count-or-percent fields become int-or-string, and the markers the API
 * server refuses (propertyNames, $schema) go.
 */
export function planCrd(): Json {
  const spec = structural(z.toJSONSchema(planSpec, { unrepresentable: "any" }) as Json);
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `upgradeplans.${planGroup}` },
    spec: {
      group: planGroup,
      scope: "Cluster",
      names: {
        plural: "upgradeplans",
        singular: "upgradeplan",
        kind: "UpgradePlan",
        shortNames: ["up"],
      },
      versions: [
        {
          name: planVersion,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: "Image", type: "string", jsonPath: ".spec.image" },
            { name: "Target", type: "string", jsonPath: ".status.target" },
            { name: "Done", type: "integer", jsonPath: ".status.done" },
            { name: "Nodes", type: "integer", jsonPath: ".status.total" },
            { name: "Unavailable", type: "integer", jsonPath: ".status.unavailable" },
            { name: "Status", type: "string", jsonPath: ".status.summary" },
            { name: "ETA", type: "string", jsonPath: ".status.eta", priority: 1 },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
          schema: {
            openAPIV3Schema: {
              type: "object",
              required: ["spec"],
              properties: {
                apiVersion: { type: "string" },
                kind: { type: "string" },
                metadata: { type: "object" },
                spec,
                status: statusSchema(),
              },
            },
          },
        },
      ],
    },
  };
}

function statusSchema(): Json {
  const condition = {
    type: "object",
    properties: {
      type: { type: "string" },
      status: { type: "string" },
      reason: { type: "string" },
      message: { type: "string" },
      lastTransitionTime: { type: "string" },
      observedGeneration: { type: "integer" },
    },
  };
  return {
    type: "object",
    properties: {
      observedGeneration: { type: "integer" },
      target: { type: "string" },
      summary: { type: "string" },
      done: { type: "integer" },
      total: { type: "integer" },
      budget: { type: "integer" },
      unavailable: { type: "integer" },
      eta: { type: "string", format: "date-time" },
      etaEstimated: { type: "boolean" },
      conditions: { type: "array", items: condition },
      nodes: {
        type: "array",
        items: {
          type: "object",
          properties: {
            name: { type: "string" },
            phase: { type: "string", enum: [...nodePhases] },
            message: { type: "string" },
          },
        },
      },
    },
  };
}

function structural(schema: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$schema" || key === "propertyNames") continue;
    if (key === "additionalProperties" && value === false) continue;
    if (key === "anyOf" && isIntOrString(value as Json[])) {
      out["x-kubernetes-int-or-string"] = true;
      out.anyOf = [{ type: "integer" }, { type: "string" }];
      continue;
    }
    if (key === "properties")
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, Json>).map(([k, v]) => [k, structural(v)]),
      );
    else if ((key === "items" || key === "additionalProperties") && typeof value === "object")
      out[key] = structural(value as Json);
    else out[key] = value;
  }
  return out;
}

function isIntOrString(branches: Json[]): boolean {
  const types = branches.map((b) => b.type).sort();
  return types.length === 2 && types[0] === "integer" && types[1] === "string";
}
