/** The Go-style architecture name of this machine, as image configs and upgrade bundles spell it. */
export function hostArchitecture(): string {
  const names: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386" };
  return names[process.arch] ?? process.arch;
}
