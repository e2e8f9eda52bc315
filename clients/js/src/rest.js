import { errorFromFetchFailure, errorFromResponse } from './errors.js';

/**
 * The REST calls the client makes: publishing while not on a WebSocket, reading presence and history, and the user's
 * read positions.
 *
 * @param {{fetch: typeof fetch, baseUrl: string, timers: {setTimeout: Function, clearTimeout: Function}}} http
 */
export async function restPublish(http, token, sessionId, body, timeoutMs) {
  const response = await request(http, `/sessions/${encodeURIComponent(sessionId)}/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  }, timeoutMs);
  const answer = await response.json();
  // 200 is the original answer to a repeated idempotencyKey: stored once, reported as stored.
  return { eventId: answer.eventId, timestamp: answer.timestamp, duplicate: response.status === 200 };
}

export async function restPresence(http, token, sessionId, timeoutMs) {
  const response = await request(http, `/sessions/${encodeURIComponent(sessionId)}/presence`, {
    headers: { Authorization: `Bearer ${token}` }, cache: 'no-store',
  }, timeoutMs);
  const body = await response.json();
  return { users: body.users ?? [], count: body.count, anonymous: body.anonymous ?? {} };
}

/** One page of `GET /sessions/{S}/events`: `{events, lastEventId, reset?}` as the server sends it. */
export async function restHistory(http, token, sessionId, after, limit, timeoutMs) {
  const query = `?after=${encodeURIComponent(after)}&limit=${encodeURIComponent(limit)}`;
  const response = await request(http, `/sessions/${encodeURIComponent(sessionId)}/events${query}`, {
    headers: { Authorization: `Bearer ${token}` }, cache: 'no-store',
  }, timeoutMs);
  return response.json();
}

/** `POST /me/sessions/{S}/read`: the positions in force after moving the read position forward. */
export async function restMarkRead(http, token, sessionId, eventId, timeoutMs) {
  const response = await request(http, `/me/sessions/${encodeURIComponent(sessionId)}/read`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ eventId }),
  }, timeoutMs);
  return response.json();
}

/** `GET /me/sessions`: the user's sessions with their positions and unread counts. */
export async function restMySessions(http, token, sessionIds, timeoutMs) {
  const query = sessionIds.map((id) => `sessionId=${encodeURIComponent(id)}`).join('&');
  const response = await request(http, `/me/sessions${query ? `?${query}` : ''}`, {
    headers: { Authorization: `Bearer ${token}` }, cache: 'no-store',
  }, timeoutMs);
  return (await response.json()).sessions;
}

async function request(http, path, init, timeoutMs) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = http.timers.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    let response;
    try {
      response = await http.fetch(http.baseUrl + path, { ...init, signal: controller.signal });
    } catch (failure) {
      throw errorFromFetchFailure(failure, timedOut);
    }
    if (!response.ok) {
      throw await errorFromResponse(response);
    }
    return response;
  } finally {
    http.timers.clearTimeout(timer);
  }
}
