package dev.switchboard.realtime.http;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import io.vertx.core.MultiMap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code SB_TRUSTED_PROXIES}: the peers (addresses or CIDRs) whose {@code Forwarded} or {@code X-Forwarded-For} header
 * names the client (docs/PROTOCOL.md, Limits). Every per-address limit uses {@link #clientOf}. A forwarded list is read
 * from the right, the hop nearest the node, skipping the trusted proxies in it: the first address no proxy of ours
 * added is the client, whatever a client wrote further left. Addresses are matched as IP literals only, never looked
 * up. (vertx-web's {@code Router.allowForward} believes these headers from any peer, so it cannot serve here.)
 */
public final class TrustedProxies {

  private final List<IpSubnetFilterRule> rules;

  private TrustedProxies(List<IpSubnetFilterRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** No proxy is trusted: every client address is the TCP peer's. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  /** Parses a comma-separated list of IPv4/IPv6 addresses and CIDRs; throws on anything else. */
  public static TrustedProxies parse(String list) {
    if (list == null || list.isBlank()) {
      return NONE;
    }
    List<IpSubnetFilterRule> rules = new ArrayList<>();
    for (String entry : list.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int slash = trimmed.indexOf('/');
      String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
      InetAddress ip = literal(address);
      int maxPrefix = ip == null ? 0 : ip.getAddress().length * 8;
      int prefix = slash < 0 ? maxPrefix : prefix(trimmed.substring(slash + 1), maxPrefix);
      if (ip == null || prefix < 0) {
        throw new IllegalArgumentException("SB_TRUSTED_PROXIES: '" + trimmed
            + "' is not an IP address or CIDR (such as 10.0.0.0/8 or fd00::/8)");
      }
      rules.add(new IpSubnetFilterRule(ip, prefix, IpFilterRuleType.ACCEPT));
    }
    return new TrustedProxies(rules);
  }

  /** Whether {@code ip} (a literal address) is one of the trusted proxies. */
  public boolean trusts(String ip) {
    if (rules.isEmpty()) {
      return false;
    }
    InetAddress address = literal(ip);
    if (address == null) {
      return false;
    }
    InetSocketAddress socket = new InetSocketAddress(address, 0);
    for (IpSubnetFilterRule rule : rules) {
      if (rule.matches(socket)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client a request comes from: the TCP peer, unless the peer is a trusted proxy whose headers name an address;
   * then the right-most address of the forwarded chain that is not itself a trusted proxy.
   */
  public String clientOf(String peer, MultiMap headers) {
    if (!trusts(peer)) {
      return peer;
    }
    List<String> chain = ForwardedChain.of(headers);
    for (int i = chain.size() - 1; i >= 0; i--) {
      String hop = chain.get(i);
      if (literal(hop) == null) {
        break;
      }
      if (!trusts(hop) || i == 0) {
        return hop;
      }
    }
    return peer;
  }

  private static InetAddress literal(String address) {
    return address == null ? null : NetUtil.createInetAddressFromIpAddressString(address);
  }

  private static int prefix(String digits, int max) {
    try {
      int prefix = Integer.parseInt(digits);
      return prefix >= 0 && prefix <= max ? prefix : -1;
    } catch (NumberFormatException notANumber) {
      return -1;
    }
  }
}
