// Preload (node --import): print the process's peak RSS in KiB on stderr as it exits.
// VmHWM of /proc/self/status belongs to this program's own address space; getrusage's
// maxRSS would also count the parent's RSS at fork time, which survives exec on Linux.
import { readFileSync, writeSync } from 'node:fs';

function peakKib() {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => writeSync(2, `\nmaxrss-kib=${peakKib()}\n`));
