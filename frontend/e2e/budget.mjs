// The web app's budgets, measured on the production build against the real API over the seeded
// demo catalogue: the catalogue page's initial JavaScript (gzip -9 of the built files the page
// loaded) and Lighthouse's performance and accessibility scores (mobile form factor, simulated
// throttling, Debian's chromium), the median of a few runs. It reports; it fails only when it
// cannot measure. Run with `make bench-web` (also the second step of `make bench`):
//   node e2e/budget.mjs [--runs N]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { root, startStack } from './stack.mjs';

const budgets = { jsKB: 150, performance: 95, accessibility: 95 };
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a whole number from 1');

const dist = path.join(root, 'frontend/dist');
const outDir = path.join(root, '.dev/web-budget');
mkdirSync(outDir, { recursive: true });
const lighthouseBin = path.join(root, 'frontend/node_modules/.bin/lighthouse');

/** lighthouse runs the pinned Lighthouse CLI once and returns its JSON report. */
function lighthouse(url, n) {
  const reportPath = path.join(outDir, `lighthouse-${n}.json`);
  const args = [
    url,
    '--only-categories=performance,accessibility',
    '--form-factor=mobile',
    '--throttling-method=simulate',
    '--chrome-flags=--headless=new --no-sandbox',
    '--output=json',
    `--output-path=${reportPath}`,
    '--quiet',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(lighthouseBin, args, { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`lighthouse exited with ${code}`));
      resolve(JSON.parse(readFileSync(reportPath, 'utf8')));
    });
  });
}

/** initialScripts lists the same-origin scripts a report saw the page load, as dist paths. */
function initialScripts(report, base) {
  const items = report.audits['network-requests'].details.items;
  return [...new Set(items.filter((r) => r.resourceType === 'Script' && r.url.startsWith(base)).map((r) => new URL(r.url).pathname))].sort();
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const kB = (bytes) => bytes / 1000;
const verdict = (ok) => (ok ? 'met' : 'MISSED');

let stack;
let failed = false;
try {
  console.log('starting a seeded database and the API serving frontend/dist...');
  stack = await startStack({ logDir: path.join(root, '.dev/web-budget/logs'), workers: false, seed: ['--products', '3000', '--customers', '40', '--orders', '5'] });
  const url = `${stack.baseURL}/`;

  const reports = [];
  let failures = 0;
  while (reports.length < runs) {
    const r = await lighthouse(url, reports.length + 1);
    // Lighthouse now and then fails to record a trace (NO_NAVSTART); such a run has no scores.
    if (r.runtimeError) {
      console.log(`  lighthouse run ${reports.length + 1}: ${r.runtimeError.code}, run again`);
      if (++failures > 2) throw new Error(`lighthouse keeps failing: ${r.runtimeError.message}`);
      continue;
    }
    const metric = (id) => r.audits[id].numericValue;
    const run = {
      performance: Math.round(r.categories.performance.score * 100),
      accessibility: Math.round(r.categories.accessibility.score * 100),
      fcp: metric('first-contentful-paint'),
      lcp: metric('largest-contentful-paint'),
      tbt: metric('total-blocking-time'),
      si: metric('speed-index'),
      cls: metric('cumulative-layout-shift'),
      // Lighthouse's measure of this machine's CPU speed at the time: lower is slower (busier).
      benchmarkIndex: r.environment.benchmarkIndex,
    };
    reports.push({ report: r, run });
    console.log(
      `  lighthouse run ${reports.length}/${runs}: performance ${run.performance}, accessibility ${run.accessibility} ` +
        `(FCP ${(run.fcp / 1000).toFixed(1)} s, LCP ${(run.lcp / 1000).toFixed(1)} s, TBT ${Math.round(run.tbt)} ms, SI ${(run.si / 1000).toFixed(1)} s, CLS ${run.cls.toFixed(3)}; CPU benchmark index ${Math.round(run.benchmarkIndex)})`,
    );
  }

  const scripts = initialScripts(reports[0].report, stack.baseURL);
  const sizes = scripts.map((p) => ({ path: p, gzip: gzipSync(readFileSync(path.join(dist, p)), { level: 9 }).length }));
  const js = sizes.reduce((a, s) => a + s.gzip, 0);
  const perf = median(reports.map((r) => r.run.performance));
  const a11y = median(reports.map((r) => r.run.accessibility));
  const tbt = median(reports.map((r) => r.run.tbt));
  const lcp = median(reports.map((r) => r.run.lcp));

  console.log(`\nweb budgets, catalogue page (${url}), Lighthouse ${reports[0].report.lighthouseVersion}, ${runs} runs, mobile, simulated throttling:`);
  console.log(`  initial JavaScript   ${kB(js).toFixed(1)} KB gzip in ${sizes.length} ${sizes.length === 1 ? 'file' : 'files'} (${sizes.map((s) => `${path.basename(s.path)} ${kB(s.gzip).toFixed(1)}`).join(', ')})   budget ≤ ${budgets.jsKB} KB: ${verdict(kB(js) <= budgets.jsKB)}`);
  console.log(`  performance          median ${perf} (${reports.map((r) => r.run.performance).join(' / ')}; median TBT ${Math.round(tbt)} ms, LCP ${(lcp / 1000).toFixed(1)} s)   budget ≥ ${budgets.performance}: ${verdict(perf >= budgets.performance)}`);
  console.log(`  accessibility        median ${a11y} (${reports.map((r) => r.run.accessibility).join(' / ')})   budget ≥ ${budgets.accessibility}: ${verdict(a11y >= budgets.accessibility)}`);
  writeFileSync(
    path.join(outDir, 'summary.json'),
    JSON.stringify({ lighthouse: reports[0].report.lighthouseVersion, runs: reports.map((r) => r.run), scripts: sizes, initialJsGzipBytes: js, performance: perf, accessibility: a11y, budgets }, null, 1),
  );
  console.log(`  reports in .dev/web-budget/`);
} catch (err) {
  failed = true;
  console.log(`web budgets: ${err?.stack ?? err}`);
} finally {
  await stack?.stop().catch(() => {});
}
process.exit(failed ? 1 : 0);
