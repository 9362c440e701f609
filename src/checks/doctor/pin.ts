import { type Check, check } from './types.ts';

/** What doctor knows about the pin of `codexgw pin` that applies here (gathered in gather.ts). */
export interface PinFacts {
  /** The pinned project root that contains the directory. */
  root: string;
  profile: string;
  /** The pins file. */
  file: string;
  profileFile: string;
  profileExists: boolean;
  /** `model_provider` as the profile sets it (undefined: it sets none, or could not be read). */
  provider: string | undefined;
  /** Whether the user config or the profile defines that provider (or it is built in). */
  providerDefined: boolean;
  /** The provider's env_key, and whether the shell (or codexgw's rc block) provides it. */
  envKey: string | undefined;
  envKeySet: boolean;
  envKeyInRc: boolean;
  /** The wrapper in the user's shell; undefined when the shell cannot be told. */
  wrapper:
    | {
        shell: string;
        rcFile: string;
        installed: boolean;
        /** The generated wrapper file has this codexgw's text. */
        current: boolean;
        /** A line of the rc file that hides the wrapper: an alias anywhere, a function after it. */
        shadowedAt: { file: string; line: number; text: string } | undefined;
      }
    | undefined;
  /** Every `codex` executable on PATH, first (the one the wrapper runs) first. */
  codexOnPath: string[];
}

/**
 * The pin applying here: that its profile exists and chooses a defined provider, that the key
 * resolves, and that `codex` typed in the shell honours it. Nothing at all when no pin applies.
 */
export function pinChecks(pin: PinFacts | undefined): Check[] {
  if (!pin) return [];
  const out: Check[] = [];
  const applies = `This project (${pin.root}) is pinned to profile "${pin.profile}"`;
  if (!pin.profileExists) {
    out.push(
      check(
        'codex.pin',
        'error',
        `${applies}, but ${pin.profileFile} does not exist: the wrapper refuses to start codex here.`,
        {
          file: pin.file,
          fix: `Create the profile (codexgw provider add <gateway> --profile ${pin.profile} --use), or run: codexgw unpin`,
        },
      ),
    );
    return out;
  }
  if (pin.provider === undefined) {
    out.push(
      check(
        'codex.pin',
        'error',
        `${applies}, but ${pin.profileFile} sets no model_provider: codex would use the default provider.`,
        {
          file: pin.profileFile,
          fix: `codexgw use <provider-id> --profile ${pin.profile}`,
        },
      ),
    );
    return out;
  }
  if (!pin.providerDefined) {
    out.push(
      check('codex.pin', 'error', `${applies}, whose provider "${pin.provider}" is defined nowhere.`, {
        file: pin.profileFile,
        fix: `codexgw provider add <gateway> --id ${pin.provider} --profile ${pin.profile}`,
      }),
    );
    return out;
  }
  out.push(
    check('codex.pin', 'ok', `${applies}: codex here uses provider "${pin.provider}".`, { file: pin.file }),
  );
  if (pin.envKey && !pin.envKeySet) {
    out.push(
      check(
        'codex.pin-key',
        pin.envKeyInRc ? 'warning' : 'error',
        pin.envKeyInRc
          ? `${pin.envKey} (the key of "${pin.provider}") is in codexgw's rc block but not in this shell.`
          : `${pin.envKey} (the key of "${pin.provider}", pinned here) is not set: codex stops with "Missing environment variable".`,
        {
          fix: pin.envKeyInRc
            ? 'Open a new terminal, or: eval "$(codexgw env print)"'
            : `codexgw env set ${pin.envKey}`,
        },
      ),
    );
  }
  const w = pin.wrapper;
  const codex = pin.codexOnPath[0];
  if (!w) {
    out.push(
      check(
        'codex.wrapper',
        'warning',
        'Cannot tell your shell, so whether codex honours the pin is unknown.',
        {
          fix: 'codexgw pin --wrapper --shell <bash|zsh|fish|pwsh>, or start codex with: codexgw run -- <args>',
        },
      ),
    );
  } else if (!w.installed) {
    out.push(
      check(
        'codex.wrapper',
        'warning',
        `The codex wrapper is not in ${w.rcFile}: codex typed in ${w.shell} ignores the pin.`,
        {
          file: w.rcFile,
          fix: `codexgw pin --wrapper --shell ${w.shell}`,
        },
      ),
    );
  } else if (w.shadowedAt) {
    out.push(
      check(
        'codex.wrapper',
        'warning',
        `${w.shadowedAt.file}:${w.shadowedAt.line} defines codex (${w.shadowedAt.text.trim()}), which wins over the wrapper: the pin is not applied.`,
        {
          file: w.shadowedAt.file,
          line: w.shadowedAt.line,
          fix: 'Remove that line, or call the wrapper from it.',
        },
      ),
    );
  } else if (!w.current) {
    out.push(
      check(
        'codex.wrapper',
        'warning',
        'The codex wrapper file is missing or from another codexgw version.',
        {
          file: w.rcFile,
          fix: `codexgw pin --wrapper --shell ${w.shell}`,
        },
      ),
    );
  } else if (!codex) {
    out.push(
      check(
        'codex.wrapper',
        'warning',
        'The codex wrapper is installed, but there is no codex on PATH for it to run.',
      ),
    );
  } else {
    const more = pin.codexOnPath.length > 1 ? ` (the first of ${pin.codexOnPath.length} on PATH)` : '';
    out.push(
      check(
        'codex.wrapper',
        'ok',
        `codex in ${w.shell} runs ${codex}${more} with --profile ${pin.profile} here.`,
        {
          file: w.rcFile,
        },
      ),
    );
  }
  return out;
}
