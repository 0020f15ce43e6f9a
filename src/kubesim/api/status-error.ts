/**
 * A failure the API server reports as a metav1.Status. Codes and reasons follow
 * k8s.io/apimachinery/pkg/api/errors so clients (kubectl, client-go, client-node)
 * take the same branches they take against a real server.
 */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
  type?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class StatusError extends Error {
  override name = "StatusError";

  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return statusBody("Failure", this.code, this.message, this.reason, this.details);
  }

  /** Anything thrown inside a handler becomes a Status; unknown errors are a 500, never a crash. */
  static from(reason: unknown): StatusError {
    if (reason instanceof StatusError) return reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    return internalError(message);
  }
}

export function statusBody(
  status: "Success" | "Failure",
  code: number,
  message?: string,
  reason?: string,
  details?: StatusDetails,
): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: "Status", apiVersion: "v1", metadata: {}, status };
  if (message) body.message = message;
  if (reason) body.reason = reason;
  if (details) body.details = details;
  body.code = code;
  return body;
}

/** "pods" in group "" reads "pods"; in "apps" it reads "deployments.apps", as the server prints it. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(resource: string, group: string, name: string): StatusError {
  return new StatusError(
    404,
    "NotFound",
    `${qualifiedResource(resource, group)} "${name}" not found`,
    {
      name,
      group: group || undefined,
      kind: resource,
    },
  );
}

export function alreadyExists(resource: string, group: string, name: string): StatusError {
  const what = qualifiedResource(resource, group);
  return new StatusError(409, "AlreadyExists", `${what} "${name}" already exists`, {
    name,
    group: group || undefined,
    kind: resource,
  });
}

export function conflict(resource: string, group: string, name: string, why: string): StatusError {
  const what = qualifiedResource(resource, group);
  return new StatusError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${what} "${name}": ${why}`,
    { name, group: group || undefined, kind: resource },
  );
}

export function invalid(
  kind: string,
  group: string,
  name: string,
  causes: StatusCause[],
): StatusError {
  const what = group ? `${kind}.${group}` : kind;
  const list = causes.map((c) => `${c.field}: ${c.message}`).join(", ");
  const text = causes.length === 1 ? list : `[${list}]`;
  return new StatusError(422, "Invalid", `${what} "${name}" is invalid: ${text}`, {
    name,
    group: group || undefined,
    kind,
    causes,
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, "BadRequest", message);
}

export function forbidden(resource: string, group: string, name: string, why: string): StatusError {
  const what = qualifiedResource(resource, group);
  return new StatusError(403, "Forbidden", `${what} "${name}" is forbidden: ${why}`, {
    name,
    group: group || undefined,
    kind: resource,
  });
}

export function methodNotAllowed(message: string): StatusError {
  return new StatusError(405, "MethodNotAllowed", message);
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml${contentType ? ` (got ${contentType})` : ""}`,
  );
}

export function gone(message: string): StatusError {
  return new StatusError(410, "Expired", message);
}

export function internalError(message: string): StatusError {
  return new StatusError(500, "InternalError", `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

export function pageNotFound(): StatusError {
  return new StatusError(404, "NotFound", "the server could not find the requested resource", {});
}
