/** Plain-text formatting for the devtools: event lines, store values, times. Pure. */
import type { Notice, SessionEventName } from '@nexmo-session/core';

const maxDetailChars = 120;

function clip(text: string): string {
  return text.length > maxDetailChars ? `${text.slice(0, maxDetailChars - 1)}…` : text;
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // cycles, BigInt: still show something
  }
}

/** A message body, as JSON, clipped. */
export const describeBody = (body: unknown): string => clip(json(body));

/** "+1.250 s" from the timeline's start. */
export function formatOffset(ms: number): string {
  return `+${(Math.max(0, ms) / 1000).toFixed(3)} s`;
}

/** "in 3.5 s", "2.0 s ago", "in 4 min 20 s". */
export function formatRelative(targetMs: number, nowMs: number): string {
  const diff = targetMs - nowMs;
  const abs = Math.abs(diff);
  const text =
    abs < 60_000
      ? `${(abs / 1000).toFixed(1)} s`
      : `${Math.floor(abs / 60_000)} min ${Math.round((abs % 60_000) / 1000)} s`;
  if (abs < 50) return 'now';
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** "12:00:31" in the viewer's time zone. */
export function formatClockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** One event's arguments, as the timeline shows them (never a token: no event carries one). */
export function describeEvent(name: SessionEventName, args: readonly unknown[]): string {
  const [first] = args;
  switch (name) {
    case 'status':
    case 'disconnect':
    case 'reconnecting':
      return String(first);
    case 'reconnect':
      return '';
    case 'error': {
      const err = first as { type?: unknown; message?: unknown } | undefined;
      return clip(`${String(err?.type)}: ${String(err?.message)}`);
    }
    case 'session:resumed':
      return String((first as { sessionId?: unknown } | undefined)?.sessionId);
    case 'session:lost': {
      const info = first as { previousSessionId?: unknown; sessionId?: unknown } | undefined;
      return `${String(info?.previousSessionId)} → ${String(info?.sessionId)}`;
    }
    case 'token:expiring':
    case 'token:refreshed': {
      const expiresAt = (first as { expiresAt?: unknown } | undefined)?.expiresAt;
      return typeof expiresAt === 'number' ? `expires ${formatClockTime(expiresAt)}` : 'expiry unknown';
    }
    case 'message': {
      const event = first as { seq?: unknown; from?: unknown; body?: unknown } | undefined;
      return clip(`#${String(event?.seq)} from ${String(event?.from ?? 'server')}: ${json(event?.body)}`);
    }
    default:
      return clip(args.map(json).join(', '));
  }
}

/** A store field's value; epoch-ms fields (`…At`) also say how far they are from now. */
export function describeValue(key: string, value: unknown, nowMs: number): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number' && key.endsWith('At')) {
    return `${formatClockTime(value)} (${formatRelative(value, nowMs)})`;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    const { cause: _cause, ...rest } = value as Record<string, unknown>; // an Error's cause can be huge
    return clip(json(rest));
  }
  return String(value);
}

/** `store.notice` in a few words: "reconnecting: waiting for attempt 2", "session-lost", "none". */
export function describeNotice(notice: Notice | null): string {
  if (notice === null) return 'none';
  if (notice.kind !== 'reconnecting') return notice.kind;
  if (notice.attempt === 0) return 'reconnecting: connect() in flight';
  return `reconnecting: ${notice.phase === 'waiting' ? 'waiting for' : 'trying'} attempt ${notice.attempt}`;
}
