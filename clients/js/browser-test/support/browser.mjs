// Debian's Chromium driven by playwright-core; never a downloaded browser.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.SB_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run, or null when they can. Missing Chromium fails the run with this message unless
 * SB_SKIP_BROWSER_TESTS=1 says to skip them.
 */
export function browserUnavailable() {
  if (existsSync(CHROMIUM)) {
    return null;
  }
  return `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium), `
    + 'or set SB_SKIP_BROWSER_TESTS=1 to skip the browser tests';
}

export const skipBrowserTests = process.env.SB_SKIP_BROWSER_TESTS === '1';

/** A persistent context in a fresh profile directory, so no state leaks between runs; {@code extraArgs} added. */
export async function launchChromium(extraArgs = []) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'sb-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
    viewport: { width: 1100, height: 820 },
  });
}
