import type { ServerEvent } from '@nexmo-session/core';
import { useSessionEvent } from '@nexmo-session/react';
import { useState } from 'react';

/** useSessionEvent: every server event once, in order (replays after a resume included). */
export function ChatLog() {
  const [events, setEvents] = useState<ServerEvent[]>([]);
  useSessionEvent('message', (event) => setEvents((all) => [...all.slice(-4), event]));
  useSessionEvent('session:lost', () => setEvents([])); // a new session: the old thread is gone
  if (events.length === 0) return <p>No messages yet.</p>;
  return (
    <ul>
      {events.map((e) => (
        <li key={e.seq}>
          #{e.seq} {e.from ?? 'server'}: {JSON.stringify(e.body)}
        </li>
      ))}
    </ul>
  );
}
