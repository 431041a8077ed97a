// The README's troubleshooting section shows the error texts users really see. This script makes
// each mistake for real (built packages, a real server, real sockets, Node's `ws`), records what
// comes back, and writes it between the README's troubleshooting markers.
//
//   node scripts/troubleshooting.mjs           print the section
//   node scripts/troubleshooting.mjs --write   rewrite it in README.md
//   node scripts/troubleshooting.mjs --check   exit 1 when README.md shows other texts (npm test)
//
// When an error message changes on purpose, run it with --write and commit README.md.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createSession, webSocketTransport } from '@nexmo-session/core';
import { createSessionServer } from '@nexmo-session/server';
import { SignJWT } from 'jose';
import { WebSocket } from 'ws';

const root = resolve(import.meta.dirname, '..');
const readmePath = resolve(root, 'README.md');
const start = '<!-- troubleshooting:start -->';
const end = '<!-- troubleshooting:end -->';
const secret = 'troubleshooting-secret-0123456789abcdef';
// The messages name the URL; the section shows the documented default port, not a random one.
const shownPort = 8787;

const server = await createSessionServer({ keys: { secret }, dev: true, logger: () => {} });
const closedPort = await freePort();
const wsUrl = `ws://127.0.0.1:${server.port}/ws`;
const devToken = async (sub, ttl = 60) =>
  (await (await fetch(`http://127.0.0.1:${server.port}/dev/token?sub=${sub}&ttl=${ttl}`)).json()).token;
const sign = (claims, key = secret) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(key));
const nowS = () => Math.floor(Date.now() / 1000);
// The attempts' texts do not depend on the schedule, so a short one keeps this script quick.
const fast = { reconnect: { initialDelayMs: 20, maxDelayMs: 40 } };

/**
 * Runs one session through `act` and collects every error text it produced, where it appeared:
 * thrown while setting up, login() rejecting, the 'error' and 'disconnect' events, store.error.
 */
async function observe(setup, act = async (s) => s.login(await devToken('alice'))) {
  const seen = [];
  const note = (where, text) => {
    const clean = text.replaceAll(`:${server.port}`, `:${shownPort}`).replaceAll(`:${closedPort}`, `:${shownPort}`);
    const found = seen.find((s) => s.text === clean);
    if (found) {
      if (!found.where.includes(where)) found.where.push(where);
    } else seen.push({ where: [where], text: clean });
  };
  const describe = (e) => `${e.type ?? e.name}: ${e.message}`;
  let session;
  try {
    session = createSession({ ...fast, ...setup() });
  } catch (err) {
    note('createSession() / webSocketTransport() throws', describe(err));
    return seen;
  }
  session.on('error', (e) => note("'error' event", describe(e)));
  session.on('disconnect', (reason) => note("'disconnect' event", reason));
  try {
    await withTimeout(act(session), 5000);
  } catch (err) {
    note('login() rejects', describe(err));
  }
  await new Promise((r) => setTimeout(r, 100));
  const { error, status } = session.getState();
  if (error) note(`store (status ${status})`, `${error.type}: ${error.message}`);
  session.destroy();
  return seen;
}

const scenarios = [
  {
    title: 'The server is not running, or the host or port is wrong',
    advice:
      'Start it (`npx nexmo-session-server --dev`) or fix the URL. The attempts follow the schedule ' +
      '(1, 2, 4, 8, 16 s); `connect()` starts a new cycle. In the browser console each attempt also ' +
      "shows `WebSocket connection to 'ws://127.0.0.1:8787/ws' failed`.",
    run: () => observe(() => ({ transport: webSocketTransport(`ws://127.0.0.1:${closedPort}/ws`, { WebSocket }) })),
  },
  {
    title: 'The URL has the wrong path',
    advice:
      'The reference server serves WebSockets at `/ws` only; any other path is refused like a server that is down.',
    run: () =>
      observe(() => ({ transport: webSocketTransport(`ws://127.0.0.1:${server.port}/socket`, { WebSocket }) })),
  },
  {
    title: 'The URL is http:// (or has no scheme)',
    advice: '`webSocketTransport` takes the WebSocket URL: `ws://` locally, `wss://` in production.',
    run: async () => [
      ...(await observe(() => ({
        transport: webSocketTransport(`http://127.0.0.1:${server.port}/ws`, { WebSocket }),
      }))),
      ...(await observe(() => ({ transport: webSocketTransport('sessions.example.com/ws', { WebSocket }) }))),
    ],
  },
  {
    title: 'Node 20 without `ws`',
    advice:
      'Node 20 has no global `WebSocket`. `npm install ws`, then ' +
      "`import { WebSocket } from 'ws'` and `webSocketTransport(url, { WebSocket })`. Node 22+ has one.",
    run: () => observe(() => ({ transport: webSocketTransport(wsUrl, { WebSocket: undefined }) })),
  },
  {
    title: 'The token is signed with another secret or key',
    advice:
      'The server checks the signature with its own `--secret` (or `--public-key` / `--jwks-file`); ' +
      'the dev server signs `/dev/token` tokens with its dev secret. No retry: get a valid token, then `login()`.',
    run: async () => {
      const token = await sign({ iat: nowS(), exp: nowS() + 60 }, 'another-secret-0123456789abcdef0123');
      return observe(
        () => ({ transport: webSocketTransport(wsUrl, { WebSocket }) }),
        (s) => s.login(token),
      );
    },
  },
  {
    title: 'The token is not a JWT',
    advice: '`login(token)` and `fetchToken()` must give the JWT itself (a string `header.payload.signature`).',
    run: () =>
      observe(
        () => ({ transport: webSocketTransport(wsUrl, { WebSocket }) }),
        (s) => s.login('not-a-jwt'),
      ),
  },
  {
    title: '`fetchToken` returns the JSON of `/dev/token` instead of the token',
    advice: '`/dev/token` answers `{ token, sub, expiresAt }`: return `(await res.json()).token`.',
    run: () =>
      observe(
        () => ({
          transport: webSocketTransport(wsUrl, { WebSocket }),
          fetchToken: () => fetch(`http://127.0.0.1:${server.port}/dev/token?sub=alice&ttl=60`).then((r) => r.text()),
        }),
        (s) => s.login(),
      ),
  },
  {
    title: '`fetchToken` fails (your token endpoint is down)',
    advice: 'The cause (here the fetch error) is in `error.cause`.',
    run: () =>
      observe(
        () => ({
          transport: webSocketTransport(wsUrl, { WebSocket }),
          fetchToken: () => fetch(`http://127.0.0.1:${closedPort}/token`).then((r) => r.text()),
        }),
        (s) => s.login(),
      ),
  },
  {
    title: 'The token has expired (no `fetchToken`)',
    advice:
      'Get a new token, then `updateToken(t)` and `connect()` (the `TokenRefreshPrompt` does this). With ' +
      '`fetchToken` the session fetches one and reconnects by itself.',
    run: async () => {
      const token = await sign({ iat: nowS() - 120, exp: nowS() - 60 });
      return observe(
        () => ({ transport: webSocketTransport(wsUrl, { WebSocket }) }),
        (s) => s.login(token),
      );
    },
  },
  {
    title: 'The token expires while connected (no `fetchToken`)',
    advice: 'Same remedy. The session stays resumable on the server for the resume window (5 minutes).',
    run: async () => {
      const token = await devToken('bob');
      return observe(
        () => ({ transport: webSocketTransport(wsUrl, { WebSocket }) }),
        async (s) => {
          await s.login(token);
          await fetch(`http://127.0.0.1:${server.port}/dev/expire-token?sub=bob`, { method: 'POST' });
          await until(() => s.getState().status === 'disconnected');
        },
      );
    },
  },
  {
    title: 'Port 8787 is already in use',
    advice: 'Another server (often a second `npm start`) holds the port: stop it, or pass `--port`.',
    run: async () => {
      const out = await runCli(['--dev', '--port', String(server.port)]);
      return [{ where: ['nexmo-session-server'], text: out.replaceAll(`:${server.port}`, `:${shownPort}`) }];
    },
  },
];

const sections = [];
for (const s of scenarios) {
  const seen = await s.run();
  const lines = seen.map((o) => `${o.where.join(', ')}:\n  ${o.text}`).join('\n');
  sections.push(`#### ${s.title}\n\n\`\`\`text\n${lines}\n\`\`\`\n\n${s.advice}\n`);
}
await server.close();

const generated = `${start}\n<!-- Generated by scripts/troubleshooting.mjs from real runs; edit the script, then run it with --write. -->\n\n${sections.join('\n')}${end}`;
const readme = readFileSync(readmePath, 'utf8');
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (process.argv.includes('--write') || process.argv.includes('--check')) {
  if (from < 0 || to < from) {
    console.error(`README.md has no ${start} … ${end} section`);
    process.exit(1);
  }
  const next = readme.slice(0, from) + generated + readme.slice(to + end.length);
  if (process.argv.includes('--write')) {
    writeFileSync(readmePath, next);
    console.log('README.md troubleshooting section written');
  } else if (next !== readme) {
    console.error(
      'README.md shows error texts the code no longer produces. Run `node scripts/troubleshooting.mjs --write` and commit README.md.',
    );
    process.exit(1);
  } else console.log('README.md troubleshooting texts match what the code produces');
} else console.log(generated);
process.exit(0);

async function withTimeout(promise, ms) {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(predicate, timeoutMs = 5000) {
  const startedAt = Date.now();
  while (!predicate()) {
    if (Date.now() - startedAt > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

function runCli(args) {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [resolve(root, 'packages/server/bin/nexmo-session-server.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      ok(out.trim());
    });
  });
}
