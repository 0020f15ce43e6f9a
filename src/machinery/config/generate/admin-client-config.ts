import type { ClientConfig } from "../../clientconfig";
import type { SecretsBundle } from "./secrets-bundle";

/**
 * A client config whose context is named after the cluster, holding an
 * os:admin certificate from the OS CA. It knows no nodes yet: nodes are
 * addressed by IP with -n until a provisioner adds their names.
 */
export async function adminClientConfig(
  clusterName: string,
  secrets: SecretsBundle,
  ttlDays = 365,
): Promise<ClientConfig> {
  const { issue } = await import("../../pki");
  const os = secrets.certs.os;
  const admin = await issue(
    {
      commonName: "admin",
      organizations: ["os:admin"],
      usage: "client",
      notAfter: new Date(Date.now() + ttlDays * 24 * 60 * 60 * 1000),
    },
    { cert: os.crt, key: os.key },
  );
  return {
    context: clusterName,
    contexts: {
      [clusterName]: { ca: os.crt, crt: admin.cert, key: admin.key, endpoints: [], nodes: [] },
    },
  };
}
