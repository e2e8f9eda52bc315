package dev.switchboard.realtime.hub;

/**
 * The one owner of a subscription's presence (docs/ARCHITECTURE.md, Presence): a hub tells it when a subscription is
 * placed (its user joins the session, and the subscriber gets the session's first {@code presence.state} page) and
 * when it leaves. Transports never announce presence themselves, except a long poll's grace period.
 */
public interface SubscriptionPresence {

  /** Nobody is announced: for hubs tested on their own. */
  SubscriptionPresence NONE = new SubscriptionPresence() {
    @Override
    public void placed(Subscription subscription) {
    }

    @Override
    public void left(Subscription subscription) {
    }
  };

  /** The subscription is placed; called on its edge loop. */
  void placed(Subscription subscription);

  /** The subscription left its hub (cancelled, or its subscriber closed); called at most once per placement. */
  void left(Subscription subscription);
}
