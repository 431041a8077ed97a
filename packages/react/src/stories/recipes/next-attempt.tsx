import { useCountdown, useNexmoSession } from '@nexmo-session/react';

/** useCountdown: your own countdown to the next attempt, on the session's clock. */
export function NextAttempt() {
  const nextRetryAt = useNexmoSession((s) => s.nextRetryAt);
  const seconds = useCountdown(nextRetryAt);
  if (seconds === null) return <p>No attempt scheduled.</p>;
  return <p>{seconds > 0 ? `Trying again in ${seconds} s` : 'Trying now…'}</p>;
}
