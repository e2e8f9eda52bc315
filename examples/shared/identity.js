// Who the user is: a display name chosen on the page, and the user id (`sub`) derived from it, so the same name in
// two browsers is the same user (two devices of one person).

const NAME_KEY = 'switchboard-examples:name';

/** The user id for a display name: lower-case letters, digits and dashes (also a valid part of a session id). */
export function userIdFor(name) {
  const slug = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase() // "Zoë" -> "zoe"
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return slug || 'guest';
}

/** A room, board or poll name as a session id part: the same rules as a user id. */
export const slugFor = userIdFor;

/** The name from `?name=` (which wins, and is remembered) or from the last visit; null when there is none. */
export function rememberedName(params = new URLSearchParams(location.search)) {
  const fromUrl = params.get('name')?.trim();
  if (fromUrl) {
    localStorage.setItem(NAME_KEY, fromUrl);
    return fromUrl;
  }
  return localStorage.getItem(NAME_KEY);
}

export function rememberName(name) {
  localStorage.setItem(NAME_KEY, name);
}
