package dev.kcpasskeys.ceremony;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * WebAuthn hints (L3 §5.8.7 PublicKeyCredentialHint): the relying party's preference for the kind
 * of authenticator the browser offers first. A hint is only a preference: the browser may ignore
 * it, and nothing is verified against it.
 */
public final class Hints {

  /** The values §5.8.7 defines: a security key, this device's authenticator, a phone (hybrid). */
  public static final List<String> VALUES = List.of("security-key", "client-device", "hybrid");

  private Hints() {}

  /** Why a list of hints cannot be sent, if it cannot: an unknown value or a repeated one. */
  public static Optional<String> problem(List<String> hints) {
    var seen = new HashSet<String>();
    for (String hint : hints) {
      if (!VALUES.contains(hint)) {
        return Optional.of(
            "'" + hint + "' is not a WebAuthn hint (security-key, client-device, hybrid)");
      }
      if (!seen.add(hint)) {
        return Optional.of("'" + hint + "' is listed twice");
      }
    }
    return Optional.empty();
  }

  static List<String> checked(List<String> hints) {
    List<String> copy = List.copyOf(Objects.requireNonNull(hints, "hints"));
    problem(copy)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    return copy;
  }

  /** Adds {@code hints} to options JSON, in order; leaves it out when there are none. */
  static void write(ObjectNode options, List<String> hints) {
    if (!hints.isEmpty()) {
      ArrayNode array = options.putArray("hints");
      hints.forEach(array::add);
    }
  }
}
