import { generateConfigs } from "./generate/generate-configs";
import { generateSecrets } from "./generate/generate-secrets";
import type { SecretsBundle } from "./generate/secrets-bundle";
import type { ConfigDocument } from "./schema/kinds";
import { stringifyConfig } from "./yaml/stringify-config";

export interface Fixture {
  secrets: SecretsBundle;
  controlplane: ConfigDocument[];
  worker: ConfigDocument[];
  controlplaneText: string;
  workerText: string;
}

let cached: Promise<Fixture> | undefined;

/** One generated cluster shared by a spec file: CA generation is the slow part. */
export function fixture(): Promise<Fixture> {
  cached ??= (async () => {
    const secrets = await generateSecrets();
    const configs = await generateConfigs({
      clusterName: "demo",
      endpoint: "https://10.0.0.10:6443",
      secrets,
      patches: [
        {
          type: "strategic",
          documents: [
            {
              machine: {
                network: {
                  interfaces: [{ name: "eth0", addresses: ["10.0.0.2/24"], mtu: 1500 }],
                  nameservers: ["1.1.1.1"],
                },
              },
            },
          ],
        },
      ],
    });
    return {
      secrets,
      controlplane: configs.controlplane,
      worker: configs.worker,
      controlplaneText: stringifyConfig(configs.controlplane),
      workerText: stringifyConfig(configs.worker),
    };
  })();
  return cached;
}
