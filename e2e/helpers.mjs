// Shared by the browser tests: the server's address, Chromium as this
// machine runs it, and the accessibility check every visited page passes.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const base = process.env.KEHOACH_URL ?? 'http://127.0.0.1:18080';

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const cspRefusals = new WeakMap();

/** Records the page's Content-Security-Policy refusals (checked by `axe`). */
export function watchCsp(page) {
  if (cspRefusals.has(page)) return;
  const seen = [];
  cspRefusals.set(page, seen);
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) seen.push(`${page.url()}: ${m.text()}`);
  });
}

/** No axe-core violation of serious or critical impact on the page, and no
 * style or script the page's security policy had to refuse. */
export async function axe(page, label) {
  assert.deepEqual(cspRefusals.get(page) ?? [], [], `CSP on ${label}`);
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const result = await page.evaluate(() => globalThis.axe.run());
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `axe on ${label}`);
}

/** Logs in on a new page of `context` (checking the log-in page with axe). */
export async function login(context, user, pass) {
  const page = await context.newPage();
  watchCsp(page);
  await page.goto(`${base}/login`);
  await axe(page, 'login');
  await page.getByLabel('Tên đăng nhập').fill(user);
  await page.getByLabel('Mật khẩu').fill(pass);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForLoadState();
  return page;
}
