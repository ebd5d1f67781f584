package dev.kcpasskeys.bench;

import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** (a) Our passkey-login authenticator: options from #passkey-config, response posted to #passkey-form. */
final class PasskeyLoginWay extends Way {

  private final SoftAuthenticator authenticator;
  private final KeyPool keys;
  private final int passkeys;

  PasskeyLoginWay(String realm, List<BenchUser> users, int passkeys, KeyPool keys, String origin) {
    super("a", "passkey-login (ours)", realm, users);
    this.authenticator = new SoftAuthenticator(origin);
    this.keys = keys;
    this.passkeys = passkeys;
  }

  @Override
  HttpLogin.Result signIn(HttpLogin login, BenchUser user) {
    HttpLogin.Result page = login.last();
    if (!page.isLoginPage()) {
      throw unexpected("not our login page", page);
    }
    String options = page.options();
    String rpId = json(options).path("rpId").asText();
    int which = ThreadLocalRandom.current().nextInt(passkeys);
    String response = authenticator.authenticate(options, user.passkey(which, keys, rpId), Tweaks.none().signCount(0));
    return login.passkeySignIn(response, "button");
  }
}
