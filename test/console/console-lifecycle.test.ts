// The admin console, driven as a person would in a real browser (Debian's Chromium) against a real
// platform process: sign in, create a project and an API key, upload a dataset and see its histograms,
// start a training job and watch its curve grow to the last epoch, run an evaluation and see its ROC
// curve, promote, deploy and wait until ready, and predict. A screenshot of each main screen is saved
// (ATELIER_CONSOLE_SCREENSHOTS, default test-artifacts/console-screenshots) for a person to look at.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from './browser.js';
import { startPlatformProcess, type PlatformProcess } from './platform-process.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const SHOTS = process.env.ATELIER_CONSOLE_SCREENSHOTS ?? join(ROOT, 'test-artifacts/console-screenshots');
const skipReason = chromiumUnavailable();

/** The README's customers: age, income, city and a churn label that depends on age (seeded, reproducible). */
function customersCsv(rows = 400): string {
  let s = 7;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = ['age,income,city,churned'];
  for (let i = 0; i < rows; i++) {
    const age = Math.floor(18 + rand() * 60);
    const income = i % 25 === 0 ? '' : String(Math.floor(20000 + rand() * 80000)); // a few missing incomes: null counts show
    const city = rand() < 0.5 ? 'paris' : 'lyon';
    lines.push(`${age},${income},${city},${age < 35 && rand() < 0.8 ? 1 : 0}`);
  }
  return `${lines.join('\n')}\n`;
}

describe.skipIf(skipReason !== null)(`the console in a browser${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const shots: string[] = [];

  const shot = async (name: string, fullPage = true) => {
    const path = join(SHOTS, `${name}.png`);
    await page.screenshot({ path, fullPage });
    shots.push(path);
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [platform, browser] = await Promise.all([startPlatformProcess(), launchChromium()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => {
      // A Content-Security-Policy violation or an uncaught error is a bug in the console or its headers.
      if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) pageErrors.push(msg.text());
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    if (shots.length) console.log(`console screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
  });

  it('is served at /console with its security headers, deep links fall back to the app, and /docs is branded with a link to it', async () => {
    const root = await fetch(`${platform.url}/console`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
    const deep = await fetch(`${platform.url}/console/p/shop/models/churn?version=2&tab=aliases`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toMatch(/text\/html/);
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    expect(deep.headers.get('content-security-policy')).toMatch(/default-src 'self'.*script-src 'self'/);
    const html = await deep.text();
    expect(html).toContain('<div id="app">');
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset, html).toBeTruthy();
    const js = await fetch(`${platform.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toMatch(/immutable/);
    expect((await fetch(`${platform.url}/console/assets/gone-1234.js`)).status).toBe(404);
    expect((await fetch(`${platform.url}/console/..%2f..%2fpackage.json`)).headers.get('content-type')).not.toMatch(/json/);
    // No request leaves this origin: nothing in the page points at another host.
    expect(html).not.toMatch(/https?:\/\//);

    await page.goto(`${platform.url}/docs`);
    await expect.poll(() => page.title()).toMatch(/Atelier/);
    await page.getByRole('heading', { name: /Atelier API/ }).first().waitFor();
    const link = page.getByRole('link', { name: 'Open the console' });
    await link.waitFor();
    await shot('00-docs', false);
    await link.click();
    await page.waitForURL(/\/console\/?$/);
  });

  it('refuses a wrong key with the API\'s problem message, then signs in with the admin key and creates a project', async () => {
    await page.goto(`${platform.url}/console/`);
    await page.getByLabel('API key').fill('atl_not_a_real_key_0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/ATL_\w+/);
    await shot('01-sign-in-error');

    await page.getByLabel('API key').fill(platform.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/console\/projects$/);
    // The key is in this tab's sessionStorage, never in the URL.
    expect(page.url()).not.toContain(platform.adminKey);
    await page.getByLabel('New project name').fill('shop');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/console\/p\/shop\/datasets$/);
    await page.getByText('No datasets yet').waitFor();
    await page.getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('link', { name: 'shop', exact: true }).waitFor();
    await shot('02-projects');
  });

  it('creates an API key whose secret is shown once, and revokes it', async () => {
    await page.goto(`${platform.url}/console/p/shop/keys`);
    await page.getByText('No API keys yet').waitFor();
    await page.getByLabel('Key name').fill('ci-deployer');
    await page.getByLabel('Role').selectOption('editor');
    await page.getByRole('button', { name: /Create key in shop/ }).click();
    const secret = (await page.getByTestId('new-key-secret').textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);
    // The new key works against the API: it sees the project it was made for.
    const asKey = await fetch(`${platform.url}/v1/projects/shop/datasets`, { headers: { authorization: `Bearer ${secret}` } });
    expect(asKey.status).toBe(200);
    await page.getByRole('cell', { name: 'ci-deployer' }).waitFor();
    await shot('03-api-keys');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('new-key-secret').count()).toBe(0);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No API keys yet').waitFor();
    await page.getByLabel('Show revoked keys').check();
    await page.getByText('revoked', { exact: true }).waitFor();
    await expect.poll(async () => (await fetch(`${platform.url}/v1/projects/shop/datasets`, { headers: { authorization: `Bearer ${secret}` } })).status, { timeout: 15_000 }).toBe(401);
  });

  it('shows the audit log: who created and revoked the key, when; a filter kept in the URL', async () => {
    await page.goto(`${platform.url}/console/p/shop/audit-log`);
    const rows = page.getByRole('table', { name: 'Audit log entries' }).locator('tbody tr');
    await rows.first().waitFor();
    // newest first: the revoke, then the create, both by the platform admin key that signed in
    expect(await rows.nth(0).textContent()).toMatch(/api-key\.revoke/);
    expect(await rows.nth(1).textContent()).toMatch(/api-key\.create.*ci-deployer/);
    expect(await rows.nth(1).textContent()).toMatch(/platform key/);
    await shot('03b-audit-log');
    await page.getByLabel('Action').fill('api-key.create');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.url()).toMatch(/\/audit-log\?action=api-key\.create$/);
    await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes('api-key.create'))).toBe(true);
    expect(await rows.count()).toBeGreaterThan(0);
    // the filter survives a reload (it lives in the URL)
    await page.reload();
    expect(await page.getByLabel('Action').inputValue()).toBe('api-key.create');
    await page.getByLabel('Resource type').fill('deployment');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No audit entries match these filters.').waitFor();
  });

  it('uploads a dataset and shows its profile: a histogram per numeric column, category bars, null counts, a preview', async () => {
    const csv = join(mkdtempSyncSafe(), 'customers.csv');
    writeFileSync(csv, customersCsv());
    await page.goto(`${platform.url}/console/p/shop/datasets`);
    await page.getByLabel('File (CSV, JSONL or Parquet)').setInputFiles(csv);
    expect(await page.getByLabel('Dataset name').inputValue()).toBe('customers');
    await page.getByRole('button', { name: 'Upload new version' }).click();
    await page.waitForURL(/\/datasets\/customers\?version=1&tab=profile/);
    await page.getByText('400 rows × 4 columns').waitFor();
    // age, income and churned are numeric: each draws its histogram on a canvas; city gets labelled bars.
    await expect.poll(() => page.locator('[data-testid=histogram] canvas').count()).toBe(3);
    const city = page.getByRole('region', { name: 'Column city' });
    expect(await city.getByTestId('category-bars').textContent()).toMatch(/paris.*lyon|lyon.*paris/);
    const income = page.getByRole('region', { name: 'Column income' });
    expect(await income.textContent()).toContain('16 (4.0%)'); // every 25th income is missing
    await shot('04-dataset-profile');

    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.waitForURL(/tab=preview/);
    await expect.poll(() => page.locator('[data-testid=preview-table] tbody tr').count()).toBe(50);
    // The URL restores the page: a reload shows the same tab of the same version.
    await page.reload();
    await expect.poll(() => page.locator('[data-testid=preview-table] tbody tr').count()).toBe(50);
    await shot('05-dataset-preview');
  });

  it('builds a job spec from the schema, starts it, and the loss curve grows epoch by epoch to the end', async () => {
    await page.goto(`${platform.url}/console/p/shop/datasets/customers?version=1`);
    await page.getByRole('link', { name: 'Train a model on v1' }).click();
    await page.waitForURL(/\/jobs\/new\?dataset=customers&version=1/);
    await page.getByLabel('Label column').selectOption('churned');
    await page.getByLabel('Model name').fill('churn');
    await page.getByLabel('Max epochs').fill('12');
    const spec = await page.locator('pre.json').first().textContent();
    expect(JSON.parse(spec!)).toMatchObject({ modelName: 'churn', label: 'churned', maxEpochs: 12, data: { dataset: 'customers', version: 1 } });
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);

    // Watch the curve: the number of epochs drawn never goes down and ends at 12.
    const seen: number[] = [];
    const deadline = Date.now() + 240_000;
    for (;;) {
      const points = Number((await page.locator('[data-testid=loss-chart]').getAttribute('data-points').catch(() => null)) ?? 0);
      if (seen[seen.length - 1] !== points) seen.push(points);
      const status = (await page.getByTestId('job-status').textContent())?.trim();
      if (status === 'failed' || status === 'cancelled') throw new Error(`the job ended ${status}: ${await page.locator('main').textContent()}`);
      if (status === 'succeeded' && points === 12) break;
      if (Date.now() > deadline) throw new Error(`the job did not finish: epochs seen ${seen.join(',')}, status ${status}`);
      await page.waitForTimeout(100);
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen[seen.length - 1]).toBe(12);
    expect(await page.getByTestId('epochs-done').textContent()).toBe('12 of 12');
    await page.getByText(/INFO/).first().waitFor();
    // Once the stream ends the job's final metrics (the held-out test split) are shown.
    await page.getByTestId('final-metrics').getByRole('cell', { name: 'test.auc' }).waitFor();
    // Where it trained: a CPU worker here, the native backend or the TypeScript one.
    expect(await page.getByTestId('placement').textContent()).toMatch(/^cpu \((native-cpu|cpu)\)$/);
    await shot('06-training-job');
    await page.getByRole('link', { name: 'churn v1' }).click();
    await page.waitForURL(/\/models\/churn\?version=1/);
  });

  it('cancels a running job from its page', async () => {
    await page.goto(`${platform.url}/console/p/shop/jobs/new?dataset=customers&version=1`);
    await page.getByLabel('Label column').selectOption('churned');
    await page.getByLabel('Model name').fill('churn-long');
    await page.getByLabel('Max epochs').fill('1000');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    await expect.poll(async () => (await page.getByTestId('job-status').textContent())?.trim(), { timeout: 60_000 }).toBe('running');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await expect.poll(async () => (await page.getByTestId('job-status').textContent())?.trim(), { timeout: 60_000 }).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
    // Back to the model trained above.
    await page.goto(`${platform.url}/console/p/shop/models/churn?version=1`);
  });

  it('follows a tuning job started through the API: its trials fill in, the best is marked, the version is linked', async () => {
    const res = await fetch(`${platform.url}/v1/projects/shop/tuning-jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        base: {
          modelName: 'churn-tuned',
          data: { dataset: 'customers', version: 1 },
          label: 'churned',
          features: [{ name: 'age', type: 'numeric', transform: 'standardize' }, { name: 'city', type: 'categorical', transform: 'vocabulary' }],
          model: { kind: 'logistic' },
          maxEpochs: 4,
        },
        searchSpace: [{ path: '/optimizer', type: 'choice', values: [{ kind: 'adam', lr: 0.01 }, { kind: 'adam', lr: 0.1 }, { kind: 'sgd', lr: 0.1 }] }],
        maxTrials: 3,
        seed: 1,
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await page.goto(`${platform.url}/console/p/shop/tuning`);
    await page.getByRole('link', { name: id.slice(-8) }).click();
    await page.waitForURL(new RegExp(`/tuning/${id}$`));
    await expect.poll(async () => (await page.getByTestId('study-status').textContent())?.trim(), { timeout: 240_000 }).toBe('succeeded');
    await expect.poll(async () => page.getByTestId('trials').locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    expect(await page.getByTestId('best-trial').textContent()).toMatch(/^trial [0-2]: [01](\.\d+)?$/);
    await shot('06b-tuning-job');
    await page.getByRole('link', { name: /the best trial, as a version of churn-tuned/ }).click();
    await page.waitForURL(/\/models\/churn-tuned/);
    // Back to the model trained above (the next tests evaluate, promote and deploy it from its page).
    await page.goto(`${platform.url}/console/p/shop/models/churn?version=1`);
  });

  it('runs an evaluation with a gate rule and shows its ROC, PR and calibration curves and the gate\'s checks', async () => {
    await page.getByLabel('Gate limit (optional)').fill('0.7');
    await page.getByRole('button', { name: 'Run evaluation' }).click();
    await page.locator('[data-testid=curve-roc] canvas').waitFor({ timeout: 180_000 });
    expect(Number(await page.getByTestId('curve-roc').getAttribute('data-points'))).toBeGreaterThan(10);
    await page.locator('[data-testid=curve-pr] canvas').waitFor();
    await page.locator('[data-testid=curve-calibration] canvas').waitFor();
    expect(await page.getByTestId('gate-verdict').textContent()).toMatch(/blessed|no baseline/);
    // The rule it was given, checked: AUC at least 0.7 passed.
    const check = page.getByRole('row', { name: /auc \(min absolute\)/ });
    expect(await check.textContent()).toMatch(/0\.7.*passed/);
    await page.getByText('Feature importance (permutation)').waitFor();
    await page.getByRole('row', { name: /auc/ }).first().waitFor();
    await shot('07-model-evaluation');
  });

  it('promotes the version to production (reaching the tab with the keyboard)', async () => {
    await page.getByRole('tab', { name: 'Evaluation of v1' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/tab=aliases/);
    expect(await page.getByRole('tab', { name: 'Aliases & promotion' }).getAttribute('aria-selected')).toBe('true');
    // The focus followed the selection, and it is visible (the focus ring is an outline).
    const focused = page.locator(':focus');
    expect(await focused.textContent()).toBe('Aliases & promotion');
    expect(await focused.evaluate((el) => (el.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }).getComputedStyle(el).outlineStyle)).not.toBe('none');
    await page.getByRole('button', { name: 'Promote v1 to “production”' }).click();
    await page.getByTestId('aliases-table').getByRole('cell', { name: 'production' }).waitFor();
    await page.getByText('production', { exact: true }).first().waitFor();
    await shot('08-model-aliases');
  });

  it('creates a deployment that becomes ready, and makes a prediction from the console', async () => {
    await page.getByRole('link', { name: 'Deploy…' }).click();
    await page.waitForURL(/\/deployments\?model=churn/);
    await expect.poll(() => page.getByLabel('Serve (100% of traffic)').inputValue()).toBe('alias:production');
    expect(await page.getByLabel('Deployment name').inputValue()).toBe('churn-live');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.waitForURL(/\/deployments\/churn-live$/, { timeout: 90_000 });
    await expect.poll(async () => (await page.getByTestId('deployment-state').textContent())?.trim(), { timeout: 60_000 }).toBe('ready');

    // The box starts with two rows of the training data, named as the model's inputs.
    await expect.poll(async () => page.getByLabel('Instances (a JSON array of objects, one per row)').inputValue()).toMatch(/"age"[\s\S]*"income"[\s\S]*"city"/);
    expect(await page.getByLabel('Instances (a JSON array of objects, one per row)').inputValue()).not.toContain('churned');
    await page.getByLabel('Instances (a JSON array of objects, one per row)').fill(JSON.stringify([{ age: 25, income: 40000, city: 'paris' }, { age: 60, income: 90000, city: 'lyon' }]));
    await page.getByRole('button', { name: 'Predict with churn' }).click();
    const result = page.getByTestId('prediction-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('churn-live');
    const predictions = JSON.parse((await result.locator('pre').textContent())!);
    expect(predictions).toHaveLength(2);
    for (const p of predictions.flat()) expect(p).toBeGreaterThanOrEqual(0);
    // The model learned that the young churn: the 25-year-old scores above the 60-year-old.
    expect(predictions.flat()[0]).toBeGreaterThan(predictions.flat()[1]);

    // The prediction comes back from the prediction log in the recent predictions panel: its inputs,
    // its answers, the version and deployment that gave them.
    const recent = page.getByRole('table', { name: 'Recent predictions' });
    const row = recent.locator('tbody tr').filter({ hasText: '"income":40000' });
    await row.first().waitFor({ timeout: 30_000 });
    expect(await row.first().textContent()).toMatch(/v1.*churn-live.*ms.*"age":25.*"age":60/s);
    expect(await row.first().textContent()).toContain(JSON.stringify(predictions).slice(0, 20));
    await page.getByTestId('recent-predictions').scrollIntoViewIfNeeded();
    await shot('09b-recent-predictions', false);

    // Traffic from elsewhere shows up in the live panel as a request rate above zero (its incomes spread
    // like the training data's, so that the monitoring step below sees only the shift it sends).
    let sending = true;
    let k = 0;
    const traffic = (async () => {
      while (sending) {
        await fetch(`${platform.url}/v1/projects/shop/models/churn/predict`, {
          method: 'POST',
          headers: { authorization: `Bearer ${platform.adminKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ instances: [{ age: 18 + (k % 60), income: 21000 + ((k++ * 7919) % 78000), city: k % 2 ? 'lyon' : 'paris' }] }),
        });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      await expect.poll(async () => Number(await page.getByTestId('request-rate').textContent().catch(() => '0')), { timeout: 30_000 }).toBeGreaterThan(1);
      await page.locator('[data-testid=request-rate-chart] canvas').waitFor();
    } finally {
      sending = false;
      await traffic;
    }
    await shot('09-deployment');

    // Weights: a second route to version 1, 40% of traffic by its slider (the alias keeps 60%), applied as
    // a new revision; then a rollback to the first revision (a third one).
    await page.getByLabel('Route to add').selectOption('version 1');
    await page.getByRole('button', { name: 'Add route' }).click();
    await page.getByLabel(/version 1: 0% of traffic/).fill('40');
    await page.getByText('alias production: 60% of traffic').waitFor();
    await page.getByRole('button', { name: 'Apply weights (new revision)' }).click();
    const revisions = page.locator('main').getByRole('table').filter({ hasText: 'Routes' }).last();
    await revisions.getByRole('row', { name: /^2 production 60, v1 40/ }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await revisions.getByRole('row', { name: /^1 production 100/ }).getByRole('button', { name: 'Roll back to this' }).click();
    await revisions.getByRole('row', { name: /^3 production 100.*current/ }).waitFor();
    await expect.poll(async () => (await page.getByTestId('deployment-state').textContent())?.trim(), { timeout: 60_000 }).toBe('ready');

    await page.goto(`${platform.url}/console/p/shop/deployments`);
    await page.getByRole('cell', { name: 'churn-live' }).waitFor();
    await page.goto(`${platform.url}/console/p/shop/jobs?status=succeeded`);
    // The training job, the evaluation job and the 3 trials of the tuning job (training jobs too), all
    // succeeded; the filter is in the URL.
    await expect.poll(() => page.locator('main tbody tr').count()).toBe(5);
    expect(await page.locator('main tbody').textContent()).toMatch(/train.*evaluate|evaluate.*train/s);
    expect(await page.getByLabel('Status').inputValue()).toBe('succeeded');
    await shot('10-jobs');
  });

  it('shows drift after shifted traffic: alerts, per-feature PSI and out-of-range, live vs training bins; thresholds are editable', async () => {
    // 150 customers unlike any in training: ages past the oldest, a city never seen; incomes spread
    // evenly over the training range, as in training.
    const shifted = Array.from({ length: 150 }, (_, i) => ({ age: 95 + (i % 5), income: Math.round(20000 + ((i + 0.5) * 80000) / 150), city: 'marseille' }));
    const res = await fetch(`${platform.url}/v1/projects/shop/models/churn/predict`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ instances: shifted }),
    });
    expect(res.status).toBe(200);

    await page.goto(`${platform.url}/console/p/shop/deployments/churn-live`);
    await page.getByRole('link', { name: 'Monitoring (drift)' }).click();
    await page.waitForURL(/\/deployments\/churn-live\/monitoring$/);
    // The page refreshes itself: the alerts appear once the gateway has judged the window.
    const alerts = page.getByTestId('alerts-table');
    await alerts.getByRole('row', { name: /age psi/ }).waitFor({ timeout: 60_000 });
    await alerts.getByRole('row', { name: /city outOfRangeRate/ }).waitFor();
    expect(await alerts.textContent()).not.toMatch(/income psi/);
    const age = page.getByTestId('drift-table').getByRole('row', { name: /^age / });
    expect(await age.textContent()).toMatch(/drift: PSI.*out of range/);
    // Income kept its distribution: no PSI or out-of-range flag (its JS distance, on a few hundred values
    // over 20 bins, is noisy and may cross 0.1).
    const income = await page.getByTestId('drift-table').getByRole('row', { name: /^income / }).textContent();
    expect(income).not.toMatch(/drift: .*(PSI|out of range)/);
    await page.locator('[data-testid=drift-bins] canvas').first().waitFor();
    await page.locator('[data-testid=psi-over-time] canvas').waitFor();
    await shot('10c-monitoring');

    await page.getByLabel('minimum rows').fill('50');
    await page.getByLabel('JS distance').fill('');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await expect
      .poll(async () => (await fetch(`${platform.url}/v1/projects/shop/deployments/churn-live/monitoring/thresholds`, { headers: { authorization: `Bearer ${platform.adminKey}` } })).json())
      .toMatchObject({ minRows: 50, js: null, psi: 0.2 });
  });

  it('defines an entity and a feature view from a dataset\'s columns, materializes it, and looks a key up online', async () => {
    // Only the data comes from the API; the entity, the view and the materialization are made in the console.
    const api = (path: string, body: unknown, contentType = 'application/json') =>
      fetch(`${platform.url}/v1/projects/shop${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${platform.adminKey}`, 'content-type': contentType },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }).then(async (r) => {
        if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      });
    await api('/datasets', { name: 'activity' });
    await api('/datasets/activity/versions', 'user_id,ts,clicks,spend\nu1,2024-01-01T00:00:00Z,3,10.5\nu2,2024-01-02T00:00:00Z,1,2.0\nu1,2024-01-05T00:00:00Z,7,30.0\n', 'text/csv');

    await page.goto(`${platform.url}/console/p/shop/features`);
    await page.getByRole('link', { name: 'New feature view…' }).click();
    await page.waitForURL(/\/features\/new$/);
    await page.getByLabel('Source dataset').selectOption('activity');
    await page.waitForURL(/dataset=activity&version=1/);
    // The form is built from the version's columns: key, event time and feature columns guessed from them.
    await page.getByLabel('New entity name').fill('user');
    expect(await page.getByLabel('Join key column').inputValue()).toBe('user_id');
    expect(await page.getByLabel('Event time column').inputValue()).toBe('ts');
    expect(await page.getByLabel('Type of clicks').inputValue()).toBe('int');
    expect(await page.getByLabel('Type of spend').inputValue()).toBe('float');
    expect(await page.getByLabel('Include user_id').count()).toBe(0);
    await page.getByLabel('TTL (seconds, 0 = never expire)').fill('0');
    await shot('10a-new-feature-view');
    await page.getByRole('button', { name: 'Apply feature view' }).click();
    await page.waitForURL(/\/features\?view=activity&version=1$/);

    await page.getByRole('cell', { name: 'user_id: string' }).waitFor();
    // The statistics stored with the view: clicks 3, 1 and 7 have a mean of 3.667.
    expect(await page.getByTestId('feature-statistics').getByRole('row', { name: /clicks/ }).textContent()).toContain('3.667');
    // The form materialized it; a second, full run from the features screen works too.
    await page.getByRole('cell', { name: 'complete' }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Materialize (full)' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'complete' }).count(), { timeout: 30_000 }).toBe(2);
    await page.getByLabel('user_id (string)').fill('u1');
    await page.getByRole('button', { name: 'Look up' }).click();
    const answer = page.locator('pre.json').last();
    await answer.waitFor();
    // u1's latest row: 7 clicks, 30.0 spent.
    expect(JSON.parse((await answer.textContent())!)).toMatchObject({ results: [{ found: true, entityKey: { user_id: 'u1' } }] });
    expect(await answer.textContent()).toMatch(/"clicks"[\s\S]*7/);
    expect(page.url()).toMatch(/\/features\?view=activity&version=1$/);
    await shot('10b-features');
  });

  it("shows the API's problem for something that is not there, with its code", async () => {
    await page.goto(`${platform.url}/console/p/shop/models/no-such-model`);
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/ATL_MODEL_NOT_FOUND.*404/);
    await shot('12-error-state');
  });

  it('draws in dark mode too, and raised no page error or CSP violation along the way', async () => {
    await page.goto(`${platform.url}/console/p/shop/models/churn?version=1&tab=evaluation`);
    await page.getByRole('button', { name: /Colour theme/ }).click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.locator('[data-testid=curve-roc] canvas').waitFor();
    await shot('11-model-evaluation-dark');

    // Signing out forgets the key: the next page asks for one again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto(`${platform.url}/console/p/shop/datasets`);
    await page.getByLabel('API key').waitFor();
    expect(pageErrors).toEqual([]);
  });
});

function mkdtempSyncSafe(): string {
  const dir = join(tmpdir(), `atelier-console-files-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}
