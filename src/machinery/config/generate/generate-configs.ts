import type { ClientConfig } from "../../clientconfig";
import { applyPatches } from "../patch/apply-patches";
import type { ConfigPatch } from "../patch/config-patch";
import type { ConfigDocument } from "../schema/kinds";
import type { MachineType } from "../schema/machine-config";
import { assertNoErrors } from "../validate/problem";
import { validateDocuments } from "../validate/validate-documents";
import { adminClientConfig } from "./admin-client-config";
import { clusterTemplate, machineTemplate, type TemplateOptions } from "./templates";

export interface GenerateOptions extends TemplateOptions {
  /** Applied to both roles, in order, before the role's own patches. */
  patches?: readonly ConfigPatch[];
  controlPlanePatches?: readonly ConfigPatch[];
  workerPatches?: readonly ConfigPatch[];
}

export interface GeneratedConfigs {
  controlplane: ConfigDocument[];
  worker: ConfigDocument[];
  clientConfig: ClientConfig;
}

/**
 * The configs of a cluster from its secrets: one per role, patched, then
 * validated as the node would (role and cluster expected), so a patch that
 * breaks a config fails here with every problem rather than on a node.
 */
export async function generateConfigs(options: GenerateOptions): Promise<GeneratedConfigs> {
  const build = (type: MachineType, rolePatches: readonly ConfigPatch[]) => {
    const template = [machineTemplate(type, options), clusterTemplate(type, options)];
    const patched = applyPatches(template, [...(options.patches ?? []), ...rolePatches]);
    const checked = validateDocuments(
      patched.map((value, index) => ({ index, value })),
      { expectRole: type, expectCluster: options.clusterName },
    );
    assertNoErrors(checked.problems, `the generated ${type} config`);
    return checked.documents;
  };
  return {
    controlplane: build("controlplane", options.controlPlanePatches ?? []),
    worker: build("worker", options.workerPatches ?? []),
    clientConfig: await adminClientConfig(options.clusterName, options.secrets),
  };
}
