package dev.switchboard.realtime.canary;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node ids of the cluster's edges, for the canary to pick the member it watches: each edge puts its node id into
 * a cluster-wide map under its cluster member id, and the list keeps the entries of current members only (the
 * cluster manager's membership), so a member that died drops out as soon as the cluster drops it. Not clustered, the
 * list is this node alone.
 */
public interface EdgeMembers {

  /** The map of cluster member id to edge node id. */
  String MAP = "switchboard.edges";

  /** Node ids of the edges that are members now, this one included. */
  Future<List<String>> list();

  /** Forgets this edge (it stops). */
  void leave();

  /** This edge's members: in the cluster's map when {@code vertx} is clustered, else just {@code nodeId}. */
  static EdgeMembers of(Vertx vertx, String nodeId) {
    ClusterManager manager = vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
    if (manager == null) {
      return new EdgeMembers() {
        @Override
        public Future<List<String>> list() {
          return Future.succeededFuture(List.of(nodeId));
        }

        @Override
        public void leave() {
        }
      };
    }
    String memberId = manager.getNodeId();
    Future<AsyncMap<String, String>> map = vertx.sharedData().<String, String>getClusterWideMap(MAP)
        .compose(m -> m.put(memberId, nodeId).map(m));
    return new EdgeMembers() {
      @Override
      public Future<List<String>> list() {
        return map.compose(AsyncMap::entries).map(entries -> {
          List<String> members = manager.getNodes();
          List<String> edges = new ArrayList<>();
          for (Map.Entry<String, String> entry : entries.entrySet()) {
            if (members.contains(entry.getKey())) {
              edges.add(entry.getValue());
            }
          }
          return edges;
        });
      }

      @Override
      public void leave() {
        map.onSuccess(m -> m.remove(memberId));
      }
    };
  }
}
