// `npm start`: the reference server in dev mode on 127.0.0.1:8787, and the playground on Vite's
// dev server (which proxies /ws and /dev to it). Prints the URL to open. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { createServer } from 'vite';

const serverPort = 8787;
const server = spawn(
  process.execPath,
  ['packages/server/bin/nexmo-session-server.js', '--dev', '--port', String(serverPort)],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);

await new Promise((resolve, reject) => {
  let out = '';
  const onData = (d) => {
    out += d;
    if (!out.includes('listening on')) return;
    server.stdout.off('data', onData); // stop buffering: the server's own log is not ours to print
    server.stdout.resume();
    server.off('exit', onEarlyExit);
    resolve();
  };
  const onEarlyExit = (code) =>
    reject(
      new Error(
        `the session server exited (${code}). Is port ${serverPort} in use? Did \`npm ci\` build the packages?\n${out}`,
      ),
    );
  server.stdout.on('data', onData);
  server.once('exit', onEarlyExit);
});
let stopping = false;
server.once('exit', (code, signal) => {
  if (!stopping)
    console.error(
      `  the session server stopped (${signal ?? code}); the playground cannot connect until \`npm start\` runs again`,
    );
});

const vite = await createServer({ configFile: 'vite.config.ts', server: { host: '127.0.0.1' } });
await vite.listen();
const url = vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';
console.log(`\n  nexmo-session playground: ${url}\n  session server (dev mode): ws://127.0.0.1:${serverPort}/ws\n`);

const stop = async () => {
  stopping = true;
  server.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
