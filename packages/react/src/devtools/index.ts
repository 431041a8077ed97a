/** `@nexmo-session/react/devtools`: development panel for a session. In no bundle unless imported. */
export type { SessionDevtoolsProps } from './session-devtools.js';
export { SessionDevtools } from './session-devtools.js';
