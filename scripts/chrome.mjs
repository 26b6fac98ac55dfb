// Finds the Chrome/Chromium that browser tests and end-to-end tests drive.
// Nothing here downloads a browser: the system one is used (CHROME_PATH first).
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export const INSTALL_HINT = `No Chrome/Chromium found. Browser tests need one; nothing is downloaded for you.
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium
  or point CHROME_PATH at an existing Chrome/Chromium executable, e.g.
  CHROME_PATH=/path/to/chrome npm test`;

/** @returns {string | undefined} */
export function findChrome() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/** Flags for a root-run, offline, headless Chromium (see the machine notes in README). */
export const CHROME_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
];
