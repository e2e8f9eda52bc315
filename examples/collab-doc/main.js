// The shared document page: rich text edited together (Yjs over Switchboard's log, with everyone's cursor and
// name), who is here, and a whiteboard whose strokes are events. Yjs, ProseMirror and the provider come from npm,
// bundled at build time into ./vendor/editor.js.
import { byId } from '../shared/dom.js';
import { connectClient } from '../shared/connect.js';
import { rememberedName, rememberName, slugFor, userIdFor } from '../shared/identity.js';
import { flash, showConnection } from '../shared/status.js';
import { SwitchboardProvider, Y } from './vendor/editor.js';
import { markCommand, mountEditor } from './editor.js';
import { showPeople } from './people.js';
import { Whiteboard } from './whiteboard.js';

// The bundle loaded (this module runs only then): the note for a build without it goes.
byId('no-editor').remove();

const COLOURS = ['#d1495b', '#00798c', '#edae49', '#30638e', '#6a4c93', '#2a9d8f', '#e76f51', '#3d5a80'];

const params = new URLSearchParams(location.search);
const name = rememberedName(params);
const docName = params.get('doc');

if (!name || !docName) {
  const form = byId('sign-in');
  form.hidden = false;
  byId('name-input').value = name ?? '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams(params);
    next.set('doc', slugFor(byId('doc-input').value));
    next.set('name', byId('name-input').value.trim());
    rememberName(next.get('name'));
    location.search = next.toString();
  });
} else {
  start(slugFor(docName));
}

function colourFor(userId) {
  let hash = 0;
  for (const c of userId) {
    hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  }
  return COLOURS[hash % COLOURS.length];
}

function start(docId) {
  const me = userIdFor(name);
  const docSession = `doc:${docId}`;
  const sketchSession = `sketch:${docId}`;
  const colour = colourFor(me);
  byId('workspace').hidden = false;
  byId('me').textContent = name;
  byId('where').textContent = docId;
  document.title = `${docId} · Shared document`;

  const client = connectClient({
    claims: { sub: me, name, sessions: [docSession, sketchSession], publish: [docSession, sketchSession] },
  });
  const status = byId('status');
  status.hidden = false;
  showConnection(client, status);

  const doc = new Y.Doc();
  const provider = new SwitchboardProvider({ client, sessionId: docSession, doc });
  provider.awareness.setLocalStateField('user', { name, color: colour });
  const syncState = byId('sync-state');
  provider.on('synced', (synced) => {
    syncState.textContent = synced ? `Loaded: ${provider.loaded.events} events read` : 'Loading…';
    syncState.dataset.synced = String(synced);
  });
  provider.on('connection-error', (error) => {
    if (error.code === 'rate_limited') {
      flash(byId('banner'), 'Editing faster than this node allows: your changes wait a moment, then go out.',
        'warning');
    }
  });

  const view = mountEditor(byId('editor'), doc.getXmlFragment('prosemirror'), provider.awareness);
  byId('bold').addEventListener('click', markCommand(view, 'strong'));
  byId('italic').addEventListener('click', markCommand(view, 'em'));
  showPeople(byId('people'), provider.awareness);

  byId('my-colour').style.color = colour;
  new Whiteboard({ canvas: byId('board'), client, sessionId: sketchSession, color: colour,
    onCount: (n) => {
      byId('stroke-count').textContent = n === 1 ? '1 stroke' : `${n} strokes`;
    } });

  client.connect();
  addEventListener('pagehide', () => provider.destroy());
}
