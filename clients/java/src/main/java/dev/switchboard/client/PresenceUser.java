package dev.switchboard.client;

import java.util.Objects;

/** A user present in a session, counted once however many connections they have. */
public final class PresenceUser {

  private final String userId;
  private final String name;
  private final String actorType;

  public PresenceUser(String userId, String name, String actorType) {
    this.userId = Objects.requireNonNull(userId, "userId");
    this.name = name;
    this.actorType = actorType;
  }

  public String userId() {
    return userId;
  }

  /** The display name from the user's token, or null. */
  public String name() {
    return name;
  }

  /** Free text from the token such as {@code presenter}, or null. */
  public String actorType() {
    return actorType;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PresenceUser && userId.equals(((PresenceUser) other).userId)
        && Objects.equals(name, ((PresenceUser) other).name)
        && Objects.equals(actorType, ((PresenceUser) other).actorType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, name, actorType);
  }

  @Override
  public String toString() {
    return userId;
  }
}
