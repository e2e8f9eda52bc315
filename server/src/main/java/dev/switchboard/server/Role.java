package dev.switchboard.server;

import dev.switchboard.auth.AuthVerticle;
import dev.switchboard.persistence.PersistenceVerticle;
import dev.switchboard.presence.PresenceVerticle;
import dev.switchboard.realtime.EdgeVerticle;
import io.vertx.core.Deployable;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/** The roles one process can run, in the order they are deployed (the edge last, once what it calls is up). */
public enum Role {
  PERSISTENCE(gate -> new PersistenceVerticle()),
  AUTH(gate -> new AuthVerticle()),
  PRESENCE(gate -> new PresenceVerticle()),
  EDGE(EdgeVerticle::new);

  private final Function<Supplier<String>, ? extends Deployable> factory;

  Role(Function<Supplier<String>, ? extends Deployable> factory) {
    this.factory = factory;
  }

  /** A new verticle for this role; {@code nodeGate} says why the process is not ready, or null when it is. */
  Deployable newVerticle(Supplier<String> nodeGate) {
    return factory.apply(nodeGate);
  }

  /** Parses {@code edge,auth,presence,persistence} (any order, any case). */
  public static Set<Role> parse(String list) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : list.split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      try {
        roles.add(valueOf(trimmed.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown role '" + trimmed + "': use edge, auth, presence, persistence");
      }
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("SB_ROLES names no role");
    }
    return roles;
  }
}
