// Starts the real stack for the browser tests on free ports: a fresh PostgreSQL database
// (migrated and seeded by bin/ctl), a Temporal dev server, a worker and the API serving the
// built web app. stop() ends exactly the processes it started and drops the database.
// The web budgets (budget.mjs) start the API alone: the page they measure needs no worker,
// and an idle machine measures steadier.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function until(what, check, timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function answers(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/**
 * startStack brings everything up and returns { baseURL, temporalUI, env, stop }. seed is what
 * `ctl seed` is given; with workers false there is no Temporal dev server and no worker (the
 * API runs without them, its readiness reporting Temporal degraded) and temporalUI is null.
 */
export async function startStack({ logDir, workers = true, seed = ['--products', '200', '--customers', '5', '--orders', '2'] }) {
  mkdirSync(logDir, { recursive: true });
  const [apiPort, temporalPort, uiPort, metricsPort, apiMetricsPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const pgBase = process.env.E2E_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432';
  const dbName = `web_e2e_${process.pid}_${Date.now()}`;
  const env = {
    ...process.env,
    APP_ENV: 'test',
    DATABASE_URL: `${pgBase}/${dbName}?sslmode=disable`,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    HTTP_ADDR: `127.0.0.1:${apiPort}`,
    WORKER_METRICS_ADDR: `127.0.0.1:${metricsPort}`,
    METRICS_ADDR: `127.0.0.1:${apiMetricsPort}`,
    WEB_DIR: path.join(root, 'frontend/dist'),
    JWT_SECRET: 'browser-test-secret-browser-test-secret-0123',
    RATE_LIMIT_AUTH: '0',
    RATE_LIMIT_API: '0',
    LOG_LEVEL: 'warn',
  };
  const children = [];
  const run = (name, cmd, args) => {
    const out = openSync(path.join(logDir, `${name}.log`), 'a');
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', out, out] });
    children.push(child);
    return child;
  };
  const ctl = (...args) => {
    const r = spawnSync(path.join(root, 'bin/ctl'), args, { cwd: root, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ctl ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  };

  const stop = async () => {
    for (const c of children.reverse()) {
      if (c.exitCode === null) c.kill('SIGTERM');
    }
    await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
    spawnSync('psql', [`${pgBase}/postgres`, '-qc', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`], { encoding: 'utf8' });
  };

  try {
    ctl('migrate');
    ctl('seed', ...seed);
    if (workers) {
      run('temporal', path.join(root, 'bin/temporal'), [
        'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(temporalPort), '--ui-port', String(uiPort), '--headless', '--log-level', 'warn',
      ]);
      await until('Temporal', () => answers(temporalPort));
      run('worker', path.join(root, 'bin/worker'), []);
    }
    run('api', path.join(root, 'bin/api'), []);
    const baseURL = `http://127.0.0.1:${apiPort}`;
    await until('the API', async () => (await fetch(`${baseURL}/readyz`)).ok);
    for (const c of children) if (c.exitCode !== null) throw new Error(`a process of the stack exited (see ${logDir})`);
    return { baseURL, temporalUI: workers ? `http://127.0.0.1:${uiPort}` : null, env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
