// Compaction against a real node: a fresh document loads the newest snapshot and the events after it, reading a
// number of events bounded by the snapshot interval, not by the document's history; a document of several hundred
// KiB (updates and snapshot over the 64 KiB frame limit, so in parts) still opens whole after retention, with a short
// history window, has deleted everything before its snapshot. Skipped, with the reason, without the jar.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { converge, JAR, jarMissingMessage, NodeProcess, pause, Providers, type, waitFor } from './support/providers.js';

const skip = existsSync(JAR) ? false : `${jarMissingMessage()}; skipping the provider's compaction tests`;
if (skip) {
  console.log(`# ${skip}`);
}

const text = (p) => p.doc.getText('t').toString();

describe('compaction on a real node', { skip, timeout: 120_000 }, () => {
  let node;
  let providers;

  before(async () => {
    node = await NodeProcess.start();
    providers = new Providers(node);
  });

  after(async () => {
    providers?.destroyAll();
    await node?.close();
  });

  test('a fresh document reads the newest snapshot and the tail: events bounded by the interval', async () => {
    const every = 20;
    const options = { snapshotEvery: every, snapshotIdleMs: 0 };
    const a = providers.open('doc-compact', 'ada', options);
    const b = providers.open('doc-compact', 'bob', options);
    await waitFor(() => a.synced && b.synced, 'both providers synced');
    // Each keystroke stored before the next: an event each, a long history.
    const typeStored = async (p, letter) => {
      for (let i = 0; i < 120; i++) {
        await type(p, letter, 1, 0);
        await p.flushed();
      }
    };
    await Promise.all([typeStored(a, 'a'), typeStored(b, 'b')]);
    await converge(a, b);

    const stored = await providers.stored('doc-compact');
    const head = stored.length;
    const snapshots = stored.filter((e) => e.eventType === 'sb.snapshot');
    assert.ok(head >= 200, `a long history: ${head} events`);
    assert.ok(snapshots.length >= 3, `snapshots were published along the way: ${snapshots.length}`);
    assert.equal(snapshots.length, a.publishes.snapshots + b.publishes.snapshots);

    const c = providers.open('doc-compact', 'cy', options);
    await waitFor(() => c.synced, 'the fresh document synced');
    await waitFor(() => text(c) === text(a), 'the fresh document to hold the same text');
    assert.notEqual(c.loaded.snapshot, null);
    // Fewer than two intervals follow the newest snapshot (each provider's threshold is below two), a few more were
    // stored while it was published, and the loader reads whole pages of one interval: well under 5 intervals,
    // whatever the history's length.
    assert.ok(c.loaded.events <= 5 * every, `read ${c.loaded.events} of ${head} events`);
    assert.ok(head >= 2 * 5 * every, `the bound is far below the history: ${head} events`);
    await converge(a, b, c);
  });
});

describe('retention with a short history window', { skip, timeout: 120_000 }, () => {
  let node;
  let providers;

  before(async () => {
    node = await NodeProcess.start({ env: { SB_HISTORY_TTL: '8s' } });
    providers = new Providers(node);
  });

  after(async () => {
    providers?.destroyAll();
    await node?.close();
  });

  test('a document of several hundred KiB opens whole after retention deleted all before its snapshot', async () => {
    const options = { snapshotIdleMs: 0 };
    const a = providers.open('doc-big', 'ada', options);
    const b = providers.open('doc-big', 'bob', options);
    await waitFor(() => a.synced && b.synced, 'both providers synced');
    // One update of about 400 KiB (a paste), far over the 64 KiB frame limit, then some typing on both sides.
    const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ';
    a.doc.getText('t').insert(0, paragraph.repeat(5000));
    await Promise.all([type(a, 'a', 20), type(b, 'b', 20)]);
    await converge(a, b);
    assert.ok(text(a).length > 400_000);
    const parts = (await providers.stored('doc-big')).filter((e) => e.payload?.part);
    assert.ok(parts.length >= 10, `the paste was stored in ${parts.length} parts`);

    await a.compact();
    await type(b, 'b', 10);
    await converge(a, b);
    const stored = await providers.stored('doc-big');
    const snapshot = stored.findLast((e) => e.eventType === 'sb.snapshot');
    assert.equal(snapshot.payload.format, 'yjs');
    assert.ok(snapshot.payload.count >= 10, `the snapshot is in ${snapshot.payload.count} parts`);
    const covered = BigInt(snapshot.payload.after);

    // Retention runs every second with an 8 s window (longer than publishing the paste's parts takes): wait until
    // it has deleted everything the snapshot covers.
    await waitFor(async () => BigInt((await providers.stored('doc-big'))[0].eventId) === covered + 1n,
      'retention to delete everything before the snapshot', 30_000);
    await pause(1500); // and a few more sweeps, which must keep the rest
    const retained = await providers.stored('doc-big');
    assert.equal(BigInt(retained[0].eventId), covered + 1n, 'the snapshot and what follows it are kept');
    assert.equal(retained.at(-1).eventId, stored.at(-1).eventId);

    const c = providers.open('doc-big', 'cy', options);
    await waitFor(() => c.synced, 'the fresh document synced');
    assert.equal(c.loaded.snapshot, snapshot.eventId);
    assert.equal(text(c), text(a));
    await converge(a, b, c);
  });
});
