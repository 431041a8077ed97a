import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing.ts',
    protocol: 'src/protocol/index.ts',
    'nexmo-client': 'src/entries/nexmo-client.ts',
    'vonage-client-sdk': 'src/entries/vonage-client-sdk.ts',
    'reconnecting-websocket': 'src/entries/reconnecting-websocket.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  treeshake: true,
});
