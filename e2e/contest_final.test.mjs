// End to end at phone size, on the demo's staged contest (two weekly rounds
// played, five finalists, an online final open now): a participant
// registers on one phone and continues on a second with the personal code;
// not being a finalist, the final refuses them. A finalist continues on a
// third phone with the details given at registration, plays the final and
// hands in; the office sees the finalists, closes and ranks the final, and
// the overall prizes follow it. Every page passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axe, base, launch, login, watchCsp } from './helpers.mjs';

const title = 'Hội thi tìm hiểu lịch sử Đảng bộ tỉnh (có vòng chung kết)';
const phone = { viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true, bypassCSP: true };
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function phonePage() {
  const page = await (await browser.newContext(phone)).newPage();
  watchCsp(page);
  return page;
}

/** Opens the staged contest from the public list. */
async function openContest(page) {
  await page.goto(`${base}/thi`);
  await page.getByRole('link', { name: title }).click();
  await page.waitForURL(/\/thi\/\d+$/);
  return page.url();
}

/** Continues on this device with the given form values. */
async function recover(page, values) {
  await page.getByRole('link', { name: /Tiếp tục dự thi tại đây/ }).click();
  await page.getByRole('heading', { name: 'Tiếp tục dự thi trên thiết bị này' }).waitFor();
  await axe(page, 'recovery form');
  for (const [label, value] of Object.entries(values)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
  await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();
  await page.getByRole('heading', { name: 'Thông tin dự thi của bạn' }).waitFor();
}

test('continue on a second phone; only finalists play the final; the overall follows it', async () => {
  // Register on the first phone and note the personal code.
  const first = await phonePage();
  const contestUrl = await openContest(first);
  await first.getByRole('heading', { name: 'Thể lệ' }).waitFor();
  await axe(first, 'staged contest, rules');
  await first.getByLabel('Họ và tên', { exact: true }).fill('Phạm Văn An (e2e)');
  await first.getByLabel('Năm sinh', { exact: true }).fill('1985');
  await first.getByLabel('Số điện thoại', { exact: true }).fill('0987 111 222');
  await first.getByLabel('Địa phương', { exact: true }).selectOption({ label: 'Huyện ủy Tuy An' });
  await first.getByRole('checkbox', { name: 'Tôi đã đọc và đồng ý' }).check();
  await first.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await first.getByRole('heading', { name: 'Thông tin dự thi của bạn' }).waitFor();
  const code = (await first.locator('strong.code').innerText()).trim();
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await axe(first, 'registered, personal code');

  // A second phone: the same person with the phone number and the code.
  const second = await phonePage();
  await second.goto(contestUrl);
  await recover(second, { 'Số điện thoại hoặc số định danh đã đăng ký': '0987111222', 'Mã cá nhân': code.toLowerCase() });
  assert.match(await second.getByText('Phạm Văn An (e2e)').innerText(), /098\*\*\*\*222/);
  await axe(second, 'continued on a second phone');
  const finalItem = second.getByRole('listitem').filter({ hasText: 'Chung kết trực tuyến' });
  await finalItem.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  await second.getByText('Vòng chung kết chỉ dành cho người được vào chung kết.').waitFor();
  await axe(second, 'final refused to a non-finalist');

  // A finalist on a third phone, without the code: name and birth year.
  const finalist = await phonePage();
  await finalist.goto(contestUrl);
  await recover(finalist, {
    'Số điện thoại hoặc số định danh đã đăng ký': '0300000000',
    'Họ và tên': 'người dự thi 1',
    'Năm sinh': '1960',
  });
  await finalist.getByRole('listitem').filter({ hasText: 'Chung kết trực tuyến' })
    .getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  await finalist.waitForURL(/\/thi\/bai\/[^/]+$/);
  const questions = finalist.getByRole('group', { name: /^Câu \d+\. / });
  await questions.first().waitFor();
  const total = await questions.count();
  for (let i = 0; i < total; i++) await questions.nth(i).locator('label').first().click();
  await finalist.getByText(`Đã trả lời ${total}/${total} câu`).waitFor();
  await axe(finalist, 'final attempt');
  await finalist.getByRole('button', { name: 'Nộp bài' }).click();
  await finalist.locator('.receipt .code').waitFor();

  // The office: the finalists, then the final closed, ranked, and the overall.
  const desk = { viewport: { width: 1366, height: 900 }, bypassCSP: true };
  const office = await login(await browser.newContext(desk), 'dieuphoi', 'song-da-rang-2021');
  await office.goto(`${base}/contests`);
  await office.getByRole('link', { name: title }).click();
  await office.waitForURL(/\/contests\/\d+$/);
  const overviewUrl = office.url();
  await office.getByRole('link', { name: 'Vào chung kết', exact: true }).click();
  const list = office.getByRole('table', { name: 'Danh sách vào chung kết' });
  await list.getByRole('row').filter({ hasText: 'Người dự thi 1' }).first().waitFor();
  assert.equal(await list.getByRole('row').count(), 1 + 5);
  await axe(office, 'finalists');
  await office.goto(overviewUrl);
  const finalRow = office.getByRole('row').filter({ hasText: 'Chung kết trực tuyến' });
  await finalRow.getByRole('button', { name: 'Đóng tuần thi ngay' }).click();
  for (let i = 0; i < 25 && await finalRow.getByRole('button', { name: 'Xếp hạng' }).count() === 0; i += 1) {
    await office.waitForTimeout(2000);
    await office.reload();
  }
  await finalRow.getByRole('button', { name: 'Xếp hạng' }).click();
  await office.waitForURL(/\/results$/);
  await office.getByRole('link', { name: 'Bảng xếp hạng đầy đủ' }).click();
  await office.getByRole('cell', { name: 'Người dự thi 1', exact: true }).waitFor();
  await axe(office, 'final, full ranking');
  await office.goto(`${overviewUrl}/overall`);
  await office.getByRole('button', { name: 'Xếp hạng' }).click();
  const winner = office.getByRole('table', { name: 'Người đoạt giải' }).getByRole('row').filter({ hasText: 'Người dự thi 1' });
  await winner.waitFor();
  assert.match(await winner.innerText(), /Giải Nhất/);
  await axe(office, 'overall results after the final');
});
