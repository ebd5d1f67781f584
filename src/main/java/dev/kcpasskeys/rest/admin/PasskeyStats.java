package dev.kcpasskeys.rest.admin;

import dev.kcpasskeys.credential.PasskeyStore;
import dev.kcpasskeys.credential.PasskeySummary;
import dev.kcpasskeys.metadata.AaguidCatalog;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.keycloak.events.Event;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * {@code GET /admin/realms/{realm}/passkeys/v1/stats}: adoption at a glance. Counts come from the
 * users' stored passkeys; the 30-day activity from Keycloak's event store (so it needs "Save
 * events" on for the realm, as the demo realm has).
 */
final class PasskeyStats {

  private static final int MAX_EVENTS = 100_000;

  private final KeycloakSession session;
  private final RealmModel realm;

  PasskeyStats(KeycloakSession session, RealmModel realm) {
    this.session = session;
    this.realm = realm;
  }

  Map<String, Object> compute() {
    Set<String> usersWithPasskeys = new HashSet<>();
    long synced = 0;
    Map<String, Long> byProvider = new TreeMap<>();
    List<PasskeySummary> passkeys = new PasskeyStore(session, realm).summaries();
    for (PasskeySummary p : passkeys) {
      usersWithPasskeys.add(p.userId());
      if (p.synced()) {
        synced++;
      }
      String provider =
          p.aaguid()
              .flatMap(AaguidCatalog.get()::find)
              .map(AaguidCatalog.Provider::name)
              .orElse("Unknown");
      byProvider.merge(provider, 1L, Long::sum);
    }
    long deviceBound = passkeys.size() - synced;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("users_with_passkeys", (long) usersWithPasskeys.size());
    result.put("passkeys_by_provider", byProvider);
    result.put("synced", synced);
    result.put("device_bound", deviceBound);
    result.put("last_30_days", activity());
    return result;
  }

  /**
   * The last 30 days from the event store: registrations by source, passkey sign-ins by path, nudge
   * and automatic-upgrade outcomes ({@link AdoptionCounts}). At most {@link #MAX_EVENTS} events are
   * read; {@code truncated} says when there were more (the counts are then a lower bound).
   */
  private Map<String, Object> activity() {
    long since = System.currentTimeMillis() - Duration.ofDays(30).toMillis();
    EventStoreProvider events = session.getProvider(EventStoreProvider.class);
    AdoptionCounts counts = new AdoptionCounts();
    // One event more than counted: whether there is one left tells whether there were more.
    Iterator<Event> recent =
        events
            .createQuery()
            .realm(realm.getId())
            .type(EventType.UPDATE_CREDENTIAL, EventType.LOGIN, EventType.CUSTOM_REQUIRED_ACTION)
            .fromDate(since)
            .maxResults(MAX_EVENTS + 1)
            .getResultStream()
            .iterator();
    for (int read = 0; read < MAX_EVENTS && recent.hasNext(); read++) {
      Event e = recent.next();
      counts.add(e.getType(), e.getDetails());
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("registrations", counts.registrations());
    result.put("passkey_sign_ins", counts.signIns());
    result.putAll(counts.toJson());
    result.put("truncated", recent.hasNext());
    return result;
  }
}
