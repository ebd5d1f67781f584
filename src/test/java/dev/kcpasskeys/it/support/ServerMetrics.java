package dev.kcpasskeys.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the extension's counters from Keycloak's metrics endpoint (management port). */
public final class ServerMetrics {

  private ServerMetrics() {}

  /** Sum of a counter's series for the realm that carry {@code label} (e.g. {@code source="nudge"}). */
  public static long counter(TestRealm realm, String name, String label) {
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
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
