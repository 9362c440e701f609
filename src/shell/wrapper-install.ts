import { readTextFile } from '../io/text-file.ts';
import type { EnvPlan } from './plan.ts';
import { planInclude } from './plan.ts';
import type { EnvState } from './state.ts';
import { wrapperFile, wrapperScript } from './wrapper.ts';

/** Whether the rc block loads the wrapper, and whether the generated file is current. */
export interface WrapperStatus {
  rcFile: string;
  /** The file the block loads, when it loads one. */
  loads: string | undefined;
  /** The file this codexgw would generate for this shell. */
  file: string;
  /** The generated file exists with the text this codexgw writes. */
  current: boolean;
}

export function wrapperStatus(state: EnvState, codexHomeDir: string): WrapperStatus {
  const file = wrapperFile(codexHomeDir, state.target.shell);
  const loads = state.rc.scan.block?.includes.wrapper?.file;
  let current = false;
  try {
    current = readTextFile(loads ?? file) === wrapperScript(state.target.syntax);
  } catch {
    current = false;
  }
  return { rcFile: state.rc.file, loads, file, current };
}

/** Install (or refresh) the wrapper: the generated file plus the block line that loads it. */
export function planWrapperInstall(state: EnvState, codexHomeDir: string): EnvPlan {
  const file = state.rc.scan.block?.includes.wrapper?.file ?? wrapperFile(codexHomeDir, state.target.shell);
  let before: string | undefined;
  try {
    before = readTextFile(file);
  } catch {
    before = undefined;
  }
  return planInclude(state, 'wrapper', { file, before, text: wrapperScript(state.target.syntax) });
}
