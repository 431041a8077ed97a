// The devtools entry alone: what an app adds when it mounts <SessionDevtools /> (core is external).
export { SessionDevtools } from '../../packages/react/dist/devtools.js';
