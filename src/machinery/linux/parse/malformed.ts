import { KeelsonError } from "../../errors";

/**
 * The one way a parser fails; parsers throw nothing else, which the fuzz tests
 * check. The code is "internal", not "invalidArgument": parsers read what the
 * kernel or iproute2 wrote, never what the client sent, so text they cannot
 * read means Keelson and the host disagree, not that the caller erred.
 */
export function malformed(source: string, detail: string): KeelsonError {
  return new KeelsonError("internal", `cannot parse ${source}: ${detail}`);
}
