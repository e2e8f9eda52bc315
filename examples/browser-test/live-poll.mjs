// Live poll: a presenter, participants on phone-sized screens and a display, each a browser context of its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNothingRan, XSS } from './support/harness.mjs';

/** The display's bars as {option text: count}. */
function barsOf(page) {
  return page.$$eval('.bar', (bars) => Object.fromEntries(bars.map((bar) => [
    bar.querySelector('.option').textContent, Number(bar.dataset.count)])));
}

async function ask(presenter, text, options) {
  await presenter.fill('#question-text', text);
  await presenter.fill('#question-options', options.join('\n'));
  await presenter.click('#create-question');
  const item = presenter.locator('#question-list li[data-status="draft"]').last();
  await item.locator('button').click(); // Open voting
  await presenter.waitForSelector('#question-list li[data-status="open"]');
}

async function vote(harness, path, optionIndex) {
  const voter = await harness.open(path, { phone: true });
  await harness.connected(voter);
  const button = voter.locator(`#ballot button[data-option="${optionIndex}"]:not([disabled])`);
  await button.click();
  await voter.waitForSelector(`#ballot [data-voted="${optionIndex}"]`);
  return voter;
}

export function livePollTests(harness) {
  test('live poll: votes reach the display once each, and a reloaded display shows the same totals', async () => {
    const room = 'launch';
    const presenter = await harness.open(`/examples/live-poll/?room=${room}&role=presenter&name=Pia`);
    await harness.connected(presenter, 'websocket');
    await ask(presenter, XSS, ['Yes', XSS, 'Later']);

    const display = await harness.open(`/examples/live-poll/?room=${room}&role=display&name=Screen`);
    await harness.connected(display, 'websocket');
    await display.waitForSelector('#screen .bars');
    assert.equal(await display.textContent('#screen h2'), XSS, 'the question shows as text');

    const voters = [];
    voters.push(await vote(harness, `/examples/live-poll/?room=${room}&role=participant&name=Una`, 1));
    voters.push(await vote(harness, `/examples/live-poll/?room=${room}&role=participant&name=Vic`, 1));
    voters.push(await vote(harness, `/examples/live-poll/?room=${room}&role=participant&name=Wes`, 0));
    // A participant's retry (or a second device) sends the same idempotency key: the server stores nothing new.
    const again = await voters[0].evaluate(async () => {
      const { client, state } = window.exampleApp;
      const result = await client.publish('poll:launch', 'vote', { questionId: state.current, option: 2 },
        { idempotencyKey: `vote:${state.current}` });
      return result.duplicate;
    });
    assert.equal(again, true, 'the repeated vote was answered as a duplicate');

    const expected = { Yes: 1, [XSS]: 2, Later: 0 };
    await display.waitForFunction(() => document.querySelector('#screen .total')?.dataset.total === '3', null,
      { timeout: 10_000 });
    assert.deepEqual(await barsOf(display), expected);
    await display.waitForFunction(() => Number(document.getElementById('presence-count').dataset.count) >= 5, null,
      { timeout: 10_000 });

    await display.reload();
    await harness.connected(display);
    await display.waitForFunction(() => document.querySelector('#screen .total')?.dataset.total === '3', null,
      { timeout: 10_000 });
    assert.deepEqual(await barsOf(display), expected, 'the replay rebuilt the same totals');

    // A participant who reloads sees their vote, and cannot vote again.
    await voters[1].reload();
    await voters[1].waitForSelector('#ballot [data-voted="1"]');
    assert.equal(await voters[1].locator('#ballot button:not([disabled])').count(), 0);

    // Closing the question shows on the display.
    await presenter.click('#question-list li[data-status="open"] button');
    await display.waitForSelector('#screen .pill.closed');
    for (const page of [presenter, display, ...voters]) {
      await assertNothingRan(assert, page);
      await page.context().close();
    }
  });

  test('live poll with WebSocket refused: votes travel over the fallback and reach the display', async () => {
    await harness.withoutWebSocket(async () => {
      const room = 'fallback';
      const presenter = await harness.open(`/examples/live-poll/?room=${room}&role=presenter&name=Pia`);
      await harness.connected(presenter, 'sse');
      await ask(presenter, 'Coffee or tea?', ['Coffee', 'Tea']);
      const display = await harness.open(`/examples/live-poll/?room=${room}&role=display&name=Screen`);
      await harness.connected(display, 'sse');
      const voter = await vote(harness, `/examples/live-poll/?room=${room}&role=participant&name=Una`, 1);
      assert.equal(await voter.getAttribute('#status', 'data-transport'), 'sse');
      await display.waitForFunction(() => document.querySelector('.bar[data-option="1"]')?.dataset.count === '1',
        null, { timeout: 10_000 });
      assert.deepEqual(await barsOf(display), { Coffee: 0, Tea: 1 });
      for (const page of [presenter, display, voter]) {
        await page.context().close();
      }
    });
  });
}
