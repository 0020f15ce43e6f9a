import { z } from "zod";

const pem = (what: string) =>
  z.string().includes("-----BEGIN", { message: `${what} must be PEM-encoded` });

export const endpointSchema = z.strictObject({
  name: z.string().min(1),
  /** host or host:port; the port defaults to 50000. */
  address: z.string().min(1),
  role: z.enum(["controlplane", "worker"]).optional(),
});

export const contextSchema = z.strictObject({
  ca: pem("ca"),
  crt: pem("crt"),
  key: pem("key"),
  /** The nodes this context knows by name, so `-n cp-1` and `--selector role=worker` resolve. */
  endpoints: z.array(endpointSchema).default([]),
  /** Targets when no --nodes is given. */
  nodes: z.array(z.string()).default([]),
});

export const clientConfigSchema = z.strictObject({
  context: z.string().optional(),
  contexts: z.record(z.string(), contextSchema).default({}),
});

export type Endpoint = z.infer<typeof endpointSchema>;
export type ClientContext = z.infer<typeof contextSchema>;
export type ClientConfig = z.infer<typeof clientConfigSchema>;
