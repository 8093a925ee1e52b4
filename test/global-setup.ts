import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One temporary folder per test run: every test file, the CLI it spawns and the QEMU image
 * cache write below it (TMPDIR), and it is removed when the run ends, so runs leave nothing
 * in /tmp. KEEP_TEST_TMP=1 keeps it for a look after a failure.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'kho-abi-test-run-'));
  process.env.TMPDIR = dir;
  return () => {
    if (process.env.KEEP_TEST_TMP === '1') console.log(`test files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
}
