/**
 * A Node server in its own process, started from a script with arguments, ready once its output
 * names the port it listens on. SIGKILL is how a crash or an OOM kill looks to everything else.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface NodeProcess {
  readonly port: number;
  readonly pid: number;
  alive(): boolean;
  /** The tail of what it printed (stdout and stderr). */
  output(): string;
  /** Resident set now (MB), from /proc. */
  rssMb(): number;
  /** Peak resident set so far (MB): a spike between two samples still counts. */
  peakRssMb(): number;
  /** SIGKILL; resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGTERM (a clean close), then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

const listening = /listening on (?:ws|http):\/\/[\d.]+:(\d+)/;

export async function spawnNodeServer(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<NodeProcess> {
  const child: ChildProcess = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out = (out + d).slice(-20_000);
      const m = listening.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}): ${out}`));
    });
  });
  const pid = child.pid as number;
  return {
    port,
    pid,
    alive: () => !exited,
    output: () => out,
    rssMb: () => memoryMb(pid, 'VmRSS'),
    peakRssMb: () => memoryMb(pid, 'VmHWM'),
    async kill() {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

function memoryMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}
