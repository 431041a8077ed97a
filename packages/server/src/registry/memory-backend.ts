/**
 * Sessions in this process's memory, behind a SessionRegistry: every answer is synchronous, so a
 * frame is handled start to finish before the next one is read. Handing the same registry to a
 * new server after `close()` keeps the sessions across a restart in one process.
 */
import type { LoginFrame } from '@nexmo-session/core/protocol';
import { CloseCode, encodeEventFrame } from '@nexmo-session/core/protocol';
import type { Connection } from '../connection.js';
import type { VerifiedToken } from '../keys.js';
import type { SessionRecord, SessionRegistry } from '../registry.js';
import type { BackendContext, Publish, SessionBackend } from './backend.js';
import { serializeBody } from './publish.js';

export function memoryBackend(registry: SessionRegistry, ctx: BackendContext): SessionBackend {
  const { limits, caps, log } = ctx;
  const live = new Map<string, Connection>(); // sessionId → its connection
  const expiry = new Map<string, ReturnType<typeof setTimeout>>(); // sessionId → deletion timer
  const recordOf = (conn: Connection) => conn.session as SessionRecord;

  function armExpiry(record: SessionRecord): void {
    clearTimeout(expiry.get(record.id));
    const lostAt = record.lostAt ?? Date.now();
    const timer = setTimeout(
      () => {
        expiry.delete(record.id);
        if (registry.get(record.id) === record && !live.has(record.id)) {
          registry.delete(record.id);
          log('info', 'session expired', { sessionId: record.id });
        }
      },
      Math.max(0, lostAt + limits.resumeWindowMs - Date.now()),
    );
    timer.unref?.();
    expiry.set(record.id, timer);
  }

  /** Delete a session now; its live connection, if any, is closed with `code`. */
  function endSession(record: SessionRecord, code: number, message: string): void {
    clearTimeout(expiry.get(record.id));
    expiry.delete(record.id);
    registry.delete(record.id);
    const conn = live.get(record.id);
    live.delete(record.id);
    if (conn) ctx.closeWith(conn, code, message);
  }

  function deliver(record: SessionRecord, from: string | null, bodyJson: string, bodyBytes: number): void {
    record.log.append(from, bodyJson, bodyBytes);
    const conn = live.get(record.id);
    if (conn) pump(conn);
  }

  function pump(conn: Connection): void {
    const record = recordOf(conn);
    if (conn.state !== 'live' || !record) return;
    const replay = record.log;
    while (conn.sentSeq < replay.lastSeq && conn.writable) {
      const next = conn.sentSeq + 1;
      const event = replay.get(next);
      if (!event) {
        ctx.cutSlowConsumer(conn, record.id, replay.lastSeq - conn.sentSeq);
        return;
      }
      conn.send(encodeEventFrame(event.seq, event.from, event.bodyJson));
      conn.sentSeq = next;
    }
  }

  const publish: Publish = (target, body, from = null) => {
    const { bodyJson, bodyBytes } = serializeBody(body, from, limits.replayMaxBytes);
    let n = 0;
    for (const record of [...registry.all()]) {
      if (record.id === target || record.userId === target) {
        deliver(record, from, bodyJson, bodyBytes);
        n++;
      }
    }
    return n;
  };

  function isAlive(record: SessionRecord): boolean {
    return record.lostAt === null || Date.now() - record.lostAt <= limits.resumeWindowMs;
  }

  // Sessions restored from a registry handed over by a previous server need their expiry timers.
  for (const record of registry.all()) {
    if (record.lostAt === null) record.lostAt = Date.now();
    armExpiry(record);
  }

  return {
    description: registry.description ?? 'sessions live in a custom registry',
    publish,
    pump,

    login(conn: Connection, frame: LoginFrame, verified: VerifiedToken): void {
      const now = Date.now();
      // A resume is granted only to the owner inside the window; anything else is answered exactly
      // like an unknown id (a new session), so ids cannot be probed.
      const wanted = frame.sessionId === undefined ? undefined : registry.get(frame.sessionId);
      const resumable = wanted !== undefined && wanted.userId === verified.sub && isAlive(wanted);
      if (resumable && wanted.blockedUntil > now) {
        ctx.closeWith(conn, CloseCode.rateLimited, 'this session flooded the server; wait', wanted.blockedUntil - now);
        return;
      }
      if (!resumable && !ctx.newSessions.take(verified.sub, now)) {
        log('warn', 'login refused: too many new sessions for this user', { sub: verified.sub });
        ctx.closeWith(
          conn,
          CloseCode.rateLimited,
          'too many new sessions for this user',
          ctx.newSessions.waitMs(verified.sub, now),
        );
        return;
      }
      let record: SessionRecord;
      if (resumable) {
        record = wanted;
        const previous = live.get(record.id);
        if (previous && previous !== conn) ctx.closeWith(previous, CloseCode.replaced, 'session resumed elsewhere');
        clearTimeout(expiry.get(record.id));
        expiry.delete(record.id);
      } else {
        // One user cannot hold more than maxSessionsPerUser sessions (and their buffers): a new one
        // ends the oldest, a waiting one first.
        const mine = registry.ofUser(verified.sub);
        while (mine.length >= limits.maxSessionsPerUser) {
          const waiting = mine.findIndex((r) => !live.has(r.id));
          const [oldest] = mine.splice(waiting === -1 ? 0 : waiting, 1);
          if (oldest) endSession(oldest, CloseCode.replaced, 'replaced by a newer session of the same user');
        }
        record = registry.create(verified.sub, now, caps);
      }
      record.lostAt = null;
      live.set(record.id, conn);
      const replay = record.log;
      const clientSeq = resumable ? Math.min(frame.lastSeq ?? 0, replay.lastSeq) : replay.lastSeq;
      // What the client has, it no longer needs replayed.
      replay.ackUpTo(clientSeq);
      ctx.goLive(conn, record, verified, { resumed: resumable, lastSeq: replay.lastSeq, firstSeq: replay.firstSeq });
      // Events before firstSeq are gone; the client sees that from firstSeq and is sent the rest.
      conn.sentSeq = Math.max(clientSeq, replay.firstSeq - 1);
      pump(conn);
    },

    knownMid(conn, mid) {
      return recordOf(conn).mids.has(mid);
    },

    message(conn, mid, body, bodyJson, bodyBytes) {
      const record = recordOf(conn);
      record.mids.add(mid);
      if (ctx.onMessage) ctx.onMessage({ id: record.id, userId: record.userId }, body, publish);
      else for (const target of [...registry.all()]) deliver(target, record.userId, bodyJson, bodyBytes);
      ctx.send(conn, { type: 'message:ack', mid });
    },

    ack(conn, seq) {
      recordOf(conn).log.ackUpTo(seq);
    },

    logout(conn, rid) {
      const record = recordOf(conn);
      ctx.send(conn, { type: 'session:logged_out', rid });
      log('info', 'logout', { sessionId: record.id });
      endSession(record, CloseCode.normal, 'logged out');
    },

    detached(conn) {
      const record = recordOf(conn);
      if (!record || live.get(record.id) !== conn) return;
      live.delete(record.id);
      if (registry.get(record.id) === record) {
        record.lostAt = Date.now();
        armExpiry(record);
      }
    },

    flooded(conn, retryAfterMs) {
      const record = recordOf(conn);
      if (record) record.blockedUntil = Date.now() + retryAfterMs;
    },

    stats() {
      return { sessions: registry.size, waiting: registry.size - live.size };
    },

    async close() {
      for (const timer of expiry.values()) clearTimeout(timer);
      expiry.clear();
    },
  };
}
