/**
 * The playground's event log: every session event but chat messages, newest at the bottom, kept in
 * view while the reader is at the bottom (scrolling up to read stops the follow; scrolling back
 * down resumes it). Self-contained so a devtools panel can replace it in one line of app.tsx.
 */
import { sessionEventNames } from '@nexmo-session/core';
import { useSessionInstance } from '@nexmo-session/react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';

const logged = sessionEventNames.filter((name) => name !== 'message');
const maxEntries = 200;
/** How close to the bottom (px) still counts as "at the bottom": a partly visible last line. */
const followSlackPx = 24;

interface Entry {
  id: number;
  at: number;
  text: string;
}

function describe(arg: unknown): string {
  if (arg === undefined) return '';
  if (typeof arg === 'object' && arg !== null && 'type' in arg) return String((arg as { type: unknown }).type);
  return typeof arg === 'object' ? JSON.stringify(arg) : String(arg);
}

export function EventLog() {
  const session = useSessionInstance();
  const [entries, setEntries] = useState<Entry[]>([]);
  const nextId = useRef(0);
  const list = useRef<HTMLOListElement>(null);
  const following = useRef(true);

  useEffect(() => {
    const offs = logged.map((name) =>
      session.on(name, (arg?: unknown) => {
        // Measured when the entry arrives, not from scroll events: those fire a frame later, so an
        // entry landing right after the reader scrolled up would drag the view back down.
        const el = list.current;
        if (el) following.current = el.scrollHeight - el.scrollTop - el.clientHeight <= followSlackPx;
        const detail = describe(arg);
        const text = `${name}${detail ? ` ${detail}` : ''}`;
        setEntries((e) => [...e.slice(-(maxEntries - 1)), { id: nextId.current++, at: Date.now(), text }]);
      }),
    );
    return () => {
      for (const off of offs) off();
    };
  }, [session]);

  // Before paint, so the newest line never flashes out of view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs for every new entry on purpose
  useLayoutEffect(() => {
    const el = list.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [entries]);

  return (
    <section className="pg-card pg-log" aria-labelledby="log-title">
      <h2 id="log-title">Events</h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <ol ref={list} data-testid="event-log" tabIndex={0} aria-labelledby="log-title">
        {entries.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.at).toISOString()}>{new Date(e.at).toISOString().slice(11, 23)}</time> {e.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
