import { useCountdown, useTokenExpiry } from '@nexmo-session/react';

/** useTokenExpiry: the token's status and the time it has left (ticking inside this component). */
export function TokenClock() {
  const { tokenStatus, tokenExpiresAt } = useTokenExpiry();
  const secondsLeft = useCountdown(tokenExpiresAt);
  return (
    <p>
      Token: <strong>{tokenStatus}</strong>
      {secondsLeft !== null ? `, ${Math.floor(secondsLeft / 60)} min ${secondsLeft % 60} s left` : ''}
    </p>
  );
}
