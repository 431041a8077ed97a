/** Server → client frames (design §3), validated so a malformed frame can never corrupt state. */
export type ServerFrame =
  | {
      type: 'session:success';
      sessionId: string;
      userId: string;
      resumed: boolean;
      serverTime?: number;
      tokenExpiresAt?: number;
      resumeWindowMs?: number;
      lastSeq?: number;
    }
  | { type: 'session:token_updated'; rid: string; tokenExpiresAt?: number }
  | { type: 'session:logged_out'; rid: string }
  | { type: 'event'; seq: number; body: unknown; from: string | null }
  | { type: 'message:ack'; mid: string }
  | { type: 'pong'; t: number }
  | { type: 'session:disconnect'; reason: string }
  | { type: 'session:error'; code: number; message: string; rid?: string };

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';
const optNum = (v: unknown) => v === undefined || num(v);

/** Returns null for anything that is not a well-formed server frame. */
export function parseServerFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  let f: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    f = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  switch (f.type) {
    case 'session:success':
      return str(f.sessionId) &&
        str(f.userId) &&
        typeof f.resumed === 'boolean' &&
        optNum(f.serverTime) &&
        optNum(f.tokenExpiresAt) &&
        optNum(f.resumeWindowMs)
        ? (f as ServerFrame)
        : null;
    case 'session:token_updated':
      return str(f.rid) && optNum(f.tokenExpiresAt) ? (f as ServerFrame) : null;
    case 'session:logged_out':
      return str(f.rid) ? (f as ServerFrame) : null;
    case 'event':
      return Number.isSafeInteger(f.seq) && (f.seq as number) > 0 && 'body' in f
        ? { type: 'event', seq: f.seq as number, body: f.body, from: str(f.from) ? f.from : null }
        : null;
    case 'message:ack':
      return str(f.mid) ? (f as ServerFrame) : null;
    case 'pong':
      return num(f.t) ? (f as ServerFrame) : null;
    case 'session:disconnect':
      return str(f.reason) ? (f as ServerFrame) : null;
    case 'session:error':
      return num(f.code) && str(f.message) ? (f as ServerFrame) : null;
    default:
      return null;
  }
}
