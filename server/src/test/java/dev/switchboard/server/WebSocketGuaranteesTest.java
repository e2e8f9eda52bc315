package dev.switchboard.server;

/** The delivery guarantees over WebSocket. */
class WebSocketGuaranteesTest extends DeliveryGuaranteesContract {

  @Override
  protected TestSubscriber subscribe(String sessionId, Long fromEventId) {
    return node.connect("sessionId=" + sessionId
        + (fromEventId == null ? "" : "&fromEventId=" + fromEventId) + "&access_token=" + token).asSubscriber();
  }
}
