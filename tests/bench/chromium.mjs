// The benchmarks' browser: real Chromium (Debian's) with a built extension loaded, in a fresh
// profile, every request but 127.0.0.1's and the extension's own refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/**
 * @param {string} extension the unpacked extension's folder
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, worker: import('playwright-core').Worker, extensionId: string, close: () => Promise<void> }>}
 */
export async function chromiumWithExtension(extension) {
  const profile = mkdtempSync(join(tmpdir(), 'contract-lens-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`, '--no-sandbox', '--disable-gpu'],
  });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    return url.hostname === '127.0.0.1' || url.protocol === 'chrome-extension:' ? route.continue() : route.abort();
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return {
    context,
    worker,
    extensionId: new URL(worker.url()).host,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * An extension page of `browser` to send messages from, whose DevTools session sees the
 * extension's service worker and can stop it (`stopWorker` resolves once it is stopped).
 * @param {Awaited<ReturnType<typeof chromiumWithExtension>>} browser
 */
export async function extensionControl({ context, extensionId }) {
  const control = await context.newPage();
  await control.goto(`chrome-extension://${extensionId}/options/options.html`);
  const cdp = await context.newCDPSession(control);
  let workerStatus = 'running';
  /** @type {(() => void)[]} */
  let onStatus = [];
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) workerStatus = v.runningStatus;
    for (const f of onStatus) f();
  });
  await cdp.send('ServiceWorker.enable');
  async function stopWorker() {
    const stopped = new Promise((resolve) => {
      onStatus.push(() => workerStatus === 'stopped' && resolve(undefined));
    });
    await cdp.send('ServiceWorker.stopAllWorkers');
    await stopped;
    onStatus = [];
  }
  return { control, stopWorker };
}
