// @mentions: `@ada` names the user whose id is `ada`. Found in the text when it is shown, so nothing but the text
// travels, and drawn as text nodes and spans: the message itself is never parsed as markup.
import { el } from '../shared/dom.js';

const MENTION = /@([a-z0-9][a-z0-9-]{0,39})/g;

/** The user ids a message mentions. */
export function mentionedIds(text) {
  return [...text.matchAll(MENTION)].map((match) => match[1]);
}

/** The message text as nodes: plain text, with each mention in a span (`me` when it names the viewer). */
export function textWithMentions(text, me) {
  const nodes = [];
  let from = 0;
  for (const match of text.matchAll(MENTION)) {
    nodes.push(text.slice(from, match.index));
    nodes.push(el('span', { class: match[1] === me ? 'mention me' : 'mention', text: match[0] }));
    from = match.index + match[0].length;
  }
  nodes.push(text.slice(from));
  return nodes.filter((node) => node !== '');
}
