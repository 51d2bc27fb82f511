#!/usr/bin/env node
// Entry point of the `bimo` command: registers the TypeScript loader (tsx) and runs the CLI.
import { register } from 'tsx/esm/api';

// `bimo observations | head`: the reader closed the pipe, so there is nothing left to say.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
