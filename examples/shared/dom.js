// Building DOM nodes without markup: every piece of user content goes in as text (textContent), never through
// innerHTML, so a name or message such as `<img src=x onerror=...>` shows as those characters and runs nothing.

/**
 * Creates an element. `props`: `class`, `text` (set as textContent), `data` (data-* attributes), `attrs`, and `on`
 * (event listeners); `children`: nodes or strings (strings become text nodes).
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  if (props.class) {
    node.className = props.class;
  }
  if (props.text !== undefined && props.text !== null) {
    node.textContent = String(props.text);
  }
  for (const [key, value] of Object.entries(props.data ?? {})) {
    node.dataset[key] = String(value);
  }
  for (const [key, value] of Object.entries(props.attrs ?? {})) {
    if (value !== false && value !== undefined && value !== null) {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    node.addEventListener(type, listener);
  }
  for (const child of [children].flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
  }
  return node;
}

/** Replaces a container's children. */
export function replaceChildren(container, children) {
  container.replaceChildren(...children.filter(Boolean));
}

/** The element with this id; throws when the page lacks it (a typo fails loudly, not silently). */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) {
    throw new Error(`the page has no #${id}`);
  }
  return node;
}

/** "14:05" for an ISO timestamp, in the viewer's time zone. */
export function clockTime(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
