package dev.switchboard.client;

import dev.switchboard.protocol.TcpProxy;
import dev.switchboard.testsupport.NodeProcess;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.switchboard.client.Recorder.oneTo;
import static dev.switchboard.client.Recorder.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against one real node (the server jar in its own JVM), shared by these tests. */
class RealNodeTest {

  private static NodeProcess node;
  private static Vertx vertx;
  private final List<SwitchboardClient> clients = new ArrayList<>();
  private final List<TcpProxy> proxies = new ArrayList<>();

  @BeforeAll
  static void startNode() {
    node = TestNode.shared();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(SwitchboardClient::close);
    proxies.forEach(TcpProxy::close);
  }

  private SwitchboardClient client(int port, Recorder recorder, Consumer<ClientOptions.Builder> extra) {
    ClientOptions.Builder options = ClientOptions.builder(TestNode.url(port)).token(Tokens.hourLong("ada"))
        .listener(recorder);
    extra.accept(options);
    SwitchboardClient client = new SwitchboardClient(options.build());
    clients.add(client);
    return client;
  }

  private SwitchboardClient client(Recorder recorder, Transport transport) {
    return client(node.httpPort(), recorder, o -> o.transports(transport));
  }

  private TcpProxy proxy() {
    TcpProxy proxy = TcpProxy.start(vertx, "127.0.0.1", node.httpPort());
    proxies.add(proxy);
    return proxy;
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(Recorder.DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void deliversEveryEventOnceAndInOrder(Transport transport) throws Exception {
    String session = "order-" + transport.wire();
    Recorder recorder = new Recorder();
    SwitchboardClient client = client(recorder, transport).subscribe(session, "0").connect();
    recorder.awaitConnected(transport);
    List<CompletableFuture<PublishResult>> publishes = new ArrayList<>();
    for (int n = 1; n <= 50; n++) {
      publishes.add(client.publish(session, "count", "{\"n\":" + n + "}"));
    }
    for (CompletableFuture<PublishResult> publish : publishes) {
      await(publish);
    }
    recorder.awaitCount(session, 50);
    assertEquals(oneTo(50), recorder.sequence(session));
    assertTrue(recorder.events.get(0).payloadJson().matches("\\{\"n\":\\d+}"), recorder.events.get(0).payloadJson());
    assertEquals("50", client.position(session));
    assertTrue(recorder.callbackThread.getName().startsWith("switchboard-callbacks"), "callbacks on the executor");
  }

  @Test
  void aPublishWhoseAckWasLostIsStoredOnce() throws Exception {
    String session = "ack-lost";
    TcpProxy proxy = proxy();
    Recorder recorder = new Recorder();
    SwitchboardClient client = client(proxy.port(), recorder, o -> o.transports(Transport.WEBSOCKET)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(500))).subscribe(session, "0").connect();
    recorder.awaitConnected(Transport.WEBSOCKET);
    SwitchboardClient reader = client(new Recorder(), Transport.WEBSOCKET);

    proxy.muteReplies();
    CompletableFuture<PublishResult> publish = client.publish(session, "vote", "{\"option\":\"b\"}");
    until(() -> history(reader, session).size() == 1, "the publish is stored while its ack is held back");
    proxy.cut();
    proxy.restore();

    PublishResult result = await(publish);
    assertEquals("1", result.eventId(), "the retry is answered with the original eventId");
    recorder.awaitCount(session, 1);
    assertEquals(1, history(reader, session).size(), "stored once");
    assertEquals(List.of(1L), recorder.sequence(session), "delivered once");
  }

  @Test
  void fallsBackToSseBehindAProxyThatRefusesWebSocketsAndReturnsWhenItLetsThemThrough() throws Exception {
    String session = "fallback";
    TcpProxy proxy = proxy();
    proxy.refuseUpgrades(true);
    Recorder recorder = new Recorder();
    client(proxy.port(), recorder, o -> o.upgradeProbe(Duration.ofSeconds(1))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(500))).subscribe(session, "0").connect();
    SwitchboardClient publisher = client(new Recorder(), Transport.WEBSOCKET);
    recorder.awaitConnected(Transport.SSE);
    publishAll(publisher, session, 1, 20);
    recorder.awaitCount(session, 20);

    proxy.refuseUpgrades(false);
    recorder.awaitConnected(Transport.WEBSOCKET);
    publishAll(publisher, session, 21, 40);
    recorder.awaitCount(session, 40);
    assertEquals(oneTo(40), recorder.sequence(session));
    assertTrue(recorder.sawState(s -> "fallback".equals(s.reason()) && s.transport() == Transport.SSE),
        "stepped down to SSE: " + recorder.states);
    assertTrue(recorder.sawState(s -> "upgrade".equals(s.reason()) && s.transport() == Transport.WEBSOCKET),
        "returned to WebSocket: " + recorder.states);
  }

  @Test
  void noticesASilentlyDeadWebSocketWithinTwoHeartbeatsAndResumes() throws Exception {
    // The node's default heartbeat is 5 s: the client pings after 5 s of quiet and gives up 5 s later.
    String session = "silent-drop";
    TcpProxy proxy = proxy();
    Recorder recorder = new Recorder();
    client(proxy.port(), recorder, o -> o.transports(Transport.WEBSOCKET)).subscribe(session, "0").connect();
    recorder.awaitConnected(Transport.WEBSOCKET);
    SwitchboardClient publisher = client(new Recorder(), Transport.WEBSOCKET);
    publishAll(publisher, session, 1, 3);
    recorder.awaitCount(session, 3);
    int statesBefore = recorder.states.size();

    proxy.silenceOpenConnections();
    long silenced = System.nanoTime();
    publishAll(publisher, session, 4, 6);
    until(() -> recorder.states.size() > statesBefore, "the client notices the dead connection");
    long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silenced);
    recorder.awaitCount(session, 6);
    assertEquals(oneTo(6), recorder.sequence(session), "resumed on a new connection, nothing lost or repeated");
    assertTrue(noticedMs <= 10_500, "noticed within two 5 s heartbeats, after " + noticedMs + " ms");
    assertTrue(noticedMs >= 5_000, "not before a whole quiet interval, after " + noticedMs + " ms");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void refreshesTokensAheadOfExpiryWithoutLosingAnEvent(Transport transport) throws Exception {
    // 3 s tokens, refreshed a quarter of their life before exp: an auth frame on WebSocket, a new stream on SSE.
    Tokens.Counting tokens = new Tokens.Counting("ada", 3, false);
    Recorder recorder = runWithTokens("refresh-" + transport.wire(), transport, tokens, 6);
    assertTrue(tokens.refresh.get() >= 2, "refreshed ahead of exp, " + tokens.refresh.get() + " times");
    assertEquals(0, tokens.unauthorized.get(), "no token was refused");
    assertTrue(recorder.states.stream().noneMatch(s -> s.error() != null), "no connection failed: " + recorder.states);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void getsANewTokenWhenTheServerEndsAnExpiredOneWithoutLosingAnEvent(Transport transport) throws Exception {
    // Every early refresh fails, so each 2 s token lives until the server ends the connection at its exp (4001 on
    // a WebSocket, an error frame on SSE) and the client asks for a new one and resumes.
    Tokens.Counting tokens = new Tokens.Counting("ada", 2, true);
    Recorder recorder = runWithTokens("expired-" + transport.wire(), transport, tokens, 5);
    assertTrue(tokens.unauthorized.get() >= 2, "new tokens after refusals: " + tokens.unauthorized.get());
    assertTrue(recorder.sawState(s -> s.error() != null && s.error().code() == ErrorCode.UNAUTHORIZED),
        "the server ended an expired token's connection: " + recorder.states);
  }

  /** A subscriber on {@code tokens} while events are published for {@code seconds}: it gets them all, in order. */
  private Recorder runWithTokens(String session, Transport transport, TokenSupplier tokens, int seconds)
      throws Exception {
    Recorder recorder = new Recorder();
    client(node.httpPort(), recorder, o -> o.transports(transport).token(tokens)).subscribe(session, "0").connect();
    recorder.awaitConnected(transport);
    SwitchboardClient publisher = client(new Recorder(), Transport.WEBSOCKET);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int published = 0;
    while (System.nanoTime() < end) {
      await(publisher.publish(session, "tick", "{\"n\":" + ++published + "}"));
      Thread.sleep(50);
    }
    recorder.awaitCount(session, published);
    assertEquals(oneTo(published), recorder.sequence(session));
    return recorder;
  }

  @Test
  void signalsAndPresenceReachTheOtherClient() throws Exception {
    String session = "signals";
    Recorder ada = new Recorder();
    Recorder bob = new Recorder();
    SwitchboardClient adaClient = client(ada, Transport.WEBSOCKET).subscribe(session).connect();
    ada.awaitConnected(Transport.WEBSOCKET);
    client(node.httpPort(), bob, o -> o.token(Tokens.hourLong("bob")).transports(Transport.WEBSOCKET))
        .subscribe(session).connect();
    until(() -> ada.presence.stream().anyMatch(c -> c.action() == PresenceChange.Action.JOIN
        && c.user().userId().equals("bob")), "ada sees bob join: " + ada.presence);
    assertEquals("Name of bob", ada.presence.stream().filter(c -> c.action() == PresenceChange.Action.JOIN
        && c.user().userId().equals("bob")).findFirst().orElseThrow().user().name());
    assertTrue(await(adaClient.signal(session, "cursor", "{\"x\":1}")), "sent on the WebSocket");
    until(() -> !bob.signals.isEmpty(), "bob gets the signal");
    assertEquals("{\"x\":1}", bob.signals.get(0).payloadJson());
    assertEquals("ada", bob.signals.get(0).userId());
    PresencePage page = await(adaClient.presence(session));
    assertEquals(2, page.count());
  }

  @Test
  void historyReadsStoredEventsAndAForbiddenSessionIsReported() throws Exception {
    String session = "history";
    SwitchboardClient client = client(new Recorder(), Transport.WEBSOCKET);
    publishAll(client, session, 1, 3);
    HistoryPage page = await(client.history(session, "1", 10));
    assertEquals(List.of("2", "3"), page.events().stream().map(Event::eventId).collect(java.util.stream.Collectors.toList()));
    assertEquals("3", page.lastEventId());
    CompletableFuture<PublishResult> reserved = client.publish("sys:canary:x", "nope", null);
    SwitchboardException error = (SwitchboardException) assertThrowsCause(reserved);
    assertEquals(ErrorCode.FORBIDDEN, error.code(), "no retry of a forbidden publish");
  }

  @Test
  void closesInTheBackgroundAfterTheGraceAndResumesInTheForeground() throws Exception {
    String session = "lifecycle";
    Recorder recorder = new Recorder();
    SwitchboardClient client = client(node.httpPort(), recorder, o -> o.transports(Transport.WEBSOCKET)
        .closeInBackgroundAfter(Duration.ofMillis(200))).subscribe(session, "0").connect();
    recorder.awaitConnected(Transport.WEBSOCKET);
    client.onBackground();
    until(() -> client.state().phase() == ConnectionState.Phase.SUSPENDED, "suspended: " + recorder.states);
    publishAll(client(new Recorder(), Transport.WEBSOCKET), session, 1, 5);
    client.onForeground();
    recorder.awaitCount(session, 5);
    assertEquals(oneTo(5), recorder.sequence(session), "what was published meanwhile arrives once in order");
  }

  @Test
  void reconnectsAtOnceWhenTheNetworkIsBackInsteadOfWaitingOutTheBackoff() throws Exception {
    TcpProxy proxy = proxy();
    Recorder recorder = new Recorder();
    SwitchboardClient client = client(proxy.port(), recorder, o -> o.transports(Transport.WEBSOCKET)
        .backoff(Duration.ofSeconds(60), Duration.ofSeconds(60))).subscribe("network", "0").connect();
    recorder.awaitConnected(Transport.WEBSOCKET);
    proxy.cut();
    until(() -> client.state().phase() == ConnectionState.Phase.RECONNECTING, "dropped: " + recorder.states);
    proxy.restore();
    client.onNetworkAvailable();
    until(() -> recorder.sawState(s -> "network available".equals(s.reason())), "woken: " + recorder.states);
    recorder.awaitConnected(Transport.WEBSOCKET);
  }

  @Test
  void closeLeavesNoThreadOfTheClientRunning() throws Exception {
    Recorder recorder = new Recorder();
    InMemoryPositionStore positions = new InMemoryPositionStore();
    SwitchboardClient client = client(node.httpPort(), recorder, o -> o.transports(Transport.WEBSOCKET)
        .positionStore(positions)).subscribe("threads", "0").connect();
    recorder.awaitConnected(Transport.WEBSOCKET);
    await(client.publish("threads", "x", "1"));
    recorder.awaitCount("threads", 1);
    clients.forEach(SwitchboardClient::close);
    assertEquals("1", positions.load("threads"), "the handled event's position is stored when close returns");
    until(() -> clientThreads().isEmpty(), "the client's threads end: " + clientThreads());
  }

  private static List<String> clientThreads() {
    List<String> names = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName();
      if (thread.isAlive() && (name.startsWith("switchboard-") || name.startsWith("OkHttp Dispatcher")
          || name.startsWith("OkHttp http"))) {
        names.add(name);
      }
    }
    return names;
  }

  private static Throwable assertThrowsCause(CompletableFuture<?> future) {
    try {
      await(future);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  static void publishAll(SwitchboardClient publisher, String session, int from, int to) throws Exception {
    for (int n = from; n <= to; n++) {
      await(publisher.publish(session, "count", "{\"n\":" + n + "}"));
    }
  }

  private static List<Event> history(SwitchboardClient reader, String session) {
    try {
      return await(reader.history(session, "0", 100)).events();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
