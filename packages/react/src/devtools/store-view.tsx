import type { SessionState } from '@nexmo-session/core';
import { describeValue } from './format.js';

/** Every field of the store, as it is now (new fields appear without changes here). */
export function StoreView({ state, nowMs }: { state: SessionState; nowMs: number }) {
  return (
    <table className="nxs-devtools__table">
      <tbody>
        {Object.entries(state).map(([key, value]) => (
          <tr key={key} data-field={key}>
            <th scope="row">{key}</th>
            <td>{describeValue(key, value, nowMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
