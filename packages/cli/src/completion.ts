import { UsageError } from "@msint/integration-kit";
import { describeCommand } from "./describe.js";
import type { Io } from "./output.js";
import { integrationIds, loadAllIntegrations, loadIntegration } from "./registry.js";

/** The CLI's own commands and their subcommands, as main.ts registers them (commands added there complete too). */
export async function cliCommands(): Promise<Record<string, string[]>> {
  const { buildProgram } = await import("./main.js");
  const program = buildProgram({ out: () => undefined, err: () => undefined });
  return Object.fromEntries(
    program.commands.map((command) => [command.name(), command.commands.map((sub) => sub.name())]),
  );
}

const SHELLS = ["bash", "zsh", "fish"] as const;

/** Splits a command line as a shell would, roughly: blanks separate words, quotes group them. */
export function splitLine(line: string): string[] {
  const words: string[] = [];
  let current = "";
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === "\\" && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === "\\" && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  words.push(inWord ? current : "");
  return words;
}

async function instanceNames(): Promise<string[]> {
  try {
    const { openStore } = await import("./store.js");
    return await (await openStore()).list();
  } catch {
    return [];
  }
}

async function instanceIntegration(name: string | undefined): Promise<string | undefined> {
  if (!name) return undefined;
  try {
    const { openStore } = await import("./store.js");
    return (await (await openStore()).read(name))?.integration;
  } catch {
    return undefined;
  }
}

function optionValue(words: readonly string[], option: string): string | undefined {
  for (let i = 0; i < words.length; i++) {
    if (words[i] === option) return words[i + 1];
    if (words[i]!.startsWith(`${option}=`)) return words[i]!.slice(option.length + 1);
  }
  return undefined;
}

/** Every command of every integration (for `run` and `help` without an instance to narrow them). */
async function allIntegrationCommands(): Promise<string[]> {
  const names = new Set<string>();
  for (const integration of await loadAllIntegrations({ quiet: true })) {
    for (const name of integration.commandNames()) names.add(name);
  }
  return [...names].sort();
}

/**
 * The candidates for the last word of `words` (words[0] is `msint`); unfiltered, the caller keeps those that
 * start with the word.
 */
export async function candidates(words: readonly string[]): Promise<string[]> {
  const before = words.slice(1, -1);
  const previous = before[before.length - 1];
  const current = words[words.length - 1] ?? "";
  const positional = before.filter((word, index) => {
    if (word.startsWith("-")) return false;
    const option = before[index - 1];
    return !(
      option &&
      /^--(instance|integration|param|format|port|seed|host|config|data-dir|timeout|days|dir)$/.test(option)
    );
  });
  const [command, sub] = positional;
  const commands = await cliCommands();

  if (previous === "--instance") return instanceNames();
  if (previous === "--integration") return integrationIds();
  if (previous === "--format") return ["table", "markdown"];
  if (previous === "--param") {
    const id = optionValue(before, "--integration") ?? (await instanceIntegration(sub));
    const integration = id ? await loadIntegration(id) : undefined;
    if (!integration) return [];
    const equals = current.indexOf("=");
    if (equals > 0) {
      const definition = integration.parameter(current.slice(0, equals));
      const values = definition?.options ?? (definition?.type === "boolean" ? ["true", "false"] : []);
      return values.map((value) => `${current.slice(0, equals)}=${value}`);
    }
    return integration.parameters.map((definition) => `${definition.key}=`);
  }
  if (current.startsWith("-")) {
    const options: Record<string, string[]> = {
      "": ["--help", "--version", "--debug", "--format"],
      run: ["--instance", "--json", "--format", "--help"],
      instance: ["--integration", "--param", "--json", "--format", "--help"],
      integrations: ["--json", "--format", "--help"],
      login: ["--open", "--timeout", "--consent", "--help"],
    };
    return options[command ?? ""] ?? ["--help"];
  }
  if (!command) return Object.keys(commands);
  if (command === "completion") return positional.length === 1 ? [...SHELLS] : [];
  if (command === "integrations") return positional.length === 1 ? integrationIds() : [];
  if (command === "login") return positional.length === 1 ? instanceNames() : [];
  if (command === "help") {
    if (positional.length > 1) return positional.length === 2 ? (commands[positional[1]!] ?? []) : [];
    return [...Object.keys(commands), ...(await allIntegrationCommands())];
  }
  if ((commands[command] ?? []).length > 0) {
    if (!sub) return commands[command]!;
    if (command === "instance" && ["set", "show", "remove"].includes(sub) && positional.length === 2)
      return instanceNames();
    return [];
  }
  if (command === "run") {
    const id = await instanceIntegration(optionValue(before, "--instance"));
    const integration = id ? await loadIntegration(id) : undefined;
    if (!sub) return integration ? integration.commandNames() : allIntegrationCommands();
    const owners = integration ? [integration] : await loadAllIntegrations({ quiet: true });
    const definition = owners.map((each) => describeCommand(each, sub)).find(Boolean);
    if (!definition) return [];
    const equals = current.indexOf("=");
    if (equals > 0) {
      const argument = definition.arguments.find((each) => each.name === current.slice(0, equals));
      return (argument?.predefined ?? []).map((value) => `${argument!.name}=${value}`);
    }
    const used = new Set(before.map((word) => word.split("=")[0]));
    return definition.arguments
      .filter((argument) => !used.has(argument.name))
      .map((argument) => `${argument.name}=`);
  }
  return [];
}

/**
 * `msint __complete --line TEXT [--cur WORD]`: prints the completions of the line's last word, one a line. Bash
 * splits words at `=` and `:` too: with --cur (bash's idea of the word) the candidates are cut to match it.
 */
export async function complete(args: readonly string[], io: Io): Promise<number> {
  const line = optionValue(args, "--line") ?? "";
  const cur = optionValue(args, "--cur");
  const words = splitLine(line);
  const word = words[words.length - 1] ?? "";
  const found = (await candidates(words)).filter((candidate) => candidate.startsWith(word));
  const cut = cur !== undefined && word.endsWith(cur) ? word.length - cur.length : 0;
  if (found.length > 0) io.out(found.map((candidate) => candidate.slice(cut)).join("\n"));
  return 0;
}

/** `msint completion bash|zsh|fish`: the script to source. */
export function completionScript(shell: string): string {
  switch (shell) {
    case "bash":
      return `# msint completion for bash: source <(msint completion bash), or save it to
# ~/.local/share/bash-completion/completions/msint
_msint() {
  local IFS=$'\\n'
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  COMPREPLY=($(msint __complete --line "\${COMP_LINE:0:COMP_POINT}" --cur "$cur" 2>/dev/null))
  if [[ \${#COMPREPLY[@]} -eq 1 && \${COMPREPLY[0]} == *= ]]; then
    compopt -o nospace 2>/dev/null
  fi
  return 0
}
complete -o default -F _msint msint
`;
    case "zsh":
      return `#compdef msint
# msint completion for zsh: source <(msint completion zsh), or save it as _msint in a directory of $fpath
_msint() {
  local -a found with_space without_space
  found=("\${(@f)$(msint __complete --line "\${BUFFER[1,CURSOR]}" 2>/dev/null)}")
  for candidate in "\${found[@]}"; do
    [[ -z $candidate ]] && continue
    if [[ $candidate == *= ]]; then without_space+=("$candidate"); else with_space+=("$candidate"); fi
  done
  (( \${#with_space} )) && compadd -Q -- "\${with_space[@]}"
  (( \${#without_space} )) && compadd -Q -S '' -- "\${without_space[@]}"
  return 0
}
if (( $+functions[compdef] )); then compdef _msint msint; fi
`;
    case "fish":
      return `# msint completion for fish: msint completion fish > ~/.config/fish/completions/msint.fish
complete -c msint -f -a '(msint __complete --line (commandline -cp) 2>/dev/null)'
`;
    default:
      throw new UsageError(`msint completion takes bash, zsh or fish, not "${shell}".`);
  }
}
