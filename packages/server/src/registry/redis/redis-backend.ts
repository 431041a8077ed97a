/**
 * Sessions in Redis, shared by every process given the same Redis (design §3.3). Each process
 * holds sockets; Redis holds sessions, the message ids they have taken and their replay logs. A
 * message is taken and its events appended in one script, and each appended event is announced
 * on the channel of the process holding that session's socket (notices carry the event, so the
 * usual path costs no read). Resuming anywhere bumps the session's epoch; the process holding the
 * old socket is told and closes it with 4409.
 *
 * When Redis cannot be reached: live sockets keep their pings and the events already in hand;
 * messages are nacked rate_limited with `retryAfterMs` (the client keeps them and sends them
 * again); logins and resumes get `session:error` 4503 with `retryAfterMs`, then close 4503.
 * Nothing is queued for Redis meanwhile except, per session whose socket ended, the fact that it
 * ended (at most maxPendingEnds). When Redis is back, the process re-registers what it holds and
 * reads what it missed.
 */
import type { LoginFrame } from '@nexmo-session/core/protocol';
import { CloseCode, encodeEventFrame } from '@nexmo-session/core/protocol';
import type { Connection } from '../../connection.js';
import type { VerifiedToken } from '../../keys.js';
import { eventBytes } from '../../replay-log.js';
import type { BackendContext, Publish, SessionBackend } from '../backend.js';
import { serializeBody } from '../publish.js';
import { LiveSession } from './live-session.js';
import type { RedisOptions } from './options.js';
import { resolveRedisOptions } from './options.js';
import type { Append, AttachResult, Notice } from './store.js';
import { RedisStore } from './store.js';

/** A process says it is alive this often… */
export const heartbeatMs = 1000;
/** …and counts as dead (its sessions start their window at its last beat) after this silence. */
export const deadAfterMs = 10_000;
/** Events read from a log per round trip when catching a socket up (≤ 4 MiB at 64 KiB frames). */
const fetchCount = 64;
/** Sessions whose end could not be written while Redis was away, remembered to write later. */
export const maxPendingEnds = 100_000;
/**
 * After Redis comes back without its data, messages and resumes are refused until every process
 * alive before has put back the sessions it holds (about a second), or this long at most.
 */
export const recoveryMaxMs = 10_000;
/**
 * A client's acks are written to Redis (trimming its log) once this many events are acknowledged,
 * else at the next heartbeat, or when its socket ends: the log holds them a little longer, and a
 * busy session costs one ack script per batch instead of one per event.
 */
const ackBatchEvents = 64;
/** Sessions re-registered per script after an outage. */
const reclaimBatch = 200;

const sessionIdPattern = /^ses-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How long a refused client waits: 1–2 s, spread so a fleet does not come back at once. */
const unavailableRetryMs = () => 1000 + Math.floor(Math.random() * 1000);

const unavailableLogin = 'sessions are unavailable: the shared store (Redis) cannot be reached; try again';
const recoveringLogin = 'sessions are being put back after Redis lost its data; try again';
const unavailableMessage = 'not taken: the shared store (Redis) cannot be reached; send it again after retryAfterMs';

export async function redisBackend(given: string | RedisOptions, ctx: BackendContext): Promise<SessionBackend> {
  const options = resolveRedisOptions(given);
  const { limits, log } = ctx;
  const windowMs = limits.resumeWindowMs;
  const caps = {
    maxMids: limits.maxRememberedMids,
    maxEvents: limits.replayMaxEvents,
    maxBytes: limits.replayMaxBytes,
  };

  const live = new Map<string, Connection>(); // sessionId → the socket this process holds for it
  const logins = new Map<string, number>(); // sessionId → logins in flight here (reconciliation skips them)
  const pendingEnds = new Map<string, { kind: 'detach' | 'logout'; epoch: string; lostAt: number }>();
  const inflight = new Set<Promise<unknown>>();
  let counts = { sessions: 0, waiting: 0 };
  let lastRefusalLog = 0;
  let closed = false;

  const store = new RedisStore(options, { notice, recovered: () => resync(), lost: () => {} }, log);
  await store.start(3000);
  if (store.ready) {
    await store.lostData(recoveryMaxMs).catch(() => false);
    await store.heartbeat(deadAfterMs).catch(() => false);
    counts = await store.counts().catch(() => counts);
  } else {
    log('warn', 'redis not reachable yet: logins and resumes are refused (4503) until it is', {
      redis: store.url,
      ...(store.lastError ? { error: store.lastError } : {}),
    });
  }

  const sessionOf = (conn: Connection) => conn.session as LiveSession;

  function track<T>(promise: Promise<T>): Promise<T> {
    inflight.add(promise);
    const forget = () => inflight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  function loginStarted(sid: string): void {
    logins.set(sid, (logins.get(sid) ?? 0) + 1);
  }

  function loginEnded(sid: string): void {
    const n = (logins.get(sid) ?? 1) - 1;
    if (n === 0) logins.delete(sid);
    else logins.set(sid, n);
  }

  function logRefusal(message: string, fields: Record<string, unknown>): void {
    // One line a second at most: an outage refuses every client, and the log must stay readable.
    const now = Date.now();
    if (now - lastRefusalLog < 1000) return;
    lastRefusalLog = now;
    log('warn', message, { redis: store.url, ...fields });
  }

  function refuseLogin(conn: Connection, err?: unknown, message = unavailableLogin): void {
    logRefusal(`login refused (4503): ${message}`, err ? { error: String(err) } : {});
    ctx.closeWith(conn, CloseCode.unavailable, message, unavailableRetryMs());
  }

  function refuseMessage(conn: Connection, mid: string, why = 'redis unavailable'): void {
    if (conn.state !== 'live') return;
    const retryAfterMs = unavailableRetryMs();
    // Later messages must not overtake this one: they are refused until it comes back.
    conn.gate.hold(mid, Date.now(), retryAfterMs);
    logRefusal(`message nacked: ${why}`, { sessionId: conn.session?.id });
    ctx.nack(conn, mid, 'rate_limited', unavailableMessage, retryAfterMs);
  }

  /** This socket no longer stands for its session (replaced, or the session ended): close 4409. */
  function supersede(conn: Connection, message: string): void {
    sessionOf(conn).done = true;
    ctx.closeWith(conn, CloseCode.replaced, message);
  }

  // --- events -----------------------------------------------------------------------------------
  function notice(n: Notice): void {
    if (closed) return;
    if (n.t === 'e') {
      const event = { from: n.f ?? null, bodyJson: n.b };
      for (let i = 0; i < n.s.length; i += 2) {
        const conn = live.get(n.s[i] as string);
        if (conn?.state !== 'live') continue;
        const s = sessionOf(conn);
        const seq = n.s[i + 1] as number;
        if (seq > s.knownSeq) s.knownSeq = seq;
        // Queued only if it extends what is queued; otherwise the pump reads it from the log.
        if (
          !s.fetching &&
          seq === s.lastQueued(conn.sentSeq) + 1 &&
          s.queuedBytes + n.b.length <= limits.sendBufferBytes
        ) {
          s.push({ seq, ...event });
        }
        pump(conn);
      }
    } else if (n.t === 'take') {
      const conn = live.get(n.s);
      if (conn && Number(sessionOf(conn).epoch) < n.e) supersede(conn, 'session resumed elsewhere');
    } else if (n.t === 'end') {
      const conn = live.get(n.s);
      if (conn) supersede(conn, 'replaced by a newer session of the same user');
    }
  }

  function pump(conn: Connection): void {
    const s = sessionOf(conn);
    if (conn.state !== 'live' || !s) return;
    while (conn.writable) {
      const next = s.peek();
      if (next && next.seq <= conn.sentSeq + 1) {
        s.shift();
        if (next.seq <= conn.sentSeq) continue;
        conn.send(encodeEventFrame(next.seq, next.from, next.bodyJson));
        conn.sentSeq = next.seq;
        continue;
      }
      // A gap in what is queued: read from the log instead.
      if (next) s.clear();
      if (conn.sentSeq < s.knownSeq || s.catchUp) fetch(conn);
      return;
    }
  }

  function fetch(conn: Connection): void {
    const s = sessionOf(conn);
    if (s.fetching || !store.ready) return;
    s.fetching = true;
    s.catchUp = false;
    track(store.range(s.id, conn.sentSeq + 1, fetchCount)).then(
      (r) => {
        s.fetching = false;
        if (conn.session !== s || conn.state !== 'live') return;
        if (r.kind === 'gone') {
          // Live here but absent in Redis: Redis lost its data. Re-register everything held here.
          s.catchUp = true;
          resync();
          return;
        }
        if (r.firstSeq > conn.sentSeq + 1) {
          ctx.cutSlowConsumer(conn, s.id, s.knownSeq - conn.sentSeq);
          return;
        }
        s.clear();
        for (const event of r.events) if (event.seq > conn.sentSeq) s.push(event);
        const last = r.events[r.events.length - 1];
        if (last && last.seq > s.knownSeq) s.knownSeq = last.seq;
        if (r.events.length === fetchCount) s.catchUp = true;
        pump(conn);
      },
      () => {
        // Retried by the heartbeat tick, or after Redis comes back.
        s.fetching = false;
        s.catchUp = true;
      },
    );
  }

  function flushAck(conn: Connection): void {
    const s = sessionOf(conn);
    if (!s || s.acking || s.ackWanted <= s.ackDone || !store.ready || conn.state !== 'live') return;
    s.acking = true;
    const upTo = s.ackWanted;
    // One ack script per session at a time; acks that arrive meanwhile are folded into the next.
    track(store.ack(s.id, s.epoch, upTo)).then(
      () => {
        s.acking = false;
        s.ackDone = Math.max(s.ackDone, upTo);
        if (s.ackWanted - s.ackDone >= ackBatchEvents) flushAck(conn);
      },
      () => {
        s.acking = false;
      },
    );
  }

  // --- ends -------------------------------------------------------------------------------------
  function rememberEnd(sid: string, end: { kind: 'detach' | 'logout'; epoch: string; lostAt: number }): void {
    if (pendingEnds.size >= maxPendingEnds && !pendingEnds.has(sid)) return; // reconciliation will find it
    pendingEnds.set(sid, end);
  }

  function writeDetach(sid: string, epoch: string, lostAt: number, ackSeq = 0): void {
    if (!store.ready) {
      rememberEnd(sid, { kind: 'detach', epoch, lostAt });
      return;
    }
    track(store.detach(sid, epoch, lostAt, windowMs, ackSeq)).catch(() =>
      rememberEnd(sid, { kind: 'detach', epoch, lostAt }),
    );
  }

  async function flushPendingEnds(): Promise<void> {
    for (const [sid, end] of [...pendingEnds]) {
      if (!store.ready) return;
      if (end.kind === 'logout') await store.logout(sid, end.epoch);
      else await store.detach(sid, end.epoch, end.lostAt, windowMs);
      if (pendingEnds.get(sid) === end) pendingEnds.delete(sid);
    }
  }

  /** Sessions Redis says this process holds but no socket here stands for: they wait now. */
  async function reconcile(): Promise<void> {
    const held = await store.held();
    const orphans = held.filter((sid) => !live.has(sid) && !logins.has(sid));
    for (let i = 0; i < orphans.length; i += 100) {
      await Promise.all(
        orphans.slice(i, i + 100).map((sid) => {
          const end = pendingEnds.get(sid);
          return store.detach(sid, '', end?.lostAt ?? Date.now(), windowMs).then(() => pendingEnds.delete(sid));
        }),
      );
    }
  }

  /** Tell Redis again about every session held here, and read what the notices missed. */
  async function reclaimAll(): Promise<void> {
    const conns = [...live.values()].filter((c) => c.state === 'live');
    for (let i = 0; i < conns.length; i += reclaimBatch) {
      const batch = conns.slice(i, i + reclaimBatch);
      const items = batch.map((conn) => {
        const s = sessionOf(conn);
        return { sid: s.id, user: s.userId, epoch: s.epoch, knownSeq: Math.max(s.knownSeq, conn.sentSeq) };
      });
      const results = await store.reclaim(items);
      results.forEach((r, j) => {
        const conn = batch[j] as Connection;
        const s = sessionOf(conn);
        if (conn.state !== 'live' || s.done) return;
        if (r.kind === 'replaced') {
          supersede(conn, 'session resumed elsewhere');
        } else if (r.kind === 'recreated') {
          // Redis lost the session; its log restarts after knownSeq. Events this socket has not
          // been sent and does not hold are gone: the client resumes and sees the gap (firstSeq).
          const known = (items[j] as { knownSeq: number }).knownSeq;
          s.knownSeq = known;
          const held = s.peek()?.seq === conn.sentSeq + 1 && s.lastQueued(conn.sentSeq) >= known;
          if (conn.sentSeq < known && !held) {
            ctx.closeWith(conn, CloseCode.unavailable, 'the shared store lost events you had not received; resume', 0);
          } else pump(conn);
        } else {
          if (r.lastSeq > s.knownSeq) s.knownSeq = r.lastSeq;
          s.catchUp = true;
          pump(conn);
        }
      });
    }
  }

  let resyncing = false;
  let resyncAgain = false;
  /** After an outage, or when Redis forgot this process: ends first, then what is held, then orphans. */
  function resync(): void {
    if (closed) return;
    if (resyncing) {
      resyncAgain = true;
      return;
    }
    resyncing = true;
    const run = async () => {
      do {
        resyncAgain = false;
        if (!store.ready) return;
        if (await store.lostData(recoveryMaxMs)) {
          log('warn', 'redis came back without its data: putting back the sessions held here', {
            redis: store.url,
            sessions: live.size,
          });
        }
        await store.heartbeat(deadAfterMs);
        await flushPendingEnds();
        await reclaimAll();
        await store.putBack();
        await reconcile();
      } while (resyncAgain);
    };
    track(run())
      .catch((err: unknown) =>
        log('warn', 'redis resync failed; retrying on the next heartbeat', { error: String(err) }),
      )
      .finally(() => {
        resyncing = false;
      });
  }

  // --- heartbeat --------------------------------------------------------------------------------
  let beats = 0;
  let ticking = false;
  let resyncWanted = false;
  async function tick(): Promise<void> {
    if (ticking || closed) return;
    ticking = true;
    try {
      beats++;
      if (!store.ready) {
        resyncWanted = true;
        return;
      }
      const forgotten = await store.heartbeat(deadAfterMs);
      if (forgotten || resyncWanted) {
        resyncWanted = false;
        resync();
      }
      // Sockets whose read failed, and acks that could not be written, try again.
      for (const conn of live.values()) {
        const s = sessionOf(conn);
        if (conn.state !== 'live' || !s) continue;
        if (!s.fetching && (conn.sentSeq < s.knownSeq || s.catchUp)) pump(conn);
        flushAck(conn);
      }
      if (beats % 2 === 0) counts = await store.counts();
      if (beats % 5 === 0) await store.reapDead(deadAfterMs, windowMs);
      if (beats % 10 === 0) await store.janitor();
      if (beats % 30 === 0) await reconcile();
    } catch {
      resyncWanted = true;
    } finally {
      ticking = false;
    }
  }
  const heartbeat = setInterval(() => void tick(), heartbeatMs);
  heartbeat.unref?.();

  // --- the backend ------------------------------------------------------------------------------
  const publish: Publish = (target, body, from = null) => {
    const { bodyJson, bodyBytes } = serializeBody(body, from, limits.replayMaxBytes);
    if (!store.ready) return Promise.reject(new Error('publish: the shared store (Redis) cannot be reached'));
    const append: Append = { target: { to: target }, from, bodyJson, bytes: eventBytes(bodyBytes, from) };
    return track(store.publish([append], caps)).then(([n]) => n ?? 0);
  };

  return {
    description: `sessions live in Redis at ${store.url} (keys ${store.prefix}*): every process on it resumes them; a restart keeps them`,
    publish,
    pump,

    async login(conn: Connection, frame: LoginFrame, verified: VerifiedToken): Promise<void> {
      if (!store.ready) return refuseLogin(conn);
      const user = verified.sub;
      // Only ids this server could have made reach Redis keys; anything else is an unknown id.
      const wanted =
        frame.sessionId !== undefined && sessionIdPattern.test(frame.sessionId) ? frame.sessionId : undefined;
      let sid: string;
      let resumed = false;
      let attached: AttachResult | undefined;
      let replay: { lastSeq: number; firstSeq: number; epoch: string };
      try {
        if (wanted) {
          loginStarted(wanted);
          try {
            attached = await track(store.attach(wanted, user, frame.lastSeq ?? 0));
          } finally {
            loginEnded(wanted);
          }
        }
        if (attached?.kind === 'recovering') return refuseLogin(conn, undefined, recoveringLogin);
        if (attached?.kind === 'blocked') {
          ctx.closeWith(conn, CloseCode.rateLimited, 'this session flooded the server; wait', attached.retryAfterMs);
          return;
        }
        if (attached?.kind === 'ok') {
          sid = wanted as string;
          resumed = true;
          replay = attached;
        } else {
          const now = Date.now();
          if (!ctx.newSessions.take(user, now)) {
            log('warn', 'login refused: too many new sessions for this user', { sub: user });
            ctx.closeWith(
              conn,
              CloseCode.rateLimited,
              'too many new sessions for this user',
              ctx.newSessions.waitMs(user, now),
            );
            return;
          }
          sid = `ses-${globalThis.crypto.randomUUID()}`;
          loginStarted(sid);
          let ended: string[];
          try {
            ended = await track(store.create(sid, user, limits.maxSessionsPerUser));
          } finally {
            loginEnded(sid);
          }
          for (const id of ended) {
            const old = live.get(id);
            if (old) supersede(old, 'replaced by a newer session of the same user');
          }
          replay = { lastSeq: 0, firstSeq: 1, epoch: '1' };
        }
      } catch (err) {
        // The script may have run (a reply lost or late): reconciliation puts such a session back
        // to waiting, since no socket here stands for it.
        return refuseLogin(conn, err);
      }
      if (conn.state !== 'login') {
        // The client left while Redis answered: the session waits for it.
        writeDetach(sid, replay.epoch, Date.now());
        return;
      }
      const previous = live.get(sid);
      if (previous && previous !== conn) supersede(previous, 'session resumed elsewhere');
      const s = new LiveSession(sid, user, replay.epoch, replay.lastSeq);
      live.set(sid, conn);
      ctx.goLive(conn, s, verified, { resumed, lastSeq: replay.lastSeq, firstSeq: replay.firstSeq });
      const clientSeq = resumed ? Math.min(frame.lastSeq ?? 0, replay.lastSeq) : replay.lastSeq;
      // Events before firstSeq are gone; the client sees that from firstSeq and is sent the rest.
      conn.sentSeq = Math.max(clientSeq, replay.firstSeq - 1);
      s.ackDone = conn.sentSeq;
      pump(conn);
    },

    knownMid() {
      // Only Redis knows; the take script answers 'dup' for a resend.
      return false;
    },

    message(conn, mid, body, bodyJson, bodyBytes) {
      const s = sessionOf(conn);
      if (!store.ready) return refuseMessage(conn, mid);
      type Batched = { append: Append; resolve(n: number): void; reject(err: Error): void };
      const batch: Batched[] = [];
      let appends: Append[];
      if (ctx.onMessage) {
        // Publishes made inside onMessage ride in the same script as the mid: a process killed at
        // any instant leaves either the message taken with all its events, or neither.
        let open = true;
        const batched: Publish = (target, b, from = null) => {
          if (!open) return publish(target, b, from);
          const ser = serializeBody(b, from, limits.replayMaxBytes);
          const promise = new Promise<number>((resolve, reject) => {
            const append: Append = {
              target: { to: target },
              from,
              bodyJson: ser.bodyJson,
              bytes: eventBytes(ser.bodyBytes, from),
            };
            batch.push({ append, resolve, reject });
          });
          // An app that ignores the promise must not get an unhandled rejection when Redis fails.
          promise.catch(() => {});
          return promise;
        };
        try {
          ctx.onMessage({ id: s.id, userId: s.userId }, body, batched);
        } finally {
          open = false;
        }
        appends = batch.map((b) => b.append);
      } else {
        appends = [{ target: { all: true }, from: s.userId, bodyJson, bytes: eventBytes(bodyBytes, s.userId) }];
      }
      const fail = (why: string) => {
        for (const b of batch) b.reject(new Error(`publish: ${why}`));
      };
      return track(store.take(s.id, s.epoch, mid, caps, appends)).then(
        (r) => {
          if (r.kind === 'ok' || r.kind === 'dup') {
            batch.forEach((b, i) => {
              b.resolve(r.kind === 'ok' ? (r.counts[i] ?? 0) : 0);
            });
            if (conn.state === 'live') ctx.send(conn, { type: 'message:ack', mid });
          } else if (r.kind === 'recovering') {
            fail('Redis is being refilled after it lost its data');
            refuseMessage(conn, mid, 'redis is being refilled after it lost its data');
          } else if (r.kind === 'replaced') {
            fail('the session was resumed elsewhere');
            if (conn.state === 'live') supersede(conn, 'session resumed elsewhere');
          } else {
            fail('the session is missing in Redis');
            resync();
            refuseMessage(conn, mid, 'the session is missing in redis; putting it back');
          }
        },
        () => {
          fail('the shared store (Redis) cannot be reached');
          refuseMessage(conn, mid);
        },
      );
    },

    ack(conn, seq) {
      const s = sessionOf(conn);
      if (seq > s.ackWanted) s.ackWanted = seq;
      if (s.ackWanted - s.ackDone >= ackBatchEvents) flushAck(conn);
    },

    logout(conn, rid) {
      const s = sessionOf(conn);
      s.done = true;
      const ended = () => {
        if (conn.state !== 'live') return;
        ctx.send(conn, { type: 'session:logged_out', rid });
        log('info', 'logout', { sessionId: s.id });
        ctx.closeWith(conn, CloseCode.normal, 'logged out');
      };
      if (!store.ready) {
        rememberEnd(s.id, { kind: 'logout', epoch: s.epoch, lostAt: Date.now() });
        return ended();
      }
      return track(store.logout(s.id, s.epoch)).then(ended, () => {
        rememberEnd(s.id, { kind: 'logout', epoch: s.epoch, lostAt: Date.now() });
        ended();
      });
    },

    detached(conn) {
      const s = sessionOf(conn);
      if (live.get(s.id) === conn) live.delete(s.id);
      if (s.done) return;
      s.done = true;
      writeDetach(s.id, s.epoch, Date.now(), s.ackWanted);
    },

    flooded(conn, retryAfterMs) {
      const s = sessionOf(conn);
      if (!store.ready) return;
      return track(store.block(s.id, s.epoch, Date.now() + retryAfterMs)).catch(() => {});
    },

    stats() {
      return counts;
    },

    async close() {
      closed = true;
      clearInterval(heartbeat);
      // The sockets are closed: let their detaches reach Redis (bounded), then leave.
      await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 2000))]);
      if (store.ready) {
        await flushPendingEnds().catch(() => {});
        await store.leave().catch(() => {});
      }
      await store.close();
    },
  };
}
