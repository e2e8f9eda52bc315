package dev.switchboard.server;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import dev.switchboard.protocol.ConfigReader;
import dev.switchboard.protocol.SharedConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a clustered node joins: the Hazelcast configuration ({@code cluster.xml}, packaged in the jar) with the
 * {@code SB_CLUSTER_*} settings applied over it, and the event bus bound to the same host, with TLS and client
 * certificates when {@code SB_EVENTBUS_TLS_*} are set.
 *
 * @param name Hazelcast cluster name ({@code SB_CLUSTER_NAME}); members with another name never join
 * @param host the one address Hazelcast and the event bus listen on ({@code SB_CLUSTER_HOST}); 0.0.0.0 for all
 * @param publicHost address the other members use ({@code SB_CLUSTER_PUBLIC_HOST}), the bind address by default
 * @param port Hazelcast member port ({@code SB_CLUSTER_PORT}), auto-incremented when taken
 * @param eventBusPort clustered event bus port ({@code SB_EVENTBUS_PORT}), 0 for any free port
 * @param members TCP/IP members ({@code SB_CLUSTER_MEMBERS}), empty to keep the file's
 * @param dns Kubernetes headless Service for DNS discovery ({@code SB_CLUSTER_DNS}), or null for TCP/IP
 * @param configFile a Hazelcast XML file replacing the packaged one ({@code SB_CLUSTER_CONFIG}), or null
 * @param eventBusTls TLS with client certificates on the event bus ({@code SB_EVENTBUS_TLS_*}), or null for none
 */
public record ClusterSetup(String name, String host, String publicHost, int port, int eventBusPort,
                           List<String> members, String dns, String configFile, EventBusTls eventBusTls) {

  static final String PACKAGED_CONFIG = "cluster.xml";
  static final String JOIN_WAIT = "hazelcast.wait.seconds.before.join";
  /** Hazelcast binds every interface unless told not to, whatever interface it was given. */
  static final String BIND_ANY = "hazelcast.socket.bind.any";
  static final int MIN_DNS_JOIN_WAIT_SECONDS = 5;
  /** The system property Vert.x reads for a Hazelcast file, {@code SB_CLUSTER_CONFIG}'s default. */
  static final String CONFIG_PROPERTY = "vertx.hazelcast.config";

  public static final String DEFAULT_NAME = "switchboard";
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The host that binds every interface. */
  static final String ANY_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 5701;
  /** Any free port. */
  public static final int DEFAULT_EVENT_BUS_PORT = 0;

  public ClusterSetup {
    if (port < 1 || port > SharedConfig.MAX_PORT || eventBusPort < 0 || eventBusPort > SharedConfig.MAX_PORT) {
      throw new IllegalArgumentException("SB_CLUSTER_PORT must be 1-" + SharedConfig.MAX_PORT
          + " and SB_EVENTBUS_PORT 0-" + SharedConfig.MAX_PORT);
    }
    members = List.copyOf(members);
  }

  public static ClusterSetup from(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    String host = reader.string("SB_CLUSTER_HOST", DEFAULT_HOST);
    List<String> members = new ArrayList<>();
    for (String member : reader.string("SB_CLUSTER_MEMBERS", "").split(",")) {
      if (!member.isBlank()) {
        members.add(member.trim());
      }
    }
    return new ClusterSetup(reader.string("SB_CLUSTER_NAME", DEFAULT_NAME), host,
        reader.string("SB_CLUSTER_PUBLIC_HOST", host),
        reader.integer("SB_CLUSTER_PORT", DEFAULT_PORT),
        reader.integer("SB_EVENTBUS_PORT", DEFAULT_EVENT_BUS_PORT),
        members,
        reader.string("SB_CLUSTER_DNS", null),
        reader.string("SB_CLUSTER_CONFIG", System.getProperty(CONFIG_PROPERTY)),
        EventBusTls.from(reader));
  }

  /** Starts a clustered Vert.x instance without metrics; completes once this node has joined. */
  public Future<Clustered> join() {
    return join(NodeMetrics.of(false));
  }

  /** Starts a clustered Vert.x instance reporting to {@code metrics}; completes once this node has joined. */
  public Future<Clustered> join(NodeMetrics metrics) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig());
    VertxOptions options = new VertxOptions().setEventBusOptions(eventBusOptions());
    return metrics.vertxBuilder(options).withClusterManager(manager).buildClustered()
        .map(vertx -> new Clustered(vertx, manager));
  }

  /** The clustered event bus: on this node's host, with TLS when configured. */
  EventBusOptions eventBusOptions() {
    EventBusOptions options = new EventBusOptions()
        .setHost(host)
        .setPort(eventBusPort)
        .setClusterPublicHost(publicHost);
    return eventBusTls == null ? options : eventBusTls.applyTo(options);
  }

  /** The packaged (or named) Hazelcast file, with this node's settings applied. */
  Config hazelcastConfig() {
    Config config = baseConfig();
    config.setClusterName(name);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(true);
    if (!publicHost.equals(host)) {
      network.setPublicAddress(publicHost);
    }
    if (host.equals(ANY_HOST)) {
      network.getInterfaces().setEnabled(false);
      config.setProperty(BIND_ANY, "true");
    } else {
      // The interface alone only picks the address Hazelcast advertises; it would still listen on every interface.
      network.getInterfaces().clear().setEnabled(true).addInterface(host);
      config.setProperty(BIND_ANY, "false");
    }
    JoinConfig join = network.getJoin();
    if (dns != null) {
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", dns);
      // DNS discovery only looks members up while it waits before joining: with no wait (the local default) every
      // pod would found a cluster of its own.
      String wait = config.getProperty(JOIN_WAIT);
      if (wait == null || Integer.parseInt(wait.trim()) < MIN_DNS_JOIN_WAIT_SECONDS) {
        config.setProperty(JOIN_WAIT, Integer.toString(MIN_DNS_JOIN_WAIT_SECONDS));
      }
    } else if (!members.isEmpty()) {
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(members);
    }
    return config;
  }

  private Config baseConfig() {
    if (configFile != null) {
      try {
        return new FileSystemXmlConfig(configFile);
      } catch (FileNotFoundException e) {
        throw new IllegalArgumentException("SB_CLUSTER_CONFIG: no file " + configFile);
      }
    }
    try (InputStream in = ClusterSetup.class.getClassLoader().getResourceAsStream(PACKAGED_CONFIG)) {
      if (in == null) {
        throw new IllegalStateException(PACKAGED_CONFIG + " is missing from the classpath");
      }
      return new XmlConfigBuilder(in).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A clustered Vert.x instance and its cluster manager (for membership and readiness). */
  public record Clustered(Vertx vertx, HazelcastClusterManager manager) {
  }
}
