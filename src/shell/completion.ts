// Shell completion scripts for codexgw, generated from the command specs (src/commands/index.ts),
// so a command or flag added there is completed without touching this file. Values that depend
// on the user's config (provider ids, profile names) come from `codexgw completion --values <kind>`
// at the moment Tab is pressed; everything else is static text in the script.
import path from 'node:path';
import type { Shell } from './quote.ts';

/** Values read from the config when Tab is pressed. */
export const DYNAMIC_KINDS = ['providers', 'profiles', 'gateways'] as const;
export type DynamicKind = (typeof DYNAMIC_KINDS)[number];

/** What a word may be: a fixed list, config values, or a path the shell completes itself. */
export type ValueKind =
  | { choices: readonly string[] }
  | { dynamic: DynamicKind }
  | { files: true }
  | undefined;

export interface CompletionOption {
  /** `--profile`, and `-p` when there is a short form. */
  long: string;
  short?: string | undefined;
  description: string;
  takesValue: boolean;
  values: ValueKind;
}

export interface CompletionCommand {
  /** `['provider', 'add']`. */
  words: readonly string[];
  summary: string;
  options: readonly CompletionOption[];
  /** What each positional argument takes, in order; `variadic` repeats the last. */
  args: readonly ValueKind[];
  variadic: boolean;
}

export interface CompletionModel {
  /** Top-level words with their summaries (commands and groups), in help order. */
  top: readonly { word: string; summary: string }[];
  commands: readonly CompletionCommand[];
  /** Options every command (and the bare program) takes. */
  global: readonly CompletionOption[];
}

export function completionScript(shell: Shell, model: CompletionModel): string {
  switch (shell) {
    case 'bash':
      return `${HEADER('bash')}${shCore(model)}${BASH_GLUE}`;
    case 'zsh':
      return `${HEADER('zsh')}${shCore(model)}${ZSH_GLUE}`;
    case 'fish':
      return fishScript(model);
    case 'pwsh':
      return pwshScript(model);
  }
}

export function completionFileName(shell: Shell): string {
  return `codexgw-completion.${shell === 'pwsh' ? 'ps1' : shell}`;
}

export function completionFile(codexHomeDir: string, shell: Shell): string {
  return path.join(codexHomeDir, completionFileName(shell));
}

const HEADER = (shell: string) =>
  `# codexgw completion for ${shell}, generated from the command specs by \`codexgw completion ${shell}\`.\n`;

const cmdKey = (c: CompletionCommand) => c.words.join(' ');
const shWord = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;

function flagsOf(options: readonly CompletionOption[], valueOnly = false): string[] {
  return options
    .filter((o) => !valueOnly || o.takesValue)
    .flatMap((o) => (o.short ? [o.long, o.short] : [o.long]));
}

/** The sh lines that print the candidates of a ValueKind (one per line), or `__files__`. */
function shValues(kind: ValueKind): string | undefined {
  if (!kind) return undefined;
  if ('choices' in kind) return `printf '%s\\n' ${kind.choices.map(shWord).join(' ')}`;
  if ('dynamic' in kind) return `codexgw completion --values ${kind.dynamic} 2>/dev/null`;
  return 'echo __files__';
}

/**
 * The part bash and zsh share: `_codexgw_words <current word> <words before it…>` prints the
 * candidates one per line (or `__files__` to let the shell complete a path). POSIX sh plus
 * `local`, which both shells have.
 */
function shCore(m: CompletionModel): string {
  const groups = [...new Set(m.commands.filter((c) => c.words.length === 2).map((c) => c.words[0]!))];
  const optCases = [
    `    '') printf '%s\\n' ${flagsOf(m.global).map(shWord).join(' ')} ;;`,
    ...m.commands.map(
      (c) =>
        `    ${shWord(cmdKey(c))}) printf '%s\\n' ${flagsOf([...c.options, ...m.global])
          .map(shWord)
          .join(' ')} ;;`,
    ),
  ];
  const valCases = [
    `    '') echo ${shWord(` ${flagsOf(m.global, true).join(' ')} `)} ;;`,
    ...m.commands.map(
      (c) =>
        `    ${shWord(cmdKey(c))}) echo ${shWord(` ${flagsOf([...c.options, ...m.global], true).join(' ')} `)} ;;`,
    ),
  ];
  const optValueCases: string[] = [];
  const seen = new Set<string>();
  // A command's own options first, then the global ones for any command (`*|--cwd`).
  const addOptValue = (key: string | undefined, o: CompletionOption) => {
    const values = shValues(o.values);
    if (!values) return;
    for (const f of o.short ? [o.long, o.short] : [o.long]) {
      const k = `${key ?? '*'}|${f}`;
      if (seen.has(k)) continue;
      seen.add(k);
      optValueCases.push(`    ${key === undefined ? `*${shWord(`|${f}`)}` : shWord(k)}) ${values} ;;`);
    }
  };
  for (const c of m.commands) for (const o of c.options) addOptValue(cmdKey(c), o);
  for (const o of m.global) addOptValue(undefined, o);
  const argCases: string[] = [];
  for (const c of m.commands) {
    c.args.forEach((kind, i) => {
      const values = shValues(kind);
      if (!values) return;
      const last = c.variadic && i === c.args.length - 1;
      argCases.push(
        `    ${shWord(`${cmdKey(c)}|${i}`)}${last ? `|${shWord(cmdKey(c))}'|'*` : ''}) ${values} ;;`,
      );
    });
  }
  const subCases = groups.map(
    (g) =>
      `    ${shWord(g)}) printf '%s\\n' ${m.commands
        .filter((c) => c.words.length === 2 && c.words[0] === g)
        .map((c) => shWord(c.words[1]!))
        .join(' ')} ;;`,
  );
  return `_codexgw_opts() {
  case $1 in
${optCases.join('\n')}
  esac
}
_codexgw_value_opts() {
  case $1 in
${valCases.join('\n')}
  esac
}
_codexgw_opt_values() {
  case "$1|$2" in
${optValueCases.join('\n') || '    __none__) ;;'}
  esac
}
_codexgw_arg_values() {
  case "$1|$2" in
${argCases.join('\n') || '    __none__) ;;'}
  esac
}
_codexgw_subcommands() {
  case $1 in
${subCases.join('\n')}
  esac
}
_codexgw_words() {
  local cur=$1 cmd= skip= prev= pos=0 w
  shift
  for w in "$@"; do
    prev=$w
    if [ -n "$skip" ]; then skip=; continue; fi
    case $w in
      --) break ;;
      -*=*) ;;
      -*) case "$(_codexgw_value_opts "$cmd")" in *" $w "*) skip=1 ;; esac ;;
      *)
        if [ -z "$cmd" ]; then cmd=$w
        elif [ -n "$(_codexgw_subcommands "$cmd")" ]; then cmd="$cmd $w"
        else pos=$((pos + 1)); fi ;;
    esac
  done
  if [ -n "$skip" ]; then _codexgw_opt_values "$cmd" "$prev"; return; fi
  case $cur in -*) _codexgw_opts "$cmd"; return ;; esac
  if [ -z "$cmd" ]; then printf '%s\\n' ${m.top.map((t) => shWord(t.word)).join(' ')}; return; fi
  local subs
  subs=$(_codexgw_subcommands "$cmd")
  if [ -n "$subs" ]; then printf '%s\\n' "$subs"; return; fi
  _codexgw_arg_values "$cmd" "$pos"
}
`;
}

const BASH_GLUE = `_codexgw() {
  local cur=\${COMP_WORDS[COMP_CWORD]} out IFS=$'\\n'
  out=$(_codexgw_words "$cur" "\${COMP_WORDS[@]:1:COMP_CWORD-1}")
  if [ "$out" = __files__ ]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$out" -- "$cur"))
  fi
}
complete -o bashdefault -F _codexgw codexgw
`;

const ZSH_GLUE = `_codexgw() {
  local out
  out=$(_codexgw_words "\${words[CURRENT]}" "\${(@)words[2,CURRENT-1]}")
  if [[ $out == __files__ ]]; then _files; return; fi
  local -a candidates
  candidates=("\${(@f)out}")
  compadd -- "\${candidates[@]}"
}
if (( ! $+functions[compdef] )); then autoload -Uz compinit && compinit; fi
compdef _codexgw codexgw
`;

const fishQ = (s: string) => `'${s.replace(/[\\']/g, '\\$&')}'`;

function fishValues(kind: ValueKind): string {
  if (!kind) return '';
  if ('choices' in kind) return ` -x -a ${fishQ(kind.choices.join(' '))}`;
  if ('dynamic' in kind) return ` -x -a '(codexgw completion --values ${kind.dynamic} 2>/dev/null)'`;
  return ' -r -F';
}

function fishScript(m: CompletionModel): string {
  const groups = [...new Set(m.commands.filter((c) => c.words.length === 2).map((c) => c.words[0]!))];
  const lines = [
    HEADER('fish').trimEnd(),
    '# The command words typed so far (options and their values skipped).',
    'function __codexgw_cmd',
    '    set -l words (commandline -opc)',
    '    set -e words[1]',
    `    set -l groups ${groups.join(' ')}`,
    `    set -l value_opts ${flagsOf([...m.global, ...m.commands.flatMap((c) => c.options)], true).join(' ')}`,
    '    set -l cmd',
    '    set -l skip 0',
    '    for w in $words',
    '        if test $skip = 1',
    '            set skip 0',
    '            continue',
    '        end',
    '        switch $w',
    "            case '-*=*'",
    "            case '-*'",
    '                if contains -- $w $value_opts',
    '                    set skip 1',
    '                end',
    "            case '*'",
    '                if test (count $cmd) -eq 0',
    '                    set cmd $w',
    '                else if test (count $cmd) -eq 1; and contains -- $cmd[1] $groups',
    '                    set -a cmd $w',
    '                else',
    '                    break',
    '                end',
    '        end',
    '    end',
    '    echo (string join " " -- $cmd)',
    'end',
    'function __codexgw_is',
    '    test (__codexgw_cmd) = "$argv"',
    'end',
    'complete -c codexgw -f',
  ];
  for (const t of m.top)
    lines.push(`complete -c codexgw -n '__codexgw_is ""' -a ${fishQ(t.word)} -d ${fishQ(t.summary)}`);
  for (const c of m.commands) {
    const key = cmdKey(c);
    if (c.words.length === 2) {
      lines.push(
        `complete -c codexgw -n '__codexgw_is ${c.words[0]}' -a ${fishQ(c.words[1]!)} -d ${fishQ(c.summary)}`,
      );
    }
    const cond = `-n ${fishQ(`__codexgw_is ${key}`)}`;
    for (const o of c.options) {
      const short = o.short ? ` -s ${o.short}` : '';
      lines.push(
        `complete -c codexgw ${cond} -l ${o.long.slice(2)}${short}${o.takesValue ? fishValues(o.values) || ' -x' : ''} -d ${fishQ(o.description)}`,
      );
    }
    // Positional values: fish offers them while the command is complete; the first kind stands
    // for every position (codexgw commands take at most one value-completed argument).
    const kind = c.args.find((a) => a !== undefined);
    if (kind) lines.push(`complete -c codexgw ${cond}${fishValues(kind)}`);
  }
  for (const o of m.global) {
    const short = o.short ? ` -s ${o.short}` : '';
    lines.push(
      `complete -c codexgw -l ${o.long.slice(2)}${short}${o.takesValue ? fishValues(o.values) || ' -x' : ''} -d ${fishQ(o.description)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const psQ = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A value kind as one string (nested arrays flatten in PowerShell literals). */
function psValues(kind: ValueKind): string {
  if (!kind) return "''";
  if ('choices' in kind) return psQ(`choices:${kind.choices.join(' ')}`);
  if ('dynamic' in kind) return psQ(`dynamic:${kind.dynamic}`);
  return psQ('files');
}

function pwshScript(m: CompletionModel): string {
  const cmdEntries = m.commands.map((c) => {
    const opts = [...c.options, ...m.global];
    const optValues = opts
      .filter((o) => o.takesValue)
      .flatMap((o) =>
        (o.short ? [o.long, o.short] : [o.long]).map((f) => `${psQ(f)}, ${psValues(o.values)}`),
      );
    // Flags are case-sensitive (-C is not -c): an ordinal dictionary, not a hashtable literal.
    return `  ${psQ(cmdKey(c))} = @{ Opts = @(${flagsOf(opts).map(psQ).join(', ')}); OptValues = (__codexgwMap @(${optValues.join(', ')})); Args = @(${c.args.map(psValues).join(', ')}) }`;
  });
  const subs = [...new Set(m.commands.filter((c) => c.words.length === 2).map((c) => c.words[0]!))].map(
    (g) =>
      `  ${psQ(g)} = @(${m.commands
        .filter((c) => c.words[0] === g && c.words.length === 2)
        .map((c) => psQ(c.words[1]!))
        .join(', ')})`,
  );
  return `${HEADER('pwsh')}function __codexgwMap([object[]]$pairs) {
  $map = [System.Collections.Generic.Dictionary[string, string]]::new([System.StringComparer]::Ordinal)
  for ($i = 0; $i -lt $pairs.Count; $i += 2) { $map[$pairs[$i]] = $pairs[$i + 1] }
  return ,$map
}
$__codexgwCommands = @{
${cmdEntries.join('\n')}
}
$__codexgwGroups = @{
${subs.join('\n')}
}
$__codexgwTop = @(${m.top.map((t) => psQ(t.word)).join(', ')})
$__codexgwGlobal = @(${flagsOf(m.global).map(psQ).join(', ')})
Register-ArgumentCompleter -Native -CommandName codexgw -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '' -and $words.Count -gt 0) { $words = @($words | Select-Object -SkipLast 1) }
  $cmd = ''; $pos = 0; $pending = $null
  foreach ($w in $words) {
    $entry = $__codexgwCommands[$cmd]
    if ($pending) { $pending = $null; continue }
    if ($w.StartsWith('-')) { if ($entry -and $entry.OptValues.ContainsKey($w)) { $pending = $w }; continue }
    if ($cmd -eq '') { $cmd = $w } elseif ($__codexgwGroups.ContainsKey($cmd)) { $cmd = "$cmd $w" } else { $pos++ }
  }
  $entry = $__codexgwCommands[$cmd]
  $values = $null
  if ($pending) { $values = $entry.OptValues[$pending] }
  elseif ($wordToComplete.StartsWith('-')) { $values = if ($entry) { $entry.Opts } else { $__codexgwGlobal } }
  elseif ($cmd -eq '') { $values = $__codexgwTop }
  elseif ($__codexgwGroups.ContainsKey($cmd)) { $values = $__codexgwGroups[$cmd] }
  elseif ($entry -and $pos -lt $entry.Args.Count) { $values = $entry.Args[$pos] }
  if ($values -is [string]) {
    if ($values -eq '' -or $values -eq 'files') { return }
    if ($values.StartsWith('choices:')) { $values = $values.Substring(8).Split(' ') }
    else { $values = @(codexgw completion --values $values.Substring(8) 2>$null) }
  }
  foreach ($v in @($values)) {
    if ($v -and $v.StartsWith($wordToComplete)) { [System.Management.Automation.CompletionResult]::new($v, $v, 'ParameterValue', $v) }
  }
}
`;
}
