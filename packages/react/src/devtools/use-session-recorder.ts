/**
 * What the devtools remember while they are mounted, open or not: every event (each name in
 * core's `sessionEventNames`) with its time on the session's clock, and when each token expiry
 * was first seen (the start of the token bar when the token's `iat` is unknown).
 */
import type { Session, SessionEventName } from '@nexmo-session/core';
import { sessionEventNames } from '@nexmo-session/core';
import { useCallback, useEffect, useRef, useState } from 'react';

export interface RecordedEvent {
  id: number;
  name: SessionEventName;
  args: readonly unknown[];
  atMs: number;
}

export interface SessionRecording {
  events: readonly RecordedEvent[];
  /** When recording started (session clock): the timeline's zero. */
  startedAtMs: number;
  /** When the devtools first saw this `tokenExpiresAt`, or null if never. */
  tokenSeenAtMs(expiresAtMs: number): number | null;
  clear(): void;
}

export function useSessionRecorder(session: Session, maxEvents: number): SessionRecording {
  const [events, setEvents] = useState<readonly RecordedEvent[]>([]);
  const [startedAtMs] = useState(() => session.clock.now());
  const nextId = useRef(1);
  const tokenSeen = useRef(new Map<number, number>());

  useEffect(() => {
    const record = (name: SessionEventName, args: readonly unknown[]) => {
      const event = { id: nextId.current++, name, args, atMs: session.clock.now() };
      setEvents((previous) => [event, ...previous].slice(0, maxEvents));
    };
    const unsubscribes = sessionEventNames.map((name) =>
      session.on(name, (...args: readonly unknown[]) => record(name, args)),
    );
    const noteToken = () => {
      const expiresAt = session.getState().tokenExpiresAt;
      if (expiresAt !== null && !tokenSeen.current.has(expiresAt)) {
        tokenSeen.current.set(expiresAt, session.clock.now());
      }
    };
    noteToken();
    unsubscribes.push(session.store.subscribe(noteToken));
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }, [session, maxEvents]);

  const tokenSeenAtMs = useCallback((expiresAtMs: number) => tokenSeen.current.get(expiresAtMs) ?? null, []);
  const clear = useCallback(() => setEvents([]), []);
  return { events, startedAtMs, tokenSeenAtMs, clear };
}
