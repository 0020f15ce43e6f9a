import pkg from "../../package.json" with { type: "json" };

/** The Keelson release this build belongs to; agent, CLI and controller share it. */
export const keelsonVersion: string = pkg.version;
