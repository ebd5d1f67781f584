package dev.kcpasskeys.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Our counters on Keycloak's {@code /metrics} (management port), as one realm's tests see them. */
public final class ServerMetrics {

  /**
   * HTTP/1.1 only: the JDK client's h2c upgrade on plain http can trip over the management
   * interface.
   */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final TestRealm realm;

  public ServerMetrics(TestRealm realm) {
    this.realm = realm;
  }

  /**
   * Sum of a counter's series for the realm that carry {@code label} (e.g. {@code source="nudge"}).
   */
  public static long counter(TestRealm realm, String name, String label) {
    return new ServerMetrics(realm).sum(name, label);
  }

  /**
   * Sum of a counter's series for this realm that carry {@code label} (e.g. {@code
   * outcome="shown"}).
   */
  public long sum(String name, String label) {
    try {
      String body =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(realm.server().managementUrl() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
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
