import { KeelsonError } from "../../machinery/errors";
import { isRole, roles } from "../../machinery/roles";
import type { AgentContext, Handlers } from "../context";

const maxTtlHours = 10 * 365 * 24;

export function pkiHandlers(ctx: AgentContext): Handlers {
  return {
    async generateClientConfiguration(req) {
      const unknown = req.roles.filter((r) => !isRole(r));
      if (req.roles.length === 0 || unknown.length) {
        throw new KeelsonError(
          "invalidArgument",
          req.roles.length
            ? `unknown roles: ${unknown.join(", ")}`
            : "at least one role is required",
          `roles are ${roles.join(", ")}`,
        );
      }
      if (req.ttlHours > maxTtlHours) {
        throw new KeelsonError(
          "invalidArgument",
          `ttl_hours ${req.ttlHours} is over the maximum of ${maxTtlHours}`,
        );
      }
      const commonName = req.commonName || "keelctl";
      if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(commonName)) {
        throw new KeelsonError(
          "invalidArgument",
          `common_name "${commonName.slice(0, 80)}" is not 1–64 of letters, digits, . _ @ -`,
        );
      }
      const { crt, key } = ctx.settings.ca;
      if (!key) {
        throw new KeelsonError(
          "failedPrecondition",
          `${ctx.identity.name} holds no CA key`,
          "ask a control-plane node (-n <control plane>)",
        );
      }
      const ca = { cert: crt, key };

      // Loaded on demand: certificate issuance is rare and the library is large.
      const { issue } = await import("../../machinery/pki");
      const ttlMs = (req.ttlHours || 365 * 24) * 3600_000;
      const client = await issue(
        {
          commonName,
          organizations: req.roles,
          usage: "client",
          notAfter: new Date(Date.now() + ttlMs),
        },
        ca,
      );
      return { ca: ca.cert, crt: client.cert, key: client.key };
    },
  };
}
