// The example applications in headless Chromium against one real node (the built jar): each with two or more users
// in browser contexts of their own, once on WebSocket and once with WebSocket refused (the fallback transports),
// user content that would be markup shown as text, and the pages' Content-Security-Policy. The shared document's
// editor is the bundle the server module's build makes from npm packages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { browserUnavailable, Harness, skipBrowserTests } from './support/harness.mjs';
import { chatTests } from './chat.mjs';
import { collabDocTests } from './collab-doc.mjs';
import { livePollTests } from './live-poll.mjs';
import { taskBoardTests } from './task-board.mjs';

const unavailable = browserUnavailable();
if (unavailable && !skipBrowserTests) {
  test('Debian Chromium is installed for the browser tests', () => {
    throw new Error(unavailable);
  });
}

describe('the example applications in Chromium', { skip: unavailable ?? false, timeout: 240_000 }, () => {
  const harness = new Harness();

  before(() => harness.start());
  after(() => harness.close());

  test('every page is served with a Content-Security-Policy that stops inline script', async () => {
    for (const path of ['/examples/', '/examples/live-poll/', '/examples/chat/', '/examples/task-board/',
      '/examples/collab-doc/', '/examples/collab-doc/vendor/editor.js']) {
      const response = await fetch(harness.baseUrl + path);
      assert.equal(response.status, 200, path);
      const policy = response.headers.get('content-security-policy');
      assert.match(policy, /script-src 'self'(;|$)/, path);
      assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/, path);
    }
    const page = await harness.open('/examples/');
    await page.waitForSelector('a[href="chat/"]');
    // The browser enforces it: a script element with inline code, added the way an injection would, does not run.
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inline = true;';
      document.body.append(script);
      await new Promise((done) => setTimeout(done, 100));
      return window.__inline === true;
    });
    assert.equal(ran, false, 'inline script ran despite the policy');
    await page.context().close();
  });

  livePollTests(harness);
  chatTests(harness);
  taskBoardTests(harness);
  collabDocTests(harness);
});
