// Debian's Chromium driven by playwright-core (never a downloaded browser). CI installs it (.ci/run);
// elsewhere the browser tests skip, saying how to get it.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Why the browser tests cannot run here (null: they can); on CI a missing browser is an error. */
export function chromiumUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`;
  if (process.env.CI) throw new Error(`CI needs Chromium for the console tests: ${reason}`);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
