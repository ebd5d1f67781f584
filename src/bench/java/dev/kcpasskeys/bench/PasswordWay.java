package dev.kcpasskeys.bench;

import dev.kcpasskeys.it.support.HttpLogin;
import java.util.List;

/** (c) Keycloak's username + password form, passwords hashed with its default algorithm. */
final class PasswordWay extends Way {

  PasswordWay(String realm, List<BenchUser> users) {
    super("c", "Keycloak username + password", realm, users);
  }

  @Override
  HttpLogin.Result signIn(HttpLogin login, BenchUser user) {
    return login.passwordSignIn(user.username(), Seeder.PASSWORD);
  }
}
