// Makes the README's screenshots of the examples: a node, a little believable content, and each page at a desktop
// and a phone size. Not a test; run it by hand after changing how a page looks:
//   cd examples && npm ci && node browser-test/screenshots.mjs   (writes docs/screenshots/example-*.png)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Harness } from './support/harness.mjs';

const OUT = process.env.SB_SCREENSHOT_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const harness = new Harness();
await harness.start();
try {
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
  console.log(`screenshots written to ${OUT}`);
} finally {
  await harness.close();
}
