package dev.kcpasskeys.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.HttpLogin;
import java.io.IOException;
import java.net.http.HttpClient;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** One way to sign in, compared with the others: from the login page to the redirect with a code. */
abstract class Way {

  private final String key;
  private final String label;
  private final String realm;
  private final List<BenchUser> users;

  Way(String key, String label, String realm, List<BenchUser> users) {
    this.key = key;
    this.label = label;
    this.realm = realm;
    this.users = List.copyOf(users);
  }

  String key() {
    return key;
  }

  String label() {
    return label;
  }

  String realm() {
    return realm;
  }

  /** The users this way signs in. */
  List<BenchUser> users() {
    return users;
  }

  BenchUser anyUser() {
    return users.get(ThreadLocalRandom.current().nextInt(users.size()));
  }

  /**
   * For a way without the login page (a first-party app): signs {@code user} in and returns the
   * token response; null (the default) when the way starts at the login page.
   */
  JsonNode signInWithoutLoginPage(HttpClient http, String realmUrl, BenchUser user, String nonce)
      throws IOException, InterruptedException {
    return null;
  }

  /** Given the login page the authorization request led to, signs {@code user} in; ends at the client. */
  abstract HttpLogin.Result signIn(HttpLogin login, BenchUser user);

  static JsonNode json(String text) {
    try {
      return AdminClient.JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static IllegalStateException unexpected(String what, HttpLogin.Result page) {
    return new IllegalStateException(what + " (status " + page.status() + ", " + page.url() + "): "
        + (page.error().isEmpty() ? "no visible error" : page.error()));
  }
}
