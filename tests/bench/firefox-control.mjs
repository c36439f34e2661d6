// The extension's own page in Firefox, from which a benchmark talks to the background, and the
// background's stop: what chromium.mjs's `extensionControl` is in Chromium, for firefox.mjs and
// names-start.mjs.
import firefox from 'selenium-webdriver/firefox.js';
import { eventually } from '../e2e/common.mjs';
import { runInWindow } from '../harness-page.mjs';

/**
 * Runs `script` in the browser's chrome context; it calls its last argument with the result.
 * @param {import('selenium-webdriver').WebDriver} driver
 * @param {string} script
 * @param {...unknown} args
 */
async function inChrome(driver, script, ...args) {
  await driver.setContext(firefox.Context.CHROME);
  try {
    return await driver.executeAsyncScript(script, ...args);
  } finally {
    await driver.setContext(firefox.Context.CONTENT);
  }
}

/**
 * Opens extension `id`'s options page in a new tab (from the browser's chrome context: content
 * pages may not), switches to it and waits until it is ready. Returns its window handle and
 * `stopBackground`, which stops the background as about:debugging's "Terminate background
 * script" does and waits until it has stopped.
 * @param {import('selenium-webdriver').WebDriver} driver
 * @param {string} id
 */
export async function firefoxExtensionControl(driver, id) {
  const before = new Set(await driver.getAllWindowHandles());
  await inChrome(
    driver,
    `const [id, done] = arguments;
    gBrowser.addTab(WebExtensionPolicy.getByID(id).getURL('options/options.html'), {
      triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
    done();`,
    id,
  );
  const handles = await eventually(
    () => driver.getAllWindowHandles(),
    (all) => all.some((h) => !before.has(h)),
    { what: 'the options tab' },
  );
  const handle = /** @type {string} */ (handles.find((h) => !before.has(h)));
  await driver.switchTo().window(handle);
  await runInWindow(driver, async () => {
    while (!document.body?.hasAttribute('data-ready')) await new Promise((resolve) => setTimeout(resolve, 10));
  });
  return {
    handle,
    async stopBackground() {
      const state = await inChrome(
        driver,
        `const [id, done] = arguments;
        const extension = WebExtensionPolicy.getByID(id).extension;
        extension.terminateBackground().then(() => done(extension.backgroundState), (e) => done('error: ' + e));`,
        id,
      );
      if (state !== 'stopped') throw new Error(`the background is ${state}, not stopped`);
    },
  };
}
