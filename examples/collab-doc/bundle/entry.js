// What the collab-doc page imports from npm, as one ES module (built by esbuild into the jar, see package.json):
// Yjs, the Switchboard provider, and ProseMirror with its Yjs binding.
export * as Y from 'yjs';
export { SwitchboardProvider } from '@switchboard/yjs';
export { EditorState } from 'prosemirror-state';
export { EditorView } from 'prosemirror-view';
export { schema } from 'prosemirror-schema-basic';
export { keymap } from 'prosemirror-keymap';
export { baseKeymap, toggleMark } from 'prosemirror-commands';
export { ySyncPlugin, yCursorPlugin, yUndoPlugin, undo, redo } from 'y-prosemirror';
