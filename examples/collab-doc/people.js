// Who is in the document: every awareness state with a user, this one first, each with the colour of their cursor.
import { el, replaceChildren } from '../shared/dom.js';

export function showPeople(list, awareness) {
  const render = () => {
    const states = [...awareness.getStates().entries()].filter(([, state]) => state.user?.name);
    states.sort(([a], [b]) => (a === awareness.clientID ? -1 : b === awareness.clientID ? 1 : a - b));
    replaceChildren(list, states.map(([clientId, { user }]) => {
      const swatch = el('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
      swatch.style.color = user.color;
      return el('li', { data: { clientId } }, [swatch, clientId === awareness.clientID ? `${user.name} (you)` : user.name]);
    }));
  };
  awareness.on('change', render);
  render();
}
