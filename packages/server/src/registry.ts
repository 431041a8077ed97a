/**
 * Where sessions live. The protocol code only talks to this interface, so a shared store (Redis,
 * a database) can replace the in-memory default without touching it. Giving the same registry to
 * a new server after `close()` is how a restart keeps its sessions.
 */
export interface StoredEvent {
  seq: number;
  from: string | null;
  body: unknown;
}

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  /** seq of the newest event appended to this session. */
  seq: number;
  /** Replay buffer: events the client has not acknowledged yet, oldest first. */
  events: StoredEvent[];
  /** mids already taken (insertion-ordered, bounded), so resends are acknowledged, not repeated. */
  takenMids: Map<string, true>;
  /** When its last connection ended (epoch ms); null while connected. */
  lostAt: number | null;
  createdAt: number;
}

export interface SessionRegistry {
  get(id: string): SessionRecord | undefined;
  create(userId: string, now: number): SessionRecord;
  delete(id: string): void;
  /** Every stored session (for routing and expiry). */
  all(): Iterable<SessionRecord>;
  readonly size: number;
}

function randomId(): string {
  return globalThis.crypto.randomUUID();
}

export class InMemoryRegistry implements SessionRegistry {
  readonly #sessions = new Map<string, SessionRecord>();

  get(id: string): SessionRecord | undefined {
    return this.#sessions.get(id);
  }

  create(userId: string, now: number): SessionRecord {
    const record: SessionRecord = {
      id: `ses-${randomId()}`,
      userId,
      seq: 0,
      events: [],
      takenMids: new Map(),
      lostAt: null,
      createdAt: now,
    };
    this.#sessions.set(record.id, record);
    return record;
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  all(): Iterable<SessionRecord> {
    return this.#sessions.values();
  }

  get size(): number {
    return this.#sessions.size;
  }
}
