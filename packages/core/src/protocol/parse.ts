/**
 * The one parser and validator for both directions. A frame is either a known, well-formed frame
 * (only its known fields, so nothing unexpected travels further) or a violation that says how to
 * answer: close with `code`, or, for a message that can be refused on its own, nack its `mid`.
 */
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

// 4400 is CloseCode.malformed, written out so the browser bundle does not carry the whole table.
function fail(message: string): { ok: false; violation: ProtocolViolation } {
  return { ok: false, violation: { code: 4400, message } };
}

function nack(mid: string, message: string): { ok: false; violation: ProtocolViolation } {
  return { ok: false, violation: { code: 4400, message, nack: { mid, code: 'invalid' } } };
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

/**
 * What each server frame must hold: a check per field (`?`: may be absent; an absent or null
 * optional field is left out), or a nested shape. Server frames are parsed in every browser
 * bundle, so they are checked from this table rather than by hand; the violation names the
 * field. (Client frames keep hand-written messages: the server sends them back to clients.)
 */
type Shape = { [field: string]: ((v: unknown) => boolean) | Shape };

const isWait = (v: unknown) => isTime(v) && v >= 0;
const serverShapes: Record<string, Shape> = {
  'session:success': {
    sessionId: isId,
    userId: isText,
    resumed: (v) => typeof v === 'boolean',
    serverTime: isTime,
    tokenExpiresAt: isTime,
    resumeWindowMs: isTime,
    lastSeq: isSeq,
    firstSeq: isSeq,
    limits: { maxFrameBytes: isCount, messagesPerSecond: isCount, burst: isCount },
  },
  'session:token_updated': { rid: isId, tokenExpiresAt: isTime },
  'session:logged_out': { rid: isId },
  event: { seq: (v) => isSeq(v) && v > 0, body: (v) => v !== undefined, 'from?': (v) => v === null || isText(v) },
  'message:ack': { mid: isId },
  'message:nack': {
    mid: isId,
    code: (v) => (['rate_limited', 'too_large', 'invalid'] as unknown[]).includes(v),
    message: isText,
    'retryAfterMs?': isWait,
  },
  pong: { t: isTime },
  'session:disconnect': { reason: (v) => v === 'TOKEN_EXPIRED' },
  'session:error': { code: Number.isInteger, message: isText, 'rid?': isId, 'retryAfterMs?': isWait },
};

/** A copy of `value` with only the fields of `shape`, or the name of the first field that is wrong. */
function pick(shape: Shape, value: unknown): Record<string, unknown> | string {
  if (typeof value !== 'object' || value === null) return 'it';
  const out: Record<string, unknown> = {};
  for (const key in shape) {
    const name = key.replace('?', '');
    const rule = shape[key] as Shape[string];
    let v = (value as Record<string, unknown>)[name];
    if (name !== key && v === undefined) continue;
    if (typeof rule !== 'function') v = pick(rule, v);
    if (typeof rule === 'function' ? !rule(v) : typeof v === 'string') return name;
    if (name === key || v !== null) out[name] = v;
  }
  return out;
}

/**
 * Server frames are checked for shape, not for nesting: the server refuses deep bodies before it
 * stores them, and leaving the scanner out keeps it out of every browser bundle.
 */
export function parseServerFrame(text: unknown): Parsed<ServerFrame> {
  if (typeof text !== 'string') return fail('frames are JSON text');
  const read = readObject(text);
  if (!read.ok) return read;
  const { type } = read.value;
  const shape = typeof type === 'string' && Object.hasOwn(serverShapes, type) ? serverShapes[type] : undefined;
  if (!shape) return fail(`unknown frame type ${describeType(type)}`);
  const fields = pick(shape, read.value);
  if (typeof fields === 'string') return fail(`${type}: ${fields} is missing or invalid`);
  return { ok: true, frame: { type, ...fields } as ServerFrame };
}
