package dev.kcpasskeys.config;

import com.google.common.net.InternetDomainName;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Related Origin Requests (WebAuthn L3 §5.11): sites of other registrable domains that use this RP
 * ID's passkeys. Browsers fetch {@code https://<rp id>/.well-known/webauthn}, whose {@code origins}
 * must list them, and take at most five registrable-domain labels from it (§5.11.1, {@code
 * maxLabels}). The extension's related origins are the configured {@code https://} origins outside
 * the RP ID and its subdomains.
 */
public final class RelatedOrigins {

  /** The fewest labels a browser must accept; more are ignored, so more are refused here. */
  public static final int MAX_LABELS = 5;

  private RelatedOrigins() {}

  /** The configured origins the {@code /.well-known/webauthn} document must list. */
  public static List<String> of(List<String> origins, String rpId) {
    return origins.stream()
        .filter(o -> o.startsWith("https://"))
        .filter(o -> !underRpId(host(o), rpId))
        .toList();
  }

  /** Why browsers would not honour these related origins, if so: more than five labels. */
  public static Optional<String> problem(List<String> origins, String rpId) {
    Set<String> labels = new LinkedHashSet<>();
    for (String origin : of(origins, rpId)) {
      labels.add(label(host(origin)));
    }
    if (labels.size() > MAX_LABELS) {
      return Optional.of(
          "browsers accept related origins of at most "
              + MAX_LABELS
              + " registrable domain labels; these name "
              + labels.size()
              + ": "
              + String.join(", ", labels));
    }
    return Optional.empty();
  }

  /**
   * The label of the host's registrable domain (§5.11.1): {@code example} for {@code
   * shop.example.co.uk}; a host under no public suffix is its own label.
   */
  static String label(String host) {
    try {
      InternetDomainName name = InternetDomainName.from(host);
      if (name.isUnderPublicSuffix()) {
        return name.topPrivateDomain().parts().get(0);
      }
    } catch (IllegalArgumentException notADomainName) {
      // an IP address or similar: its own label
    }
    return host;
  }

  private static boolean underRpId(String host, String rpId) {
    String id = rpId.toLowerCase(Locale.ROOT);
    return host.equals(id) || host.endsWith("." + id);
  }

  private static String host(String origin) {
    return URI.create(origin).getHost().toLowerCase(Locale.ROOT);
  }
}
