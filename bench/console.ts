// The web console's first load in Debian's headless Chromium: bytes on the wire and the time until
// the sign-in form answers (time to interactive), cold (a new browser context each time, nothing
// cached) and warm (the same context again: hashed assets come from the cache).
import { chromium, type Page } from 'playwright-core';

import { percentiles } from './lib/stats.js';
import { table } from './lib/report.js';

const url = `http://127.0.0.1:${process.env.GATEWAY_PORT ?? '8080'}/console/`;
const LOADS = 15;

interface Load {
  interactiveMs: number;
  domContentLoadedMs: number;
  transferredBytes: number;
}

async function measure(page: Page): Promise<Load> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.getByLabel('API key').waitFor();
  // A string, not a function: tsx would wrap a function with helpers the page does not have.
  return page.evaluate<Load>(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    return {
      interactiveMs: performance.now(),
      domContentLoadedMs: nav.domContentLoadedEventEnd,
      transferredBytes: nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
    };
  })()`);
}

export async function benchConsole(): Promise<string> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const cold: Load[] = [];
    const warm: Load[] = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      cold.push(await measure(page));
      warm.push(await measure(page));
      await context.close();
    }
    const row = (name: string, loads: Load[]) => {
      const tti = percentiles(loads.map((l) => l.interactiveMs), [50, 90]);
      const dcl = percentiles(loads.map((l) => l.domContentLoadedMs), [50, 90]);
      const bytes = percentiles(loads.map((l) => l.transferredBytes), [50]);
      return [name, `${tti.p50} / ${tti.p90}`, `${dcl.p50} / ${dcl.p90}`, (bytes.p50 ?? 0).toLocaleString('en')];
    };
    return [
      `Chromium ${browser.version()} headless, ${LOADS} loads of ${url} over loopback from the running gateway; time to interactive = until the sign-in form's key field is there and the page's script has run (ms from navigation start).`,
      table(['load', 'time to interactive p50 / p90 ms', 'DOMContentLoaded p50 / p90 ms', 'bytes transferred (p50)'], [row('cold (new context)', cold), row('warm (same context, cached)', warm)]),
    ].join('\n\n');
  } finally {
    await browser.close();
  }
}
