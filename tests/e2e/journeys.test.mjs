// Journeys a new user would take, through the release app and the real backend, in headless
// Chromium. Screenshots land in tests/e2e/screenshots (ignored by git).
import { test, before, after } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { start, newPage, axe, shot, shotBoth, pngFile } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

const APPLICANT = { username: 'applicant@example.com', password: 'demo-applicant' };
const REVIEWER = { username: 'reviewer@example.com', password: 'demo-reviewer' };

async function noSeriousA11yProblems(page, where) {
  const violations = await axe(page);
  assert.deepEqual(violations, [], `axe found serious or critical problems on ${where}`);
  assert.deepEqual(page.cspViolations, [], `the Content-Security-Policy was violated up to ${where}`);
}

async function cont(page) {
  await page.getByRole('button', { name: /^(Continue|继续)$/ }).click();
}

async function login(page, check = false) {
  await page.goto('/login');
  if (check) await noSeriousA11yProblems(page, 'the login page');
  await page.locator('#f-username').fill(APPLICANT.username);
  await page.locator('#f-password').fill(APPLICANT.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForURL('**/apply');
}

/// Uploads a file for every document the documents step asks for. The step is drawn by the
/// app once the page has loaded and the order has been read: wait for both before listing its
/// uploads (a list taken earlier is empty or short).
async function uploadEveryDocument(page) {
  await page.getByTestId('upload').first().waitFor();
  await page.waitForLoadState('networkidle');
  const file = pngFile();
  for (const upload of await page.getByTestId('upload').all()) {
    await upload.locator('input[type="file"]').setInputFiles(file);
    await upload.locator('.uploaded').waitFor();
  }
}

/// Runs the check: answers is a list of [question name, option value]; with `a11y`, axe
/// checks every question page on the way.
async function answerCheck(page, answers, a11y = false) {
  await page.goto('/check/location');
  for (const step of answers) {
    if (a11y) await noSeriousA11yProblems(page, `the check question ${page.url()}`);
    for (const [name, value] of step) {
      // The question is drawn by the app after the page loads (and after each Continue): wait
      // for it before asking whether it is a list or a set of options.
      await page.locator(`select[name="${name}"], input[name="${name}"]`).first().waitFor();
      const select = page.locator(`select[name="${name}"]`);
      if (await select.count()) await select.selectOption(value);
      else await page.locator(`input[name="${name}"][value="${value}"]`).check();
    }
    await cont(page);
  }
  await page.getByTestId('check-result').waitFor();
}

test('start page, in both languages, talks to the backend', async () => {
  const page = await newPage(env.browser, env.base);
  await page.goto('/');
  await page.getByTestId('server-status').filter({ hasText: 'Beian is running' }).waitFor();
  await noSeriousA11yProblems(page, 'the start page');
  await shot(page, 'start-en');
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.getByRole('heading', { level: 1, name: '办理ICP备案（网站备案）' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  await shot(page, 'start-zh');
  // The choice is remembered.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: '办理ICP备案（网站备案）' }).waitFor();
  await page.context().close();
});

test('a page whose code cannot be fetched (a deploy meanwhile, a lost connection) says so and loads after a reload, in both languages', async () => {
  const page = await newPage(env.browser, env.base);
  await page.goto('/');
  await page.getByTestId('server-status').filter({ hasText: 'Beian is running' }).waitFor();
  // The release build fetches a page's code when the page is first shown. Answer those
  // fetches as a server does after a deploy has replaced them: 404.
  // They are held until the page has said that it is loading.
  const pageCode = /\/(split|chunk)_[^/]*\.wasm$/;
  let refused = 0;
  let answer;
  const held = new Promise((resolve) => { answer = resolve; });
  await page.route(pageCode, async (route) => {
    refused += 1;
    await held;
    await route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found\n' });
  });
  await page.getByRole('link', { name: 'Filing lookup' }).click();
  const loading = page.getByRole('status').filter({ hasText: 'Loading the page…' });
  await loading.waitFor();
  answer();
  const unloaded = page.getByTestId('page-unloaded');
  await unloaded.filter({ hasText: 'This page could not be loaded' }).waitFor();
  await loading.waitFor({ state: 'detached' });
  assert.ok(refused > 0, 'the lookup page fetched no code of its own: is this the split build?');
  await noSeriousA11yProblems(page, 'a page whose code could not be fetched');
  // The app goes on working around it: the language switch, in Chinese.
  await page.getByRole('button', { name: '简体中文' }).click();
  await unloaded.filter({ hasText: '此页面未能加载' }).waitFor();
  // The connection is back: the offered reload draws the page.
  await page.unroute(pageCode);
  await page.getByRole('button', { name: '刷新页面' }).click();
  await page.getByRole('heading', { level: 1, name: 'ICP备案查询' }).waitFor();
  assert.equal(await unloaded.count(), 0);
  await page.context().close();
});

test('a Hong Kong server is told no filing is needed', async () => {
  const page = await newPage(env.browser, env.base);
  await answerCheck(page, [[['location', 'CN-HK']]]);
  const result = await page.getByTestId('check-result').innerText();
  assert.match(result, /No filing needed/);
  assert.match(result, /outside the mainland/);
  await noSeriousA11yProblems(page, 'the check result');
  await shot(page, 'check-hong-kong-en');
  await page.context().close();
});

test('the check question pages show the error summary when unanswered', async () => {
  const page = await newPage(env.browser, env.base);
  await page.goto('/check/location');
  await cont(page);
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await summary.waitFor();
  await noSeriousA11yProblems(page, 'a check question with an error');
  await summary.getByRole('link', { name: /^Select an answer to “Where is the server/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-check-location');
  await page.context().close();
});

test('a pay-as-you-go instance is told why it cannot be used and what to do', async () => {
  const page = await newPage(env.browser, env.base);
  await login(page);
  await page.goto('/instances');
  const card = page.getByTestId('instance').filter({ hasText: 'i-demo-ecs-payg' });
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /ECS \(Elastic Compute Service\) · /);
  assert.match(text, /Pay-as-you-go/);
  assert.match(text, /Cannot be used/);
  assert.match(text, /Pay-as-you-go instances cannot be used: switch to a subscription of at least 3 months/);
  await noSeriousA11yProblems(page, 'the instances page');
  await shotBoth(page, 'instances');
  await page.context().close();
});

test('an enterprise in Shanghai transferring a filing in sees its path and what to prepare', async () => {
  const page = await newPage(env.browser, env.base);
  await answerCheck(page, [
    [['location', 'CN-SH']],
    [['hosting', 'provider_server'], ['e_commerce', 'no']],
    [['subject_filed', 'other_provider'], ['domain_filed', 'other_provider']],
    [['intent', 'host_website']],
    [['province', 'CN-SH'], ['subject_type', 'enterprise']],
  ], true);
  assert.equal(await page.getByTestId('path').innerText(), 'Transfer a filing in');
  const body = await page.locator('main').innerText();
  assert.match(body, /MIIT text-message verification \(within 24 hours\)/);
  assert.match(body, /Authorisation by the legal representative/);
  await noSeriousA11yProblems(page, 'the transfer-in result');
  await shot(page, 'check-transfer-in-shanghai-en');
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.getByTestId('path').filter({ hasText: '接入备案' }).waitFor();
  await shot(page, 'check-transfer-in-shanghai-zh');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Start this filing' }).click();
  await page.waitForURL('**/apply');
  assert.equal(await page.getByTestId('apply-path').innerText(), 'Transfer a filing in');
  await page.context().close();
});

test('a wrong ID number and a wrong phone number: instant errors in both languages, summary, focus', async () => {
  const page = await newPage(env.browser, env.base);
  await page.goto('/apply/subject');
  await page.locator('#f-province').selectOption('CN-BJ');
  await page.locator('#f-subject-subject_type').selectOption('individual');
  // Province and subject type known: what this province asks for, with the rules' sources.
  const rules = page.getByTestId('province-requirements');
  await rules.waitFor();
  assert.match(await rules.innerText(), /Documents[\s\S]*MIIT text-message verification \(within 24 hours\)/);
  await page.locator('#f-subject-certificate_number').fill('110105199003071230');
  // Shown as the applicant leaves the field, not before.
  assert.equal(await page.locator('#f-subject-certificate_number-error').count(), 0);
  await page.locator('#f-subject-certificate_address').focus();
  const idError = page.locator('#f-subject-certificate_number-error');
  await idError.waitFor();
  assert.match(await idError.innerText(), /does not match the other 17/);
  assert.equal(await page.locator('#f-subject-certificate_number').getAttribute('aria-invalid'), 'true');
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.locator('#f-subject-certificate_number-error', { hasText: '逐位核对' }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  // Continue: the summary takes focus and links to the field.
  await cont(page);
  const summary = page.locator('.error-summary');
  await summary.waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);
  assert.match(await page.title(), /^Error: /);
  // A missing answer is named with its label's words.
  await summary.getByRole('link', { name: 'Enter the name of the filing entity (主办单位名称)' }).waitFor();
  await summary.getByRole('link', { name: /does not match the other 17/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-subject-certificate_number');
  await noSeriousA11yProblems(page, 'the subject page with errors');
  await shot(page, 'subject-errors-en');
  // Fixing it makes the message go at once.
  await page.locator('#f-subject-certificate_number').fill('110105199003071239');
  await idError.waitFor({ state: 'detached' });

  // The phone number on the principal page.
  await page.goto('/apply/principal');
  await page.locator('#f-subject_principal-mobile').fill('1380013800');
  await page.locator('#f-subject_principal-email').focus();
  const phoneError = page.locator('#f-subject_principal-mobile-error');
  await phoneError.waitFor();
  assert.match(await phoneError.innerText(), /11-digit mobile number from mainland China/);
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.locator('#f-subject_principal-mobile-error', { hasText: '11位中国内地手机号码' }).waitFor();
  await shot(page, 'principal-errors-zh');
  await page.context().close();
});

test('a half-filled draft survives a reload', async () => {
  const page = await newPage(env.browser, env.base);
  await page.goto('/apply/subject');
  await page.locator('#f-subject-name').fill('张三');
  await page.locator('#f-subject-certificate_address').fill('北京市朝阳区建国路1号');
  await page.reload();
  await page.locator('#f-subject-name').waitFor();
  assert.equal(await page.locator('#f-subject-name').inputValue(), '张三');
  assert.equal(await page.locator('#f-subject-certificate_address').inputValue(), '北京市朝阳区建国路1号');
  await page.context().close();
});

test('an individual in Beijing: first filing from the first question to an ICP number, through the reviewer console', async () => {
  const page = await newPage(env.browser, env.base);
  await login(page, true);
  // A service code for the eligible instance.
  await page.goto('/instances');
  await page.getByTestId('instance').filter({ hasText: 'i-demo-ecs-hangzhou' }).getByRole('button', { name: 'Apply for a service code' }).click();
  const code = (await page.getByTestId('service-code').first().innerText()).trim();
  assert.match(code, /^[0-9a-f-]{36}$/);

  await answerCheck(page, [
    [['location', 'CN-ZJ']],
    [['hosting', 'provider_server'], ['e_commerce', 'no']],
    [['subject_filed', 'nowhere'], ['domain_filed', 'nowhere']],
    [['intent', 'host_website']],
    [['province', 'CN-BJ'], ['subject_type', 'individual']],
  ]);
  assert.equal(await page.getByTestId('path').innerText(), 'First filing');
  await page.getByRole('button', { name: 'Start this filing' }).click();
  await page.waitForURL('**/apply');
  await page.getByRole('button', { name: 'Start the filing' }).click();
  await page.getByText('Saved', { exact: false }).first().waitFor();
  await noSeriousA11yProblems(page, 'the task list');
  await shotBoth(page, 'task-list');

  await page.goto('/apply/instance');
  await noSeriousA11yProblems(page, 'the service code step');
  await page.locator('#f-websites-0-service_code').fill(code);
  await cont(page);
  await page.waitForURL('**/apply/subject');
  await page.locator('#f-subject-name').fill('张三');
  await page.locator('#f-subject-certificate_number').fill('110105199003071239');
  await page.locator('#f-subject-certificate_address').fill('北京市朝阳区建国路1号');
  await page.locator('#f-subject-mailing_address').fill('北京市朝阳区建国路1号');
  await shotBoth(page, 'subject');
  await cont(page);
  await page.waitForURL('**/apply/principal');
  // Never ask twice: the individual's name and ID are carried over.
  assert.equal(await page.locator('#f-subject_principal-name').inputValue(), '张三');
  await noSeriousA11yProblems(page, 'the principal step');
  await page.locator('#f-subject_principal-long_term').check();
  await page.locator('#f-subject_principal-mobile').fill('13800138000');
  await page.locator('#f-subject_principal-email').fill('zhangsan@example.com');
  await cont(page);
  await page.waitForURL('**/apply/websites');
  await noSeriousA11yProblems(page, 'the websites step');
  await page.locator('#f-websites-0-name').fill('张三的美食分享');
  await page.locator('#f-websites-0-domain').fill('zhangsan-food.com');
  await shotBoth(page, 'websites');
  await cont(page);
  await page.waitForURL('**/apply/documents');
  await uploadEveryDocument(page);
  await noSeriousA11yProblems(page, 'the documents page');
  await shotBoth(page, 'documents');
  await cont(page);
  await page.waitForURL('**/apply/review');
  await noSeriousA11yProblems(page, 'the check-your-answers page');
  await shotBoth(page, 'review');
  await page.getByTestId('submit').click();
  await page.waitForURL('**/order');
  assert.equal(await page.getByTestId('order-status').innerText(), 'With the provider for review');
  await noSeriousA11yProblems(page, 'the order page');
  await shot(page, 'order-en');
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.getByTestId('order-status').filter({ hasText: '服务商审核中' }).waitFor();
  await shot(page, 'order-zh');
  await page.getByRole('button', { name: 'English' }).click();

  // The provider's reviewer finds it in the queue and returns it with a reason on a field.
  const reviewer = await newPage(env.browser, env.base);
  await reviewer.goto('/login');
  await reviewer.locator('#f-username').fill(REVIEWER.username);
  await reviewer.locator('#f-password').fill(REVIEWER.password);
  await reviewer.getByRole('button', { name: 'Log in', exact: true }).click();
  await reviewer.waitForURL('**/review');
  const row = reviewer.getByTestId('queue-row').filter({ hasText: '张三' });
  await row.waitFor();
  await noSeriousA11yProblems(reviewer, 'the review queue');
  await shotBoth(reviewer, 'console-queue');
  await row.getByRole('link').click();
  await reviewer.waitForURL('**/review/*');
  await reviewer.getByTestId('review-status').filter({ hasText: 'With the provider for review' }).waitFor();
  const returnForm = reviewer.getByTestId('return-form');
  await returnForm.locator('#f-reason-0-field').selectOption('websites[0].name');
  await returnForm.locator('#f-reason-0-code').selectOption('review.website_name');
  await returnForm.locator('#f-reason-0-note').fill('名称与内容不符');
  const preview = reviewer.getByTestId('preview');
  await preview.locator('ul[lang="zh-CN"] li').filter({ hasText: '网站名称不符合要求，请修改' }).waitFor();
  await preview.locator('ul[lang="en"] li').filter({ hasText: 'The website name does not meet the rules' }).waitFor();
  await noSeriousA11yProblems(reviewer, 'an order in the console');
  await shotBoth(reviewer, 'console-order');
  await reviewer.getByTestId('send-return').click();
  await reviewer.getByTestId('review-status').filter({ hasText: 'Returned by the provider' }).waitFor();

  // The applicant sees the reason, on its field, in both languages, fixes it and resubmits.
  await page.goto('/order');
  const reasons = page.getByTestId('reasons');
  await reasons.getByText('The website name does not meet the rules').waitFor();
  await page.getByTestId('revise').click();
  await reasons.getByRole('link').first().click();
  await page.waitForURL('**/apply/websites*');
  const nameError = page.locator('#f-websites-0-name-error');
  await nameError.filter({ hasText: 'The website name does not meet the rules' }).waitFor();
  assert.match(await nameError.innerText(), /名称与内容不符/);
  await page.locator('.error-summary').getByRole('link', { name: /The website name does not meet the rules/ }).waitFor();
  await page.getByRole('button', { name: '简体中文' }).click();
  await nameError.filter({ hasText: '网站名称不符合要求，请修改' }).waitFor();
  await page.locator('.error-summary').getByRole('link', { name: /网站名称不符合要求/ }).waitFor();
  await shot(page, 'returned-field-zh');
  await page.getByRole('button', { name: 'English' }).click();
  await page.locator('#f-websites-0-name').fill('张三的家常菜谱分享');
  await cont(page);
  await page.waitForURL('**/apply/documents');
  await cont(page);
  await page.waitForURL('**/apply/review');
  await page.getByTestId('submit').click();
  await page.waitForURL('**/order');
  await page.getByTestId('order-status').filter({ hasText: 'With the provider for review' }).waitFor();

  // The reviewer sees what changed and approves.
  await reviewer.reload();
  await reviewer.getByTestId('review-status').filter({ hasText: 'With the provider for review' }).waitFor();
  await reviewer.locator('#f-websites-0-name').getByTestId('changed').waitFor();
  await reviewer.locator('button[data-action="provider_approve"]').click();
  await reviewer.getByTestId('review-status').filter({ hasText: 'Identity verification' }).waitFor();

  // Identity: the applicant confirms the face verification; the reviewer accepts it and
  // submits the filing to the administration.
  await page.reload();
  await page.getByTestId('identity').getByRole('button').click();
  await page.getByTestId('identity').getByRole('status').waitFor();
  await reviewer.reload();
  await reviewer.locator('button[data-action="accept_identity"]').click();
  await reviewer.locator('button[data-action="submit_to_authority"]').click();
  await reviewer.getByTestId('review-status').filter({ hasText: 'Waiting for the MIIT text-message verification' }).waitFor();

  // The MIIT's text message, answered in time; the simulated administration approves.
  await page.reload();
  const sms = page.getByTestId('sms');
  const smsCode = (await sms.getByTestId('sms-code').innerText()).match(/\d{6}/)[0];
  await noSeriousA11yProblems(page, 'the order page at the MIIT text message');
  // The words of the SMS step: enter the code, the ID number and the mobile number on the
  // MIIT filing system by a deadline in China Standard Time; never "reply to the text".
  const smsEn = await sms.innerText();
  assert.match(smsEn, /sign in to the MIIT filing system \(beian\.miit\.gov\.cn\), open 短信核验 \(text-message verification\) and enter the code, the ID number and the mobile number/);
  assert.match(await sms.getByTestId('sms-deadline').innerText(), /^\d{2}:\d{2} on \d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4} \(China Standard Time\)$/);
  assert.match(smsEn, /Where this comes from/);
  await page.getByRole('button', { name: '简体中文' }).click();
  await sms.getByRole('heading', { name: '工信部短信核验' }).waitFor();
  const smsZh = await sms.innerText();
  assert.match(smsZh, /登录工信部备案管理系统（beian\.miit\.gov\.cn），进入“短信核验”，填写验证码、证件号码和手机号码/);
  assert.doesNotMatch(smsZh, /回复/);
  assert.match(await sms.getByTestId('sms-deadline').innerText(), /^北京时间\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
  await page.getByRole('button', { name: 'English' }).click();
  await sms.getByRole('heading', { name: /MIIT text-message verification/ }).waitFor();
  await sms.locator('#f-sms_code').fill(smsCode);
  await sms.getByRole('button').click();
  const approved = page.getByTestId('approved');
  for (let i = 0; i < 60 && !(await approved.count()); i++) {
    await page.waitForTimeout(500);
    await page.reload();
    await page.getByTestId('order-status').waitFor();
  }
  const number = await approved.getByTestId('icp-number').innerText();
  assert.match(number, /^京ICP备\d{8,10}号$/);
  assert.equal(await approved.getByTestId('website-number').innerText(), `${number}-1`);
  // The footer snippet links the number to the MIIT's site.
  assert.equal(await approved.locator('pre code').innerText(), `<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">${number}-1</a>`);
  // What to do after approval: the number at the foot of the home page linked to the MIIT's
  // system, and the public security filing within 30 days, each with its source.
  const approvedEn = await approved.innerText();
  assert.match(approvedEn, /at the foot of each home page/);
  assert.match(approvedEn, /Within 30 days of your website going live/);
  assert.equal(await approved.locator('details.why').count(), 2);
  await noSeriousA11yProblems(page, 'the order page once approved');
  await shotBoth(page, 'approved');
  await reviewer.reload();
  await reviewer.getByTestId('review-status').filter({ hasText: 'Approved' }).waitFor();
  await reviewer.context().close();
  await page.context().close();
});

test('words: a dated result, and check-your-answers naming whose answer is missing, in both languages', async () => {
  const page = await newPage(env.browser, env.base);
  // A result with a date: the administration's review estimate, in each language's form.
  await answerCheck(page, [
    [['location', 'CN-SH']],
    [['hosting', 'provider_server'], ['e_commerce', 'no']],
    [['subject_filed', 'nowhere'], ['domain_filed', 'nowhere']],
    [['intent', 'host_website']],
    [['province', 'CN-SH'], ['subject_type', 'individual']],
  ]);
  const month = '(January|February|March|April|May|June|July|August|September|October|November|December)';
  const estimate = page.getByTestId('review-estimate');
  assert.match(await estimate.innerText(), new RegExp(`expect a decision between \\d{1,2} ${month} \\d{4} and \\d{1,2} ${month} \\d{4}\\.$`));
  assert.match(await page.getByTestId('review-holidays').innerText(), /(State Council's holiday schedule|not been published yet)/);
  assert.doesNotMatch(await page.locator('main').innerText(), /\d{4}-\d{2}-\d{2}/);
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.getByTestId('path').filter({ hasText: '首次备案' }).waitFor();
  assert.match(await estimate.innerText(), /^管局审核一般需要\d+至\d+个工作日。如今天提交，预计\d{4}年\d{1,2}月\d{1,2}日至\d{4}年\d{1,2}月\d{1,2}日出结果。$/);
  assert.match(await page.getByTestId('review-holidays').innerText(), /(国务院公布的节假日安排|尚未公布)/);
  const zhResult = await page.locator('main').innerText();
  assert.doesNotMatch(zhResult, /\d{4}-\d{2}-\d{2}/);
  assert.doesNotMatch(zhResult, /大陆|主办者|仅当|撤回/);
  await shot(page, 'words-result-zh');
  await page.getByRole('button', { name: 'English' }).click();

  // Check your answers with a website administrator of their own and nothing filled in: each
  // missing answer says which field and whose it is.
  await page.goto('/apply/websites');
  await page.locator('#f-websites-0-same_principal').uncheck();
  await page.goto('/apply/review');
  await page.getByTestId('submit').click();
  const problems = page.locator('.review-problems');
  await problems.getByRole('link', { name: 'Enter the full name of the person in charge of the entity', exact: true }).waitFor();
  await problems.getByRole('link', { name: 'Enter the full name of the administrator of website 1', exact: true }).waitFor();
  assert.equal(await problems.getByRole('link', { name: 'Enter this information', exact: true }).count(), 0);
  await page.getByRole('button', { name: '简体中文' }).click();
  await problems.getByRole('link', { name: '请填写主体负责人的姓名', exact: true }).waitFor();
  await problems.getByRole('link', { name: '请填写网站1负责人的姓名', exact: true }).waitFor();
  assert.equal(await problems.getByRole('link', { name: '请填写此项', exact: true }).count(), 0);
  assert.equal(await problems.getByRole('link', { name: '请填写姓名', exact: true }).count(), 0);
  await shot(page, 'words-review-errors-zh');
  await page.getByRole('button', { name: 'English' }).click();
  await page.context().close();
});

test('a submission sent around the UI with invalid fields is refused and nothing is submitted', async () => {
  const page = await newPage(env.browser, env.base);
  // No page of the app is open: its own saves would race the calls below.
  const request = page.context().request;
  const call = async (path, body) => {
    const r = await request.post(`${env.base}${path}`, { data: body, headers: { 'content-type': 'application/json' } });
    return { status: r.status(), body: await r.json().catch(() => null) };
  };
  const reg = await call('/api/register', { username: 'tamper@example.com', password: 'a long password' });
  assert.equal(reg.status, 200);
  const order = await call('/api/create_order', { path: 'first_filing' });
  assert.equal(order.status, 200);
  const application = {
    province: 'CN-BJ',
    subject: { subject_type: 'individual', name: '张三', certificate_type: 'resident_id', certificate_number: '110105199003071230',
      certificate_address: '北京市1号', mailing_address: '北京市1号' },
    subject_principal: { name: '张三', certificate_type: 'resident_id', certificate_number: '110105199003071230', long_term: true,
      mobile: '123', email: 'not-an-email' },
    websites: [{ name: 'ab', domain: 'example.io', domain_holder: '张三' }],
    documents: [], service_code: 'nope',
  };
  const saved = await call('/api/save_draft', { order_id: order.body.id, base_version: order.body.version, application });
  const submitted = await call('/api/submit_order', { order_id: order.body.id, version: saved.body.version });
  assert.equal(submitted.status, 200, JSON.stringify([saved, submitted]));
  assert.equal(submitted.body.accepted, false);
  assert.ok(submitted.body.order.findings.some((f) => f.code === 'resident_id.checksum'));
  const read = await call('/api/get_order', { order_id: order.body.id });
  assert.equal(read.body.status, 'draft');
  await page.context().close();
});

test('a refusal from the server shows its own words on its field, in both languages', async () => {
  const page = await newPage(env.browser, env.base);
  await page.goto('/login');
  await page.locator('#f-username').fill(APPLICANT.username);
  await page.locator('#f-password').fill('not the password');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  const summary = page.locator('.error-summary');
  await summary.getByRole('link', { name: 'The e-mail address or password is wrong' }).waitFor();
  assert.match(await page.locator('#f-username-error').innerText(), /The e-mail address or password is wrong/);
  await page.getByRole('button', { name: '简体中文' }).click();
  await summary.getByRole('link', { name: '电子邮箱或密码错误' }).waitFor();
  // Another refusal, another code: an address that has an account.
  await page.locator('#f-password').fill('a long enough password');
  await page.getByRole('button', { name: '注册' }).click();
  await summary.getByRole('link', { name: /该电子邮箱已注册/ }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await summary.getByRole('link', { name: /An account with this e-mail address exists/ }).waitFor();
  await noSeriousA11yProblems(page, 'the login page with a refusal');
  await page.context().close();
});

/// Registers a new account in the page's browser and lands on the task list.
async function register(page, username) {
  await page.goto('/login');
  await page.locator('#f-username').fill(username);
  await page.locator('#f-password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/apply');
}

/// A first-filing order for a Beijing individual, started from the check's answers.
async function startFiling(page) {
  await answerCheck(page, [
    [['location', 'CN-BJ']],
    [['hosting', 'provider_server'], ['e_commerce', 'no']],
    [['subject_filed', 'nowhere'], ['domain_filed', 'nowhere']],
    [['intent', 'host_website']],
    [['province', 'CN-BJ'], ['subject_type', 'individual']],
  ]);
  await page.getByRole('button', { name: 'Start this filing' }).click();
  await page.waitForURL('**/apply');
  await page.getByRole('button', { name: 'Start the filing' }).click();
  await page.getByText('Saved', { exact: false }).first().waitFor();
}

test('typing on a step and reloading at once keeps what was typed', async () => {
  const page = await newPage(env.browser, env.base);
  await register(page, 'reload@example.com');
  await startFiling(page);
  await page.goto('/apply/subject');
  await page.locator('#f-subject-name').fill('王五');
  await page.locator('#f-subject-certificate_address').fill('北京市东城区1号');
  // Reload before anything was saved on the server: the server's copy is older.
  await page.reload();
  await page.locator('#f-subject-name').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('#f-subject-name').inputValue(), '王五');
  assert.equal(await page.locator('#f-subject-certificate_address').inputValue(), '北京市东城区1号');
  // And it reached the server: a fresh browser of the same account sees it.
  const other = await newPage(env.browser, env.base);
  await other.goto('/login');
  await other.locator('#f-username').fill('reload@example.com');
  await other.locator('#f-password').fill('a long enough password');
  await other.getByRole('button', { name: 'Log in', exact: true }).click();
  await other.waitForURL('**/apply');
  await other.goto('/apply/subject');
  await other.waitForFunction(() => document.querySelector('#f-subject-name')?.value === '王五');
  await page.context().close();
  await other.context().close();
});

/// The open order as the server holds it, once `ready` holds of it (polled for 10 s).
async function serverOrderWhen(page, ready) {
  for (let i = 0; i < 100; i++) {
    const [order] = await api(page, '/api/my_orders');
    if (order && ready(order)) return order;
    await page.waitForTimeout(100);
  }
  assert.fail('the server never held what was typed');
}

/// The next save reaches the server, which stores it, and its answer is lost on the way back.
/// Returns `done`, a promise of that (rejected after 30 s without a save).
async function loseTheNextSavesAnswer(page) {
  let lost;
  const done = new Promise((resolve, reject) => {
    lost = resolve;
    setTimeout(() => reject(new Error('no save was sent in 30 s')), 30000).unref();
  });
  await page.route('**/api/save_draft', async (route) => {
    await route.fetch();
    await route.abort('connectionreset');
    lost();
  }, { times: 1 });
  return { done };
}

test('a save the server stored but whose answer was lost asks nobody to choose, in the page or after a reload', async () => {
  const page = await newPage(env.browser, env.base);
  await register(page, 'lost-answer@example.com');
  await startFiling(page);
  await page.goto('/apply/subject');
  await page.locator('#f-subject-name').waitFor();
  await page.waitForLoadState('networkidle');
  // In the page: typing goes on and is saved from the server's copy.
  let lost = await loseTheNextSavesAnswer(page);
  await page.locator('#f-subject-name').fill('赵六');
  await cont(page); // saves (the step is not complete, so the page stays)
  await lost.done;
  await page.getByTestId('notice').waitFor(); // the save failed, as far as the page knows
  await page.locator('#f-subject-certificate_address').fill('北京市西城区2号');
  await cont(page);
  let order = await serverOrderWhen(page, (o) => o.application.subject.certificate_address === '北京市西城区2号');
  assert.equal(order.application.subject.name, '赵六');
  // The notice of the failed save goes once a save goes through.
  await page.getByTestId('notice').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('conflict').count(), 0);
  // Left on the way (a reload): the page takes the server's copy, which is its own.
  lost = await loseTheNextSavesAnswer(page);
  await page.locator('#f-subject-mailing_address').fill('北京市西城区3号');
  await cont(page);
  await lost.done;
  await page.reload();
  await page.locator('#f-subject-name').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await page.getByTestId('conflict').count(), 0);
  assert.equal(await page.locator('#f-subject-mailing_address').inputValue(), '北京市西城区3号');
  await page.locator('#f-subject-name').fill('赵六六');
  await cont(page);
  order = await serverOrderWhen(page, (o) => o.application.subject.name === '赵六六');
  assert.equal(order.application.subject.mailing_address, '北京市西城区3号');
  assert.equal(await page.getByTestId('conflict').count(), 0);
  await page.context().close();
});

test('the next person on the same browser sees nothing of the previous one', async () => {
  const page = await newPage(env.browser, env.base);
  await register(page, 'first-person@example.com');
  await startFiling(page);
  await page.goto('/apply/subject');
  const id = '110105199003071239';
  await page.locator('#f-subject-name').fill('赵六');
  await page.locator('#f-subject-certificate_number').fill(id);
  await page.locator('#f-subject-certificate_address').fill('北京市西城区2号');
  await page.locator('#f-subject-mailing_address').fill('北京市西城区2号');
  await cont(page);
  await page.waitForURL('**/apply/principal');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('link', { name: 'Log in' }).waitFor();
  await register(page, 'second-person@example.com');
  for (const path of ['/apply', '/apply/subject', '/apply/principal', '/apply/review']) {
    await page.goto(path);
    await page.locator('main h1').waitFor();
    await page.waitForLoadState('networkidle');
    const html = await page.content();
    assert.ok(!html.includes(id) && !html.includes('赵六'), `the previous person's answers on ${path}`);
  }
  const stored = await page.evaluate(() => Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join('\n'));
  assert.ok(!stored.includes(id) && !stored.includes('赵六'), `the previous person's answers in browser storage:\n${stored}`);
  await page.context().close();
});

test('answers given before logging in are offered to the account, never pushed into it', async () => {
  const page = await newPage(env.browser, env.base);
  await page.goto('/apply/subject');
  await page.locator('#f-subject-name').fill('孙七');
  await register(page, 'offered@example.com');
  const offer = page.getByTestId('offered');
  await offer.waitFor();
  await noSeriousA11yProblems(page, 'the task list with answers offered');
  await startFiling(page);
  // Not pushed: the new order's saved answers do not have the name.
  const saved = await page.evaluate(async () => (await (await fetch('/api/my_orders', { method: 'POST' })).json()));
  assert.equal(saved[0].application.subject.name, '');
  await offer.getByRole('button', { name: 'Use these answers' }).click();
  await offer.waitFor({ state: 'detached' });
  await page.waitForFunction(async () => {
    const orders = await (await fetch('/api/my_orders', { method: 'POST' })).json();
    return orders[0].application.subject.name === '孙七';
  });
  await page.context().close();
});

test('anyone looks up a filing by domain and by number, the individual\'s name masked, in both languages', async () => {
  const page = await newPage(env.browser, env.base);
  await page.goto('/lookup');
  await page.getByRole('heading', { level: 1, name: 'Look up an ICP filing' }).waitFor();
  // Nothing typed: the error names the field, in the summary and on it.
  await page.getByRole('button', { name: 'Look up', exact: true }).click();
  await page.locator('#f-query-error').filter({ hasText: 'Enter a domain' }).waitFor();
  await noSeriousA11yProblems(page, 'the lookup page with an error');
  // The demo's approved filing (吴六, wuliu.cn), by its domain as people type it.
  await page.locator('#f-query').fill('WWW.wuliu.cn');
  await page.getByRole('button', { name: 'Look up', exact: true }).click();
  const record = page.locator('.lookup-record');
  await record.getByRole('heading', { level: 2, name: '吴*' }).waitFor();
  const number = (await record.locator('dd').first().textContent()).trim();
  assert.match(number, /^京ICP备\d{10}号$/);
  assert.equal(await record.locator('tbody tr').count(), 1);
  assert.ok((await record.textContent()).includes('wuliu.cn'));
  // The filing entity is shown masked; the website's name is public, as at the MIIT; nothing
  // about the person (here the ID number) is.
  assert.equal((await record.locator('h2').textContent()).trim(), '吴*');
  assert.ok(!(await page.content()).includes('11010619870707007'), 'nothing about the person is shown');
  await noSeriousA11yProblems(page, 'the lookup page with a record');
  await shot(page, 'lookup-en');
  // In Chinese, by the website's number; a domain that is not filed here finds nothing.
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.getByRole('heading', { level: 1, name: 'ICP备案查询' }).waitFor();
  await page.locator('#f-query').fill(`${number}-1`);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await page.locator('.lookup-record dt').filter({ hasText: '主体备案号' }).waitFor();
  await page.locator('#f-query').fill('not-filed-here.cn');
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await page.locator('.lookup-none').filter({ hasText: '未查到“not-filed-here.cn”的备案信息' }).waitFor();
  await shot(page, 'lookup-zh');
  await page.context().close();
});

/// Calls the API as the page's account (the page's cookies): the parsed answer, its status
/// checked.
async function api(page, path, body = {}) {
  const response = await page.request.post(path, { data: body });
  const answer = await response.json();
  assert.equal(response.status(), 200, `${path}: ${JSON.stringify(answer)}`);
  return answer;
}

/// Walks a submitted order through the provider's review, identity verification and the
/// simulated administration to approval, through the API (the console's own journey is the
/// first filing's).
async function approveByApi(page, reviewer, orderId) {
  const act = (action) => api(reviewer, '/api/review_act', { order_id: orderId, action, reasons: [], numbers: null });
  for (let i = 0; i < 60; i++) {
    const order = await api(page, '/api/get_order', { order_id: orderId });
    switch (order.status) {
      case 'provider_review': await act('provider_approve'); break;
      case 'identity_verification':
        await api(page, '/api/provide_identity', { order_id: orderId, kind: 'face', document_id: null });
        await act('accept_identity');
        break;
      case 'pending_submission': await act('submit_to_authority'); break;
      case 'sms_verification': await api(page, '/api/confirm_sms', { order_id: orderId, code: order.sms.code }); break;
      case 'approved': return order;
      default: await page.waitForTimeout(500); // the administration decides on the clock
    }
  }
  assert.fail(`order ${orderId} was not approved`);
}

/// A new account whose legacy filing (two websites) was claimed and approved, through the API:
/// the quickest way to a filing record of its own. Returns the applicant's and the reviewer's
/// pages and the entity's number.
async function accountWithRecord(username, serial) {
  const page = await newPage(env.browser, env.base);
  await register(page, username);
  const number = `京ICP备${serial}号`;
  const order = await api(page, '/api/create_order', { path: 'claim_legacy' });
  const app = {
    province: 'CN-BJ', path: 'claim_legacy',
    subject: { subject_type: 'individual', name: '王八', certificate_type: 'resident_id', certificate_number: '110105199003071271',
      certificate_address: '北京市朝阳区1号', mailing_address: '北京市朝阳区1号', icp_number: number },
    subject_principal: { name: '王八', certificate_type: 'resident_id', certificate_number: '110105199003071271',
      long_term: true, mobile: '13800138000', email: 'wangba@example.com' },
    websites: [
      { name: '王八的花园日记', domain: `garden-${serial}.cn`, domain_holder: '王八', icp_number: `${number}-1` },
      { name: '王八的读书笔记', domain: `books-${serial}.cn`, domain_holder: '王八', icp_number: `${number}-2` },
    ],
    documents: [],
  };
  let saved = await api(page, '/api/save_draft', { order_id: order.id, base_version: order.version, application: app });
  for (const f of saved.findings.filter((f) => f.code === 'document.missing')) {
    const response = await page.request.post('/api/documents', {
      multipart: { order_id: order.id, kind: f.params.document, file: { name: 'scan.png', mimeType: 'image/png', buffer: readFileSync(pngFile()) } },
    });
    assert.equal(response.status(), 201);
    app.documents.push({ kind: f.params.document, id: (await response.json()).id });
  }
  saved = await api(page, '/api/save_draft', { order_id: order.id, base_version: saved.version, application: app });
  assert.deepEqual(saved.findings.filter((f) => f.severity === 'error'), []);
  const submitted = await api(page, '/api/submit_order', { order_id: order.id, version: saved.version });
  assert.equal(submitted.accepted, true);
  const reviewer = await newPage(env.browser, env.base);
  await api(reviewer, '/api/login', REVIEWER);
  await approveByApi(page, reviewer, order.id);
  return { page, reviewer, number };
}

test('a change from the filing record: only what changes, compared with the record, approved under the same number', async () => {
  const { page, reviewer, number } = await accountWithRecord('change@example.com', '2009000101');
  await page.goto('/filings');
  const record = page.getByTestId('record');
  await record.getByTestId('record-number').filter({ hasText: number }).waitFor();
  assert.equal(await record.getByTestId('record-website').count(), 2);
  await noSeriousA11yProblems(page, 'the filing record page');
  await shotBoth(page, 'records');
  await page.getByTestId('start-change').click();
  await page.waitForURL('**/apply');
  // The task list of a change: no service code, nothing to cancel.
  await page.getByTestId('task').first().waitFor();
  await page.waitForLoadState('networkidle');
  const tasks = await page.getByTestId('task').allInnerTexts();
  assert.ok(!tasks.some((t) => /service code/i.test(t)), tasks.join(' | '));
  assert.ok(!tasks.some((t) => /What you cancel/.test(t)), tasks.join(' | '));
  // Filled from the record; the websites step adds no website in a change.
  await page.goto('/apply/websites');
  assert.equal(await page.locator('#f-websites-1-name').inputValue(), '王八的读书笔记');
  assert.equal(await page.getByRole('button', { name: 'Add another website' }).count(), 0);
  await page.goto('/apply/principal');
  await page.locator('#f-subject_principal-mobile').fill('13900139000');
  await cont(page);
  // A change sends the documents again, as the province asks.
  await page.goto('/apply/documents');
  await uploadEveryDocument(page);
  await cont(page);
  await page.waitForURL('**/apply/review');
  const differences = page.getByTestId('differences');
  await differences.locator('tr').filter({ hasText: '13800138000' }).filter({ hasText: '13900139000' }).waitFor();
  await noSeriousA11yProblems(page, 'check-your-answers of a change');
  await page.getByRole('button', { name: '简体中文' }).click();
  await differences.getByRole('heading', { name: '与已备案信息相比的修改' }).waitFor();
  await shot(page, 'change-review-zh');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByTestId('submit').click();
  await page.waitForURL('**/order');
  const order = await api(page, '/api/my_orders');
  await approveByApi(page, reviewer, order[0].id);
  // The record keeps its number and tells its history.
  await page.goto('/filings');
  await record.getByTestId('record-number').filter({ hasText: number }).waitFor();
  await record.locator('ul.history li').filter({ hasText: 'Change' }).filter({ hasText: 'details changed: 1' }).waitFor();
  await page.context().close();
  await reviewer.context().close();
});

test('a website cancelled from the filing record, in Chinese: consequences confirmed, the number no longer found', async () => {
  const { page, reviewer, number } = await accountWithRecord('cancel@example.com', '2009000102');
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.goto('/filings');
  const record = page.getByTestId('record');
  await record.getByRole('heading', { name: /王八/ }).waitFor();
  await page.getByTestId('cancel-website-1').click();
  await page.waitForURL('**/apply');
  await page.getByTestId('task').filter({ hasText: '确认办理内容' }).getByRole('link').click();
  await page.waitForURL('**/apply/cancel');
  // The website chosen on the record page is chosen; the consequences are said first.
  assert.ok(await page.locator('input[name="cancel-site"]').nth(1).isChecked());
  await page.getByTestId('consequences').filter({ hasText: '备案号立即失效' }).waitFor();
  await cont(page);
  await page.locator('.error-summary').getByRole('link', { name: /请阅读注销后果并勾选确认/ }).waitFor();
  await noSeriousA11yProblems(page, 'the cancellation step with an error');
  await shot(page, 'cancel-zh');
  await page.locator('#f-consequences_confirmed').check();
  await cont(page);
  await page.waitForURL('**/apply/review');
  await page.getByTestId('submit').click();
  await page.waitForURL('**/order');
  const order = await api(page, '/api/my_orders');
  await approveByApi(page, reviewer, order[0].id);
  await page.goto('/filings');
  await record.getByTestId('record-website').filter({ hasText: `${number}-2` }).filter({ hasText: '已注销' }).waitFor();
  await record.getByTestId('record-website').filter({ hasText: `${number}-1` }).filter({ hasText: '已备案' }).waitFor();
  // The public lookup: the cancelled website is not filed; the other still is.
  const gone = await api(page, '/api/lookup', { query: `books-2009000102.cn` });
  assert.deepEqual(gone.records, []);
  const kept = await api(page, '/api/lookup', { query: number });
  assert.deepEqual(kept.records[0].websites.map((w) => w.icp_number), [`${number}-1`]);
  await page.context().close();
  await reviewer.context().close();
});
