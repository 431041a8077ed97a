import type { OutboxFacts } from './session-facts.js';

/** How many messages wait for the connection, and which, once core exposes them. */
export function OutboxView({ outbox }: { outbox: OutboxFacts }) {
  return (
    <div className="nxs-devtools__outbox">
      <p>
        <strong data-testid="outbox-size">{outbox.size}</strong> {outbox.size === 1 ? 'message waits' : 'messages wait'}{' '}
        for an acknowledgement.
      </p>
      {outbox.entries === null ? (
        <p className="nxs-devtools__note">The messages themselves are not exposed by the session yet.</p>
      ) : (
        <ol className="nxs-devtools__list">
          {outbox.entries.map((entry) => (
            <li key={entry.mid}>
              <code>{entry.mid}</code> {entry.phase}: {JSON.stringify(entry.body)}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
