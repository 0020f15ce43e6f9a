import type { Command } from "commander";

/**
 * Shell completion generated from the command tree itself, so it never goes
 * stale: `source <(keelctl completion bash)`.
 */
export function addCompletionCommand(program: Command): void {
  program
    .command("completion <shell>")
    .description("print a completion script for bash or zsh")
    .action((shell: string) => {
      if (shell !== "bash" && shell !== "zsh")
        throw new Error(`unsupported shell "${shell}"; use bash or zsh`);
      process.stdout.write(bashScript(program, shell === "zsh"));
    });
}

function bashScript(program: Command, zsh: boolean): string {
  const words = (cmd: Command) =>
    [...cmd.commands.map((c) => c.name()), ...cmd.options.map((o) => o.long ?? "")].filter(Boolean);
  const cases = program.commands
    .filter((c) => c.commands.length || c.options.length)
    .map((c) => `    ${c.name()}) opts="${words(c).join(" ")}" ;;`)
    .join("\n");
  return `${zsh ? "autoload -U +X bashcompinit && bashcompinit\n" : ""}_keelctl() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" sub="\${COMP_WORDS[1]}" opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    opts="${words(program).join(" ")}"
  else
    case "$sub" in
${cases}
    *) opts="${program.options.map((o) => o.long).join(" ")}" ;;
    esac
  fi
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
complete -F _keelctl keelctl
`;
}
