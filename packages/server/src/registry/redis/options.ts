/** `createSessionServer({ redis })`: where the shared store is and how the server talks to it. */
export interface RedisOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  url: string;
  /** Prefix of every key and channel, so several deployments can share one Redis. Default 'nexmo-session:'. */
  keyPrefix?: string;
  /** A command unanswered this long counts as Redis being unavailable. Default 3000 ms. */
  commandTimeoutMs?: number;
}

export interface ResolvedRedisOptions {
  url: string;
  keyPrefix: string;
  commandTimeoutMs: number;
}

export function resolveRedisOptions(given: string | RedisOptions): ResolvedRedisOptions {
  const options = typeof given === 'string' ? { url: given } : given;
  if (typeof options?.url !== 'string') throw new TypeError('Invalid option `redis`: expected a redis:// URL.');
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch {
    throw new TypeError('Invalid option `redis`: not a URL (expected redis://host:port).');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new TypeError(`Invalid option \`redis\`: expected a redis:// or rediss:// URL, got ${parsed.protocol}`);
  }
  const keyPrefix = options.keyPrefix ?? 'nexmo-session:';
  if (typeof keyPrefix !== 'string' || keyPrefix.length === 0 || keyPrefix.length > 64) {
    throw new TypeError('Invalid option `redis.keyPrefix`: 1–64 characters.');
  }
  const commandTimeoutMs = options.commandTimeoutMs ?? 3000;
  if (!Number.isInteger(commandTimeoutMs) || commandTimeoutMs < 100 || commandTimeoutMs > 60_000) {
    throw new TypeError('Invalid option `redis.commandTimeoutMs`: an integer 100..60000.');
  }
  return { url: options.url, keyPrefix, commandTimeoutMs };
}

/** The URL without its password, for banners and logs. */
export function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString().replace(/\/$/, '');
}
