/**
 * Wire frames (design §3) and their validation. Parsing is pure: a frame is either a known,
 * well-formed client frame or a ProtocolError carrying the close code to answer with.
 */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  tooBig: 1009,
  tokenExpired: 4001,
  malformed: 4400,
  invalidToken: 4401,
  loginTimeout: 4408,
  replaced: 4409,
  rateLimited: 4429,
} as const;

export type ClientFrame =
  | { type: 'session:login'; token: string; sessionId?: string; lastSeq?: number }
  | { type: 'session:update_token'; rid: string; token: string }
  | { type: 'session:logout'; rid: string }
  | { type: 'message'; mid: string; body: unknown }
  | { type: 'ack'; seq: number }
  | { type: 'ping'; t: number };

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const maxIdLength = 128;
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= maxIdLength;
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function parseClientFrame(data: string): ClientFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    throw new ProtocolError(CloseCode.malformed, 'frame is not JSON');
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    throw new ProtocolError(CloseCode.malformed, 'frame must be a JSON object');
  }
  const f = frame as Record<string, unknown>;
  switch (f.type) {
    case 'session:login':
      if (typeof f.token !== 'string' || f.token.length === 0) throw bad('session:login needs a token');
      if (f.sessionId !== undefined && !isId(f.sessionId)) throw bad('session:login sessionId must be a short string');
      if (f.lastSeq !== undefined && !isSeq(f.lastSeq))
        throw bad('session:login lastSeq must be a non-negative integer');
      return {
        type: 'session:login',
        token: f.token,
        ...(f.sessionId !== undefined ? { sessionId: f.sessionId as string } : {}),
        ...(f.lastSeq !== undefined ? { lastSeq: f.lastSeq as number } : {}),
      };
    case 'session:update_token':
      if (!isId(f.rid) || typeof f.token !== 'string' || f.token.length === 0) {
        throw bad('session:update_token needs rid and token');
      }
      return { type: 'session:update_token', rid: f.rid, token: f.token };
    case 'session:logout':
      if (!isId(f.rid)) throw bad('session:logout needs rid');
      return { type: 'session:logout', rid: f.rid };
    case 'message':
      if (!isId(f.mid)) throw bad('message needs a mid (string, at most 128 characters)');
      if (!('body' in f)) throw bad('message needs a body');
      return { type: 'message', mid: f.mid, body: f.body };
    case 'ack':
      if (!isSeq(f.seq)) throw bad('ack needs seq');
      return { type: 'ack', seq: f.seq };
    case 'ping':
      if (typeof f.t !== 'number' || !Number.isFinite(f.t)) throw bad('ping needs t');
      return { type: 'ping', t: f.t };
    default:
      throw bad(`unknown frame type ${JSON.stringify(String(f.type)).slice(0, 64)}`);
  }
}

function bad(message: string): ProtocolError {
  return new ProtocolError(CloseCode.malformed, message);
}
