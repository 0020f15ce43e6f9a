import * as z from "zod/mini";

const pem = (what: string) =>
  z.string().check(z.includes("-----BEGIN", `${what} must be PEM-encoded`));

export const endpointSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  /** host or host:port; the port defaults to 50000. */
  address: z.string().check(z.minLength(1)),
  role: z.optional(z.enum(["controlplane", "worker"])),
});

export const contextSchema = z.strictObject({
  ca: pem("ca"),
  crt: pem("crt"),
  key: pem("key"),
  /** The nodes this context knows by name, so `-n cp-1` and `--selector role=worker` resolve. */
  endpoints: z._default(z.array(endpointSchema), []),
  /** Targets when no --nodes is given. */
  nodes: z._default(z.array(z.string()), []),
});

export const clientConfigSchema = z.strictObject({
  context: z.optional(z.string()),
  contexts: z._default(z.record(z.string(), contextSchema), {}),
});

export type Endpoint = z.infer<typeof endpointSchema>;
export type ClientContext = z.infer<typeof contextSchema>;
export type ClientConfig = z.infer<typeof clientConfigSchema>;
