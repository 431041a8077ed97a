import { describeEvent, formatOffset } from './format.js';
import type { SessionRecording } from './use-session-recorder.js';

/** The recorded events, newest first, with their time since recording started. */
export function EventTimeline({ recording }: { recording: SessionRecording }) {
  if (recording.events.length === 0) {
    return <p className="nxs-devtools__empty">No events yet.</p>;
  }
  return (
    // Scrollable, so it takes focus: keyboard users can scroll it (axe: scrollable-region-focusable).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: see above
    <ol className="nxs-devtools__timeline" tabIndex={0} aria-label="Events, newest first">
      {recording.events.map((event) => (
        <li key={event.id} className="nxs-devtools__event" data-event={event.name}>
          <span className="nxs-devtools__time">{formatOffset(event.atMs - recording.startedAtMs)}</span>
          <span className="nxs-devtools__event-name">{event.name}</span>
          <span className="nxs-devtools__event-detail">{describeEvent(event.name, event.args)}</span>
        </li>
      ))}
    </ol>
  );
}
