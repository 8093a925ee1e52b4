import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import * as abiDiff from './abi-diff.js';
import * as btf from './btf.js';
import * as compat from './compat.js';
import * as convert from './convert.js';
import * as gen from './gen.js';
import * as decode from './decode.js';
import * as detect from './detect.js';
import * as diff from './diff.js';
import * as encode from './encode.js';
import * as fuzz from './fuzz.js';
import * as header from './header.js';
import * as hexdump from './hexdump.js';
import * as inspect from './inspect.js';
import * as layout from './layout.js';
import * as list from './list.js';
import * as validate from './validate.js';

/** Every command, in the order `--help` lists them. Each registers itself on the program. */
export const commands: ReadonlyArray<{ register(program: Command, ctx: CliContext): void }> = [
  list,
  layout,
  decode,
  encode,
  hexdump,
  inspect,
  header,
  btf,
  abiDiff,
  compat,
  convert,
  gen,
  validate,
  detect,
  diff,
  fuzz,
];
