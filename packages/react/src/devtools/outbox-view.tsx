import { describeBody, formatRelative } from './format.js';
import type { OutboxEntryFacts } from './session-facts.js';

/** The messages accepted and not yet acknowledged, oldest first: on the wire, or waiting their turn. */
export function OutboxView({ entries, nowMs }: { entries: readonly OutboxEntryFacts[]; nowMs: number }) {
  return (
    <div className="nxs-devtools__outbox">
      <p>
        <strong data-testid="outbox-size">{entries.length}</strong>{' '}
        {entries.length === 1 ? 'message waits' : 'messages wait'} for an acknowledgement.
      </p>
      {entries.length > 0 ? (
        <ol className="nxs-devtools__list">
          {entries.map((entry) => (
            <li key={entry.mid} data-phase={entry.sentAt === null ? 'waiting' : 'in-flight'}>
              <code>{entry.mid}</code>{' '}
              {entry.sentAt === null ? 'waiting its turn' : `sent ${formatRelative(entry.sentAt, nowMs)}`}:{' '}
              {describeBody(entry.body)}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
