// The @vonage/client-sdk adapter entry alone: it must never pull the SDK in (~316 kB).
export * from '../../packages/core/dist/vonage-client-sdk.js';
