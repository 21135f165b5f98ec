package com.shopcrm.gateway.cors;

import com.shopcrm.common.problem.ProblemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A shop's allowed browser origins, written as browsers send them in {@code Origin}:
 * {@code scheme://host[:port]} with no path, lower case, default port left out. No wildcards: an
 * origin allowed to call with a shop's key is named.
 */
public final class CorsOrigins {

  public static final int MAX = 50;

  private CorsOrigins() {
  }

  /** The origins normalized and de-duplicated, or a 400 naming the first bad one. */
  public static List<String> normalize(List<String> origins) {
    if (origins == null) {
      throw ProblemException.invalid("origins", "is required (an empty list allows no origin)");
    }
    if (origins.size() > MAX) {
      throw ProblemException.invalid("origins", "at most " + MAX + " origins");
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < origins.size(); i++) {
      String normalized = normalizeOne(origins.get(i));
      if (normalized == null) {
        throw ProblemException.invalid("origins[" + i + "]",
            "must be an origin such as https://shop.example.com (http or https, a host, an optional port, no path)");
      }
      out.add(normalized);
    }
    return new ArrayList<>(out);
  }

  /** The origin as a browser would send it, or {@code null} when it is not one. */
  public static String normalizeOne(String origin) {
    if (origin == null || origin.isBlank() || origin.length() > 255) {
      return null;
    }
    try {
      URI uri = new URI(origin.trim());
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null || uri.getRawUserInfo() != null
          || uri.getRawQuery() != null || uri.getRawFragment() != null
          || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
        return null;
      }
      int port = uri.getPort();
      boolean defaultPort = port == -1 || "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
