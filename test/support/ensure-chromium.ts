import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './chromium.ts';

/**
 * End-to-end tests drive Chromium. On Debian as root it is installed when missing (as CI does);
 * elsewhere the message says what to install or how to point CHROMIUM_PATH at a browser.
 */
export function ensureChromium(): string | null {
  if (findChromium()) return null;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.platform === 'linux' && isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('Installing Chromium for the end-to-end tests (apt-get)…');
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (update.status === 0 && install.status === 0 && existsSync('/usr/bin/chromium')) return null;
    return 'apt-get could not install chromium';
  }
  return 'No Chromium found. Install it (Debian/Ubuntu: apt-get install chromium; macOS: install Chromium or Chrome) and set CHROMIUM_PATH to its executable.';
}
