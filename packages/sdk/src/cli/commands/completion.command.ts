// `atelier completion bash|zsh`: a completion script generated from the command tree itself, so it
// never drifts from the commands. zsh loads the same function through bashcompinit.
import type { Command } from 'commander';
import { usage } from '../cli-error.js';
import { action, examples, type Runtime } from '../command-kit.js';

interface Node {
  path: string;
  subcommands: string[];
  options: string[];
}

function walk(cmd: Command, prefix: string, out: Node[]): void {
  const subs = cmd.commands.filter((c) => c.name() !== 'help');
  out.push({
    path: prefix,
    subcommands: subs.flatMap((c) => [c.name(), ...c.aliases()]),
    options: [...cmd.options.flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x))), '--help'],
  });
  for (const c of subs) {
    const p = prefix ? `${prefix} ${c.name()}` : c.name();
    walk(c, p, out);
    for (const a of c.aliases()) walk(c, prefix ? `${prefix} ${a}` : a, out);
  }
}

export function bashScript(root: Command): string {
  const nodes: Node[] = [];
  walk(root, '', nodes);
  const globals = nodes[0].options.join(' ');
  const cases = nodes.map((n) => `    "${n.path}") subs="${n.subcommands.join(' ')}"; opts="${n.options.join(' ')}" ;;`).join('\n');
  return `# atelier completion (bash). Load it with:  source <(atelier completion bash)
_atelier() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" subs opts w i
  _atelier_node() {
    subs=""; opts=""
    case "$1" in
${cases}
    esac
  }
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    _atelier_node "$path"
    if [[ " $subs " == *" $w "* ]]; then path="\${path:+$path }$w"; fi
  done
  _atelier_node "$path"
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts ${globals}" -- "$cur") )
  elif [[ -n "$subs" ]]; then
    COMPREPLY=( $(compgen -W "$subs" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o default -F _atelier atelier
`;
}

export function zshScript(root: Command): string {
  return `# atelier completion (zsh). Load it with:  source <(atelier completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashScript(root).split('\n').slice(1).join('\n')}`;
}

export function registerCompletion(program: Command, rt: Runtime): void {
  examples(
    program
      .command('completion')
      .argument('<shell>', 'bash | zsh')
      .description('print a shell completion script')
      .action(
        action<[string]>(rt, async (ctx, [shell]) => {
          if (shell !== 'bash' && shell !== 'zsh') throw usage(`completion supports bash and zsh, got '${shell}'.`);
          ctx.io.stdout.write(shell === 'bash' ? bashScript(program) : zshScript(program));
        }),
      ),
    [
      'source <(atelier completion bash)            # this shell',
      'atelier completion bash > ~/.local/share/bash-completion/completions/atelier',
      'echo \'source <(atelier completion zsh)\' >> ~/.zshrc',
    ],
  );
}
