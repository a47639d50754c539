/**
 * The workbench renders a task form in a real headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core): field states follow the step's field rules for the user's role and the form's
 * reactions exactly as the server decides them, and only fields editable at the step are sent.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { PASSWORD, prepareDemoDatabase, startApiServer } from '../support/api-server.ts';
import type { ApiServer } from '../support/api-server.ts';

const CHROMIUM = process.env.GRIDFLOW_CHROMIUM ?? '/usr/bin/chromium';
const GRID = '370102002001001';
const report = { eventType: '01001', title: '楼道堆放杂物', description: '3 号楼 2 单元楼道堆满纸箱，堵塞消防通道', address: '历下区解放路 12 号', reporterName: '王小明', reporterPhone: '13900001111', anonymous: false };

/** A case at a step of the street dispatcher, as intake, the dispatch suggestion and the task projection leave it. */
async function givenStreetTask(db: TestDatabase['db'], step: { key: string; name: string; form: string; group?: string }, values: Record<string, unknown> = report): Promise<string> {
  const caseId = randomUUID();
  const taskId = `task-${randomUUID()}`;
  const now = new Date();
  await db('cases').insert({
    id: caseId, process_definition_key: 'case-handling', process_instance_id: `pi-${caseId}`, status: 'running', title: report.title,
    grid_code: GRID, community_code: GRID.slice(0, 12), street_code: GRID.slice(0, 9), district_code: GRID.slice(0, 6), reporter_name: report.reporterName,
    reporter_phone: report.reporterPhone, address: report.address, form_key: 'event-report', form_version: 1, form_values: JSON.stringify(values), created_at: now, updated_at: now,
  });
  await db('tasks').insert({
    id: taskId, case_id: caseId, process_instance_id: `pi-${caseId}`, process_definition_key: 'case-handling', task_definition_key: step.key, name: step.name,
    status: 'open', created_at: now, last_event_id: 1, form_key: step.form, form_version: 1,
  });
  await db('task_candidates').insert({ task_id: taskId, kind: 'group', value: step.group ?? `street-dispatcher@${GRID.slice(0, 9)}` });
  return taskId;
}

const givenAcceptTask = (db: TestDatabase['db']) => givenStreetTask(db, { key: 'accept', name: '受理立案', form: 'case-accept' });

/** A page signed in as `username` with a task open, recording page errors and the completions sent. */
async function openTask(browser: Browser, base: string, username: string, taskId: string): Promise<{ page: Page; errors: string[]; completions: unknown[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const completions: unknown[] = [];
  page.on('request', (r) => { if (r.url().endsWith('/complete')) completions.push(r.postDataJSON()); });
  await page.goto(`${base}/workbench`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: '登 录' }).or(page.getByRole('button', { name: '登录' })).click();
  await page.locator(`a[href="#/tasks/${taskId}"]`).click();
  return { page, errors, completions };
}

const item = (page: Page, label: string) => page.locator('.ant-formily-item').filter({ has: page.locator('.ant-formily-item-label', { hasText: label }) });

describe('the workbench renders task forms with the server\'s field rules and reactions', () => {
  let database: TestDatabase & { drop(): Promise<void> };
  let server: ApiServer;
  let browser: Browser;
  let taskId = '';

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is needed at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
    database = await createTestDatabase('sqlite');
    await prepareDemoDatabase(database.db);
    server = await startApiServer(database.db);
    taskId = await givenAcceptTask(database.db);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await database?.drop();
  });

  it('given the street dispatcher at 受理立案, the report is read-only, the refusal reason appears and is required only when refusing, and only the step\'s fields are sent', async () => {
    const { page, errors, completions } = await openTask(browser, server.url, 'jddd01', taskId);
    await page.getByText('受理立案', { exact: true }).waitFor();

    assert.equal(await item(page, '事件描述').locator('textarea').count(), 0, 'the report is shown read-only, not as an input');
    assert.match(await item(page, '事件描述').innerText(), /堵塞消防通道/);
    assert.equal(await item(page, '不予立案理由').count(), 0, 'the reason is hidden until the dispatcher refuses');

    await item(page, '受理结论').getByText('不予立案').click();
    const reason = item(page, '不予立案理由');
    await reason.waitFor();
    assert.equal(await reason.locator('.ant-formily-item-asterisk').count(), 1, 'required when refusing');
    await page.getByRole('button', { name: '提 交' }).or(page.getByRole('button', { name: '提交' })).click();
    await reason.locator('.ant-formily-item-error').or(reason.locator('[class*="error-help"]')).first().waitFor();
    assert.equal(completions.length, 0, 'the renderer refused before asking the server');

    await item(page, '受理结论').getByText('立案', { exact: true }).click();
    await reason.waitFor({ state: 'detached' });
    await item(page, '受理意见').locator('textarea').fill('符合立案条件');
    await page.getByRole('button', { name: '提 交' }).or(page.getByRole('button', { name: '提交' })).click();
    await page.locator('[data-form-error]').waitFor();
    assert.equal(completions.length, 1);
    const sent = (completions[0] as { values: Record<string, unknown> }).values;
    assert.deepEqual(Object.keys(sent).filter((k) => !['acceptDecision', 'acceptOpinion', 'eventType', 'urgent'].includes(k)), [], 'nothing but the step\'s editable fields is sent');
    assert.equal(sent.acceptDecision, '立案');
    assert.match(await page.locator('[data-form-error]').innerText(), /流程引擎|engine/i, 'the server\'s answer is shown (no engine in this test)');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('given the dispatch step with the responsibility list\'s suggestion, departments are picked by name, several assisting ones at once, and the district option asks for a reason', async () => {
    const dispatchTask = await givenStreetTask(database.db, { key: 'dispatch', name: '派遣', form: 'case-dispatch' },
      { ...report, acceptDecision: '立案', handlingLevel: 'department', primaryDepartment: 'D01', assistingDepartments: ['D14'] });
    const { page, errors, completions } = await openTask(browser, server.url, 'jddd01', dispatchTask);
    await page.getByText('派遣', { exact: true }).first().waitFor();

    await item(page, '主办部门').getByText('区综合行政执法局（D01）').waitFor();
    const assisting = item(page, '协办部门');
    await assisting.getByText(/（D14）/).waitFor();
    await assisting.locator('.ant-select-selector').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '（D02）' }).click();
    await page.keyboard.press('Escape');

    await item(page, '处置层级').getByText('提请区级协调').click();
    const reason = item(page, '提请区级协调理由');
    await reason.waitFor();
    assert.equal(await reason.locator('.ant-formily-item-asterisk').count(), 1, 'a reason is required to ask the district');
    assert.equal(await item(page, '主办部门').count(), 0, 'no department when asking the district');
    await item(page, '处置层级').getByText('职能部门').click();
    await reason.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '提 交' }).or(page.getByRole('button', { name: '提交' })).click();
    await page.locator('[data-form-error]').waitFor();
    const refused = await page.locator('.ant-formily-item').filter({ has: page.locator('[class*="error-help"]') }).allInnerTexts();
    assert.deepEqual(refused, [], 'the renderer accepts two different assisting departments (Formily\'s uniqueItems rule would refuse them)');
    assert.equal(completions.length, 1);
    const sent = (completions[0] as { values: Record<string, unknown> }).values;
    assert.deepEqual([sent.handlingLevel, sent.primaryDepartment, sent.assistingDepartments], ['department', 'D01', ['D14', 'D02']]);
    assert.deepEqual(Object.keys(sent).filter((k) => !['handlingLevel', 'primaryDepartment', 'assistingDepartments', 'districtEscalationReason', 'dispatchOpinion'].includes(k)), [],
      'nothing but the step\'s editable fields is sent');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('given the street leader rating the departments of a whistle, rows are added and removed, each with its department and rating, and the list is sent as records', async () => {
    const rateTask = await givenStreetTask(database.db, { key: 'rate', name: '评价报到部门', form: 'whistle-rate', group: `street-leader@${GRID.slice(0, 9)}` });
    const { page, errors, completions } = await openTask(browser, server.url, 'jdld01', rateTask);
    const add = page.getByRole('button', { name: /添加一行/ });
    await add.waitFor();
    for (const [i, [code, rating]] of ([['D01', '优秀'], ['D05', '较差'], ['D02', '良好']] as const).entries()) {
      await add.click();
      const row = page.locator('.ant-formily-array-items-item').nth(i);
      // Departments are searched by name or code.
      await row.locator('.ant-select-selection-search-input').fill(code);
      await page.keyboard.press('Enter');
      await row.getByText(rating, { exact: true }).click();
    }
    // The second row was a mistake: remove it.
    await page.locator('.ant-formily-array-items-item').nth(1).locator('.ant-formily-array-base-remove').click();
    await page.getByRole('button', { name: '提 交' }).or(page.getByRole('button', { name: '提交' })).click();
    await page.locator('[data-form-error]').waitFor();
    assert.equal(completions.length, 1);
    const sent = (completions[0] as { values: Record<string, unknown> }).values;
    assert.deepEqual(sent.ratings, [{ department: 'D01', rating: '优秀' }, { department: 'D02', rating: '良好' }]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('switches to English', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/workbench`);
    await page.locator('#username').fill('jddd01');
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: '登 录' }).or(page.getByRole('button', { name: '登录' })).click();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Open' }).first().waitFor();
    assert.equal(await page.getByText('Inbox').count() > 0, true);
    await page.close();
  });
});
