import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkedBytes, GrowableBytes, type ByteSink } from '../../src/io/byte-sink.js';
import { decode, encode, toJson } from '../../src/index.js';
import { CLI } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kho-abi-read-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes fed to a sink through room/grew in pieces of `step`, and through append. */
function fill(sink: ByteSink, data: Uint8Array, step: number): Uint8Array {
  for (let at = 0; at < data.length; at += step) {
    const room = sink.room(step + 3);
    const n = Math.min(step, data.length - at);
    room.set(data.subarray(at, at + n));
    sink.grew(n);
  }
  sink.append(Uint8Array.of(1, 2, 3));
  return sink.bytes();
}

describe('byte sinks', () => {
  const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
  const want = Uint8Array.from([...data, 1, 2, 3]);

  it.each([1, 64, 999, 5000])('keep every byte in order, read in pieces of %i', (step) => {
    expect(fill(new ChunkedBytes(), data, step)).toEqual(want);
    expect(fill(new GrowableBytes(1 << 20), data, step)).toEqual(want);
  });

  it('grow one buffer in place, never past the limit', () => {
    const sink = new GrowableBytes(10);
    expect(sink.room(100)).toHaveLength(10);
    sink.grew(10);
    expect(sink.room(1)).toHaveLength(0);
    expect(() => sink.append(Uint8Array.of(1))).toThrow(RangeError);
    expect(sink.bytes().buffer).toBe(sink.room(0).buffer);
  });
});

/** Run the built CLI with stdin fed by `feed`; resolves to its exit code, stdout bytes and stderr. */
function run(argv: string[], feed: (stdin: NodeJS.WritableStream) => void): Promise<{ code: number | null; out: Buffer; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out), err }));
    child.stdin.on('error', () => undefined); // EPIPE once a refusing command has exited
    feed(child.stdin);
  });
}

/** JSON text fed in three pieces, the last two after a pause (the reader waits on a pipe that is not done). */
const slowly = (text: string) => (stdin: NodeJS.WritableStream) => {
  const third = Math.floor(text.length / 3);
  stdin.write(text.slice(0, third));
  setTimeout(() => stdin.write(text.slice(third, 2 * third)), 150);
  setTimeout(() => stdin.end(text.slice(2 * third)), 300);
};

describe('encode reads JSON text from standard input', () => {
  const id = 'pci-v2/flat8-max32';
  const devices = Array.from({ length: 5000 }, (_, i) => ({ index: i, domain: i >> 8, bdf: i & 0xffff, refcount: 1 }));
  const blob = encode({ root: { max_nr_devices: 5000, nr_devices: 5000 }, devices }, id);
  const text = JSON.stringify(toJson(decode(blob, id)), null, 2);

  it('from a pipe written in pieces, byte for byte', async () => {
    const r = await run([process.execPath, CLI, 'encode', '-'], slowly(text));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(new Uint8Array(r.out)).toEqual(blob);
  });

  it('from a pipe left non-blocking by whoever started it (read(2) says EAGAIN)', async () => {
    // A C wrapper sets O_NONBLOCK on its standard input and execs the command: gcc is a tool every test run has.
    const src = join(dir, 'nonblock.c');
    const exe = join(dir, 'nonblock');
    writeFileSync(src, '#include <fcntl.h>\n#include <unistd.h>\nint main(int argc, char **argv) { (void)argc; fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK); execv(argv[1], argv + 1); return 127; }\n');
    execFileSync('gcc', ['-O2', '-o', exe, src]);
    const r = await run([exe, process.execPath, CLI, 'encode', '-'], slowly(text));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(new Uint8Array(r.out)).toEqual(blob);
  });

  it('refuses text past --max-size with one line', async () => {
    const r = await run([process.execPath, CLI, 'encode', '-', '--max-size', '1000'], slowly(text));
    expect(r.code).toBe(2);
    expect(r.err).toBe('kho-abi: error: standard input: larger than 1000 bytes (--max-size) for a JSON text\n');
  });

  it('from a named pipe given as a path', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = run([process.execPath, CLI, 'encode', fifo], (stdin) => stdin.end());
    writeFileSync(fifo, text);
    const r = await reader;
    expect(r.err).toBe('');
    expect(new Uint8Array(r.out)).toEqual(blob);
  });
});
