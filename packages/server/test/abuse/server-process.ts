/**
 * The real server, as users run it: the `nexmo-session-server` CLI in its own process, at its
 * default limits (only the key, the port and, where a case needs them, the dev routes are given).
 * Its memory is read from /proc (VmHWM: the peak resident set, so a spike between two samples
 * still counts).
 *
 * The CLI runs from packages/server/dist (as `npx nexmo-session-server` does): build first
 * (`npm test` does; alone: `npm run build -w packages/server`). HOSTILE_SERVER_BIN=path runs the
 * suite against another build of the CLI, e.g. an older commit's, to see these tests fail there.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { secret } from '../helpers.js';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));
const defaultBin = join(serverDir, 'bin/nexmo-session-server.js');
export const bin = process.env.HOSTILE_SERVER_BIN ?? defaultBin;

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** A stale dist would test yesterday's server and pass or fail for the wrong reason. */
function assertBuilt(): void {
  if (bin !== defaultBin) return;
  const built = statSync(join(serverDir, 'dist/index.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const protocolDir = fileURLToPath(new URL('../../../core/src/protocol', import.meta.url));
  const protocolBuilt =
    statSync(fileURLToPath(new URL('../../../core/dist/protocol.js', import.meta.url)), { throwIfNoEntry: false })
      ?.mtimeMs ?? 0;
  if (built < newest(join(serverDir, 'src')) || protocolBuilt < newest(protocolDir)) {
    throw new Error('packages/server/dist or packages/core/dist is older than its sources: run `npm run build` first');
  }
}

export interface ServerProcess {
  readonly port: number;
  readonly url: string;
  readonly httpUrl: string;
  readonly pid: number;
  /** Peak resident set of the process so far (MB). */
  peakRssMb(): number;
  rssMb(): number;
  /** Still running (not crashed)? */
  alive(): boolean;
  output(): string;
  /** SIGKILL, as a crash or an OOM kill would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function memoryField(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

export async function startServerProcess(args: string[] = [], port = 0): Promise<ServerProcess> {
  assertBuilt();
  const child: ChildProcess = spawn(process.execPath, [bin, '--secret', secret, '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const listening = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), 20_000);
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /listening on ws:\/\/[\d.]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    // The server logs one JSON line per event on stderr; keep the tail only.
    child.stderr?.on('data', (d) => {
      out = (out + d).slice(-20_000);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
  const pid = child.pid as number;
  return {
    port: listening,
    url: `ws://127.0.0.1:${listening}/ws`,
    httpUrl: `http://127.0.0.1:${listening}`,
    pid,
    peakRssMb: () => memoryField(pid, 'VmHWM'),
    rssMb: () => memoryField(pid, 'VmRSS'),
    alive: () => !exited,
    output: () => out,
    async kill() {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
    /** SIGTERM (a clean close), then SIGKILL if it has not exited within 5 s. */
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}
