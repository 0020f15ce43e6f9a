import "../machinery/web-headers/installed";
import pc from "picocolors";
import { KeelsonError } from "../machinery/errors";
import { buildProgram } from "./program";

buildProgram()
  .parseAsync(process.argv)
  .catch((reason: unknown) => {
    const error = KeelsonError.from(reason);
    process.stderr.write(`${pc.red("error:")} ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${pc.dim("hint:")} ${error.hint}\n`);
    process.exitCode = 1;
  });
