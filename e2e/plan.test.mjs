// End to end, in a real browser: the coordinator imports the seed plan
// through the UI, corrects one duty and publishes; a unit member then sees
// that duty. Every page visited passes axe-core with no serious or critical
// violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axe, base, launch, watchCsp } from './helpers.mjs';

const seed = process.env.KEHOACH_SEED;
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function login(page, user, pass) {
  await page.goto(`${base}/login`);
  await axe(page, 'login');
  await page.getByLabel('Tên đăng nhập').fill(user);
  await page.getByLabel('Mật khẩu').fill(pass);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

test('coordinator imports, corrects and publishes; the member sees the duty', async () => {
  const marker = 'Mở lớp tập huấn kỹ năng số cho phóng viên, biên tập viên';
  // bypassCSP only lets the test inject axe-core; the app's own pages run under its CSP.
  const phone = { viewport: { width: 390, height: 844 }, bypassCSP: true };
  const office = await (await browser.newContext(phone)).newPage();
  watchCsp(office);
  await login(office, 'dieuphoi', 'song-da-rang-2021');
  await office.waitForURL(`${base}/plans`);
  await axe(office, 'plans');

  await office.getByLabel('Tệp kế hoạch (.txt hoặc .docx)').setInputFiles(seed);
  await office.getByRole('button', { name: 'Nhập kế hoạch' }).click();
  await office.waitForURL(/\/plans\/\d+$/);
  const planUrl = office.url();
  await assert.doesNotReject(office.getByText('T/M BAN THƯỜNG VỤ').waitFor());
  assert.match(await office.locator('.warnings').innerText(), /1945/);
  await axe(office, 'review');

  const duty = office.locator('li[id^="duty-"]', { hasText: 'mở lớp tập huấn' });
  await duty.getByRole('link', { name: 'Sửa' }).click();
  await office.waitForURL(/\/duties\/\d+$/);
  await axe(office, 'duty edit');
  await office.getByLabel('Nội dung').fill(marker);
  await office.getByLabel('Thời hạn', { exact: true }).fill('15/12/2021');
  await office.locator('#d-lead').selectOption({ label: 'Báo Phú Yên' });
  await office.getByRole('button', { name: 'Lưu' }).first().click();
  await office.waitForURL(new RegExp(`${planUrl}#duty-\\d+$`));
  await assert.doesNotReject(office.getByText(marker).waitFor());

  await office.getByRole('button', { name: 'Ban hành và giao nhiệm vụ' }).click();
  await assert.doesNotReject(office.locator('.badge.published').first().waitFor());
  await office.close();

  const member = await (await browser.newContext(phone)).newPage();

  watchCsp(member);
  await login(member, 'donvi', 'ganh-da-dia-2021');
  await member.waitForURL(`${base}/duties`);
  const row = member.locator('tr', { hasText: marker });
  await assert.doesNotReject(row.first().waitFor());
  assert.match(await row.first().innerText(), /15\/12\/2021/);
  await axe(member, 'my duties');

  // The status update works through htmx in place.
  await row.first().getByLabel('Trạng thái').selectOption('in_progress');
  await row.first().getByRole('button', { name: 'Lưu' }).click();
  await assert.doesNotReject(
    member.locator('tr', { hasText: marker }).first().locator('option[value="in_progress"][selected]').waitFor({ state: 'attached' }),
  );
  await member.close();
});
