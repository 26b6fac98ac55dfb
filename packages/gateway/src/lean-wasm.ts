import { setFlagsFromString } from 'node:v8';

/**
 * The `motcua-gateway` CLI's memory setting for PGlite, whose PostgreSQL is a 9 MB WebAssembly
 * module: compiled by TurboFan alone instead of Liftoff for every function first (then TurboFan again
 * for the hot ones), it keeps 60–100 MB less resident for about 2 s more CPU at start
 * (bench/gateway/README.md). A process-wide V8 flag, so only the CLI sets it — the process is the
 * gateway's there — and only before PGlite compiles anything; a host that embeds the gateway decides
 * for its own process (`NODE_OPTIONS=--no-liftoff`). An operator who names Liftoff either way in
 * `NODE_OPTIONS` or on the command line keeps their choice. Returns whether it set the flag.
 */
export function compileWasmWithoutLiftoff(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv): boolean {
  if (/liftoff/.test(`${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`)) return false;
  setFlagsFromString('--no-liftoff');
  return true;
}
