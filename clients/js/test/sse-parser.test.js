import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFrame } from '../src/frames.js';
import { SseParser } from '../src/sse-parser.js';

function collect() {
  const messages = [];
  const retries = [];
  const parser = new SseParser((m) => messages.push(m), (r) => retries.push(r));
  return { parser, messages, retries };
}

test('a Switchboard stream: retry, connected, events with ids, frames without', () => {
  const { parser, messages, retries } = collect();
  parser.push('retry: 1000\n\n'
    + 'data: {"type":"connected","connectionId":"c","userId":"ada","heartbeatSec":15}\n\n'
    + 'id: 42\ndata: {"type":"event","eventId":"42"}\n\n'
    + 'data: {"type":"replayed","sessionId":"s","lastEventId":"42"}\n\n');
  assert.deepEqual(retries, [1000]);
  assert.deepEqual(messages.map((m) => parseFrame(m.data).type), ['connected', 'event', 'replayed']);
  assert.equal(messages[1].lastEventId, '42');
  assert.equal(messages[2].lastEventId, '42', 'the id persists until the next id: line (as in EventSource)');
});

test('frames split anywhere across chunks, including inside CRLF', () => {
  const text = 'id: a=1,b=2\r\ndata: {"type":"event","eventId":"1"}\r\n\r\ndata: {"type":"ping"}\r\n\r\n';
  for (let cut = 1; cut < text.length; cut++) {
    const { parser, messages } = collect();
    parser.push(text.slice(0, cut));
    parser.push(text.slice(cut));
    assert.deepEqual(messages.map((m) => m.data), ['{"type":"event","eventId":"1"}', '{"type":"ping"}'], `cut ${cut}`);
    assert.equal(messages[0].lastEventId, 'a=1,b=2');
  }
});

test('byte-by-byte feeding, lone CR line endings, comments and multi-line data', () => {
  const { parser, messages } = collect();
  for (const c of ': ping comment\rdata: line one\rdata:line two\r\revent: ignored\ndata: x\n\n') {
    parser.push(c);
  }
  assert.deepEqual(messages.map((m) => m.data), ['line one\nline two', 'x']);
});

test('a block without data dispatches nothing; an unfinished block waits', () => {
  const { parser, messages } = collect();
  parser.push('id: 7\n\n');
  parser.push('data: {"type":"pong"}\n');
  assert.equal(messages.length, 0);
  parser.push('\n');
  assert.equal(messages.length, 1);
  assert.equal(messages[0].lastEventId, '7');
});

test('parseFrame accepts JSON objects with a type and nothing else', () => {
  assert.deepEqual(parseFrame('{"type":"pong"}'), { type: 'pong' });
  for (const bad of ['', 'not json', '[1]', 'null', '{"no":"type"}', '42', undefined]) {
    assert.equal(parseFrame(bad), null, String(bad));
  }
});
