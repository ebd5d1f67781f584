package dev.kcpasskeys.rest.admin;

import dev.kcpasskeys.notify.AdoptionEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.events.EventType;

/**
 * The adoption counters of the admin stats, counted from stored user events (no Keycloak session
 * needed, so unit-tested on its own). Every known key is present, with 0 when nothing happened, so
 * the JSON has the same shape in every realm; values no code of ours writes are not counted.
 */
final class AdoptionCounts {

  static final List<String> SOURCES =
      List.of("login", "app", "page", "api", "nudge", "recovery", "sign-up", "upgrade");
  static final List<String> PATHS = List.of("autofill", "button", "username-first", "step-up");
  static final List<String> NUDGE =
      List.of("shown", "accepted", "snoozed", "declined", "unsupported");
  static final List<String> UPGRADE = List.of("tried", "succeeded", "fallback");

  private final Map<String, Long> registrations = zeros(SOURCES);
  private final Map<String, Long> signIns = zeros(PATHS);
  private final Map<String, Long> nudge = zeros(NUDGE);
  private final Map<String, Long> upgrade = zeros(UPGRADE);

  /** One stored event; events of other types and events without our details are ignored. */
  void add(EventType type, Map<String, String> details) {
    if (details == null) {
      return;
    }
    switch (type) {
      case UPDATE_CREDENTIAL -> count(registrations, details.get("passkey_source"));
      case LOGIN -> count(signIns, details.get("passkey_path"));
      case CUSTOM_REQUIRED_ACTION -> {
        count(nudge, details.get(AdoptionEvents.NUDGE_DETAIL));
        count(upgrade, details.get(AdoptionEvents.UPGRADE_DETAIL));
      }
      default -> {}
    }
  }

  long registrations() {
    return sum(registrations);
  }

  long signIns() {
    return sum(signIns);
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("registrations_by_source", registrations);
    json.put("sign_ins_by_path", signIns);
    json.put("nudge", nudge);
    json.put("upgrade", upgrade);
    return json;
  }

  private static void count(Map<String, Long> counts, String key) {
    if (key != null) {
      counts.computeIfPresent(key, (k, n) -> n + 1);
    }
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<String, Long> zeros(List<String> keys) {
    Map<String, Long> counts = new LinkedHashMap<>();
    keys.forEach(k -> counts.put(k, 0L));
    return counts;
  }
}
