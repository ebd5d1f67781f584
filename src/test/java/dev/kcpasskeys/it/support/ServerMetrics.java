package dev.kcpasskeys.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Our counters on Keycloak's {@code /metrics} (management port), as one realm's tests see them. */
public final class ServerMetrics {

  private final TestRealm realm;

  public ServerMetrics(TestRealm realm) {
    this.realm = realm;
  }

  /** Sum of a counter's series for this realm that carry {@code label} (e.g. {@code outcome="shown"}). */
  public long sum(String name, String label) {
    try {
      String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(realm.server().managementUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} ([0-9.E+]+)$").matcher(body);
      double sum = 0;
      while (m.find()) {
        if (m.group(1).contains(label) && m.group(1).contains("realm=\"" + realm.name() + "\"")) {
          sum += Double.parseDouble(m.group(2));
        }
      }
      return (long) sum;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
