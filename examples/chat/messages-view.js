// Draws a room's messages: author, time and text, with mentions picked out. Text only, never markup.
import { clockTime, el, replaceChildren } from '../shared/dom.js';
import { textWithMentions, mentionedIds } from './mentions.js';

export function renderMessages(list, messages, me) {
  replaceChildren(list, messages.map((event) => {
    const text = event.payload.text;
    const author = typeof event.payload.name === 'string' ? event.payload.name : event.userId ?? 'server';
    const mine = event.userId === me;
    return el('li', {
      class: `message${mentionedIds(text).includes(me) && !mine ? ' mentions-me' : ''}`,
      data: { eventId: event.eventId, author: event.userId ?? '' },
    }, [
      el('span', { class: 'avatar', attrs: { 'aria-hidden': 'true' }, text: (author[0] ?? '?').toUpperCase() }),
      el('div', {}, [
        el('div', { class: 'meta' }, [el('span', { class: 'author', text: mine ? `${author} (you)` : author }),
          el('time', { attrs: { datetime: event.timestamp }, text: clockTime(event.timestamp) })]),
        el('div', { class: 'text' }, textWithMentions(text, me)),
      ]),
    ]);
  }));
}
