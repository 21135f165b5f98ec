package com.shopcrm.gateway.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which upstream owns a path: the longest configured prefix that matches on a segment boundary
 * ({@code /api/v1/orders} owns {@code /api/v1/orders} and {@code /api/v1/orders/42}, not
 * {@code /api/v1/orders-x}). Paths no prefix owns are the gateway's own.
 */
public final class RouteTable<T> {

  private record Entry<T>(String prefix, T target) {
  }

  private final List<Entry<T>> entries;

  public RouteTable(Map<String, T> byPrefix) {
    List<Entry<T>> list = new ArrayList<>();
    byPrefix.forEach((prefix, target) -> list.add(new Entry<>(strip(prefix), target)));
    list.sort(Comparator.comparingInt((Entry<T> e) -> e.prefix().length()).reversed());
    this.entries = List.copyOf(list);
  }

  /** The owner of the (normalized) path, or {@code null} when the gateway serves it itself. */
  public T match(String path) {
    String prefix = matchingPrefix(path);
    if (prefix == null) {
      return null;
    }
    for (Entry<T> e : entries) {
      if (e.prefix().equals(prefix)) {
        return e.target();
      }
    }
    return null;
  }

  /** The configured prefix that owns the path, or {@code null}. */
  public String matchingPrefix(String path) {
    for (Entry<T> e : entries) {
      String p = e.prefix();
      if (path.startsWith(p) && (path.length() == p.length() || path.charAt(p.length()) == '/')) {
        return p;
      }
    }
    return null;
  }

  private static String strip(String prefix) {
    String p = prefix.trim();
    if (!p.startsWith("/")) {
      throw new IllegalArgumentException("route prefix must start with '/': " + prefix);
    }
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
