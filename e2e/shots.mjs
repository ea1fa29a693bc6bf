import { launch } from './helpers.mjs';
const base = 'http://127.0.0.1:18093';
const browser = await launch();
async function office(width) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const p = await ctx.newPage();
  await p.goto(`${base}/login`);
  await p.getByLabel('Tên đăng nhập').fill('dieuphoi');
  await p.getByLabel('Mật khẩu').fill('song-da-rang-2021');
  await p.getByRole('button', { name: 'Đăng nhập' }).click();
  await p.waitForLoadState();
  return p;
}
const o = await office(1366);
// re-rank round 1 of the staged contest (tie), add a jury final
await o.goto(`${base}/contests/2`);
await o.getByRole('row').filter({ hasText: '1' }).first();
await o.request.post(`${base}/contests/2/rounds/3/rank`).catch(() => {});
const rows = o.getByRole('row').filter({ hasText: /^1/ });
await o.locator('form[action="/contests/2/rounds/3/rank"] button').click();
await o.waitForURL(/results$/);
await o.goto(`${base}/contests/2`);
await o.getByLabel('Tiêu đề vòng', { exact: false }).fill('Chung kết tự luận').catch(() => {});
await o.locator('#r-title').fill('Chung kết tự luận');
await o.locator('#r-opens').fill('20/12/2026 08:00');
await o.locator('#r-closes').fill('20/12/2026 17:00');
await o.locator('#r-stage').selectOption('final-jury');
await o.locator('form[action="/contests/2/rounds"] button').click();
await o.waitForLoadState();
const pages = [
  ['form', '/contests/new'],
  ['overview', '/contests/2'],
  ['results-tie', '/contests/2/rounds/3/results'],
  ['ranking', '/contests/2/rounds/3/ranking'],
  ['finalists', '/contests/2/finalists'],
  ['jury', '/contests/2/rounds/6/jury'],
];
for (const width of [1366, 390]) {
  const p = width === 1366 ? o : await office(390);
  for (const [name, path] of pages) {
    await p.goto(base + path);
    await p.screenshot({ path: `/tmp/shots/${name}-${width}.png`, fullPage: true });
  }
  const pub = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
  for (const [name, path] of [['public', '/thi/2'], ['recover', '/thi/2/tiep-tuc']]) {
    await pub.goto(base + path);
    await pub.screenshot({ path: `/tmp/shots/${name}-${width}.png`, fullPage: true });
  }
}
await browser.close();
