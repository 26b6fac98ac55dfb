#!/usr/bin/env node
// motcua-gateway: starts the gateway from environment variables (see README) and stops it cleanly on
// SIGINT/SIGTERM (SSE streams ended, requests in flight finished, database closed).
import { configFromEnv } from './config.js';
import { compileWasmWithoutLiftoff } from './lean-wasm.js';
import { startGateway } from './server.js';

// configFromEnv() throws on a bad variable: reported like any other start failure (one JSON line, exit 1).
const gateway = await Promise.resolve()
  .then(() => {
    const config = configFromEnv();
    // PGlite (no DATABASE_URL): its WASM PostgreSQL compiled without Liftoff, for less memory.
    if (!config.databaseUrl) compileWasmWithoutLiftoff();
    return startGateway(config);
  })
  .catch((error: unknown) => {
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'gateway failed to start', error: (error as Error).message })}\n`,
    );
    process.exit(1);
  });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
