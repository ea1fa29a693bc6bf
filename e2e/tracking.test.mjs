// End to end, in a real browser: a unit member imports a spreadsheet of
// activities and submits a report; the coordinator returns it with a
// comment; the member resubmits; the coordinator accepts it and exports
// the summary report (.docx). Every page
// visited passes axe-core with no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axe, base, launch, login } from './helpers.mjs';

let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('member imports activities and reports; the office returns, then accepts', async () => {
  const opts = { viewport: { width: 1100, height: 900 }, bypassCSP: true };
  const office = await login(await browser.newContext(opts), 'dieuphoi', 'song-da-rang-2021');
  await office.goto(`${base}/plans/1/periods`);
  await axe(office, 'periods');
  await office.getByLabel('Kỳ báo cáo', { exact: true }).fill('Quý I năm 2021 (e2e)');
  await office.getByLabel('Từ ngày').fill('01/01/2021');
  await office.getByLabel('Đến ngày').fill('31/03/2021');
  await office.getByLabel('Hạn nộp').fill('05/04/2021');
  await office.getByRole('button', { name: 'Thêm kỳ báo cáo' }).click();
  await office.getByRole('link', { name: 'Quý I năm 2021 (e2e)' }).waitFor();

  const member = await login(await browser.newContext(opts), 'donvi', 'ganh-da-dia-2021');
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
  const periodUrl = `${base}/periods/${reportUrl.match(/reports\/(\d+)\//)[1]}`;
  await office.goto(`${periodUrl}/export`);
  await axe(office, 'export');
  const [download] = await Promise.all([
    office.waitForEvent('download'),
    office.getByRole('button', { name: 'Tải báo cáo (.docx)' }).click(),
  ]);
  const saved = join(mkdtempSync(join(tmpdir(), 'kh-')), 'bao-cao.docx');
  await download.saveAs(saved);
  assert.equal(readFileSync(saved).subarray(0, 2).toString(), 'PK');
  await office.goto(`${base}/plans/1/dashboard`);
  await axe(office, 'dashboard');
  assert.match(await office.locator('table.heat').innerText(), /1\.1/);
});
