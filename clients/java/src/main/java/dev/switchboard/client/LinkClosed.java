package dev.switchboard.client;

/** How a transport ended: whether it had connected, what the close asks of the client, and the error, if any. */
final class LinkClosed {

  final boolean wasOpen;
  final CloseCode.Action action;
  final SwitchboardException error;

  LinkClosed(boolean wasOpen, CloseCode.Action action, SwitchboardException error) {
    this.wasOpen = wasOpen;
    this.action = action;
    this.error = error;
  }

  /** The action an HTTP or stream error asks for (SSE, where there is no close code). */
  static CloseCode.Action actionOf(SwitchboardException error) {
    if (error == null) {
      return CloseCode.Action.RECONNECT;
    }
    switch (error.code()) {
      case UNAUTHORIZED: return CloseCode.Action.REFRESH_TOKEN;
      case FORBIDDEN:
      case TERMINATED: return CloseCode.Action.STOP;
      case RATE_LIMITED: return CloseCode.Action.WAIT;
      default: return CloseCode.Action.RECONNECT;
    }
  }

  @Override
  public String toString() {
    return action + (wasOpen ? " after open" : " before open") + (error == null ? "" : " " + error);
  }
}
