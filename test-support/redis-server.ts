/**
 * A private `redis-server` for one test run (Debian's package; `.ci/run` installs it): a free port
 * on 127.0.0.1, a temporary directory, no persistence (`--save '' --appendonly no`). Stopped by
 * its pid, never through the system service. `restart()` starts it again on the same port, empty,
 * as a crash of an unpersisted Redis leaves it.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  /** SIGKILL: gone at once, with everything it held. */
  kill(): Promise<void>;
  /** Start again on the same port (after kill()). */
  restart(): Promise<void>;
  /** Send one command and read its raw reply (RESP text). */
  command(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export function redisAvailable(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** One RESP command over a fresh TCP connection; resolves with the reply text once it is complete. */
export function redisCommand(port: number, args: string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis on ${port}: no reply to ${args[0]} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (d) => {
      reply += d.toString();
      if (complete(reply)) {
        clearTimeout(timer);
        socket.end();
        resolve(reply);
      }
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

/** Whether `text` holds one whole RESP2 reply. */
function complete(text: string): boolean {
  let pos = 0;
  const value = (): boolean => {
    const eol = text.indexOf('\r\n', pos);
    if (eol === -1) return false;
    const kind = text[pos];
    const head = text.slice(pos + 1, eol);
    pos = eol + 2;
    if (kind === '$') {
      const len = Number(head);
      if (len < 0) return true;
      if (Buffer.byteLength(text.slice(pos)) < len + 2) return false;
      pos += len + 2;
      return true;
    }
    if (kind === '*') {
      const n = Number(head);
      for (let i = 0; i < n; i++) if (!value()) return false;
      return true;
    }
    return true;
  };
  return value();
}

/** Start one; `port` picks the port (default: a free one). */
export async function startRedis(options: { port?: number } = {}): Promise<RedisServer> {
  if (!redisAvailable()) {
    throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run does)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'nexmo-session-redis-'));
  let port = options.port ?? (await freePort());
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  async function launch(): Promise<void> {
    output = '';
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    proc.stdout?.on('data', (d) => {
      output = (output + d).slice(-4000);
    });
    proc.stderr?.on('data', (d) => {
      output = (output + d).slice(-4000);
    });
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const started = Date.now();
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited (${proc.exitCode}): ${output}`);
      try {
        if ((await redisCommand(port, ['PING'], 500)).startsWith('+PONG')) return;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > 10_000) throw new Error(`redis-server did not start on ${port}: ${output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function kill(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }

  // A free port can be taken between the probe and the bind: try another one (unless asked for one).
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      await kill();
      if (options.port !== undefined || attempt === 3) throw err;
      port = await freePort();
    }
  }
  return {
    get port() {
      return port;
    },
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get pid() {
      return child?.pid ?? -1;
    },
    kill,
    restart: launch,
    command: (...args) => redisCommand(port, args),
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
