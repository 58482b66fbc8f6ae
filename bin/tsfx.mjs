#!/usr/bin/env node
// The `tsfx` command. The workspace ships TypeScript sources; tsx compiles them on the fly.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../apps/cli/src/main.ts');
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
// The threaded wasm backend keeps worker threads (its pthread pool) alive: once the command is
// done, leave without waiting for them. stdout is flushed first so piped output is complete.
process.stdout.write('', () => process.exit(code));
