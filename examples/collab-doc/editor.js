// The rich-text editor: ProseMirror bound to the document's Y.XmlFragment by y-prosemirror, with the others' cursors
// and names. Remote cursors are built here (not by y-prosemirror's default) so their colours go through the CSSOM:
// the examples' Content-Security-Policy refuses inline style attributes.
import {
  baseKeymap, EditorState, EditorView, keymap, redo, schema, toggleMark, undo, yCursorPlugin, ySyncPlugin, yUndoPlugin,
} from './vendor/editor.js';

function remoteCursor(user) {
  const cursor = document.createElement('span');
  cursor.className = 'remote-cursor';
  cursor.style.color = user.color;
  const label = document.createElement('span');
  label.className = 'remote-name';
  label.style.background = user.color;
  const name = document.createElement('span');
  name.textContent = user.name; // text, never markup
  label.append(name);
  cursor.append(label);
  return cursor;
}

/** Mounts the editor in `container` on `fragment`, showing `awareness`'s other users. Returns the EditorView. */
export function mountEditor(container, fragment, awareness) {
  const state = EditorState.create({
    schema,
    plugins: [
      ySyncPlugin(fragment),
      yCursorPlugin(awareness, { cursorBuilder: remoteCursor, selectionBuilder: () => ({ class: 'remote-selection' }) }),
      yUndoPlugin(),
      keymap({ 'Mod-z': undo, 'Mod-y': redo, 'Mod-Shift-z': redo, 'Mod-b': toggleMark(schema.marks.strong),
        'Mod-i': toggleMark(schema.marks.em) }),
      keymap(baseKeymap),
    ],
  });
  return new EditorView(container, { state });
}

/** The command that toggles bold or italic, for a toolbar button. */
export function markCommand(view, mark) {
  return () => {
    toggleMark(schema.marks[mark])(view.state, view.dispatch);
    view.focus();
  };
}
