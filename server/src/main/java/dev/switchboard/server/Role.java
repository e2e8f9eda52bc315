package dev.switchboard.server;

import dev.switchboard.auth.AuthVerticle;
import dev.switchboard.persistence.PersistenceVerticle;
import dev.switchboard.presence.PresenceVerticle;
import dev.switchboard.protocol.SharedConfig;
import dev.switchboard.protocol.SharedConfig.RoleName;
import dev.switchboard.realtime.EdgeVerticle;
import io.vertx.core.Deployable;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The roles one process can run ({@link RoleName}, parsed from {@code SB_ROLES} by {@link SharedConfig}) with the
 * verticle of each, in the order they are deployed (the edge last, once what it calls is up).
 */
public enum Role {
  PERSISTENCE(RoleName.PERSISTENCE, gate -> new PersistenceVerticle()),
  AUTH(RoleName.AUTH, gate -> new AuthVerticle()),
  PRESENCE(RoleName.PRESENCE, gate -> new PresenceVerticle()),
  EDGE(RoleName.EDGE, EdgeVerticle::new);

  private final RoleName name;
  private final Function<Supplier<String>, ? extends Deployable> factory;

  Role(RoleName name, Function<Supplier<String>, ? extends Deployable> factory) {
    this.name = name;
    this.factory = factory;
  }

  /** A new verticle for this role; {@code nodeGate} says why the process is not ready, or null when it is. */
  Deployable newVerticle(Supplier<String> nodeGate) {
    return factory.apply(nodeGate);
  }

  /** The roles named in {@code names}. */
  public static Set<Role> of(Set<RoleName> names) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Role role : values()) {
      if (names.contains(role.name)) {
        roles.add(role);
      }
    }
    return Collections.unmodifiableSet(roles);
  }

  /** Parses {@code edge,auth,presence,persistence} (any order, any case), as {@code SB_ROLES} is parsed. */
  public static Set<Role> parse(String list) {
    return of(SharedConfig.parseRoles(list));
  }
}
