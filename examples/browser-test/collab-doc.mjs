// Shared document: two users type into the same paragraph at once, one of them losing its connection mid-edit, and
// both end with the same document; each sees the other's cursor and name; whiteboard strokes reach the other user
// and a late joiner, who also loads the document whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNothingRan, XSS } from './support/harness.mjs';

/** The document's text as the editor shows it, without the others' cursor labels. */
const editorText = (page) => page.$eval('.ProseMirror', (node) => {
  const copy = node.cloneNode(true);
  copy.querySelectorAll('.remote-cursor').forEach((cursor) => cursor.remove());
  return copy.textContent;
});

/** Waits until the page has loaded the document (newest snapshot and what follows) and is connected. */
async function ready(harness, page) {
  await harness.connected(page);
  await page.waitForSelector('#sync-state[data-synced="true"]', { timeout: 20_000 });
}

/** Waits until every page's editor shows the same text, and returns it. */
async function sameText(pages) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const texts = await Promise.all(pages.map(editorText));
    if (texts.every((t) => t === texts[0])) {
      return texts[0];
    }
    if (Date.now() > deadline) {
      assert.fail(`the documents differ: ${JSON.stringify(texts)}`);
    }
    await pages[0].waitForTimeout(100);
  }
}

/** Puts the caret at the end of the document's first paragraph. */
async function caretAtEndOfFirstParagraph(page) {
  await page.click('.ProseMirror p');
  await page.keyboard.press('End');
}

async function drawStroke(page, from, to) {
  const box = await page.locator('#board').boundingBox();
  await page.mouse.move(box.x + from[0] * box.width, box.y + from[1] * box.height);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) {
    await page.mouse.move(box.x + (from[0] + (to[0] - from[0]) * i / 8) * box.width,
      box.y + (from[1] + (to[1] - from[1]) * i / 8) * box.height);
  }
  await page.mouse.up();
}

const strokes = (page, n) => page.waitForSelector(`#board[data-strokes="${n}"]`, { timeout: 20_000 });

export function collabDocTests(harness) {
  test('shared document: concurrent typing in one paragraph converges, also across a lost connection; cursors '
    + 'and names show; whiteboard strokes reach the other user and a late joiner', async () => {
    const path = '/examples/collab-doc/?doc=plan';
    // Dora goes through the proxy (her connection can be cut), Eli straight to the node.
    const dora = await harness.open(`${path}&name=Dora`);
    const eli = await harness.open(`${path}&name=Eli`, { base: harness.node.url });
    await ready(harness, dora);
    await ready(harness, eli);

    await caretAtEndOfFirstParagraph(dora);
    await dora.keyboard.type('Plan: ');
    await eli.waitForFunction(() => document.querySelector('.ProseMirror').textContent.startsWith('Plan:'), null,
      { timeout: 20_000 });

    // Both type into the same paragraph at once.
    await caretAtEndOfFirstParagraph(eli);
    await caretAtEndOfFirstParagraph(dora);
    await Promise.all([dora.keyboard.type('xxxxxxxxxx', { delay: 40 }), eli.keyboard.type('yyyyyyyyyy', { delay: 40 })]);
    let text = await sameText([dora, eli]);
    assert.equal([...text].filter((c) => c === 'x').length, 10, text);
    assert.equal([...text].filter((c) => c === 'y').length, 10, text);

    // Each sees the other's cursor, named.
    await dora.waitForFunction(() => [...document.querySelectorAll('.remote-cursor .remote-name')]
      .some((n) => n.textContent === 'Eli'), null, { timeout: 20_000 });
    await eli.waitForFunction(() => [...document.querySelectorAll('.remote-cursor .remote-name')]
      .some((n) => n.textContent === 'Dora'), null, { timeout: 20_000 });

    // Again, and Dora's network goes away halfway through: she keeps typing offline, then comes back.
    const doraTyping = dora.keyboard.type('1234567890', { delay: 60 });
    const eliTyping = eli.keyboard.type('ABCDEFGHIJ', { delay: 60 });
    await dora.waitForTimeout(250);
    harness.proxy.rules.refuseAll = true;
    harness.proxy.dropAll();
    await dora.waitForFunction(() => document.getElementById('status').dataset.state !== 'connected', null,
      { timeout: 20_000 });
    await Promise.all([doraTyping, eliTyping]);
    harness.proxy.rules.refuseAll = false;
    await harness.connected(dora);
    text = await sameText([dora, eli]);
    for (const c of '1234567890ABCDEFGHIJ') {
      assert.equal([...text].filter((x) => x === c).length, 1, `${c} once in ${text}`);
    }

    // Strokes: Dora's reaches Eli, Eli's reaches Dora.
    await drawStroke(dora, [0.1, 0.1], [0.8, 0.6]);
    await strokes(eli, 1);
    await drawStroke(eli, [0.2, 0.8], [0.9, 0.2]);
    await strokes(dora, 2);

    // A late joiner (whose name would be markup) sees every stroke and the whole document.
    const late = await harness.open(`${path}&name=${encodeURIComponent(XSS)}`);
    await ready(harness, late);
    await strokes(late, 2);
    assert.equal(await sameText([dora, eli, late]), text);
    await dora.waitForFunction((name) => [...document.querySelectorAll('#people li')]
      .some((li) => li.textContent === name), XSS, { timeout: 20_000 });

    // The cut made Chromium log Dora's refused reconnection attempts: those are the test's doing.
    dora.problems = dora.problems.filter((p) => !/WebSocket connection to .* failed/.test(p));
    for (const page of [dora, eli, late]) {
      await assertNothingRan(assert, page);
      await page.context().close();
    }
  });
}
