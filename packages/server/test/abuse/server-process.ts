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
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeProcess } from '../../../../test-support/node-process.js';
import { spawnNodeServer } from '../../../../test-support/node-process.js';
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

export interface ServerProcess extends NodeProcess {
  readonly url: string;
  readonly httpUrl: string;
}

export async function startServerProcess(args: string[] = [], port = 0): Promise<ServerProcess> {
  assertBuilt();
  const server = await spawnNodeServer(bin, ['--secret', secret, '--port', String(port), ...args]);
  return {
    ...server,
    url: `ws://127.0.0.1:${server.port}/ws`,
    httpUrl: `http://127.0.0.1:${server.port}`,
  };
}
