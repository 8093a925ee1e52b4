// Preload (node --import): print the process's peak RSS in KiB on stderr as it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => writeSync(2, `\nmaxrss-kib=${process.resourceUsage().maxRSS}\n`));
