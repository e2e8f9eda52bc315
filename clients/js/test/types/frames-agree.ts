// Type-level checks that the client-level types of index.d.ts agree with the frame types that frames.d.ts generates
// from docs/asyncapi.yaml. Nothing here runs: test/frame-types.test.js compiles it (strict) and fails on any error.
// When a check fails, fix index.d.ts to say what the server sends (the spec is the contract), or report the spec.

import type {
  AckFrame,
  ClientErrorCode,
  ConnectedFrame,
  ErrorCode,
  ErrorFrame,
  EventFrame,
  EventId,
  ListenerMap,
  PresenceChange,
  PresenceDiffFrame,
  PresenceStateFrame,
  PositionsChange,
  PositionsFrame,
  PresenceUser,
  PublishResult,
  ReadFrame,
  ReplayedFrame,
  SessionPositions,
  RequestId,
  ResetFrame,
  ResetInfo,
  ServerErrorCode,
  SessionId,
  SignalFrame,
  SignalMessage,
  StateChange,
  SubscribeFrame,
  SubscribeOptions,
  SwitchboardError,
  SwitchboardEvent,
  WireErrorCode,
  WireEventId,
  WirePresenceUser,
  WireSessionId,
} from '../../index.js';

/** True when A and B are the very same type (identical, not just mutually assignable). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

/**
 * Agree<A, B>: each is assignable to the other, and they have the same property names (assignability alone would
 * let one side have an extra optional property).
 */
type Agree<A, B> = [A] extends [B] ? ([B] extends [A] ? Equals<keyof A, keyof B> : false) : false;

/** A value of type T, to assign both ways: the compiler's message then names the property that disagrees. */
declare function value<T>(): T;

// ---- SwitchboardEvent (its default payload) is the `event` frame ----
export const eventAgrees: Agree<SwitchboardEvent, EventFrame> = true;
export const eventAsFrame: EventFrame = value<SwitchboardEvent>();
export const frameAsEvent: SwitchboardEvent = value<EventFrame>();
// A typed payload is still an event frame.
export const typedEvent: EventFrame = value<SwitchboardEvent<{ option: string }>>();

// ---- SignalMessage (its default payload) is the `signal` frame ----
export const signalAgrees: Agree<SignalMessage, SignalFrame> = true;
export const signalAsFrame: SignalFrame = value<SignalMessage>();
export const frameAsSignal: SignalMessage = value<SignalFrame>();

// ---- PresenceUser is the schema's PresenceUser: `name` and `actorType` always sent, possibly null ----
export const presenceUserAgrees: Agree<PresenceUser, WirePresenceUser> = true;
export const presenceUserAsWire: WirePresenceUser = value<PresenceUser>();
export const wireAsPresenceUser: PresenceUser = value<WirePresenceUser>();
// A join or leave reports one user of a diff's lists; counts-only diffs report their counts.
export const presenceDiffUser: Agree<PresenceChange['user'],
  NonNullable<PresenceDiffFrame['joins'] | PresenceDiffFrame['leaves']>[number] | undefined> = true;
export const presenceStateUsers: Agree<PresenceChange['users'], PresenceStateFrame['users']> = true;
export const presenceCount: Agree<PresenceChange['count'], PresenceStateFrame['count']> = true;
export const presenceDiffCount: Agree<PresenceChange['count'], PresenceDiffFrame['count']> = true;
export const presenceJoined: Agree<PresenceChange['joined'], PresenceDiffFrame['joined']> = true;
export const presenceLeft: Agree<PresenceChange['left'], PresenceDiffFrame['left']> = true;

// ---- ResetInfo is the `reset` frame without its type ----
export const resetAgrees: Agree<ResetInfo, Omit<ResetFrame, 'type'>> = true;
export const resetAsFrame: Omit<ResetFrame, 'type'> = value<ResetInfo>();
export const frameAsReset: ResetInfo = value<ResetFrame>();

// ---- ErrorCode: the server's wire codes exactly, plus the client's own, which the server never sends ----
export const serverErrorCodes: Equals<ServerErrorCode, WireErrorCode> = true;
export const wireCodesOfErrorCode: Equals<Exclude<ErrorCode, ClientErrorCode>, ErrorFrame['code']> = true;
export const clientCodesAreNotWireCodes: Equals<Extract<ClientErrorCode, WireErrorCode>, never> = true;
export const clientCodes: Equals<ClientErrorCode, 'network' | 'timeout' | 'disconnected' | 'closed' | 'terminated'> = true;
// An error frame's code and requestId fit a SwitchboardError.
export const errorFrameCode: SwitchboardError['code'] = value<ErrorFrame['code']>();
export const errorRequestId: Agree<SwitchboardError['requestId'], RequestId | undefined> = true;

// ---- ids ----
export const sessionIds: Equals<SessionId, WireSessionId> = true;
export const eventIds: Equals<EventId, WireEventId> = true;

// ---- other client-level types built from frames ----
export const connectedIds: Agree<Required<Pick<StateChange, 'connectionId' | 'userId'>>,
  Pick<ConnectedFrame, 'connectionId' | 'userId'>> = true;
export const publishResult: Agree<Omit<PublishResult, 'duplicate'>, Pick<AckFrame, 'eventId' | 'timestamp'>> = true;
export const subscribeFrom: Agree<SubscribeOptions['fromEventId'], SubscribeFrame['fromEventId']> = true;
export const listenerEvent: Equals<ListenerMap['event'], SwitchboardEvent> = true;
export const listenerSignal: Equals<ListenerMap['signal'], SignalMessage> = true;
export const listenerReset: Equals<ListenerMap['reset'], ResetInfo> = true;

// ---- read positions: markRead() answers a `positions` frame without its type and requestId ----
export const sessionPositionsAgree: Agree<SessionPositions, Omit<PositionsFrame, 'type' | 'requestId'>> = true;
export const positionsFromReplayed: Agree<NonNullable<PositionsChange['readEventId']>,
  NonNullable<ReplayedFrame['readEventId']>> = true;
export const markReadEventId: ReadFrame['eventId'] = value<SessionPositions['readEventId']>();
export const listenerPositions: Equals<ListenerMap['positions'], PositionsChange> = true;
