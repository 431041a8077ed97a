import { useConnectionStatus, useNexmoSession, useSessionActions } from '@nexmo-session/react';

/** useConnectionStatus: say where a message goes. While not connected it waits in the outbox. */
export function SendButton() {
  const status = useConnectionStatus();
  const waiting = useNexmoSession((s) => s.outboxSize);
  const { send } = useSessionActions();
  return (
    <p>
      <button type="button" className="nxs-button" onClick={() => send({ text: 'hello' }).catch(() => {})}>
        {status === 'connected' ? 'Send' : 'Send when reconnected'}
      </button>{' '}
      {waiting > 0 ? `${waiting} waiting to be sent` : 'Nothing waiting'}
    </p>
  );
}
