// Makes the README's screenshots of the examples: a node, a little believable content, and each page at a desktop
// and a phone size. Not a test; run it by hand after changing how a page looks:
//   cd examples && npm ci && node browser-test/screenshots.mjs   (writes docs/screenshots/example-*.png)
// SB_SCREENSHOTS=collab-doc (a comma-separated list of live-poll, chat, task-board, collab-doc) makes only those.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Harness } from './support/harness.mjs';

const OUT = process.env.SB_SCREENSHOT_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const only = process.env.SB_SCREENSHOTS?.split(',');
const want = (name) => !only || only.includes(name);
const harness = new Harness();
await harness.start();
try {
  if (want('live-poll')) await livePoll();
  if (want('chat')) await chat();
  if (want('task-board')) await taskBoard();
  if (want('collab-doc')) await collabDoc();
  console.log(`screenshots written to ${OUT}`);
} finally {
  await harness.close();
}

async function livePoll() {
  // Live poll: a question with votes, on the display and on a participant's phone.
  const presenter = await harness.open('/examples/live-poll/?room=all-hands&role=presenter&name=Priya');
  await harness.connected(presenter);
  await presenter.fill('#question-text', 'Where should the team offsite be?');
  await presenter.fill('#question-options', 'Lisbon\nKyoto\nMontréal\nStay home');
  await presenter.click('#create-question');
  await presenter.click('#question-list li[data-status="draft"] button');
  const ballots = [1, 0, 1, 2, 1, 3, 0, 1];
  for (const [i, option] of ballots.entries()) {
    const voter = await harness.open(`/examples/live-poll/?room=all-hands&role=participant&name=Voter${i}`,
      { phone: true });
    await harness.connected(voter);
    await voter.click(`#ballot button[data-option="${option}"]`);
    await voter.waitForSelector('#ballot [data-voted]');
    if (i === 0) {
      await voter.screenshot({ path: join(OUT, 'example-live-poll-phone.png') });
    }
  }
  const display = await harness.open('/examples/live-poll/?room=all-hands&role=display&name=Screen');
  await display.waitForFunction((n) => document.querySelector('#screen .total')?.dataset.total === String(n),
    ballots.length);
  await display.waitForTimeout(500);
  await display.screenshot({ path: join(OUT, 'example-live-poll-display.png') });
}

async function chat() {
  // Chat: a conversation with a mention, someone typing, three people here.
  const ada = await harness.open('/examples/chat/?name=Ada&room=general');
  const grace = await harness.open('/examples/chat/?name=Grace&room=general', { phone: true });
  const linus = await harness.open('/examples/chat/?name=Linus&room=general');
  for (const page of [ada, grace, linus]) {
    await harness.connected(page);
  }
  const say = async (page, text) => {
    await page.fill('#message-input', text);
    await page.click('#send');
    await page.waitForTimeout(150);
  };
  await say(grace, 'Morning! Is the release still on for today?');
  await say(linus, 'Yes, the last fix landed an hour ago.');
  await say(grace, '@ada could you check the changelog before we tag it?');
  await linus.type('#message-input', 'I can help');
  await ada.waitForFunction(() => document.getElementById('typing').textContent !== '');
  await ada.screenshot({ path: join(OUT, 'example-chat.png') });
}

async function taskBoard() {
  // Task board: a few tasks across the columns, one of them assigned.
  const lead = await harness.open('/examples/task-board/?board=launch&name=Ada');
  const mate = await harness.open('/examples/task-board/?board=launch&name=Grace');
  await harness.connected(lead);
  await harness.connected(mate);
  for (const title of ['Write the release notes', 'Update the screenshots', 'Tag v0.1.0', 'Tell the users']) {
    await lead.fill('#new-task-title', title);
    await lead.click('#add-task');
    await lead.waitForTimeout(150);
  }
  await lead.waitForFunction(() => document.querySelectorAll('[data-task][data-pending="false"]').length === 4);
  const ids = await lead.$$eval('[data-task]', (items) => items.map((li) => li.dataset.task));
  await lead.click(`[data-task="${ids[0]}"] button[aria-label="Move right"]`);
  await lead.waitForTimeout(200);
  await lead.click(`[data-task="${ids[0]}"] button[aria-label="Move right"]`);
  await lead.click(`[data-task="${ids[1]}"] button[aria-label="Move right"]`);
  await mate.waitForFunction(() => document.querySelectorAll('[data-task]').length === 4);
  await mate.selectOption(`[data-task="${ids[1]}"] select`, 'ada');
  await lead.waitForFunction(() => document.getElementById('bell-count').dataset.count === '1');
  await lead.waitForTimeout(300);
  await lead.screenshot({ path: join(OUT, 'example-task-board.png') });
}

async function collabDoc() {
  // Shared document: two people writing, each seeing the other's cursor, and a sketch on the whiteboard.
  const ada = await harness.open('/examples/collab-doc/?doc=release-notes&name=Ada');
  const grace = await harness.open('/examples/collab-doc/?doc=release-notes&name=Grace');
  for (const page of [ada, grace]) {
    await harness.connected(page);
    await page.waitForSelector('#sync-state[data-synced="true"]');
  }
  await ada.click('.ProseMirror p');
  await ada.keyboard.type('Release notes for v0.1.0', { delay: 20 });
  await ada.keyboard.press('Enter');
  await ada.keyboard.type('Collaborative documents on the durable log: every edit stored before anyone sees it, ', {
    delay: 10 });
  await ada.keyboard.type('and a newcomer loads the newest snapshot instead of the whole history.', { delay: 10 });
  await grace.waitForFunction(() => document.querySelector('.ProseMirror').textContent.includes('history.'));
  const box = await grace.locator('#board').boundingBox();
  const line = async (page, points) => {
    await page.mouse.move(box.x + points[0][0] * box.width, box.y + points[0][1] * box.height);
    await page.mouse.down();
    for (const [x, y] of points.slice(1)) {
      await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 6 });
    }
    await page.mouse.up();
  };
  await line(grace, [[0.1, 0.7], [0.3, 0.3], [0.5, 0.6], [0.7, 0.2], [0.9, 0.5]]);
  await line(ada, [[0.15, 0.85], [0.85, 0.85]]);
  await ada.waitForSelector('#board[data-strokes="2"]');
  // Last, so that both editors have the focus their cursors need (a blurred editor shows no cursor to others).
  await ada.click('.ProseMirror');
  await grace.click('.ProseMirror p');
  await grace.keyboard.press('End');
  await grace.keyboard.type(' (draft)', { delay: 30 });
  await ada.waitForFunction(() => document.querySelector('.remote-cursor .remote-name')?.textContent === 'Grace');
  await ada.waitForTimeout(300);
  await ada.screenshot({ path: join(OUT, 'example-collab-doc.png') });
}
