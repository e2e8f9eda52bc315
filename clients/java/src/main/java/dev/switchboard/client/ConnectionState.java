package dev.switchboard.client;

/** Where the client's connection stands: a phase, the transport in use or being tried, and why it changed. */
public final class ConnectionState {

  /** {@code IDLE} -> {@code CONNECTING} -> {@code CONNECTED} -> {@code RECONNECTING} -> ... until {@code CLOSED}. */
  public enum Phase { IDLE, CONNECTING, CONNECTED, RECONNECTING, SUSPENDED, CLOSED }

  private final Phase phase;
  private final Transport transport;
  private final long retryInMs;
  private final String reason;
  private final SwitchboardException error;

  ConnectionState(Phase phase, Transport transport, long retryInMs, String reason, SwitchboardException error) {
    this.phase = phase;
    this.transport = transport;
    this.retryInMs = retryInMs;
    this.reason = reason;
    this.error = error;
  }

  public Phase phase() {
    return phase;
  }

  /** The transport in use or being tried, or null while idle, suspended or closed. */
  public Transport transport() {
    return transport;
  }

  /** While reconnecting: how long until the next attempt; else -1. */
  public long retryInMs() {
    return retryInMs;
  }

  /** Why the state changed ({@code fallback}, {@code upgrade}, {@code background}, ...), or null. */
  public String reason() {
    return reason;
  }

  /** The error that caused the change, or null. */
  public SwitchboardException error() {
    return error;
  }

  @Override
  public String toString() {
    return phase + (transport == null ? "" : " " + transport.wire()) + (reason == null ? "" : " (" + reason + ")");
  }
}
