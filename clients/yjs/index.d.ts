// Types for @switchboard/yjs.
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { SwitchboardClient, SwitchboardError, TokenProvider, TransportName, WebSocketConstructor }
  from '@switchboard/client';

/** The event type under which each (merged) local update is stored: payload `{ update: base64, origin }`. */
export const UPDATE_EVENT: 'yjs.update';
/** The server's reserved snapshot type: payload `{ format: 'yjs', after, update }` or `{ format: 'yjs', after, id, count }`. */
export const SNAPSHOT_EVENT: 'sb.snapshot';
/** One part of a snapshot over 32 KiB: payload `{ id, index, count, data: base64 }`, stored before its SNAPSHOT_EVENT. */
export const SNAPSHOT_PART_EVENT: 'yjs.snapshot.part';
/** The signal type that carries awareness updates: payload `{ update: base64 }`. */
export const AWARENESS_SIGNAL: 'yjs.awareness';

interface CommonOptions {
  sessionId: string;
  doc: Y.Doc;
  /** Default: a new Awareness of `doc`. */
  awareness?: Awareness;
  /** Local awareness changes are sent at most once per this many ms (each signal costs publish budget). Default 1000. */
  awarenessIntervalMs?: number;
  /** After a publish failed for good (the client's publishTimeoutMs), wait this long, then retry it. Default 1000. */
  retryMs?: number;
  /**
   * A snapshot is published once this many events (to twice as many, by clientID) follow the newest one; a new
   * document reads about this many events. Default 500.
   */
  snapshotEvery?: number;
  /** After this long (to twice it) without a new event, a log that grew since the newest snapshot gets one; 0: never. Default 10000. */
  snapshotIdleMs?: number;
}

export interface UrlOptions extends CommonOptions {
  url: string;
  token: string | TokenProvider;
  /** Node 20 has no WebSocket: pass `ws`'s. */
  WebSocket?: WebSocketConstructor;
  transports?: TransportName[];
}

export interface ClientOptions extends CommonOptions {
  /** A client the application owns: the provider subscribes on it, and unsubscribes (never closes it) on destroy. */
  client: SwitchboardClient;
}

export type ProviderStatus = 'connected' | 'connecting' | 'disconnected';

export interface ProviderEvents {
  status: (event: { status: ProviderStatus }) => void;
  synced: (synced: boolean) => void;
  sync: (synced: boolean) => void;
  'connection-error': (error: SwitchboardError, provider: SwitchboardProvider) => void;
}

export class SwitchboardProvider {
  constructor(options: UrlOptions | ClientOptions);
  readonly sessionId: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly client: SwitchboardClient;
  /** True once the document is loaded (newest snapshot and the events after it) and its subscription caught up. */
  readonly synced: boolean;
  readonly status: ProviderStatus;
  /** Remote updates applied (each stored event at most once). */
  readonly applied: number;
  /**
   * Events stored for local updates (each part of one over 32 KiB counts), how many of those the server already had
   * (a retry after a lost acknowledgement), and snapshots stored.
   */
  readonly publishes: { published: number; duplicates: number; snapshots: number };
  /** The last load: the head subscribed from, events read, and the snapshot's eventId (null: none); null before. */
  readonly loaded: { head: string; events: number; snapshot: string | null } | null;
  /** Resolves once every local update made so far is stored in the log. */
  flushed(): Promise<void>;
  /** Stores a snapshot of the document now (it also happens by itself); resolves once it is stored. */
  compact(): Promise<void>;
  on<K extends keyof ProviderEvents>(name: K, listener: ProviderEvents[K]): void;
  once<K extends keyof ProviderEvents>(name: K, listener: ProviderEvents[K]): void;
  off<K extends keyof ProviderEvents>(name: K, listener: ProviderEvents[K]): void;
  destroy(): void;
}
