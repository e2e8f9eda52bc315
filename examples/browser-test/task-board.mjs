// Task board: teammates in browser contexts of their own change the same board.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNothingRan, XSS } from './support/harness.mjs';

async function addTask(page, title) {
  await page.fill('#new-task-title', title);
  await page.click('#add-task');
}

/** The card of the task titled `title`, once it is there and confirmed. */
async function card(page, title) {
  await page.waitForFunction((t) => [...document.querySelectorAll('[data-task]')]
    .some((li) => li.dataset.pending === 'false' && li.querySelector('.title')?.textContent === t), title,
  { timeout: 10_000 });
  const id = await page.$$eval('[data-task]', (items, t) => items
    .find((li) => li.querySelector('.title')?.textContent === t).dataset.task, title);
  return page.locator(`[data-task="${id}"]`);
}

function columnOf(page, taskId) {
  return page.$eval(`[data-task="${taskId}"]`, (li) => li.closest('.column').dataset.status);
}

async function rename(page, taskId, title) {
  await page.click(`[data-task="${taskId}"] .title`);
  await page.fill(`[data-task="${taskId}"] input[name="title"]`, title);
  await page.click(`[data-task="${taskId}"] .edit button`);
}

/**
 * Waits until the task shows `title`, confirmed (no change of this page pending). As long as the page itself keeps
 * retrying a change (30 s, CHANGE_TIMEOUT_MS): a retried publish on a busy machine may take more than 10 s.
 */
function settledTitle(page, taskId) {
  return page.waitForFunction((id) => {
    const li = document.querySelector(`[data-task="${id}"]`);
    return li?.dataset.pending === 'false' && li.querySelector('.title')?.textContent;
  }, taskId, { timeout: 30_000 }).then((handle) => handle.jsonValue());
}

export function taskBoardTests(harness) {
  test('task board: changes reach the other user, conflicting edits settle on one value, the assignee is '
    + 'notified, a refused change rolls back, and the publish limit shows', async () => {
    const board = '/examples/task-board/?board=crew';
    const ada = await harness.open(`${board}&name=Ada`);
    const bob = await harness.open(`${board}&name=Bob`, { phone: true });
    await harness.connected(ada, 'websocket');
    await harness.connected(bob, 'websocket');

    await addTask(ada, XSS);
    const onBob = await card(bob, XSS);
    const taskId = await onBob.getAttribute('data-task');
    await bob.click(`[data-task="${taskId}"] button[aria-label="Move right"]`);
    await ada.waitForFunction((id) => document.querySelector(`[data-task="${id}"]`)?.closest('.column')
      .dataset.status === 'doing', taskId, { timeout: 10_000 });

    // Both rename the same task at once: the server's order decides, and both boards end on the same title.
    await Promise.all([rename(ada, taskId, 'Title by Ada'), rename(bob, taskId, 'Title by Bob')]);
    const [onAda, onBobTitle] = await Promise.all([settledTitle(ada, taskId), settledTitle(bob, taskId)]);
    await ada.waitForTimeout(300);
    const final = await Promise.all([settledTitle(ada, taskId), settledTitle(bob, taskId)]);
    assert.equal(final[0], final[1], `both boards show the same title (first seen: ${onAda} / ${onBobTitle})`);
    assert.ok(['Title by Ada', 'Title by Bob'].includes(final[0]), final[0]);
    const lastWriter = await ada.evaluate((id) => window.exampleApp.state.tasks.get(id).changedBy, taskId);
    assert.equal(final[0], lastWriter === 'ada' ? 'Title by Ada' : 'Title by Bob',
      'the later event in eventId order wins');

    // Assigning notifies the assignee, in their personal session.
    await bob.selectOption(`[data-task="${taskId}"] select`, 'ada');
    await ada.waitForFunction(() => document.getElementById('bell-count').dataset.count === '1', null,
      { timeout: 10_000 });
    await ada.click('#bell');
    assert.match(await ada.textContent('#notification-list li'), new RegExp(`^Bob assigned you “${final[0]}”`));
    await ada.waitForFunction(() => document.getElementById('bell-count').hidden);

    // A viewer may look but not change: the server refuses, and the change is undone with a message.
    const viewer = await harness.open(`${board}&name=Val&role=viewer`);
    await harness.connected(viewer);
    await card(viewer, final[0]);
    await rename(viewer, taskId, 'Vandalised');
    await viewer.waitForFunction(() => document.getElementById('banner').textContent.includes('undone'), null,
      { timeout: 10_000 });
    assert.match(await viewer.textContent('#banner'), /you can view this board but not change it/);
    assert.equal(await settledTitle(viewer, taskId), final[0], 'rolled back to the confirmed title');
    assert.equal(await settledTitle(ada, taskId), final[0]);

    // 25 changes at once: past the burst of 20 the server refuses for a moment, and the page says why.
    const carol = await harness.open(`${board}&name=Carol`);
    await harness.connected(carol);
    await carol.evaluate(() => {
      for (let i = 1; i <= 25; i++) {
        document.getElementById('new-task-title').value = `Chore ${i}`;
        document.getElementById('add-task').click();
      }
    });
    await carol.waitForFunction(() => /100 changes a minute/.test(document.getElementById('banner').textContent),
      null, { timeout: 10_000 });
    // The refused ones are saved as the budget refills (one per 0.6 s), on Carol's board and then on Ada's.
    const allSaved = () => [...document.querySelectorAll('[data-task]')]
      .filter((li) => li.dataset.pending === 'false').length === 26;
    await carol.waitForFunction(allSaved, null, { timeout: 35_000 }).catch(async (error) => {
      throw new Error(`Carol's board: ${await carol.textContent('#banner')}`, { cause: error });
    });
    await ada.waitForFunction(allSaved, null, { timeout: 10_000 });
    assert.equal(await columnOf(ada, taskId), 'doing');
    for (const page of [ada, bob, viewer, carol]) {
      await assertNothingRan(assert, page);
      await page.context().close();
    }
  });

  test('task board: an assignment notification read on one device shows as read on the assignee\'s others',
    async () => {
      const board = '/examples/task-board/?board=desk';
      const erin = await harness.open(`${board}&name=Erin`);
      const laptop = await harness.open(`${board}&name=Finn`);
      await harness.connected(erin);
      await harness.connected(laptop);
      await addTask(erin, 'Water the plants');
      const taskId = await (await card(erin, 'Water the plants')).getAttribute('data-task');
      await erin.waitForSelector(`[data-task="${taskId}"] select option[value="finn"]`, { state: 'attached' });
      await erin.selectOption(`[data-task="${taskId}"] select`, 'finn');
      await laptop.waitForFunction(() => document.getElementById('bell-count').dataset.count === '1', null,
        { timeout: 10_000 });

      // Finn's phone (a fresh browser) shows it unread too, and he reads it there.
      const phone = await harness.open(`${board}&name=Finn`, { phone: true });
      await phone.waitForFunction(() => document.getElementById('bell-count').dataset.count === '1', null,
        { timeout: 10_000 });
      await phone.click('#bell');
      await phone.waitForFunction(() => document.getElementById('bell-count').hidden, null, { timeout: 10_000 });
      await laptop.waitForFunction(() => document.getElementById('bell-count').hidden, null, { timeout: 10_000 });

      // A device opened afterwards lists the notification, read.
      const tablet = await harness.open(`${board}&name=Finn`);
      await tablet.waitForFunction(() => window.exampleApp.client.readPosition('user:finn') !== null
        && document.querySelector('#notification-list li[data-event-id]'), null, { timeout: 10_000 });
      assert.equal(await tablet.locator('#notification-list li.unread').count(), 0);
      assert.equal(await tablet.locator('#bell-count').isHidden(), true);
      assert.match(await tablet.textContent('#notification-list li'), /^Erin assigned you “Water the plants”/);
      for (const page of [erin, laptop, phone, tablet]) {
        await page.context().close();
      }
    });

  test('task board with WebSocket refused: a change by one user appears for the other on the fallback', async () => {
    await harness.withoutWebSocket(async () => {
      const board = '/examples/task-board/?board=fallback';
      const ada = await harness.open(`${board}&name=Ada`);
      const bob = await harness.open(`${board}&name=Bob`);
      await harness.connected(ada, 'sse');
      await harness.connected(bob, 'sse');
      await addTask(ada, 'Fix the proxy');
      const taskId = await (await card(bob, 'Fix the proxy')).getAttribute('data-task');
      await bob.click(`[data-task="${taskId}"] button[aria-label="Move right"]`);
      await ada.waitForFunction((id) => document.querySelector(`[data-task="${id}"]`)?.closest('.column')
        .dataset.status === 'doing', taskId, { timeout: 10_000 });
      await Promise.all([rename(ada, taskId, 'A'), rename(bob, taskId, 'B')]);
      await ada.waitForTimeout(300);
      const [a, b] = await Promise.all([settledTitle(ada, taskId), settledTitle(bob, taskId)]);
      assert.equal(a, b);
      for (const page of [ada, bob]) {
        await page.context().close();
      }
    });
  });
}
