/**
 * Where sessions live. The protocol code only talks to this interface, so a shared store (Redis,
 * a database) can replace the in-memory default without touching it. Giving the same registry to
 * a new server after `close()` is how a restart keeps its sessions.
 */
import type { ReplayCaps, ReplayLog } from './replay-log.js';
import { InMemoryReplayLog } from './replay-log.js';

/** Message ids already taken, oldest forgotten first once more than `max` are held. */
export interface MidWindow {
  has(mid: string): boolean;
  add(mid: string): void;
  readonly size: number;
}

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  /** Events the client has not acknowledged, serialized, capped (see replay-log.ts). */
  readonly log: ReplayLog;
  /** mids already taken, so resends are acknowledged, not repeated. */
  readonly mids: MidWindow;
  /** When its last connection ended (epoch ms); null while connected. */
  lostAt: number | null;
  /** A connection of this session flooded: resumes before this time are refused (4429). */
  blockedUntil: number;
  readonly createdAt: number;
}

export interface SessionCaps {
  replay: ReplayCaps;
  maxRememberedMids: number;
}

export interface SessionRegistry {
  get(id: string): SessionRecord | undefined;
  create(userId: string, now: number, caps: SessionCaps): SessionRecord;
  delete(id: string): void;
  /** Every stored session (for routing and expiry). */
  all(): Iterable<SessionRecord>;
  /** The sessions of one user, oldest first. */
  ofUser(userId: string): SessionRecord[];
  readonly size: number;
  /** One line for the startup banner: where sessions live and what a restart does to them. */
  readonly description?: string;
}

class InMemoryMidWindow implements MidWindow {
  readonly #mids = new Set<string>();
  constructor(private readonly max: number) {}
  has(mid: string): boolean {
    return this.#mids.has(mid);
  }
  add(mid: string): void {
    this.#mids.add(mid);
    if (this.#mids.size > this.max) {
      const oldest = this.#mids.values().next().value;
      if (oldest !== undefined) this.#mids.delete(oldest);
    }
  }
  get size(): number {
    return this.#mids.size;
  }
}

export class InMemoryRegistry implements SessionRegistry {
  readonly description = 'sessions live in memory: a restart loses them';
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #byUser = new Map<string, Set<string>>();

  get(id: string): SessionRecord | undefined {
    return this.#sessions.get(id);
  }

  create(userId: string, now: number, caps: SessionCaps): SessionRecord {
    const record: SessionRecord = {
      id: `ses-${globalThis.crypto.randomUUID()}`,
      userId,
      log: new InMemoryReplayLog(caps.replay),
      mids: new InMemoryMidWindow(caps.maxRememberedMids),
      lostAt: null,
      blockedUntil: 0,
      createdAt: now,
    };
    this.#sessions.set(record.id, record);
    let ids = this.#byUser.get(userId);
    if (!ids) {
      ids = new Set();
      this.#byUser.set(userId, ids);
    }
    ids.add(record.id);
    return record;
  }

  delete(id: string): void {
    const record = this.#sessions.get(id);
    if (!record) return;
    this.#sessions.delete(id);
    const ids = this.#byUser.get(record.userId);
    ids?.delete(id);
    if (ids?.size === 0) this.#byUser.delete(record.userId);
  }

  all(): Iterable<SessionRecord> {
    return this.#sessions.values();
  }

  ofUser(userId: string): SessionRecord[] {
    const ids = this.#byUser.get(userId);
    if (!ids) return [];
    // A Set iterates in insertion order, which is creation order here.
    return [...ids].map((id) => this.#sessions.get(id)).filter((r): r is SessionRecord => r !== undefined);
  }

  get size(): number {
    return this.#sessions.size;
  }
}
