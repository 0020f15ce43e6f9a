#!/usr/bin/env node
// Trims Kubernetes' published OpenAPI documents to the kinds kubesim serves (and everything they
// reference, transitively) and writes them to src/kubesim/openapi/vendor/:
//
//   swagger-definitions.json   OpenAPI v2 `definitions` (refs `#/definitions/…`)
//   openapi-v3-schemas.json    OpenAPI v3 `components.schemas` (refs `#/components/schemas/…`), one
//                              combined file: each /openapi/v3/<gv> document is the closure of that
//                              group-version's roots, listed in index.json, so nothing is stored twice
//   index.json                 provenance, and per served group-version (keyed by its /openapi/v3
//                              path: "api/v1", "apis/apps/v1", …) its root schemas and their closure
//
// Inputs: Kubernetes' api/openapi-spec/swagger.json (v2), and optionally its api/openapi-spec/v3/*.json.
// Without v3 inputs, the v3 schemas are converted from v2 the way kube-openapi's
// pkg/openapiconv (ConvertV2ToV3, used for aggregated APIs that serve only v2) does it:
// `#/definitions/X` → `#/components/schemas/X`, and a `$ref` with siblings (description,
// default, …) becomes `allOf: [{$ref}]` beside them (builder3/util.WrapRefs).
//
//   node scripts/trim-openapi.mjs --v2 SWAGGER.json [--v3 FILE_OR_DIR]... [--out DIR]
//       [--source TEXT] [--alias policy/v1beta1=policy/v1]...
//
// --alias FROM=TO copies FROM's definitions of the served kinds of TO under TO's names when the
// input has no definition for TO (Kubernetes 1.20 has no policy/v1); the copies are marked
// "x-keelson-copied-from". See src/kubesim/openapi/vendor/README.md for the vendored inputs.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(fileURLToPath(import.meta.url), "../..");

/** The kinds kubesim serves, per group-version ("" is the core group). */
export const SERVED = {
  "/v1": [
    "Namespace",
    "NamespaceList",
    "Node",
    "NodeList",
    "Pod",
    "PodList",
    "Binding",
    "Event",
    "EventList",
    "ConfigMap",
    "ConfigMapList",
    "Secret",
    "SecretList",
    "ServiceAccount",
    "ServiceAccountList",
  ],
  "apps/v1": [
    "Deployment",
    "DeploymentList",
    "ReplicaSet",
    "ReplicaSetList",
    "DaemonSet",
    "DaemonSetList",
    "StatefulSet",
    "StatefulSetList",
  ],
  "autoscaling/v1": ["Scale"],
  "policy/v1": ["PodDisruptionBudget", "PodDisruptionBudgetList", "Eviction"],
  "policy/v1beta1": ["PodDisruptionBudget", "PodDisruptionBudgetList", "Eviction"],
  "coordination.k8s.io/v1": ["Lease", "LeaseList"],
  "apiextensions.k8s.io/v1": ["CustomResourceDefinition", "CustomResourceDefinitionList"],
};

/** Kind-less or shared definitions every served group-version's document carries. */
const META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
export const COMMON = [
  `${META}Status`,
  `${META}DeleteOptions`,
  `${META}WatchEvent`,
  `${META}APIResourceList`,
  `${META}Patch`,
];
/** Served outside any group-version (discovery, /version); listed under index.json's "". */
export const UNVERSIONED = [
  `${META}APIGroupList`,
  `${META}APIGroup`,
  `${META}APIVersions`,
  `${META}APIResourceList`,
  `${META}Status`,
  "io.k8s.apimachinery.pkg.version.Info",
];

const v3Path = (gv) => (gv.startsWith("/") ? `api${gv}` : `apis/${gv}`);
const splitGV = (gv) => {
  const i = gv.lastIndexOf("/");
  return { group: gv.slice(0, i), version: gv.slice(i + 1) };
};

function refsOf(schema, out = new Set()) {
  if (Array.isArray(schema)) for (const s of schema) refsOf(s, out);
  else if (schema && typeof schema === "object") {
    for (const [k, v] of Object.entries(schema)) {
      if (k === "$ref" && typeof v === "string") out.add(v.slice(v.lastIndexOf("/") + 1));
      else refsOf(v, out);
    }
  }
  return out;
}

function closure(defs, roots) {
  const seen = new Set();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop();
    if (seen.has(name)) continue;
    if (!defs[name]) throw new Error(`definition ${name} is referenced but missing`);
    seen.add(name);
    for (const r of refsOf(defs[name])) stack.push(r);
  }
  return [...seen].sort();
}

/** Definitions whose x-kubernetes-group-version-kind names exactly this group, version and kind. */
function byGVK(defs, group, version, kind) {
  return Object.keys(defs).filter((name) =>
    (defs[name]["x-kubernetes-group-version-kind"] ?? []).some(
      (g) => g.group === group && g.version === version && g.kind === kind,
    ),
  );
}

function rewriteRefs(value, fn) {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, fn));
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === "$ref" && typeof v === "string" ? fn(v) : rewriteRefs(v, fn);
    }
    return out;
  }
  return value;
}

/** kube-openapi openapiconv.ConvertSchema + builder3/util.WrapRefs. */
export function v2SchemaToV3(schema) {
  if (Array.isArray(schema)) return schema.map(v2SchemaToV3);
  if (!schema || typeof schema !== "object") return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "$ref") out[k] = v.replace("#/definitions/", "#/components/schemas/");
    else if (k === "properties" || k === "patternProperties" || k === "definitions") {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, v2SchemaToV3(s)]));
    } else if (["items", "additionalProperties", "additionalItems", "not"].includes(k)) {
      out[k] = typeof v === "boolean" ? v : v2SchemaToV3(v);
    } else if (["allOf", "anyOf", "oneOf"].includes(k)) out[k] = v.map(v2SchemaToV3);
    else out[k] = v;
  }
  if (out.$ref && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { allOf: [{ $ref }], ...rest };
  }
  return out;
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
}

function readV3Inputs(paths) {
  const files = paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith(".json"))
          .map((f) => join(p, f))
      : [p],
  );
  const schemas = {};
  for (const f of files) {
    const doc = JSON.parse(readFileSync(f, "utf8"));
    for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) {
      if (schemas[name] && JSON.stringify(schemas[name]) !== JSON.stringify(s)) {
        throw new Error(`${f}: schema ${name} differs from an earlier file's`);
      }
      schemas[name] = s;
    }
  }
  return schemas;
}

export function trim({ v2, v3 = null, aliases = [], source = "" }) {
  const defs = structuredClone(v2.definitions);
  const copied = [];
  for (const alias of aliases) {
    const [from, to] = alias.split("=");
    const f = splitGV(from);
    const t = splitGV(to);
    const kinds = SERVED[to.includes("/") ? to : `/${to}`] ?? [];
    for (const kind of kinds) {
      if (byGVK(defs, t.group, t.version, kind).length > 0) continue;
      const src = byGVK(defs, f.group, f.version, kind);
      if (src.length !== 1) throw new Error(`--alias ${alias}: no single definition of ${kind}`);
      // Copy the kind and the definitions of its own package it reaches (spec, status, …).
      const pkg = src[0].slice(0, src[0].lastIndexOf(".") + 1);
      const toPkg = pkg.replace(`.${f.version}.`, `.${t.version}.`);
      for (const name of closure(defs, src).filter((n) => n.startsWith(pkg))) {
        const newName = toPkg + name.slice(pkg.length);
        if (defs[newName]) continue;
        const copy = rewriteRefs(defs[name], (r) =>
          r.startsWith(`#/definitions/${pkg}`) ? r.replace(pkg, toPkg) : r,
        );
        if (copy["x-kubernetes-group-version-kind"]) {
          copy["x-kubernetes-group-version-kind"] = copy["x-kubernetes-group-version-kind"].map(
            (g) =>
              g.group === f.group && g.version === f.version ? { ...g, version: t.version } : g,
          );
        }
        copy["x-keelson-copied-from"] = name;
        defs[newName] = copy;
        copied.push(newName);
      }
    }
  }

  const groupVersions = {};
  const missing = [];
  const allRoots = new Set(UNVERSIONED);
  for (const [gvKey, kinds] of Object.entries(SERVED)) {
    const { group, version } = splitGV(gvKey);
    const roots = new Set(COMMON);
    for (const kind of kinds) {
      const found = byGVK(defs, group, version, kind);
      if (found.length === 0) missing.push(`${gvKey.replace(/^\//, "")} ${kind}`);
      for (const name of found) roots.add(name);
    }
    for (const r of roots) allRoots.add(r);
    groupVersions[v3Path(gvKey)] = { roots: [...roots].sort(), schemas: closure(defs, roots) };
  }
  groupVersions[""] = { roots: [...UNVERSIONED].sort(), schemas: closure(defs, UNVERSIONED) };

  const names = closure(defs, allRoots);
  const definitions = Object.fromEntries(names.map((n) => [n, defs[n]]));
  let schemas;
  if (v3) {
    const missingV3 = names.filter((n) => !v3[n] && !copied.includes(n));
    if (missingV3.length > 0) throw new Error(`v3 inputs lack ${missingV3.join(", ")}`);
    schemas = Object.fromEntries(names.map((n) => [n, v3[n] ?? v2SchemaToV3(defs[n])]));
  } else {
    schemas = Object.fromEntries(names.map((n) => [n, v2SchemaToV3(defs[n])]));
  }
  const index = {
    source,
    license: "Apache-2.0 (LICENSE beside this file); the Kubernetes Authors",
    generatedBy: "scripts/trim-openapi.mjs",
    v3SchemasFrom: v3 ? "Kubernetes' v3 documents" : "converted from v2 (kube-openapi openapiconv)",
    copied: copied.sort(),
    missing,
    groupVersions,
  };
  return {
    "swagger-definitions.json": {
      swagger: "2.0",
      info: v2.info,
      definitions: sortKeys(definitions),
    },
    "openapi-v3-schemas.json": {
      openapi: "3.0.0",
      info: v2.info,
      components: { schemas: sortKeys(schemas) },
    },
    "index.json": index,
  };
}

function main() {
  const { values } = parseArgs({
    options: {
      v2: { type: "string" },
      v3: { type: "string", multiple: true },
      out: { type: "string", default: join(root, "src/kubesim/openapi/vendor") },
      source: { type: "string", default: "" },
      alias: { type: "string", multiple: true, default: [] },
    },
  });
  if (!values.v2) {
    console.error("usage: trim-openapi.mjs --v2 swagger.json [--v3 file|dir]... [--out dir]");
    process.exit(2);
  }
  const v2 = JSON.parse(readFileSync(values.v2, "utf8"));
  const v3 = values.v3 ? readV3Inputs(values.v3) : null;
  const files = trim({ v2, v3, aliases: values.alias, source: values.source });
  mkdirSync(values.out, { recursive: true });
  const written = [];
  for (const [name, content] of Object.entries(files)) {
    written.push(join(values.out, name));
    writeFileSync(written.at(-1), `${JSON.stringify(content, null, 2)}\n`);
  }
  for (const f of written) console.log(`${f}: ${statSync(f).size} bytes`);
  const { missing, copied } = files["index.json"];
  if (copied.length > 0) console.log(`copied (--alias): ${copied.join(", ")}`);
  if (missing.length > 0) console.log(`no definition in the input for: ${missing.join(", ")}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
