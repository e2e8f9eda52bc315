package dev.switchboard.presence;

import dev.switchboard.protocol.CallerContext;
import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.protocol.RedisClients;
import dev.switchboard.protocol.RedisScript;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@inheritDoc}
 *
 * <p>State lives in Redis, so any number of presence verticles on any nodes may share it: every change is one Lua
 * script, atomic on the server, and nothing is cached here. Per session {@code S}, under {@code keyPrefix + "s:" + S}:
 * <ul>
 *   <li>{@code :conns} sorted set of connections ({@code 6:node-a/c1}: node id length, node id, connection id)
 *       scored by last-seen time (ms);</li>
 *   <li>{@code :owner} hash connection to user id;</li>
 *   <li>{@code :count} hash user id to their number of connections, so a user with two tabs is present once;</li>
 *   <li>{@code :users} sorted set of present user ids, all scored 0: {@code ZCARD} is the count, {@code ZRANGEBYLEX}
 *       the pages;</li>
 *   <li>{@code :info} hash user id to the user's JSON;</li>
 *   <li>{@code :anon} hash actor type to how many of the present users are anonymous entries of that type (their ids
 *       start with NUL, so they are also the {@code :users} range {@code [\0} to {@code (\1}, skipped by pages).</li>
 * </ul>
 * plus {@code keyPrefix + "sessions"}, every session with a connection scored by a lower bound of its oldest
 * last-seen time, so a sweep visits only sessions that may hold stale connections. A heartbeat costs one
 * {@code ZADD} per connection inside one {@code EVALSHA} per {@link #REFRESH_CHUNK} connections.
 *
 * <p>Limits: scripts build key names from their arguments, so this needs one Redis (a primary, with replicas or
 * Sentinel if wanted), not Redis Cluster; Redis 6.2 or later ({@code ZADD GT/LT}). Last-seen times come from the
 * callers' clocks, which are expected to agree to well within the expiry time. A refresh of more than
 * {@link #REFRESH_CHUNK} connections, and a sweep of more than {@link #SWEEP_BUDGET}, is atomic per chunk, not as a
 * whole. A Redis that cannot be reached, or does not answer within {@link #TIMEOUT_MS}, fails the future; one that
 * hangs rather than refuses thus holds each call for that long.
 */
public final class RedisPresenceStore implements PresenceStore {

  /** The prefix of presence keys in production. */
  public static final String KEY_PREFIX = "sb:presence:";
  /** Connections per refresh script: each script call blocks Redis while it runs, so a big node's is split. */
  static final int REFRESH_CHUNK = 1000;
  /** Connections one sweep script removes at most; a sweep runs scripts until nothing stale is left. */
  static final int SWEEP_BUDGET = 1000;
  /** Sessions one count script reads at most. */
  static final int COUNTS_CHUNK = 1000;
  /** The lowest id a shown user can have: every anonymous entry's id is below it. */
  private static final String FIRST_SHOWN = "\u0001";
  /** The longest one call waits for Redis. */
  static final long TIMEOUT_MS = 3000;

  /** Each call holds a pooled connection for one round trip; these bound connections and queued calls. */
  private static final int POOL_SIZE = 4;
  private static final int MAX_WAITING = 4096;

  /** Shared by every script: ARGV[1] is the key prefix. */
  private static final String FUNCTIONS = """
      local prefix = ARGV[1]
      local function anon_type(u)
        if string.byte(u, 1) == 0 then
          return string.match(u, '^%z([^%z]*)%z')
        end
        return nil
      end
      local function add(s, m, u, j, now, is_join)
        local p = prefix .. 's:' .. s .. ':'
        if redis.call('ZADD', p .. 'conns', 'GT', now, m) == 0 then
          if is_join and redis.call('HGET', p .. 'owner', m) == u then
            redis.call('HSET', p .. 'info', u, j)
          end
          return 0
        end
        redis.call('HSET', p .. 'owner', m, u)
        redis.call('HSET', p .. 'info', u, j)
        redis.call('ZADD', prefix .. 'sessions', 'LT', now, s)
        if redis.call('HINCRBY', p .. 'count', u, 1) == 1 then
          redis.call('ZADD', p .. 'users', 0, u)
          local t = anon_type(u)
          if t then
            redis.call('HINCRBY', p .. 'anon', t, 1)
          end
          return 1
        end
        return 0
      end
      local function remove(s, m)
        local p = prefix .. 's:' .. s .. ':'
        local u = redis.call('HGET', p .. 'owner', m)
        if not u then
          return false
        end
        redis.call('ZREM', p .. 'conns', m)
        redis.call('HDEL', p .. 'owner', m)
        if redis.call('HINCRBY', p .. 'count', u, -1) > 0 then
          return false
        end
        redis.call('HDEL', p .. 'count', u)
        redis.call('ZREM', p .. 'users', u)
        local t = anon_type(u)
        if t and redis.call('HINCRBY', p .. 'anon', t, -1) <= 0 then
          redis.call('HDEL', p .. 'anon', t)
        end
        local j = redis.call('HGET', p .. 'info', u)
        redis.call('HDEL', p .. 'info', u)
        return j
      end
      """;
  // Times travel as the callers' decimal strings: a Lua number would print as 1.7e+12 and lose the milliseconds.
  /** ARGV prefix, session, connection, user id, user JSON, now: 1 when the user became present. */
  private static final RedisScript JOIN = new RedisScript(FUNCTIONS + """
      return add(ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], true)
      """);
  /** ARGV prefix, session, connection: the user's JSON when it was their last connection, else nil. */
  private static final RedisScript LEAVE = new RedisScript(FUNCTIONS + """
      local j = remove(ARGV[2], ARGV[3])
      if redis.call('ZCARD', prefix .. 's:' .. ARGV[2] .. ':conns') == 0 then
        redis.call('ZREM', prefix .. 'sessions', ARGV[2])
      end
      return j
      """);
  /** ARGV prefix, now, then session, connection, user id, user JSON per connection: session, JSON per new user. */
  private static final RedisScript REFRESH = new RedisScript(FUNCTIONS + """
      local joined = {}
      for i = 3, #ARGV, 4 do
        if add(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[2], false) == 1 then
          joined[#joined + 1] = ARGV[i]
          joined[#joined + 1] = ARGV[i + 3]
        end
      end
      return joined
      """);
  /**
   * ARGV prefix, older-than, budget: {more, session, JSON, session, JSON...} with one pair per user left without a
   * connection; more is 1 when the budget ran out before every stale connection was seen. Each visited session's
   * index score becomes its true oldest last-seen time.
   */
  private static final RedisScript SWEEP = new RedisScript(FUNCTIONS + """
      local older = '(' .. ARGV[2]
      local budget = tonumber(ARGV[3])
      local out = {0}
      local sessions = redis.call('ZRANGEBYSCORE', prefix .. 'sessions', '-inf', older, 'LIMIT', 0, budget)
      if #sessions == budget then
        out[1] = 1
      end
      for _, s in ipairs(sessions) do
        local p = prefix .. 's:' .. s .. ':'
        local stale = redis.call('ZRANGEBYSCORE', p .. 'conns', '-inf', older, 'LIMIT', 0, budget)
        for _, m in ipairs(stale) do
          local j = remove(s, m)
          if j then
            out[#out + 1] = s
            out[#out + 1] = j
          end
        end
        local first = redis.call('ZRANGE', p .. 'conns', 0, 0, 'WITHSCORES')
        if #first == 0 then
          redis.call('ZREM', prefix .. 'sessions', s)
        else
          redis.call('ZADD', prefix .. 'sessions', first[2], s)
        end
        budget = budget - #stale
        if budget <= 0 then
          out[1] = 1
          break
        end
      end
      return out
      """);
  /** ARGV prefix, then session ids: each session's number of present users but anonymous entries, in order. */
  private static final RedisScript COUNTS = new RedisScript("""
      local counts = {}
      for i = 2, #ARGV do
        local users = ARGV[1] .. 's:' .. ARGV[i] .. ':users'
        counts[i - 1] = redis.call('ZCARD', users)
            - redis.call('ZLEXCOUNT', users, '[' .. string.char(0), '(' .. string.char(1))
      end
      return counts
      """);
  /** ARGV prefix, then session ids: each session's {@code type, count, type, count...} of anonymous entries. */
  private static final RedisScript ANONYMOUS_COUNTS = new RedisScript("""
      local counts = {}
      for i = 2, #ARGV do
        counts[i - 1] = redis.call('HGETALL', ARGV[1] .. 's:' .. ARGV[i] .. ':anon')
      end
      return counts
      """);
  /** ARGV prefix, session, lowest bound ({@code [\1} or {@code (userId}), limit: the users' JSON in user id order. */
  private static final RedisScript PAGE = new RedisScript("""
      local p = ARGV[1] .. 's:' .. ARGV[2] .. ':'
      local ids = redis.call('ZRANGEBYLEX', p .. 'users', ARGV[3], '+', 'LIMIT', 0, tonumber(ARGV[4]))
      if #ids == 0 then
        return {}
      end
      return redis.call('HMGET', p .. 'info', unpack(ids))
      """);

  private final Vertx vertx;
  private final Redis redis;
  private final String keyPrefix;

  /**
   * @param redisUrl  a {@code redis://} or {@code rediss://} URL
   * @param keyPrefix prepended to every key ({@link #KEY_PREFIX} in production)
   */
  public RedisPresenceStore(Vertx vertx, String redisUrl, String keyPrefix) {
    this.vertx = vertx;
    this.redis = RedisClients.create(vertx, redisUrl, POOL_SIZE, MAX_WAITING);
    this.keyPrefix = keyPrefix;
  }

  @Override
  public Future<Boolean> join(String sessionId, String nodeId, String connectionId, PresenceUser user, long nowMs) {
    return run(JOIN, List.of(sessionId, member(nodeId, connectionId), user.userId(), user.toJson().encode(),
        Long.toString(nowMs))).map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<PresenceUser> leave(String sessionId, String nodeId, String connectionId) {
    return run(LEAVE, List.of(sessionId, member(nodeId, connectionId))).map(r -> r == null ? null : user(r));
  }

  @Override
  public Future<List<PresenceUser>> users(String sessionId, String afterUserId, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    // Anonymous entries' ids start with NUL: every shown user's id is at least FIRST_SHOWN.
    String from = afterUserId == null || afterUserId.compareTo(FIRST_SHOWN) < 0 ? "[" + FIRST_SHOWN
        : "(" + afterUserId;
    return run(PAGE, List.of(sessionId, from, Integer.toString(limit)))
        .map(r -> {
          List<PresenceUser> users = new ArrayList<>(r.size());
          for (Response json : r) {
            if (json != null) {
              users.add(user(json));
            }
          }
          return users;
        });
  }

  @Override
  public Future<List<Integer>> counts(List<String> sessionIds) {
    List<Integer> counts = new ArrayList<>(sessionIds.size());
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < sessionIds.size(); from += COUNTS_CHUNK) {
      List<String> chunk = sessionIds.subList(from, Math.min(sessionIds.size(), from + COUNTS_CHUNK));
      chain = chain.compose(v -> run(COUNTS, chunk).map(r -> {
        r.forEach(count -> counts.add(count.toInteger()));
        return null;
      }));
    }
    return chain.map(counts);
  }

  @Override
  public Future<List<Map<String, Integer>>> anonymousCounts(List<String> sessionIds) {
    List<Map<String, Integer>> counts = new ArrayList<>(sessionIds.size());
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < sessionIds.size(); from += COUNTS_CHUNK) {
      List<String> chunk = sessionIds.subList(from, Math.min(sessionIds.size(), from + COUNTS_CHUNK));
      chain = chain.compose(v -> run(ANONYMOUS_COUNTS, chunk).map(r -> {
        for (Response pairs : r) {
          Map<String, Integer> byType = new HashMap<>();
          for (int i = 0; i + 1 < pairs.size(); i += 2) {
            byType.put(pairs.get(i).toString(), pairs.get(i + 1).toInteger());
          }
          counts.add(byType);
        }
        return null;
      }));
    }
    return chain.map(counts);
  }

  @Override
  public Future<List<PresenceChange>> refresh(String nodeId, List<PresenceHeartbeat.Entry> connections, long nowMs) {
    List<PresenceChange> joins = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    String now = Long.toString(nowMs);
    for (int from = 0; from < connections.size(); from += REFRESH_CHUNK) {
      List<PresenceHeartbeat.Entry> chunk =
          connections.subList(from, Math.min(connections.size(), from + REFRESH_CHUNK));
      chain = chain.compose(v -> {
        List<String> args = new ArrayList<>(1 + chunk.size() * 4);
        args.add(now);
        for (PresenceHeartbeat.Entry entry : chunk) {
          args.add(entry.sessionId());
          args.add(member(nodeId, entry.connectionId()));
          args.add(entry.user().userId());
          args.add(entry.user().toJson().encode());
        }
        return run(REFRESH, args).map(r -> {
          collect(r, 0, PresenceAction.JOIN, joins);
          return null;
        });
      });
    }
    return chain.map(joins);
  }

  @Override
  public Future<List<PresenceChange>> sweep(long olderThanMs) {
    List<PresenceChange> leaves = new ArrayList<>();
    return sweepRound(Long.toString(olderThanMs), leaves).map(leaves);
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  /** One sweep script, then another while the last one ran out of budget. */
  private Future<Void> sweepRound(String olderThanMs, List<PresenceChange> leaves) {
    return run(SWEEP, List.of(olderThanMs, Integer.toString(SWEEP_BUDGET))).compose(r -> {
      collect(r, 1, PresenceAction.LEAVE, leaves);
      return r.get(0).toInteger() == 1 ? sweepRound(olderThanMs, leaves) : Future.succeededFuture();
    });
  }

  /** Reads {@code session, user JSON} pairs from {@code from} on into changes. */
  private static void collect(Response pairs, int from, PresenceAction action, List<PresenceChange> into) {
    for (int i = from; i + 1 < pairs.size(); i += 2) {
      into.add(new PresenceChange(pairs.get(i).toString(), action, user(pairs.get(i + 1))));
    }
  }

  /** Runs {@code script} with the key prefix as {@code ARGV[1]} and {@code args} after it. */
  private Future<Response> run(RedisScript script, List<String> args) {
    List<String> argv = new ArrayList<>(1 + args.size());
    argv.add(keyPrefix);
    argv.addAll(args);
    return script.run(this::send, List.of(), argv);
  }

  /** Sends one command, failing after {@link #TIMEOUT_MS}; the outcome arrives on the caller's context. */
  private Future<Response> send(Request request) {
    Context caller = vertx.getOrCreateContext();
    return CallerContext.completeOn(caller, redis.send(request).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS));
  }

  /**
   * A connection as a set member. The node id's length goes first so that no two (node, connection) pairs can
   * spell the same member, whatever characters the ids hold.
   */
  private static String member(String nodeId, String connectionId) {
    return nodeId.length() + ":" + nodeId + "/" + connectionId;
  }

  private static PresenceUser user(Response json) {
    return PresenceUser.fromJson(new JsonObject(json.toString()));
  }
}
