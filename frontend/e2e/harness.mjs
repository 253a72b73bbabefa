// The browser tests' small harness: Debian's chromium through playwright-core, an axe-core
// check on every page (no serious or critical violations), a screenshot per step, and steps
// that stop at the first failure (each depends on the one before) and are counted.
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** newPage opens a page; CSP is bypassed only so the test can inject axe-core. */
export async function newPage(browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  return page;
}

/** checkA11y runs axe-core on the current page and throws on serious or critical violations. */
export async function checkA11y(page, label) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) throw new Error(`accessibility (${label}): ${JSON.stringify(bad, null, 1)}`);
  return result;
}

/** Steps runs named steps in order, each with a screenshot and an accessibility check. */
export class Steps {
  constructor(shotsDir) {
    this.shotsDir = shotsDir;
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
    this.n = 0;
  }

  async step(name, page, fn) {
    this.n++;
    const id = String(this.n).padStart(2, '0');
    if (this.failed) {
      this.skipped++;
      console.log(`  - ${id} ${name} (skipped)`);
      return;
    }
    const started = Date.now();
    try {
      await fn();
      await page.screenshot({ path: path.join(this.shotsDir, `${id}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`), fullPage: true });
      await checkA11y(page, name);
      if (page.errors.length) throw new Error(`uncaught errors in the page: ${page.errors.join('; ')}`);
      this.passed++;
      console.log(`  ✓ ${id} ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      this.failed++;
      console.log(`  ✗ ${id} ${name}\n    ${String(err?.stack ?? err).split('\n').slice(0, 8).join('\n    ')}`);
      await page.screenshot({ path: path.join(this.shotsDir, `${id}-FAILED.png`), fullPage: true }).catch(() => {});
    }
  }
}

/** api calls the REST API directly, for checks the UI cannot make (e.g. counting orders). */
export async function api(baseURL, method, p, { token, body } = {}) {
  const res = await fetch(`${baseURL}${p}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** eventually retries an assertion until it holds or the time is up. */
export async function eventually(what, fn, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`${what}: ${last?.message ?? last}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
