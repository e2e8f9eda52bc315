// Chat: two users (and a third who comes and goes) in browser contexts of their own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNothingRan, XSS } from './support/harness.mjs';

async function send(page, text) {
  await page.fill('#message-input', text);
  await page.click('#send');
}

function lastMessage(page) {
  return page.$eval('#message-list li:last-child', (li) => ({
    author: li.querySelector('.author').textContent, text: li.querySelector('.text').textContent,
    mentionsMe: li.classList.contains('mentions-me'),
  }));
}

function waitForText(page, text) {
  return page.waitForFunction((t) => [...document.querySelectorAll('#message-list .text')]
    .some((node) => node.textContent === t), text, { timeout: 10_000 });
}

function people(page) {
  return page.$$eval('#people li .name', (items) => items.map((li) => li.textContent).sort());
}

export function chatTests(harness) {
  test('chat: messages, typing, presence and mentions reach the other user; history pages back; the token '
    + 'renews on the same connection', async () => {
    const room = 'team';
    // Forty messages from before anyone opened the room: the page shows the last 30, then pages back.
    await harness.publish(`chat:${room}`, 'message',
      Array.from({ length: 40 }, (_, i) => ({ text: `earlier ${i + 1}`, name: 'Archive' })));
    // Ada's token lives 15 s, so the client renews it during the test (a quarter of its life before expiry).
    const ada = await harness.open(`/examples/chat/?name=Ada&room=${room}&ttl=15`);
    const bob = await harness.open(`/examples/chat/?name=Bob&room=${room}`, { phone: true });
    await harness.connected(ada, 'websocket');
    await harness.connected(bob, 'websocket');
    const firstConnection = await ada.evaluate(() => window.exampleApp.tokenLog.connectionIds.slice());

    await ada.waitForFunction(() => document.querySelectorAll('#message-list li').length === 30, null,
      { timeout: 10_000 });
    assert.equal((await lastMessage(ada)).text, 'earlier 40');
    await ada.$eval('#messages', (list) => list.scrollTo(0, 0)); // scrolling to the top reads the page before
    await ada.waitForFunction(() => document.querySelectorAll('#message-list li').length === 40, null,
      { timeout: 10_000 });
    await ada.waitForSelector('#history-start', { state: 'visible' });
    assert.equal(await ada.textContent('#message-list li:first-child .text'), 'earlier 1');

    await send(bob, 'hi @ada, standup in 5?');
    await waitForText(ada, 'hi @ada, standup in 5?');
    assert.deepEqual(await lastMessage(ada), { author: 'Bob', text: 'hi @ada, standup in 5?', mentionsMe: true });
    assert.equal(await ada.textContent('#message-list li:last-child .mention.me'), '@ada');

    await ada.type('#message-input', 'on my way');
    await bob.waitForFunction(() => document.getElementById('typing').textContent === 'Ada is typing…', null,
      { timeout: 10_000 });
    await ada.click('#send');
    await waitForText(bob, 'on my way');
    await bob.waitForFunction(() => document.getElementById('typing').textContent === '', null, { timeout: 10_000 });

    // Someone whose name and message are markup joins, speaks and leaves.
    await ada.waitForFunction(() => document.querySelectorAll('#people li').length === 2, null, { timeout: 10_000 });
    const mallory = await harness.open(`/examples/chat/?name=${encodeURIComponent(XSS)}&room=${room}`);
    await harness.connected(mallory);
    await ada.waitForFunction(() => document.querySelectorAll('#people li').length === 3, null, { timeout: 10_000 });
    assert.deepEqual(await people(ada), [XSS, 'Ada', 'Bob'].sort());
    await send(mallory, XSS);
    await waitForText(ada, XSS);
    assert.deepEqual(await lastMessage(ada), { author: XSS, text: XSS, mentionsMe: false });
    await mallory.context().close();
    await bob.waitForFunction(() => document.querySelectorAll('#people li').length === 2, null, { timeout: 15_000 });
    assert.deepEqual(await people(bob), ['Ada', 'Bob']);

    // A message in another room while Ada looks at this one shows as unread there.
    await bob.click('#room-list button[data-room="general"]');
    await send(bob, 'over here');
    await ada.waitForSelector('#room-list button[data-room="general"] .badge[data-unread="1"]');

    await ada.waitForFunction(() => window.exampleApp.tokenLog.refreshes >= 1, null, { timeout: 20_000 });
    assert.deepEqual(await ada.evaluate(() => window.exampleApp.tokenLog.connectionIds), firstConnection,
      'the token was renewed without a new connection');
    assert.match(await ada.textContent('#token-info'), /renewed 1× without reconnecting/);
    for (const page of [ada, bob]) {
      await assertNothingRan(assert, page);
      await page.context().close();
    }
  });

  test('chat: a mention sent while its user was away shows as unread when they come back; read in one browser, it '
    + 'shows as read in the user\'s other browsers, open or fresh', async () => {
    const mention = 'welcome back @dan, the notes are in #random';
    const badge = '#room-list button[data-room="random"] .badge';
    // Dan has been here before, and is away when Cleo mentions him in a room he is not looking at.
    const before = await harness.open('/examples/chat/?name=Dan&room=general');
    await harness.connected(before);
    await before.context().close();
    const cleo = await harness.open('/examples/chat/?name=Cleo&room=random');
    await harness.connected(cleo);
    await send(cleo, mention);
    await waitForText(cleo, mention);
    await cleo.context().close();

    // Back on two devices (fresh browser contexts: nothing kept in the browser), both show the unread mention.
    const laptop = await harness.open('/examples/chat/?name=Dan&room=general');
    const phone = await harness.open('/examples/chat/?name=Dan&room=general', { phone: true });
    for (const page of [laptop, phone]) {
      await page.waitForSelector(`${badge}.mention[data-unread="1"][data-mentions="1"]`, { timeout: 10_000 });
      assert.equal(await page.textContent(badge), '@1');
    }

    // Read on the laptop: the phone, still open, hears of it, and a browser opened afterwards starts read.
    await laptop.click('#room-list button[data-room="random"]');
    await waitForText(laptop, mention);
    await laptop.waitForSelector(badge, { state: 'detached', timeout: 10_000 });
    await phone.waitForSelector(badge, { state: 'detached', timeout: 10_000 });
    const later = await harness.open('/examples/chat/?name=Dan&room=general');
    await later.waitForFunction(() => window.exampleApp.client.readPosition('chat:random') !== null, null,
      { timeout: 10_000 });
    assert.equal(await later.locator(badge).count(), 0, 'the mention shows as read in a fresh browser');
    await later.click('#room-list button[data-room="random"]');
    await waitForText(later, mention);
    for (const page of [laptop, phone, later]) {
      await assertNothingRan(assert, page);
      await page.context().close();
    }
  });

  test('chat with WebSocket refused: messages, presence and a typing indicator reach the user on the fallback',
    async () => {
      await harness.withoutWebSocket(async () => {
        const room = 'fallback';
        const ada = await harness.open(`/examples/chat/?name=Ada&room=${room}`);
        await harness.connected(ada, 'sse');
        // Bob reaches the node without the proxy, on WebSocket: signals can only be sent from there.
        const bob = await harness.open(`/examples/chat/?name=Bob&room=${room}`, { base: harness.node.url });
        await harness.connected(bob, 'websocket');
        await ada.waitForFunction(() => document.querySelectorAll('#people li').length === 2, null,
          { timeout: 10_000 });
        await bob.type('#message-input', 'hello');
        await ada.waitForFunction(() => document.getElementById('typing').textContent === 'Bob is typing…', null,
          { timeout: 10_000 });
        await bob.click('#send');
        await waitForText(ada, 'hello');
        await send(ada, 'hi from the fallback');
        await waitForText(bob, 'hi from the fallback');
        assert.equal(await ada.getAttribute('#status', 'data-transport'), 'sse');
        for (const page of [ada, bob]) {
          await page.context().close();
        }
      });
    });
}
