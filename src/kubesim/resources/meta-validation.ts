import type { KubeObject, StatusCause } from "../api";

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export function invalidValue(path: string, value: unknown, detail: string): StatusCause {
  return {
    reason: "FieldValueInvalid",
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
    field: path,
  };
}

export function requiredValue(path: string): StatusCause {
  return { reason: "FieldValueRequired", message: "Required value", field: path };
}

export function subdomainError(path: string, value: string): StatusCause | undefined {
  if (value.length <= 253 && subdomain.test(value)) return undefined;
  return invalidValue(
    path,
    value,
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  );
}

export function labelError(path: string, value: string): StatusCause | undefined {
  if (value.length <= 63 && label.test(value)) return undefined;
  return invalidValue(
    path,
    value,
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  );
}

/** Label keys and values: apimachinery's IsQualifiedName and IsValidLabelValue. */
export function labelMapErrors(path: string, labels: unknown): StatusCause[] {
  if (labels === undefined) return [];
  if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
    return [invalidValue(path, labels, "must be a map of strings")];
  }
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const name = key.includes("/") ? key.slice(key.indexOf("/") + 1) : key;
    if (name.length > 63 || !qualifiedName.test(name)) {
      causes.push(
        invalidValue(
          path,
          key,
          "name part must consist of alphanumeric characters, '-', '_' or '.'",
        ),
      );
    }
    if (
      typeof value !== "string" ||
      value.length > 63 ||
      (value !== "" && !qualifiedName.test(value))
    ) {
      causes.push(
        invalidValue(
          `${path}`,
          value,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'",
        ),
      );
    }
  }
  return causes;
}

/** Checks every object gets: its name and labels. Namespaces and nodes use label-style names. */
export function metaErrors(obj: KubeObject, nameStyle: "subdomain" | "label"): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = obj.metadata.name;
  if (!name) causes.push(requiredValue("metadata.name"));
  else {
    const error =
      nameStyle === "label"
        ? labelError("metadata.name", name)
        : subdomainError("metadata.name", name);
    if (error) causes.push(error);
  }
  causes.push(...labelMapErrors("metadata.labels", obj.metadata.labels));
  return causes;
}
