import { createRegistry, type DescMessage } from "@bufbuild/protobuf";
import { file_k8s_io_api_apps_v1_generated } from "./gen/k8s.io/api/apps/v1/generated_pb";
import { file_k8s_io_api_autoscaling_v1_generated } from "./gen/k8s.io/api/autoscaling/v1/generated_pb";
import { file_k8s_io_api_coordination_v1_generated } from "./gen/k8s.io/api/coordination/v1/generated_pb";
import { file_k8s_io_api_core_v1_generated } from "./gen/k8s.io/api/core/v1/generated_pb";
import { file_k8s_io_api_policy_v1_generated } from "./gen/k8s.io/api/policy/v1/generated_pb";
import { file_k8s_io_api_policy_v1beta1_generated } from "./gen/k8s.io/api/policy/v1beta1/generated_pb";
import { file_k8s_io_apiextensions_apiserver_pkg_apis_apiextensions_v1_generated } from "./gen/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/generated_pb";
import { file_k8s_io_apimachinery_pkg_apis_meta_v1_generated } from "./gen/k8s.io/apimachinery/pkg/apis/meta/v1/generated_pb";

const registry = createRegistry(
  file_k8s_io_api_core_v1_generated,
  file_k8s_io_api_apps_v1_generated,
  file_k8s_io_api_autoscaling_v1_generated,
  file_k8s_io_api_coordination_v1_generated,
  file_k8s_io_api_policy_v1_generated,
  file_k8s_io_api_policy_v1beta1_generated,
  file_k8s_io_apiextensions_apiserver_pkg_apis_apiextensions_v1_generated,
  file_k8s_io_apimachinery_pkg_apis_meta_v1_generated,
);

/** Protobuf packages of the API groups kubesim serves; meta.k8s.io's kinds are shared by all. */
const packages: Record<string, string> = {
  "": "k8s.io.api.core",
  apps: "k8s.io.api.apps",
  autoscaling: "k8s.io.api.autoscaling",
  "coordination.k8s.io": "k8s.io.api.coordination",
  policy: "k8s.io.api.policy",
  "apiextensions.k8s.io": "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions",
  "meta.k8s.io": "k8s.io.apimachinery.pkg.apis.meta",
};

/** Kinds of meta.k8s.io/v1 that travel under any group's apiVersion (a Status, DeleteOptions). */
const metaKinds = new Set([
  "Status",
  "DeleteOptions",
  "CreateOptions",
  "UpdateOptions",
  "PatchOptions",
  "WatchEvent",
  "APIResourceList",
  "Table",
]);

/** The protobuf message of a built-in kind, or undefined for custom resources and unknown kinds. */
export function messageOf(apiVersion: string, kind: string): DescMessage | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = metaKinds.has(kind) ? packages["meta.k8s.io"] : packages[group ?? ""];
  if (!pkg) return undefined;
  return registry.getMessage(`${pkg}.${metaKinds.has(kind) ? "v1" : version}.${kind}`);
}

export function metaMessage(kind: string): DescMessage {
  const desc = registry.getMessage(`k8s.io.apimachinery.pkg.apis.meta.v1.${kind}`);
  if (!desc) throw new Error(`no meta.k8s.io/v1 ${kind}`);
  return desc;
}
