package dev.switchboard.server;

import dev.switchboard.auth.AuthVerticle;
import dev.switchboard.persistence.PersistenceVerticle;
import dev.switchboard.presence.PresenceVerticle;
import dev.switchboard.realtime.EdgeVerticle;
import io.vertx.core.Deployable;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/** The roles one process can run, in the order they are deployed (the edge last, once what it calls is up). */
public enum Role {
  PERSISTENCE(PersistenceVerticle::new),
  AUTH(AuthVerticle::new),
  PRESENCE(PresenceVerticle::new),
  EDGE(EdgeVerticle::new);

  private final Supplier<? extends Deployable> factory;

  Role(Supplier<? extends Deployable> factory) {
    this.factory = factory;
  }

  Deployable newVerticle() {
    return factory.get();
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
