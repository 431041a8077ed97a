// The nexmo-client adapter entry alone: it must never pull the SDK in (nexmo-client is ~90 kB).
export * from '../../packages/core/dist/nexmo-client.js';
