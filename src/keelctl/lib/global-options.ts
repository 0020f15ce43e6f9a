import type { OutputFormat } from "./output";

/** Flags every command accepts (declared once on the root program). */
export interface GlobalOptions {
  nodes?: string[];
  selector?: string;
  config?: string;
  context?: string;
  output: OutputFormat;
  callTimeout: number;
}
