import { InvalidArgumentError } from "commander";

/** A flag's boolean value, as in `--wait=false`; the bare flag means true. */
export function parseBoolean(value: string | undefined): boolean {
  if (value === undefined || value === "true") return true;
  if (value === "false") return false;
  throw new InvalidArgumentError(`"${value}" is not true or false`);
}
