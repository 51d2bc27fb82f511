// One headless Debian Chromium per process, driven by playwright-core, for PDFs, screenshots and
// browser tests. Launching costs 0.2–5 s, so the browser is started on first use and reused;
// callers open and close their own pages. Playwright never downloads a browser here: the
// executable is Debian's `chromium` package (or BIMO_CHROMIUM).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * The flags measured on these machines: without the background-networking ones Chromium floods
 * a closed network with refused connections. Playwright adds a fresh temporary user-data dir
 * itself (deleted on close), so every launch starts from a clean profile.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserOptions {
  /** Defaults to env BIMO_CHROMIUM, then /usr/bin/chromium. */
  executablePath?: string;
  /** Environment to read BIMO_CHROMIUM from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Launch timeout in ms (a cold start takes ~5 s). */
  timeoutMs?: number;
}

let current: Promise<Browser> | undefined;

export function chromiumPath(options: BrowserOptions = {}): string {
  const fromEnv = (options.env ?? process.env).BIMO_CHROMIUM;
  return (
    options.executablePath ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_CHROMIUM)
  );
}

/** Launches a new browser; most callers want the shared one from getBrowser(). */
export async function launchBrowser(options: BrowserOptions = {}): Promise<Browser> {
  const executablePath = chromiumPath(options);
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium not found at ${executablePath}. Install Debian's browser with ` +
        '`apt-get install chromium` (or run `bash scripts/ensure-system-deps.sh`), ' +
        'or set BIMO_CHROMIUM to the path of a Chromium executable.',
    );
  }
  return chromium.launch({
    executablePath,
    args: [...CHROMIUM_ARGS],
    headless: true,
    timeout: options.timeoutMs ?? 60_000,
  });
}

/**
 * The process-wide browser, launched on first call. Options only matter for that first call.
 * A crashed or closed browser is replaced on the next call.
 */
export async function getBrowser(options: BrowserOptions = {}): Promise<Browser> {
  if (current === undefined) {
    const launching = launchBrowser(options);
    current = launching;
    launching.then(
      (browser) => {
        browser.on('disconnected', () => {
          if (current === launching) current = undefined;
        });
      },
      () => {
        if (current === launching) current = undefined;
      },
    );
  }
  return current;
}

/** Closes the shared browser, if one was launched. Safe to call more than once. */
export async function closeBrowser(): Promise<void> {
  const launching = current;
  current = undefined;
  if (launching === undefined) return;
  const browser = await launching.catch(() => undefined);
  await browser?.close();
}
