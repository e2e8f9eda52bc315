package dev.switchboard.realtime.ws;

import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;

/**
 * Gives an upgraded WebSocket the direct write path that {@code HttpServerOptions.setStrictThreadMode(true)} gives
 * HTTP connections.
 *
 * <p>In Vert.x 5.0.10 the connection created by a WebSocket upgrade ignores strict thread mode: it always gets a
 * cross-thread write queue whose first chunk is a 1,025-slot array, about 4.7 KB of heap per idle socket, half of what
 * a connection costs (see docs/ARCHITECTURE.md, Vert.x 5 facts the code relies on, and Why it is built this way; fixed
 * in later Vert.x versions). Every write of the edge happens on its event loop, so the queue is never needed; this
 * swaps it, right after the upgrade and before anything is written, for the direct queue Vert.x uses in strict mode.
 * If the internals differ (another Vert.x version), it does nothing and says so once.
 */
public final class DirectWrites {

  private static final Logger LOG = LoggerFactory.getLogger(DirectWrites.class);
  private static final MethodHandle CONNECTION;
  private static final MethodHandle SET_QUEUE;
  private static final MethodHandle NEW_DIRECT_QUEUE;

  static {
    MethodHandle connection = null;
    MethodHandle setQueue = null;
    MethodHandle newDirectQueue = null;
    try {
      Class<?> webSocketBase = Class.forName("io.vertx.core.http.impl.WebSocketImplBase");
      Class<?> vertxConnection = Class.forName("io.vertx.core.net.impl.VertxConnection");
      Class<?> direct = Class.forName("io.vertx.core.net.impl.VertxConnection$DirectOutboundMessageQueue");
      Field conn = webSocketBase.getDeclaredField("conn");
      conn.setAccessible(true);
      Field queue = vertxConnection.getDeclaredField("outboundMessageQueue");
      queue.setAccessible(true);
      Constructor<?> constructor = direct.getDeclaredConstructor(vertxConnection);
      constructor.setAccessible(true);
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      connection = lookup.unreflectGetter(conn);
      setQueue = lookup.unreflectSetter(queue);
      newDirectQueue = lookup.unreflectConstructor(constructor);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.info("WebSockets keep Vert.x's cross-thread write queue (about 4.7 KB each): {}", e.toString());
    }
    CONNECTION = connection;
    SET_QUEUE = setQueue;
    NEW_DIRECT_QUEUE = newDirectQueue;
  }

  private DirectWrites() {
  }

  /** Whether this Vert.x version has the internals the swap needs. */
  static boolean available() {
    return SET_QUEUE != null;
  }

  /** Switches {@code ws} to direct writes; call on its event loop before anything is written to it. */
  static void apply(ServerWebSocket ws) {
    if (SET_QUEUE == null) {
      return;
    }
    try {
      Object connection = CONNECTION.invoke(ws);
      SET_QUEUE.invoke(connection, NEW_DIRECT_QUEUE.invoke(connection));
    } catch (Throwable e) {
      LOG.debug("direct writes not applied: {}", e.toString());
    }
  }
}
