package dev.switchboard.server;

import dev.switchboard.auth.AuthVerticle;
import dev.switchboard.persistence.PersistenceVerticle;
import dev.switchboard.presence.PresenceVerticle;
import dev.switchboard.protocol.SharedConfig;
import dev.switchboard.protocol.SharedConfig.RoleName;
import dev.switchboard.realtime.EdgeVerticle;
import dev.switchboard.realtime.http.MetricsPage;
import io.vertx.core.Deployable;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The roles one process can run ({@link RoleName}, parsed from {@code SB_ROLES} by {@link SharedConfig}) with the
 * verticle of each, in the order they are deployed (the edge last, once what it calls is up).
 */
public enum Role {
  PERSISTENCE(RoleName.PERSISTENCE, (gate, metrics, page) -> new PersistenceVerticle(metrics.persistence())),
  AUTH(RoleName.AUTH, (gate, metrics, page) -> new AuthVerticle(metrics.auth())),
  PRESENCE(RoleName.PRESENCE, (gate, metrics, page) -> new PresenceVerticle(metrics.presence())),
  EDGE(RoleName.EDGE, (gate, metrics, page) -> new EdgeVerticle(gate, metrics.edge(), page));

  private final RoleName name;
  private final Factory factory;

  Role(RoleName name, Factory factory) {
    this.name = name;
    this.factory = factory;
  }

  /**
   * A new verticle for this role; {@code nodeGate} says why the process is not ready, or null when it is;
   * {@code page} is what the edge answers on {@code GET /metrics}, or null.
   */
  Deployable newVerticle(Supplier<String> nodeGate, NodeMetrics metrics, MetricsPage page) {
    return factory.create(nodeGate, metrics, page);
  }

  private interface Factory {
    Deployable create(Supplier<String> nodeGate, NodeMetrics metrics, MetricsPage page);
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
