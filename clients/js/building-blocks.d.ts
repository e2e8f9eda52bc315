// The client's building blocks, exported for reuse and tests (re-exported by index.d.ts).
import type { WireEventId } from './frames.js';

export const DEFAULT_BACKOFF: Readonly<{ baseMs: number; maxMs: number }>;
export function backoffCeiling(attempt: number, options?: { baseMs?: number; maxMs?: number }): number;
export function backoffDelay(attempt: number, options?: { baseMs?: number; maxMs?: number; random?: () => number }):
  number;
export class Backoff {
  constructor(options?: { baseMs?: number; maxMs?: number; random?: () => number });
  readonly attempt: number;
  next(): number;
  reset(): void;
}

/** Compares two eventIds numerically (-1, 0, 1), without losing precision past 2^53. */
export function compareEventIds(a: WireEventId | number, b: WireEventId | number): -1 | 0 | 1;
/** A JWT's `exp` in epoch milliseconds, or null. */
export function tokenExpiry(token: string): number | null;
/** How long to wait before refreshing a token that expires at `expiresAt`. */
export function refreshDelay(expiresAt: number, now: number, refreshBeforeMs?: number): number;

/** An incremental text/event-stream parser. */
export class SseParser {
  constructor(onMessage: (message: { data: string; lastEventId: string }) => void, onRetry?: (retryMs: number) => void);
  readonly lastEventId: string;
  push(text: string): void;
}
