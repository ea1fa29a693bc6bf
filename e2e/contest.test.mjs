// End to end, in a real browser at phone size: a participant registers for
// the demo knowledge contest, answers half the paper, reloads mid-attempt
// and finds the answers kept, finishes and submits, and sees the receipt;
// the coordinator closes the round, ranks it and publishes the results;
// the participant then sees the score and the public winners list with the
// phone number masked. Every page visited passes axe-core with no serious
// or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axe, base, launch, login, watchCsp } from './helpers.mjs';

const contestTitle = 'Cuộc thi trắc nghiệm tìm hiểu Nghị quyết Đại hội XIII của Đảng và cuộc bầu cử năm 2021';
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The autosave of the attempt page carrying exactly these answers and prediction. */
function autosave(page, count, prediction) {
  return page.waitForResponse((res) => {
    if (!res.url().endsWith('/thi/bai/luu') || res.request().method() !== 'POST') return false;
    const body = new URLSearchParams(res.request().postData() ?? '');
    return body.get('answers').split(',').filter(Boolean).length === count
      && body.get('prediction') === prediction;
  });
}

test('participant registers, answers, reloads, submits; the office publishes; the score shows', async () => {
  const name = 'Nguyễn Thị Mai (e2e)';
  // bypassCSP only lets the test inject axe-core; the app's own pages run under its CSP.
  const phone = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true };
  const me = await (await browser.newContext(phone)).newPage();
  watchCsp(me);

  // Register.
  await me.goto(`${base}/thi`);
  await axe(me, 'public contest list');
  await me.getByRole('link', { name: contestTitle }).click();
  await me.waitForURL(/\/thi\/\d+$/);
  const contestUrl = me.url();
  await me.getByRole('heading', { name: 'Đăng ký dự thi' }).waitFor();
  await axe(me, 'contest, registration form');
  await me.getByLabel('Họ và tên', { exact: true }).fill(name);
  await me.getByLabel('Năm sinh', { exact: true }).fill('1990');
  await me.getByLabel('Số điện thoại', { exact: true }).fill('0912 345 678');
  await me.getByLabel('Địa phương', { exact: true }).selectOption({ label: 'Huyện ủy Tuy An' });
  await me.getByRole('checkbox', { name: 'Tôi đã đọc và đồng ý' }).check();
  await me.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await me.getByRole('heading', { name: 'Thông tin dự thi của bạn' }).waitFor();
  assert.equal(me.url(), contestUrl);
  assert.match(await me.getByText(name).innerText(), /091\*\*\*\*678/);
  const myEntries = me.getByRole('table', { name: 'Các bài đã nộp' });
  await myEntries.getByText('Bạn chưa nộp bài nào.').waitFor();
  const round2 = me.getByRole('listitem').filter({ hasText: 'Tuần 2' });
  await axe(me, 'contest, registered');

  // Start, answer half the paper, let the autosave run, reload.
  await round2.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
  await me.waitForURL(/\/thi\/bai\/[^/]+$/);
  const questions = me.getByRole('group', { name: /^Câu \d+\. / });
  await questions.first().waitFor();
  const total = await questions.count();
  assert.equal(total, 10);
  await axe(me, 'attempt');
  const half = Math.floor(total / 2);
  // Clicks the label of one option of question i (a spread of options) and says which.
  const pick = async (i) => {
    const options = questions.nth(i).locator('label');
    const chosen = i % (await options.count());
    await options.nth(chosen).click();
    return chosen;
  };
  const picked = [];
  for (let i = 0; i < half; i++) picked.push(await pick(i));
  const prediction = me.getByLabel('Dự đoán số người tham gia tuần thi này');
  const predicted = (await prediction.count()) > 0;
  const saved = autosave(me, half, predicted ? '1500' : '');
  if (predicted) await prediction.fill('1500');
  assert.equal((await saved).status(), 204);

  // The server keeps the draft: its page, without the browser's copy, has the answers.
  const attemptUrl = me.url();
  const served = await (await me.request.get(attemptUrl)).text();
  assert.equal((served.match(/ checked>/g) ?? []).length, half, 'answers in the server draft');
  if (predicted) assert.match(served, /name="prediction"[^>]*value="1500"/);

  await me.reload();
  await questions.first().waitFor();
  for (let i = 0; i < half; i++) {
    assert.ok(await questions.nth(i).getByRole('radio').nth(picked[i]).isChecked(), `answer ${i + 1} kept`);
  }
  for (let i = half; i < total; i++) {
    assert.equal(await questions.nth(i).getByRole('radio', { checked: true }).count(), 0, `question ${i + 1} unanswered`);
  }
  if (predicted) assert.equal(await prediction.inputValue(), '1500');
  await axe(me, 'attempt after reload');

  // Finish and submit: the page comes back with the receipt.
  for (let i = half; i < total; i++) picked.push(await pick(i));
  await me.getByText(`Đã trả lời ${total}/${total} câu`).waitFor();
  await me.getByRole('button', { name: 'Nộp bài' }).click();
  const code = me.locator('.receipt .code');
  await code.waitFor();
  const receipt = (await code.innerText()).trim();
  assert.match(receipt, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  assert.equal(me.url(), attemptUrl);
  await me.getByRole('heading', { name: 'Đã nộp bài' }).waitFor();
  assert.equal(await me.getByRole('button', { name: 'Nộp bài' }).count(), 0);
  await axe(me, 'receipt');

  // Until the results are published, the score waits.
  await me.goto(contestUrl);
  const entry = myEntries.getByRole('row').filter({ hasText: receipt });
  await entry.waitFor();
  assert.equal(await entry.getByRole('cell').nth(3).innerText(), 'Công bố sau khi tuần thi kết thúc');
  await axe(me, 'contest, submitted');

  // The office closes the round, ranks it and publishes.
  const desk = { viewport: { width: 1100, height: 900 }, bypassCSP: true };
  const office = await login(await browser.newContext(desk), 'dieuphoi', 'song-da-rang-2021');
  await office.goto(`${base}/contests`);
  await axe(office, 'contests');
  await office.getByRole('link', { name: contestTitle }).click();
  await office.waitForURL(/\/contests\/\d+$/);
  const overviewUrl = office.url();
  assert.equal(overviewUrl.match(/\d+$/)[0], contestUrl.match(/\d+$/)[0]);
  await axe(office, 'contest overview');
  const officeRound2 = office.getByRole('row').filter({ hasText: 'Tuần 2' });
  await officeRound2.getByRole('button', { name: 'Đóng tuần thi ngay' }).click();
  // Ranking waits out the 30-second grace for attempts handed in late.
  await officeRound2.getByText('gia hạn', { exact: false }).waitFor();
  for (let i = 0; i < 25 && await officeRound2.getByRole('button', { name: 'Xếp hạng' }).count() === 0; i += 1) {
    await office.waitForTimeout(2000);
    await office.reload();
  }
  await officeRound2.getByRole('button', { name: 'Xếp hạng' }).waitFor();
  assert.match(await officeRound2.innerText(), /Đã đóng/);
  await axe(office, 'contest overview, round closed');
  await officeRound2.getByRole('button', { name: 'Xếp hạng' }).click();
  await office.waitForURL(/\/contests\/\d+\/rounds\/\d+\/results$/);
  const winner = office.getByRole('table', { name: 'Người đoạt giải' }).getByRole('row').filter({ hasText: name });
  await winner.waitFor();
  assert.match(await winner.innerText(), /091\*\*\*\*678/);
  await axe(office, 'round results, ranked');
  await office.getByRole('button', { name: 'Công bố kết quả' }).click();
  await office.getByText('Đã công bố', { exact: true }).waitFor();
  await axe(office, 'round results, published');

  // The participant sees the score, and the public list of winners.
  await me.goto(contestUrl);
  await entry.waitFor();
  const score = await entry.getByRole('cell').nth(3).innerText();
  assert.match(score, /^\d+$/);
  assert.ok(Number(score) >= 0 && Number(score) <= total, `score ${score}`);
  await me.getByRole('columnheader', { name: 'Số câu đúng' }).waitFor();
  assert.match(await round2.innerText(), /Đã đóng/);
  assert.equal(await round2.getByRole('button', { name: 'Bắt đầu làm bài' }).count(), 0);
  await axe(me, 'contest, scored');

  await me.getByRole('link', { name: 'Kết quả cuộc thi' }).click();
  await me.waitForURL(`${contestUrl}/ket-qua`);
  await me.getByRole('heading', { name: 'Kết quả cuộc thi' }).waitFor();
  const line = me.getByRole('row').filter({ hasText: name });
  await line.waitFor();
  const lineText = await line.innerText();
  assert.match(lineText, /091\*\*\*\*678/);
  assert.match(lineText, /Huyện ủy Tuy An/);
  assert.doesNotMatch(await me.content(), /0912\s?345\s?678/);
  await axe(me, 'public results');
});
