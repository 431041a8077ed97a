/**
 * The one parser and validator for both directions. A frame is either a known, well-formed frame
 * (only its known fields, so nothing unexpected travels further) or a violation that says how to
 * answer: close with `code`, or, for a message that can be refused on its own, nack its `mid`.
 */
import { CloseCode } from './close-codes.js';
import type { ClientFrame, NackCode, ServerFrame } from './frames.js';
import { scanFrame } from './json-scan.js';
import { maxBodyDepth, maxIdLength } from './limits.js';

export interface ProtocolViolation {
  /** Close code to answer with when the frame cannot be refused on its own. */
  code: number;
  message: string;
  /** Set for a `message` frame whose mid is known: answer `message:nack` and keep the connection. */
  nack?: { mid: string; code: NackCode };
}

export type Parsed<F> = { ok: true; frame: F } | { ok: false; violation: ProtocolViolation };

export interface ParseOptions {
  /** Deepest body accepted; default maxBodyDepth (64). */
  maxBodyDepth?: number;
}

/** Longest token either side accepts (a JWT with generous claims is a few kB). */
export const maxTokenLength = 16 * 1024;

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= maxIdLength;
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isToken = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= maxTokenLength;
const isText = (v: unknown): v is string => typeof v === 'string';

function fail(message: string, code: number = CloseCode.malformed): { ok: false; violation: ProtocolViolation } {
  return { ok: false, violation: { code, message } };
}

function nack(mid: string, message: string): { ok: false; violation: ProtocolViolation } {
  return { ok: false, violation: { code: CloseCode.malformed, message, nack: { mid, code: 'invalid' } } };
}

/** JSON text → a plain object. */
function readObject(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; violation: ProtocolViolation } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('frame is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('frame must be a JSON object');
  return { ok: true, value: value as Record<string, unknown> };
}

const describeType = (t: unknown) => JSON.stringify(String(t)).slice(0, 64);

export function parseClientFrame(text: unknown, options: ParseOptions = {}): Parsed<ClientFrame> {
  if (typeof text !== 'string') return fail('frames are JSON text');
  // Before JSON.parse builds it: a body nested 30,000 deep parses, but every later
  // JSON.stringify of it throws. The frame object is one level; its body may add the limit.
  const limit = options.maxBodyDepth ?? maxBodyDepth;
  const scan = scanFrame(text, limit + 1);
  if (scan.tooDeep) {
    const message = `body nested deeper than ${limit} levels`;
    return scan.type === 'message' && isId(scan.mid) ? nack(scan.mid, message) : fail(message);
  }
  const read = readObject(text);
  if (!read.ok) return read;
  const f = read.value;
  switch (f.type) {
    case 'session:login':
      if (!isToken(f.token)) return fail('session:login needs a token');
      if (f.sessionId !== undefined && !isId(f.sessionId))
        return fail('session:login sessionId must be a short string');
      if (f.lastSeq !== undefined && !isSeq(f.lastSeq)) return fail('session:login lastSeq must be an integer >= 0');
      return {
        ok: true,
        frame: {
          type: 'session:login',
          token: f.token,
          ...(f.sessionId !== undefined ? { sessionId: f.sessionId as string } : {}),
          ...(f.lastSeq !== undefined ? { lastSeq: f.lastSeq as number } : {}),
        },
      };
    case 'session:update_token':
      if (!isId(f.rid) || !isToken(f.token)) return fail('session:update_token needs rid and token');
      return { ok: true, frame: { type: 'session:update_token', rid: f.rid, token: f.token } };
    case 'session:logout':
      if (!isId(f.rid)) return fail('session:logout needs rid');
      return { ok: true, frame: { type: 'session:logout', rid: f.rid } };
    case 'message':
      if (!isId(f.mid)) return fail(`message needs a mid (a string of 1..${maxIdLength} characters)`);
      if (!('body' in f)) return nack(f.mid, 'message needs a body');
      return { ok: true, frame: { type: 'message', mid: f.mid, body: f.body } };
    case 'ack':
      if (!isSeq(f.seq)) return fail('ack needs seq (an integer >= 0)');
      return { ok: true, frame: { type: 'ack', seq: f.seq } };
    case 'ping':
      if (!isTime(f.t)) return fail('ping needs t');
      return { ok: true, frame: { type: 'ping', t: f.t } };
    default:
      return fail(`unknown frame type ${describeType(f.type)}`);
  }
}

function readLimits(v: unknown) {
  if (typeof v !== 'object' || v === null) return null;
  const l = v as Record<string, unknown>;
  return isCount(l.maxFrameBytes) && isCount(l.messagesPerSecond) && isCount(l.burst)
    ? { maxFrameBytes: l.maxFrameBytes, messagesPerSecond: l.messagesPerSecond, burst: l.burst }
    : null;
}

const nackCodes: readonly NackCode[] = ['rate_limited', 'too_large', 'invalid'];

/**
 * Server frames are checked for shape, not for nesting: the server refuses deep bodies before it
 * stores them, and leaving the scanner out keeps it out of every browser bundle.
 */
export function parseServerFrame(text: unknown): Parsed<ServerFrame> {
  if (typeof text !== 'string') return fail('frames are JSON text');
  const read = readObject(text);
  if (!read.ok) return read;
  const f = read.value;
  switch (f.type) {
    case 'session:success': {
      const limits = readLimits(f.limits);
      if (
        !isId(f.sessionId) ||
        !isText(f.userId) ||
        typeof f.resumed !== 'boolean' ||
        !isTime(f.serverTime) ||
        !isTime(f.tokenExpiresAt) ||
        !isTime(f.resumeWindowMs) ||
        !isSeq(f.lastSeq) ||
        !isSeq(f.firstSeq) ||
        limits === null
      ) {
        return fail('session:success is missing a field or has one of the wrong type');
      }
      return {
        ok: true,
        frame: {
          type: 'session:success',
          sessionId: f.sessionId,
          userId: f.userId,
          resumed: f.resumed,
          serverTime: f.serverTime,
          tokenExpiresAt: f.tokenExpiresAt,
          resumeWindowMs: f.resumeWindowMs,
          lastSeq: f.lastSeq,
          firstSeq: f.firstSeq,
          limits,
        },
      };
    }
    case 'session:token_updated':
      if (!isId(f.rid) || !isTime(f.tokenExpiresAt)) return fail('session:token_updated needs rid and tokenExpiresAt');
      return { ok: true, frame: { type: 'session:token_updated', rid: f.rid, tokenExpiresAt: f.tokenExpiresAt } };
    case 'session:logged_out':
      if (!isId(f.rid)) return fail('session:logged_out needs rid');
      return { ok: true, frame: { type: 'session:logged_out', rid: f.rid } };
    case 'event':
      if (!isSeq(f.seq) || f.seq === 0 || !('body' in f)) return fail('event needs seq (>= 1) and body');
      if (f.from !== undefined && f.from !== null && !isText(f.from)) return fail('event from must be a string');
      return {
        ok: true,
        frame: { type: 'event', seq: f.seq, body: f.body, ...(isText(f.from) ? { from: f.from } : {}) },
      };
    case 'message:ack':
      if (!isId(f.mid)) return fail('message:ack needs mid');
      return { ok: true, frame: { type: 'message:ack', mid: f.mid } };
    case 'message:nack':
      if (!isId(f.mid) || !nackCodes.includes(f.code as NackCode) || !isText(f.message)) {
        return fail('message:nack needs mid, code and message');
      }
      if (f.retryAfterMs !== undefined && !(isTime(f.retryAfterMs) && f.retryAfterMs >= 0)) {
        return fail('message:nack retryAfterMs must be a number >= 0');
      }
      return {
        ok: true,
        frame: {
          type: 'message:nack',
          mid: f.mid,
          code: f.code as NackCode,
          message: f.message,
          ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs as number } : {}),
        },
      };
    case 'pong':
      if (!isTime(f.t)) return fail('pong needs t');
      return { ok: true, frame: { type: 'pong', t: f.t } };
    case 'session:disconnect':
      if (f.reason !== 'TOKEN_EXPIRED') return fail('session:disconnect reason must be TOKEN_EXPIRED');
      return { ok: true, frame: { type: 'session:disconnect', reason: 'TOKEN_EXPIRED' } };
    case 'session:error':
      if (!Number.isInteger(f.code) || !isText(f.message)) return fail('session:error needs code and message');
      if (f.rid !== undefined && !isId(f.rid)) return fail('session:error rid must be a short string');
      if (f.retryAfterMs !== undefined && !(isTime(f.retryAfterMs) && f.retryAfterMs >= 0)) {
        return fail('session:error retryAfterMs must be a number >= 0');
      }
      return {
        ok: true,
        frame: {
          type: 'session:error',
          code: f.code as number,
          message: f.message,
          ...(f.rid !== undefined ? { rid: f.rid as string } : {}),
          ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs as number } : {}),
        },
      };
    default:
      return fail(`unknown frame type ${describeType(f.type)}`);
  }
}
