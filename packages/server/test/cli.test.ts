import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cliFlags } from '../src/cli-flags.js';
import { secret, token, until } from './helpers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = fileURLToPath(new URL('../bin/nexmo-session-server.js', import.meta.url));

/** Run the CLI to its exit (bounded). */
function run(args: string[], timeoutMs = 15_000) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Start the CLI and wait for its banner; the caller stops it. */
async function start(args: string[], command = [process.execPath, bin]) {
  const [cmd, ...pre] = command as [string, ...string[]];
  // Its own process group: `npx` does not pass SIGTERM on to the server it started, so stop()
  // signals the whole group (else the server outlives the test, as it did).
  const child = spawn(cmd, [...pre, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line: ${out}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on ws:\/\/[\d.]+:(\d+)/.exec(out);
      // The banner is one write; wait for its last line.
      if (m && /\(--help lists every flag\)/.test(out)) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return {
    port,
    out: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        process.kill(-(child.pid as number), 'SIGTERM');
      }),
  };
}

describe('nexmo-session-server CLI', () => {
  it('`npx nexmo-session-server --dev` starts, says where sessions live, lists the dev routes, answers /healthz', async () => {
    const server = await start(['--dev', '--port', '0'], ['npx', '--no-install', 'nexmo-session-server']);
    try {
      const out = server.out();
      expect(out).toContain('sessions live in memory: a restart loses them');
      for (const route of [
        'GET  /dev/token?sub=&ttl=',
        '/dev/drop',
        '/dev/expire-token',
        '/dev/pause?ms=',
        '/dev/freeze?ms=',
      ]) {
        expect(out).toContain(route);
      }
      const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(await health.json()).toMatchObject({ ok: true, sessions: 0 });
      expect((await fetch(`http://127.0.0.1:${server.port}/dev/token?sub=alice`)).status).toBe(200);
    } finally {
      await server.stop();
    }
    // Stopped means the server too, not only npx: nothing answers on its port any more.
    await until(
      () =>
        fetch(`http://127.0.0.1:${server.port}/healthz`).then(
          () => false,
          () => true,
        ),
      5000,
      'the server behind npx to exit',
    );
  });

  it('without --dev there are no dev routes and the banner does not mention them', async () => {
    const server = await start(['--secret', secret, '--port', '0']);
    try {
      expect(server.out()).not.toContain('/dev/');
      expect((await fetch(`http://127.0.0.1:${server.port}/dev/token?sub=alice`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it('--help lists every flag with its default, from the one flag table', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    for (const flag of cliFlags) {
      const line = lines.find((l) => l.trimStart().startsWith(`--${flag.name} `) || l.trim() === `--${flag.name}`);
      expect(line, `--${flag.name}`).toBeDefined();
      expect(line).toContain(flag.defaultText);
    }
    for (const limit of [
      '--max-frame-bytes',
      '--message-rate',
      '--message-burst',
      '--failed-login-rate',
      '--user-login-rate',
      '--replay-max-bytes',
      '--replay-max-events',
      '--resume-window-ms',
      '--login-timeout-ms',
    ]) {
      expect(stdout).toContain(limit);
    }
    expect(stdout).toMatch(/--message-rate N\s+100\s/);
    expect(stdout).toMatch(/--replay-max-bytes N\s+1048576\s/);
  });

  it.each([
    [['--redsi', 'redis://127.0.0.1:6379'], /unknown flag --redsi/],
    [['--dev', '--mesage-rate', '3'], /unknown flag --mesage-rate \(did you mean --message-rate\?\)/],
    [['--dev', 'extra'], /unexpected argument 'extra'/],
  ])('%j exits 2 with the help text and starts nothing', async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('--message-rate N');
    expect(stdout).not.toContain('listening');
  });

  it.each([
    [['--dev', '--message-rate', 'abc'], /--message-rate must be a number \(got 'abc'\)/],
    [['--dev', '--message-burst', '0'], /--message-burst must be an integer >= 1 \(got '0'\)/],
    [['--dev', '--max-frame-bytes', '1.5'], /--max-frame-bytes must be an integer/],
    [['--dev', '--resume-window-ms', '-1'], /--resume-window-ms must be an integer 0\.\.2147483647/],
    [['--dev', '--port', '70000'], /--port must be 0\.\.65535/],
    [['--dev', '--message-rate'], /--message-rate needs a value/],
    [['--dev', '--dev'], /--dev is given twice/],
    [['--dev=yes'], /--dev takes no value/],
    [['--secret', 'short'], /--secret must be at least 16 characters/],
    [['--secret', secret, '--jwks-file', 'x.json'], /only one of --secret, --public-key and --jwks-file/],
    [['--public-key', '/nonexistent/key.pem'], /--public-key: cannot read \/nonexistent\/key\.pem \(ENOENT\)/],
    [['--port', '0'], /one of --secret, --public-key or --jwks-file is required/],
    [['--dev', '--redis', 'localhost:6379'], /--redis must be a redis:\/\/ or rediss:\/\/ URL \(got 'localhost:'\)/],
    [['--dev', '--redis', '127.0.0.1:6379'], /--redis must be a redis:\/\/ URL \(got '127\.0\.0\.1:6379'\)/],
  ])('%j exits 2 with a clear message', async (args, message) => {
    const { code, stderr, stdout } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).not.toContain('listening');
  });

  it('every limit flag reaches the server: announced limits, login timeout', async () => {
    const server = await start([
      `--secret=${secret}`,
      '--port=0',
      '--message-rate',
      '7',
      '--message-burst',
      '3',
      '--max-frame-bytes',
      '4096',
      '--login-timeout-ms',
      '300',
      '--resume-window-ms',
      '1234',
    ]);
    try {
      expect(server.out()).toMatch(/4096-byte frames, 7 messages\/s \(burst 3\)/);
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
      const frames: Record<string, unknown>[] = [];
      ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify({ type: 'session:login', token: await token('alice') }));
      await until(() => frames.length > 0, 3000, 'success');
      expect(frames[0]).toMatchObject({
        type: 'session:success',
        resumeWindowMs: 1234,
        limits: { maxFrameBytes: 4096, messagesPerSecond: 7, burst: 3 },
      });
      ws.close();
      const idle = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
      const closed = new Promise<number>((r) => idle.once('close', (code) => r(code)));
      const openedAt = Date.now();
      expect(await closed).toBe(4408);
      expect(Date.now() - openedAt).toBeLessThan(3000);
    } finally {
      await server.stop();
    }
  });
});
