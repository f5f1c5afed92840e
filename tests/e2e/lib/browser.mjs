// Headless Debian Chromium driven by playwright-core, with the flags
// field-notes.md found necessary here: fake camera and microphone, loopback
// ICE candidates, no background networking (this machine has no internet),
// and audio not muted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.BRAID_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium; ` +
                    'tools/braid-dev test does this)');
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'braid-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
           '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'],
    ignoreDefaultArgs: ['--mute-audio'],
  });
  return {
    context,
    async newPage(url) {
      const page = await context.newPage();
      page.logs = [];
      page.on('console', (m) => page.logs.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => page.logs.push(`pageerror: ${e.message}`));
      page.on('response', (r) => { if (r.status() >= 400) page.logs.push(`http: ${r.status()} ${r.url()}`); });
      await page.goto(url);
      return page;
    },
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
