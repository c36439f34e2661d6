// A small test harness for the unit tier, run inside a real browser page by run.mjs: tests
// register with `test`, `run` executes them in order and returns one result per test.

/** @type {{ name: string, fn: () => unknown }[]} */
const tests = [];

/** @param {string} name @param {() => unknown} fn */
export function test(name, fn) {
  tests.push({ name, fn });
}

/** @param {unknown} actual @param {unknown} expected @param {string} [message] */
export function equal(actual, expected, message) {
  if (!Object.is(actual, expected)) {
    throw new Error(`${message ?? 'not equal'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** @param {unknown} actual @param {unknown} expected @param {string} [message] */
export function deepEqual(actual, expected, message) {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${message ?? 'not equal'}: expected ${b}, got ${a}`);
}

/** @param {unknown} value @param {string} message */
export function ok(value, message) {
  if (!value) throw new Error(message);
}

/** @param {() => unknown} fn @param {RegExp} pattern */
export function throws(fn, pattern) {
  try {
    fn();
  } catch (error) {
    if (!pattern.test(String(/** @type {Error} */ (error).message))) throw new Error(`threw ${error}, not ${pattern}`);
    return;
  }
  throw new Error(`did not throw ${pattern}`);
}

/** A fresh element to test in, attached to the page. @param {string} html the test's own markup */
export function fixture(html) {
  const root = document.createElement('div');
  // The tests' own literal markup, never page or dataset text.
  root.innerHTML = html;
  document.body.append(root);
  return root;
}

/** Resolves when `probe()` is truthy, checking on every animation frame; rejects after `ms`. */
export async function until(/** @type {() => unknown} */ probe, ms = 3000) {
  const deadline = performance.now() + ms;
  while (!probe()) {
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

/** Runs every test; resolves to `[{ name, error }]` (`error` null when it passed). */
export async function run() {
  const results = [];
  for (const { name, fn } of tests) {
    try {
      await fn();
      results.push({ name, error: null });
    } catch (error) {
      const e = /** @type {Error} */ (error);
      results.push({ name, error: `${e?.message ?? e}\n${e?.stack ?? ''}` });
    }
    document.body.replaceChildren();
  }
  return results;
}
