/**
 * The Redis side of the Redis backend: two connections (commands, and one subscribed to this
 * process's notice channel), the scripts (scripts.ts) behind typed methods, and the heartbeat
 * that lets other processes find sessions a dead process held.
 *
 * Commands fail fast while Redis is away (no offline queue): the caller refuses what it cannot
 * do and retries nothing blindly, so nothing piles up in memory while Redis is gone. A Redis that
 * stalls with its connections open (a stopped process, a failover that drops packets) counts as
 * away once a command goes unanswered for commandTimeoutMs: every command has a deadline of our
 * own, because node-redis stops timing a command once it is written.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { Logger } from '../backend.js';
import type { ResolvedRedisOptions } from './options.js';
import { redactedUrl } from './options.js';
import {
  ackScript,
  attachScript,
  blockScript,
  bootScript,
  createScript,
  detachScript,
  janitorScript,
  liveDeadline,
  logoutScript,
  publishScript,
  putBackScript,
  rangeScript,
  reapScript,
  reclaimScript,
  takeScript,
} from './scripts.js';

type Reply = string | number | null | Reply[];

interface Script {
  readonly src: string;
  readonly sha: string;
}

const loaded = (src: string): Script => ({ src, sha: createHash('sha1').update(src).digest('hex') });

const scripts = {
  take: loaded(takeScript),
  publish: loaded(publishScript),
  attach: loaded(attachScript),
  create: loaded(createScript),
  detach: loaded(detachScript),
  logout: loaded(logoutScript),
  block: loaded(blockScript),
  ack: loaded(ackScript),
  range: loaded(rangeScript),
  reclaim: loaded(reclaimScript),
  reap: loaded(reapScript),
  janitor: loaded(janitorScript),
  boot: loaded(bootScript),
  putBack: loaded(putBackScript),
};

/** An event to append: to every session ('*'), or to a userId or sessionId. */
export interface Append {
  readonly target: { all: true } | { to: string };
  readonly from: string | null;
  readonly bodyJson: string;
  /** What it counts against the byte cap (eventBytes). */
  readonly bytes: number;
}

/** What arrives on this process's channel. */
export type Notice =
  | { t: 'e'; f?: string; b: string; s: (string | number)[] }
  | { t: 'take'; s: string; e: number }
  | { t: 'end'; s: string };

export type AttachResult =
  | { kind: 'ok'; lastSeq: number; firstSeq: number; epoch: string; previousOwner: string }
  | { kind: 'unknown' | 'recovering' }
  | { kind: 'blocked'; retryAfterMs: number };

export type TakeResult = { kind: 'ok'; counts: number[] } | { kind: 'dup' | 'replaced' | 'gone' | 'recovering' };

/** Publishing while Redis is being refilled after it lost its data: try again shortly. */
export class RecoveringError extends Error {
  override readonly name = 'RecoveringError';
}

export interface StoredEventText {
  readonly seq: number;
  readonly from: string | null;
  readonly bodyJson: string;
}

export type RangeResult = { kind: 'gone' } | { kind: 'ok'; firstSeq: number; events: StoredEventText[] };

export type ReclaimResult = { kind: 'ours'; lastSeq: number } | { kind: 'recreated' } | { kind: 'replaced' };

export interface StoreHooks {
  notice(notice: Notice): void;
  /** Both connections are usable again after an outage (not called for the first connection). */
  recovered(): void;
  /** Redis became unreachable. */
  lost(): void;
}

const toArgs = (args: readonly (string | number)[]) => args.map((a) => (typeof a === 'number' ? String(a) : a));

function appendArgs(appends: readonly Append[]): string[] {
  const out = [String(appends.length)];
  for (const a of appends) {
    out.push('all' in a.target ? '*' : `=${a.target.to}`, a.from === null ? '-' : `+${a.from}`, a.bodyJson);
    out.push(String(a.bytes));
  }
  return out;
}

export class RedisStore {
  /** This process, as owner of the sessions it holds and name of its notice channel. */
  readonly procId = randomUUID();
  readonly prefix: string;
  readonly url: string;
  readonly #client;
  readonly #subscriber;
  readonly #hooks: StoreHooks;
  readonly #log: Logger;
  #up = false;
  #everUp = false;
  /** The boot marker was written (or found) once: its absence later means Redis lost its data. */
  #bootSeen = false;
  /** Processes that beat recently, as of this process's last heartbeat. */
  #peers: string[] = [];
  #closed = false;
  readonly #commandTimeoutMs: number;
  /** A command went unanswered past its deadline; cleared when a PING is answered again. */
  #stalled = false;
  /** The last connection error, said once per distinct text (a wrong password is not an outage). */
  lastError: string | null = null;
  #reported: string | null = null;

  constructor(options: ResolvedRedisOptions, hooks: StoreHooks, log: Logger) {
    this.#commandTimeoutMs = options.commandTimeoutMs;
    this.prefix = options.keyPrefix;
    this.url = redactedUrl(options.url);
    this.#hooks = hooks;
    this.#log = log;
    const socket = {
      connectTimeout: Math.min(options.commandTimeoutMs, 5000),
      // Back quickly, but never hammer a Redis that is down: 50 ms doubling to 1 s.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
    };
    this.#client = createClient({
      url: options.url,
      socket,
      disableOfflineQueue: true,
      commandOptions: { timeout: options.commandTimeoutMs },
    });
    // The subscriber keeps its subscription across reconnects itself; its queue only ever holds
    // the SUBSCRIBE and a PING.
    this.#subscriber = createClient({ url: options.url, socket });
    for (const c of [this.#client, this.#subscriber]) {
      c.on('error', (err: Error) => this.#down(err));
      c.on('end', () => this.#down(null));
      c.on('ready', () => this.#maybeUp());
    }
  }

  get ready(): boolean {
    return !this.#closed && !this.#stalled && this.#client.isReady && this.#subscriber.isReady;
  }

  key(name: string): string {
    return this.prefix + name;
  }

  /** Connect; resolves once both connections are up or after `waitMs` (then they keep trying). */
  async start(waitMs: number): Promise<void> {
    this.#client.connect().catch(() => {});
    this.#subscriber.connect().catch(() => {});
    this.#subscriber
      .subscribe(this.key(`c:${this.procId}`), (message: string) => this.#onMessage(message))
      .catch(() => {});
    const until = Date.now() + waitMs;
    while (!this.ready && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }

  #onMessage(message: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(message) as Notice;
    } catch {
      return;
    }
    this.#hooks.notice(notice);
  }

  #down(err: Error | null): void {
    if (err) this.lastError = err.message;
    if (this.#closed) return;
    if (!this.#up) {
      // Not connected yet, or already down: say why, once per reason (WRONGPASS, ECONNREFUSED…).
      if (err && err.message !== this.#reported) {
        this.#reported = err.message;
        this.#log('warn', 'redis connection failed', { redis: this.url, error: err.message });
      }
      return;
    }
    this.#up = false;
    this.#log('warn', 'redis unavailable: logins and resumes are refused (4503) until it is back', {
      redis: this.url,
      ...(err ? { error: err.message } : {}),
    });
    this.#hooks.lost();
  }

  #maybeUp(): void {
    if (this.#closed || this.#up || !this.ready) return;
    // The subscription is restored before this PING is answered, so nothing published after the
    // resync below can be missed.
    this.#subscriber
      .ping()
      .then(() => {
        if (this.#up || !this.ready) return;
        this.#up = true;
        this.#reported = null;
        if (this.#everUp) {
          this.#log('info', 'redis is back', { redis: this.url });
          this.#hooks.recovered();
        }
        this.#everUp = true;
      })
      .catch(() => {});
  }

  /**
   * One command with a deadline of our own (commandTimeoutMs): past it the caller gets an error
   * and Redis counts as unavailable until a PING is answered. While stalled, commands fail at once
   * instead of queueing behind the unanswered ones.
   */
  #send(args: string[]): Promise<Reply> {
    if (this.#stalled) {
      return Promise.reject(new Error(`redis is not answering (a command waited over ${this.#commandTimeoutMs} ms)`));
    }
    return new Promise<Reply>((resolve, reject) => {
      const deadline = setTimeout(() => {
        reject(new Error(`redis did not answer within ${this.#commandTimeoutMs} ms`));
        this.#stall();
      }, this.#commandTimeoutMs);
      this.#client.sendCommand(args).then(
        (reply) => {
          clearTimeout(deadline);
          resolve(reply as unknown as Reply);
        },
        (err: unknown) => {
          clearTimeout(deadline);
          reject(err);
        },
      );
    });
  }

  #stall(): void {
    if (this.#closed || this.#stalled) return;
    this.#stalled = true;
    if (this.#up) {
      this.#up = false;
      this.#log('warn', 'redis is not answering: logins and resumes are refused (4503) until it does', {
        redis: this.url,
        waitedMs: this.#commandTimeoutMs,
      });
      this.#hooks.lost();
    }
    // One PING at a time: Redis answers it after everything queued before it, so its answer
    // means Redis is answering again. A dropped connection rejects it; then try again in 1 s.
    const probe = (): void => {
      if (this.#closed) return;
      this.#client.sendCommand(['PING']).then(
        () => {
          this.#stalled = false;
          this.#maybeUp();
        },
        () => {
          if (!this.#closed) setTimeout(probe, 1000).unref();
        },
      );
    };
    probe();
  }

  async #run(script: Script, args: readonly (string | number)[]): Promise<Reply> {
    const argv = [this.prefix, String(Date.now()), ...toArgs(args)];
    try {
      return (await this.#send(['EVALSHA', script.sha, '0', ...argv])) as Reply;
    } catch (err) {
      // Scripts are loaded on first use, and again after a Redis restart emptied its cache.
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return (await this.#send(['EVAL', script.src, '0', ...argv])) as Reply;
    }
  }

  async attach(sid: string, user: string, clientSeq: number): Promise<AttachResult> {
    const r = (await this.#run(scripts.attach, [this.procId, sid, user, clientSeq])) as Reply[];
    if (r[0] === 'unknown' || r[0] === 'recovering') return { kind: r[0] };
    if (r[0] === 'blocked') return { kind: 'blocked', retryAfterMs: Number(r[1]) };
    return {
      kind: 'ok',
      lastSeq: Number(r[1]),
      firstSeq: Number(r[2]),
      epoch: String(r[3]),
      previousOwner: String(r[4] ?? ''),
    };
  }

  /** A new session (epoch 1); resolves with the ids of sessions it ended to stay under maxPerUser. */
  async create(sid: string, user: string, maxPerUser: number): Promise<string[]> {
    return ((await this.#run(scripts.create, [this.procId, sid, user, maxPerUser])) as string[]) ?? [];
  }

  async take(
    sid: string,
    epoch: string,
    mid: string,
    caps: { maxMids: number; maxEvents: number; maxBytes: number },
    appends: readonly Append[],
  ): Promise<TakeResult> {
    const r = (await this.#run(scripts.take, [
      this.procId,
      sid,
      epoch,
      mid,
      caps.maxMids,
      caps.maxEvents,
      caps.maxBytes,
      ...appendArgs(appends),
    ])) as Reply[];
    if (r[0] === 'ok') return { kind: 'ok', counts: r.slice(1).map(Number) };
    return { kind: r[0] as 'dup' | 'replaced' | 'gone' | 'recovering' };
  }

  async publish(appends: readonly Append[], caps: { maxEvents: number; maxBytes: number }): Promise<number[]> {
    const r = (await this.#run(scripts.publish, [caps.maxEvents, caps.maxBytes, ...appendArgs(appends)])) as Reply[];
    if (r[0] === 'recovering') {
      throw new RecoveringError('Redis came back without its data; sessions are being put back: try again shortly');
    }
    return r.map(Number);
  }

  async detach(sid: string, epoch: string, lostAt: number, windowMs: number, ackSeq = 0): Promise<boolean> {
    return Number(await this.#run(scripts.detach, [this.procId, sid, epoch, lostAt, windowMs, ackSeq])) === 1;
  }

  async logout(sid: string, epoch: string): Promise<boolean> {
    return Number(await this.#run(scripts.logout, [this.procId, sid, epoch])) === 1;
  }

  async block(sid: string, epoch: string, until: number): Promise<void> {
    await this.#run(scripts.block, [this.procId, sid, epoch, until]);
  }

  async ack(sid: string, epoch: string, seq: number): Promise<void> {
    await this.#run(scripts.ack, [this.procId, sid, epoch, seq]);
  }

  /** Events from `fromSeq` on (at most `count`), with the log's firstSeq to tell trimmed from absent. */
  async range(sid: string, fromSeq: number, count: number): Promise<RangeResult> {
    const r = (await this.#run(scripts.range, [sid, fromSeq, count])) as Reply[];
    if (r[0] === -1) return { kind: 'gone' };
    const events: StoredEventText[] = [];
    for (let i = 2; i < r.length; i += 2) {
      const fields = r[i + 1] as string[];
      let from: string | null = null;
      let bodyJson = 'null';
      for (let j = 0; j < fields.length; j += 2) {
        if (fields[j] === 'b') bodyJson = fields[j + 1] as string;
        else if (fields[j] === 'f') from = fields[j + 1] as string;
      }
      events.push({ seq: Number.parseInt(r[i] as string, 10), from, bodyJson });
    }
    return { kind: 'ok', firstSeq: Number(r[0]), events };
  }

  async reclaim(
    items: readonly { sid: string; user: string; epoch: string; knownSeq: number }[],
  ): Promise<ReclaimResult[]> {
    const args: (string | number)[] = [this.procId, items.length];
    for (const it of items) args.push(it.sid, it.user, it.epoch, it.knownSeq);
    const r = (await this.#run(scripts.reclaim, args)) as number[];
    const out: ReclaimResult[] = [];
    for (let i = 0; i < r.length; i += 2) {
      if (r[i] === 0) out.push({ kind: 'ours', lastSeq: Number(r[i + 1]) });
      else if (r[i] === 1) out.push({ kind: 'recreated' });
      else out.push({ kind: 'replaced' });
    }
    return out;
  }

  /**
   * Whether Redis lost its data since this process first saw it (its boot marker is gone). If so,
   * messages and resumes are refused until every process alive before has put its sessions back
   * (`putBack`), or for `capMs` at most.
   */
  async lostData(capMs: number): Promise<boolean> {
    const seenBefore = this.#bootSeen;
    const peers = new Set([...this.#peers, this.procId]);
    const lost = await this.#run(scripts.boot, [this.procId, seenBefore ? '1' : '0', capMs, ...peers]);
    this.#bootSeen = true;
    return Number(lost) === 1;
  }

  /** This process has put back what it holds (ends a recovery once every peer has). */
  async putBack(): Promise<void> {
    await this.#run(scripts.putBack, [this.procId]);
  }

  /** Says this process is alive; true when Redis had forgotten it (reaped, or Redis lost its data). */
  async heartbeat(aliveWithinMs: number): Promise<boolean> {
    const now = Date.now();
    const added = await this.#send(['ZADD', this.key('procs'), String(now), this.procId]);
    // Who else is alive, for the next recovery (it waits for them).
    const peers = await this.#send(['ZRANGEBYSCORE', this.key('procs'), String(now - aliveWithinMs), '+inf']);
    this.#peers = (peers as unknown as string[]).map(String);
    return Number(added) === 1;
  }

  /** Sessions Redis says this process holds. */
  async held(): Promise<string[]> {
    return (await this.#send(['SMEMBERS', this.key(`p:${this.procId}`)])) as string[];
  }

  /** Hand the sessions of processes silent for `deadAfterMs` to the window (one batch at a time). */
  async reapDead(deadAfterMs: number, windowMs: number): Promise<number> {
    const now = Date.now();
    const reply = (await this.#send([
      'ZRANGEBYSCORE',
      this.key('procs'),
      '-inf',
      String(now - deadAfterMs),
      'WITHSCORES',
    ])) as Reply[];
    // RESP2 answers member, score, member, score…; RESP3 answers [member, score] pairs.
    const dead = reply.flat() as (string | number)[];
    let reaped = 0;
    for (let i = 0; i < dead.length; i += 2) {
      const proc = String(dead[i]);
      if (proc === this.procId) continue;
      for (let round = 0; round < 100; round++) {
        const more = await this.#run(scripts.reap, [proc, windowMs, String(dead[i + 1]), 500]);
        if (Number(more) === 0) break;
      }
      reaped++;
    }
    return reaped;
  }

  async janitor(): Promise<number> {
    return Number(await this.#run(scripts.janitor, [1000]));
  }

  /** Sessions inside their window, and how many of them wait for a socket. */
  async counts(): Promise<{ sessions: number; waiting: number }> {
    const now = String(Date.now());
    const [sessions, waiting] = await Promise.all([
      this.#send(['ZCOUNT', this.key('sessions'), now, '+inf']),
      this.#send(['ZCOUNT', this.key('sessions'), now, `(${liveDeadline}`]),
    ]);
    return { sessions: Number(sessions), waiting: Number(waiting) };
  }

  /** Forget this process in Redis when it holds nothing (else the reaper will hand its sessions on). */
  async leave(): Promise<void> {
    const held = await this.#send(['SCARD', this.key(`p:${this.procId}`)]);
    if (Number(held) === 0) await this.#send(['ZREM', this.key('procs'), this.procId]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const c of [this.#client, this.#subscriber]) {
      if (c.isReady) await c.close().catch(() => c.destroy());
      else if (c.isOpen) c.destroy();
    }
  }
}
