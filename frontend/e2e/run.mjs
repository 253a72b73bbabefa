// End-to-end test of the web app in headless chromium against the real API, worker,
// PostgreSQL and Temporal: register → AI search finds a product by a typo, with a reason → add
// to cart → checkout (double click: one order) → order page → history → recommendations on the
// home page → the assistant's chips applied to the catalogue → similar products on a product
// page → an admin changes the order's status → an admin rebuilds a read model and watches the
// progress bar reach 100 %. Screenshots go to frontend/e2e/screenshots/; the counts to
// .dev/web-e2e.json. Run with `make web-browser-test`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { api, eventually, launch, newPage, Steps } from './harness.mjs';
import { root, startStack } from './stack.mjs';

const shots = path.join(root, 'frontend/e2e/screenshots');
rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });
mkdirSync(path.join(root, '.dev'), { recursive: true });

const steps = new Steps(shots);
let stack;
let browser;
try {
  console.log('starting PostgreSQL database, Temporal, worker and API...');
  stack = await startStack({ logDir: path.join(root, '.dev/web-e2e-logs') });
  const base = stack.baseURL;
  browser = await launch();
  const page = await newPage(browser);
  const email = `shopper-${Date.now()}@example.com`;
  const admin = (await api(base, 'POST', '/api/v1/auth/login', { body: { email: 'admin@example.com', password: 'demo-password' } })).access_token;
  const target = (await api(base, 'GET', '/api/v1/products?in_stock=true&page_size=1&sort=-price_cents')).items[0];
  // The target's brand and its longest other word with the last two letters swapped, e.g.
  // "Bluefen Gaming Laptop, 15.6-Inch" → "Bluefen Laptpo": only search's spelling signal finds that.
  const [brand, ...rest] = target.name.split(',')[0].split(' ');
  const word = rest.reduce((a, b) => (b.length > a.length ? b : a), '');
  const typo = `${brand} ${word.slice(0, -2)}${word.at(-1)}${word.at(-2)}`;
  let orderId;
  let userId;

  await steps.step('register', page, async () => {
    await page.goto(`${base}/sign-up`);
    await page.getByLabel('Name').fill('Shopper');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('shopper-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('heading', { name: 'Catalogue' }).waitFor();
    userId = (await api(base, 'GET', `/api/v1/users?q=${encodeURIComponent(email)}`, { token: admin })).items[0].id;
  });

  await steps.step('AI search finds a product by a typo, with a reason', page, async () => {
    // The search index follows the product events a moment behind the seeding.
    await eventually('the search index knows the target', async () => {
      const hits = (await api(base, 'GET', `/api/v1/search?q=${encodeURIComponent(typo)}&page_size=24`)).items;
      if (!hits.some((h) => h.id === target.id)) throw new Error(`"${typo}" does not find ${target.name} yet`);
    }, 60_000);
    await page.getByRole('searchbox', { name: 'Search products' }).fill(typo);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === typo);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: target.name, exact: true }) }).first();
    await card.getByText(/similar spelling/).waitFor();
    await page.getByText(`for “${typo}”`, { exact: false }).waitFor();
    if (!(await page.getByLabel('Sort').isDisabled())) throw new Error('the sort control is enabled while searching');
  });

  await steps.step('add to cart', page, async () => {
    const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: target.name, exact: true }) }).first();
    await card.getByRole('button', { name: /^Add to cart/ }).click();
    await card.getByText('Added ✓').waitFor();
    await page.getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('heading', { name: 'Cart' }).waitFor();
    await page.getByRole('link', { name: target.name }).waitFor();
  });

  await steps.step('checkout with a double click', page, async () => {
    await page.getByRole('button', { name: 'Place order' }).dblclick();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
    orderId = new URL(page.url()).pathname.split('/').pop();
    await page.getByRole('heading', { name: `Order ${orderId.slice(-8)}` }).waitFor();
    // The write model has exactly one order for this customer, whatever the history says yet.
    await eventually('one order in the history of the customer', async () => {
      const h = await api(base, 'GET', `/api/v1/orders?user_id=${userId}`, { token: admin });
      if (h.consistency.projected_through < h.consistency.latest || h.items.length === 0) throw new Error('not projected yet');
      if (h.items.length !== 1) throw new Error(`${h.items.length} orders, want 1`);
    });
  });

  await steps.step('order page', page, async () => {
    await page.getByText('Thank you: your order is placed').waitFor();
    await page.getByRole('cell', { name: target.name }).waitFor();
    await page.getByRole('button', { name: 'Cancel order' }).waitFor();
  });

  await steps.step('history shows the order', page, async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('heading', { name: 'Your orders' }).waitFor();
    await page.locator(`[data-order-id="${orderId}"]`).waitFor();
    await page.getByText('Up to date').waitFor();
    if ((await page.locator(`[data-order-id="${orderId}"]`).count()) !== 1) throw new Error('the order is listed more than once');
    // A reload keeps the session: one refresh from the httpOnly cookie restores it.
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.locator(`[data-order-id="${orderId}"]`).waitFor();
  });

  await steps.step('home page shows recommendations', page, async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalogue' }).click();
    const recs = page.getByRole('region', { name: 'Picked for you', exact: true });
    await recs.getByText(/^Picked (by a language model|from your orders)/).waitFor();
    // The local scorer's reasons name its signals: what goes with the customer's orders, or what is popular.
    await recs.getByRole('listitem').first().getByText(/bought|similar|popular/i).waitFor();
  });

  await steps.step('assistant answers with chips and applies them', page, async () => {
    await page.getByLabel('What are you looking for?').fill('kitchen things under 40 dollars, in stock');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const chips = page.getByRole('list', { name: 'Filters understood' });
    await chips.waitFor();
    const texts = await chips.getByRole('listitem').allTextContents();
    for (const want of ['Category: Kitchen', 'Up to $40.00', 'In stock']) {
      if (!texts.includes(want)) throw new Error(`chips ${JSON.stringify(texts)} lack ${want}`);
    }
    await page.getByText(/^Read by rules/).waitFor();
    await page.getByRole('list', { name: 'Products found' }).getByRole('listitem').first().waitFor();
    await page.getByRole('button', { name: 'Apply these filters to the catalogue' }).click();
    await page.waitForURL((u) => u.searchParams.get('category') === 'Kitchen' && u.searchParams.get('max') === '40' && u.searchParams.get('stock') === '1');
    await page.getByRole('region', { name: 'Products', exact: true }).getByRole('listitem').first().waitFor();
  });

  await steps.step('product page shows similar products with reasons', page, async () => {
    await page.goto(`${base}/products/${target.id}`);
    await page.getByRole('heading', { level: 1, name: target.name }).waitFor();
    const similar = page.getByRole('region', { name: 'Similar products', exact: true });
    await similar.getByRole('listitem').first().getByText(/similar|bought/i).waitFor();
  });

  const adminPage = await newPage(browser);
  await steps.step('admin changes the order status', adminPage, async () => {
    await adminPage.goto(`${base}/sign-in?next=%2Fadmin%2Forders`);
    await adminPage.getByLabel('Email').fill('admin@example.com');
    await adminPage.getByLabel('Password').fill('demo-password');
    await adminPage.getByRole('button', { name: 'Sign in' }).click();
    await adminPage.getByRole('heading', { name: 'Orders' }).waitFor();
    await adminPage.getByLabel('Customer ID').fill(userId);
    await adminPage.getByRole('button', { name: 'Filter' }).click();
    const row = adminPage.locator(`[data-order-id="${orderId}"]`);
    await row.getByLabel(/New status for order/).selectOption('paid');
    await row.getByRole('button', { name: /^Apply/ }).click();
    // Either the confirmation, or (once the history has caught up) the row's new status badge.
    await row.getByText(/^(Now paid|paid)$/).first().waitFor();
    const o = await api(base, 'GET', `/api/v1/orders/${orderId}`, { token: admin });
    if (o.status !== 'paid') throw new Error(`status is ${o.status}, want paid`);
  });

  await steps.step('admin rebuilds a read model', adminPage, async () => {
    await adminPage.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Pipeline' }).click();
    await adminPage.getByRole('heading', { name: 'Event pipeline' }).waitFor();
    await adminPage.getByRole('button', { name: 'Rebuild order_history' }).click();
    const bar = adminPage.getByRole('progressbar', { name: 'Rebuild of order_history' });
    await bar.waitFor();
    const seen = new Set();
    await eventually('the progress bar at 100 % and the rebuild completed', async () => {
      seen.add(await bar.getAttribute('aria-valuenow'));
      if ((await bar.getAttribute('aria-valuenow')) !== '100') throw new Error(`at ${[...seen].join(', ')} %`);
      await adminPage.getByText(/Latest rebuild: Completed/).waitFor({ timeout: 1000 });
    }, 90_000);
    console.log(`    progress seen: ${[...seen].join(' → ')} %`);
  });

  const phone = await newPage(browser, { width: 390, height: 844 });
  await steps.step('catalogue on a phone', phone, async () => {
    await phone.goto(`${base}/?q=${encodeURIComponent(target.name)}`);
    await phone.getByRole('link', { name: target.name, exact: true }).first().waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    if (overflow) throw new Error('the page scrolls sideways at phone width');
  });
} catch (err) {
  steps.failed++;
  console.log(`  ✗ setup: ${err?.stack ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  await stack?.stop().catch(() => {});
}

writeFileSync(path.join(root, '.dev/web-e2e.json'), JSON.stringify({ passed: steps.passed, failed: steps.failed, skipped: steps.skipped }));
console.log(`browser tests: ${steps.passed} passed, ${steps.failed} failed${steps.skipped ? `, ${steps.skipped} skipped` : ''}; screenshots in frontend/e2e/screenshots/`);
process.exit(steps.failed || steps.skipped ? 1 : 0);
