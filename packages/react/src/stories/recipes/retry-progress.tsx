import { shallowEqual, useNexmoSession } from '@nexmo-session/react';

/** useNexmoSession with a selector: re-renders only when this slice changes. */
export function RetryProgress() {
  const { status, retryCount, maxRetries } = useNexmoSession(
    (s) => ({ status: s.status, retryCount: s.retryCount, maxRetries: s.maxRetries }),
    shallowEqual, // the selector builds a new object each time; compare its fields
  );
  if (status !== 'reconnecting') return <p>Status: {status}</p>;
  return (
    <p>
      <progress max={maxRetries} value={retryCount} aria-label="Reconnection attempts" /> {retryCount} of {maxRetries}{' '}
      attempts made
    </p>
  );
}
