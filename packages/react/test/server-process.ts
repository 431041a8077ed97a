/**
 * The reference server as a child process (the real CLI, dev mode): for tests that run under
 * jsdom, where in-process imports would resolve browser builds of jose and ws.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

// Under jsdom import.meta.url is not a file: URL; tests run from the repository root.
const bin = resolve(process.cwd(), 'packages/server/bin/nexmo-session-server.js');

export interface ServerProcess {
  wsUrl: string;
  httpUrl: string;
  token(sub: string, ttlSeconds?: number): Promise<string>;
  connections(): Promise<number>;
  stop(): Promise<void>;
}

export async function startServerProcess(): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [bin, '--dev', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const httpUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15_000);
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /listening on ws:\/\/([\d.]+):(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}:${m[2]}`);
      }
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return {
    httpUrl,
    wsUrl: `${httpUrl.replace('http', 'ws')}/ws`,
    async token(sub, ttlSeconds = 3600) {
      const res = await fetch(`${httpUrl}/dev/token?sub=${encodeURIComponent(sub)}&ttl=${ttlSeconds}`);
      return ((await res.json()) as { token: string }).token;
    },
    async connections() {
      const res = await fetch(`${httpUrl}/healthz`);
      return ((await res.json()) as { connections: number }).connections;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
