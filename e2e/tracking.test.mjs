// End to end, in a real browser: a unit member imports a spreadsheet of
// activities and submits a report; the coordinator returns it with a
// comment; the member resubmits; the coordinator accepts it. Every page
// visited passes axe-core with no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const base = process.env.KEHOACH_URL ?? 'http://127.0.0.1:18080';
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); });

async function axe(page, label) {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const result = await page.evaluate(() => globalThis.axe.run());
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `axe on ${label}`);
}

async function login(context, user, pass) {
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('Tên đăng nhập').fill(user);
  await page.getByLabel('Mật khẩu').fill(pass);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForLoadState();
  return page;
}

test('member imports activities and reports; the office returns, then accepts', async () => {
  const opts = { viewport: { width: 1100, height: 900 }, bypassCSP: true };
  const office = await login(await browser.newContext(opts), 'dieuphoi', 'dieuphoi-2021');
  await office.goto(`${base}/plans/1/periods`);
  await axe(office, 'periods');
  await office.getByLabel('Kỳ báo cáo', { exact: true }).fill('Quý I năm 2021 (e2e)');
  await office.getByLabel('Từ ngày').fill('01/01/2021');
  await office.getByLabel('Đến ngày').fill('31/03/2021');
  await office.getByLabel('Hạn nộp').fill('05/04/2021');
  await office.getByRole('button', { name: 'Thêm kỳ báo cáo' }).click();
  await office.getByRole('link', { name: 'Quý I năm 2021 (e2e)' }).waitFor();

  const member = await login(await browser.newContext(opts), 'donvi', 'donvi-2021');
  await member.goto(`${base}/activities?plan=1`);
  await axe(member, 'activities');
  const csv = '\ufeffunit,kind,title,date_from,date_to,link,items,participants,reach,themes,channel\r\n'
    + 'Báo Phú Yên,Tin bai,Chuyên mục Xây dựng Đảng (e2e),05/03/2021,,https://baophuyen.vn/,3,,15000,1.1;2.1,1.1\r\n'
    + 'Đài PT-TH tỉnh,broadcast,Tọa đàm trên sóng (e2e),12/03/2021,,,1,6,20000,1.4,1.2\r\n';
  const file = join(mkdtempSync(join(tmpdir(), 'kh-')), 'hoat-dong.csv');
  writeFileSync(file, csv);
  await member.getByLabel('Tệp bảng tính (.xlsx hoặc .csv) theo mẫu').setInputFiles(file);
  await member.getByRole('button', { name: 'Nhập từ bảng tính' }).click();
  await member.getByText('Đã nhập 2 hoạt động.').waitFor();

  await member.goto(`${base}/reports`);
  await axe(member, 'my reports');
  await member.getByRole('row', { name: /Quý I năm 2021 \(e2e\).*Báo Phú Yên/ }).getByRole('link').click();
  await member.getByText('1 hoạt động', { exact: false }).first().waitFor();
  await axe(member, 'report');
  await member.getByLabel('Kết quả nổi bật').fill('Mở chuyên mục, 3 bài, 15.000 lượt đọc.');
  await member.getByRole('button', { name: 'Nộp báo cáo' }).click();
  await member.locator('#report-status', { hasText: 'Đã nộp' }).waitFor();
  const reportUrl = member.url();

  await office.goto(reportUrl);
  await office.getByLabel('Ý kiến (bắt buộc khi trả lại)').fill('Bổ sung số liệu phát thanh.');
  await office.getByRole('button', { name: 'Trả lại để bổ sung' }).click();
  await office.waitForURL(/\/periods\/\d+$/);
  await axe(office, 'period status');

  await member.goto(reportUrl);
  await member.getByText('Bổ sung số liệu phát thanh.').waitFor();
  await member.getByLabel('Kết quả nổi bật').fill('Mở chuyên mục, 3 bài, 15.000 lượt đọc; đã bổ sung.');
  await member.getByRole('button', { name: 'Nộp báo cáo' }).click();
  await member.locator('#report-status', { hasText: 'Đã nộp' }).waitFor();

  await office.goto(reportUrl);
  await office.getByRole('button', { name: 'Tiếp nhận' }).click();
  await office.goto(reportUrl);
  await office.locator('#report-status', { hasText: 'Đã tiếp nhận' }).waitFor();
  await office.goto(`${base}/plans/1/dashboard`);
  await axe(office, 'dashboard');
  assert.match(await office.locator('table.heat').innerText(), /1\.1/);
});
