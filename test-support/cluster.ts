/**
 * Several `nexmo-session-server --redis` processes behind a round-robin TCP proxy, sharing one
 * private Redis: the deployment docs/scaling.md describes, on 127.0.0.1. Each process runs the
 * built CLI at its default limits; only the key, the port and the Redis URL are given.
 */
import { fileURLToPath } from 'node:url';
import type { NodeProcess } from './node-process.js';
import { spawnNodeServer } from './node-process.js';
import type { RedisServer } from './redis-server.js';
import { startRedis } from './redis-server.js';
import type { RoundRobinProxy } from './round-robin-proxy.js';
import { startRoundRobinProxy } from './round-robin-proxy.js';

export const cliBin = fileURLToPath(new URL('../packages/server/bin/nexmo-session-server.js', import.meta.url));

export interface Cluster {
  readonly redis: RedisServer;
  /** Index i is backend i of the proxy (a killed one stays in the list, dead). */
  readonly processes: NodeProcess[];
  readonly proxy: RoundRobinProxy;
  /** The proxy's WebSocket URL: what clients connect to. */
  readonly url: string;
  /** Start process i again (after a kill), on the same port. */
  restart(i: number): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  size?: number;
  secret: string;
  /** More CLI flags for every process. */
  args?: string[];
  redis?: RedisServer;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const redis = options.redis ?? (await startRedis());
  const argsFor = (port: number) => [
    '--secret',
    options.secret,
    '--port',
    String(port),
    '--redis',
    redis.url,
    ...(options.args ?? []),
  ];
  const processes = await Promise.all(
    Array.from({ length: options.size ?? 3 }, () => spawnNodeServer(cliBin, argsFor(0))),
  );
  const ports = processes.map((p) => p.port);
  const proxy = await startRoundRobinProxy(() => ports);
  return {
    redis,
    processes,
    proxy,
    url: proxy.url,
    async restart(i) {
      processes[i] = await spawnNodeServer(cliBin, argsFor(ports[i] as number));
    },
    async close() {
      await proxy.close();
      await Promise.all(processes.map((p) => p.kill()));
      if (!options.redis) await redis.stop();
    },
  };
}
