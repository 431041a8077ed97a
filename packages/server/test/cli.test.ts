import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('nexmo-session-server CLI', () => {
  it('`npx nexmo-session-server --dev` starts and answers /healthz', async () => {
    const child = spawn('npx', ['--no-install', 'nexmo-session-server', '--dev', '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no start line: ${out}`)), 20_000);
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on ws:\/\/([\d.]+):(\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(`http://${m[1]}:${m[2]}`);
          }
        });
        child.stderr.on('data', (d) => {
          out += d;
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, sessions: 0 });
      expect((await fetch(`${url}/dev/token?sub=alice`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses to start without a key outside dev mode', async () => {
    const child = spawn('npx', ['--no-install', 'nexmo-session-server', '--port', '0'], { cwd: root });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/--secret/);
  });
});
