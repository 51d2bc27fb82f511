/**
 * `bimo serve` as a real child process (node bin/bimo.js serve), for tests of server mode: its
 * stderr lines (the structured log), its exit, signals, and a wait for `/readyz`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from './pg-cluster.ts';

const BIN = fileURLToPath(new URL('../../bin/bimo.js', import.meta.url));

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Every stderr line so far. */
  lines: string[];
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServe(
  env: Record<string, string>,
  args: string[] = [],
): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...args], {
    env: { ...process.env, BIMO_WARMUP: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let rest = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stdout?.resume();
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = `http://127.0.0.1:${port}`;
  const proc: ServeProcess = {
    url,
    child,
    lines,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
  await waitReady(proc, 60_000);
  return proc;
}

/** Polls `/readyz` until it answers 200; fails with the process's log when it does not. */
export async function waitReady(proc: ServeProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) {
      throw new Error(`bimo serve exited with ${proc.child.exitCode}:\n${proc.lines.join('\n')}`);
    }
    try {
      const res = await fetch(`${proc.url}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      throw new Error(`bimo serve not ready after ${timeoutMs} ms:\n${proc.lines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
