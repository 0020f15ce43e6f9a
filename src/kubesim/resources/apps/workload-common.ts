import {
  childObject,
  field,
  fromLabelSelectorObject,
  type JsonObject,
  type KubeObject,
  type LabelSelectorObject,
  matchesLabels,
  type StatusCause,
} from "../../api";
import { containerList } from "../columns";
import { defaultPodSpec, podSpecErrors } from "../core/pod";
import { invalidValue, metaErrors, requiredValue } from "../meta-validation";
import type { Column } from "../resource-type";

export const appsV1 = {
  group: "apps",
  version: "v1",
  namespaced: true,
  categories: ["all"],
} as const;

export function defaultTemplate(obj: KubeObject): void {
  const spec = childObject(obj as JsonObject, "spec") as JsonObject;
  const template = childObject(spec as JsonObject, "template") as JsonObject;
  template.metadata ??= {};
  defaultPodSpec(childObject(template as JsonObject, "spec") as JsonObject);
  obj.status ??= {};
}

/** Shared by every controller kind: a selector, and a template its selector matches. */
export function workloadErrors(obj: KubeObject): StatusCause[] {
  const causes = metaErrors(obj, "subdomain");
  const selector = field(obj, "spec", "selector") as LabelSelectorObject | undefined;
  if (!selector) return [...causes, requiredValue("spec.selector")];
  const labels = field(obj, "spec", "template", "metadata", "labels") as
    | Record<string, string>
    | undefined;
  const requirements = fromLabelSelectorObject(selector);
  if (requirements.length === 0) {
    causes.push(
      invalidValue("spec.selector", selector, "empty selector is invalid for deployment"),
    );
  } else if (!matchesLabels(requirements, labels)) {
    causes.push(
      invalidValue(
        "spec.template.metadata.labels",
        labels ?? {},
        "`selector` does not match template `labels`",
      ),
    );
  }
  causes.push(...podSpecErrors(field(obj, "spec", "template", "spec"), "spec.template.spec"));
  return causes;
}

function templateContainers(obj: KubeObject) {
  return containerList(obj, "spec", "template", "spec", "containers");
}

export const wideTemplateColumns: Column[] = [
  {
    name: "Containers",
    type: "string",
    priority: 1,
    cell: (o) =>
      templateContainers(o)
        .map((c) => c.name)
        .join(","),
  },
  {
    name: "Images",
    type: "string",
    priority: 1,
    cell: (o) =>
      templateContainers(o)
        .map((c) => c.image)
        .join(","),
  },
  {
    name: "Selector",
    type: "string",
    priority: 1,
    cell: (o) => {
      const labels = (field(o, "spec", "selector", "matchLabels") ?? {}) as Record<string, string>;
      return (
        Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(",") || "<none>"
      );
    },
  },
];
