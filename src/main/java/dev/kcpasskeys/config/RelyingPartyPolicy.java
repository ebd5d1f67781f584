package dev.kcpasskeys.config;

import dev.kcpasskeys.ceremony.RelyingPartySettings;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a realm's {@link PasskeySettings} and the request's own URL into the ceremony's {@link
 * RelyingPartySettings}, and checks RP IDs and origins when an admin saves them.
 */
public final class RelyingPartyPolicy {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern MOBILE_ORIGIN =
      Pattern.compile("android:apk-key-hash:[A-Za-z0-9_-]{20,}=*");

  private RelyingPartyPolicy() {}

  /**
   * @param requestUri the URL the browser used (Keycloak's frontend URL for the realm)
   * @param displayName the realm's display name, used when no RP name is configured
   */
  public static RelyingPartySettings forRequest(
      PasskeySettings settings, URI requestUri, String displayName) {
    String host = requestUri.getHost().toLowerCase(Locale.ROOT);
    Set<String> origins = new LinkedHashSet<>();
    origins.add(originOf(requestUri));
    origins.addAll(settings.origins());
    // Passkeys are a single sign-in factor: user verification is always required (checklist A-11).
    return RelyingPartySettings.of(
            settings.rpId().orElse(host), settings.rpName().orElse(displayName), origins)
        .withAllowedAaguids(settings.allowedAaguids())
        .withUserVerificationRequired(true);
  }

  /** {@code scheme://host[:port]} exactly as a browser writes {@code clientData.origin}. */
  public static String originOf(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("https") && port == 443)
            || (scheme.equals("http") && port == 80);
    return scheme
        + "://"
        + uri.getHost().toLowerCase(Locale.ROOT)
        + (defaultPort ? "" : ":" + port);
  }

  /**
   * Why an RP ID cannot be used for a realm served at {@code host}, or empty when it can: WebAuthn
   * L3 §5.1.3/§5.1.4 — the RP ID must be the origin's effective domain or a registrable suffix of
   * it. We refuse single-label parents ("com") other than "localhost".
   */
  public static Optional<String> rpIdProblem(String rpId, String host) {
    String id = rpId.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (!isDomainName(id)) {
      return Optional.of(
          "RP ID '" + rpId + "' is not a domain name (no scheme, port, path or IP address)");
    }
    if (!h.equals(id) && !h.endsWith("." + id)) {
      return Optional.of(
          "RP ID '" + rpId + "' is neither the host '" + host + "' nor a parent domain of it");
    }
    if (!id.contains(".") && !id.equals("localhost")) {
      return Optional.of(
          "RP ID '"
              + rpId
              + "' is a top-level domain; use a registrable domain such as example.com");
    }
    return Optional.empty();
  }

  /** Why an extra origin cannot be used, or empty when it can. */
  public static Optional<String> originProblem(String origin) {
    if (MOBILE_ORIGIN.matcher(origin).matches()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(origin);
      boolean plain =
          uri.getScheme() != null
              && uri.getHost() != null
              && (uri.getPath() == null || uri.getPath().isEmpty())
              && uri.getQuery() == null
              && uri.getFragment() == null
              && uri.getUserInfo() == null;
      boolean secure =
          "https".equals(uri.getScheme())
              || ("http".equals(uri.getScheme())
                  && (uri.getHost().equals("localhost") || uri.getHost().endsWith(".localhost")));
      if (plain && secure && originOf(uri).equals(origin)) {
        return Optional.empty();
      }
    } catch (Exception malformed) {
      // falls through to the message
    }
    return Optional.of(
        "origin '"
            + origin
            + "' must look like https://host[:port] (lower case, no path) "
            + "or android:apk-key-hash:<base64url>");
  }

  static boolean isDomainName(String value) {
    if (value.isEmpty() || value.length() > 253 || value.matches("[0-9.]+")) {
      return false;
    }
    for (String label : value.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }
}
