package dev.kcpasskeys.ceremony;

import static org.junit.jupiter.api.Assertions.assertSame;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/**
 * Every authentication test again, with ECDSA verified by the BouncyCastle provider Keycloak ships
 * and hands to the extension: the faster provider must accept and reject exactly what the JDK's
 * does.
 */
class AuthenticationWithBouncyCastleTest extends AuthenticationTest {

  static final PasskeyCeremony WITH_BOUNCY_CASTLE = new PasskeyCeremony(new BouncyCastleProvider());

  @Override
  PasskeyCeremony ceremony() {
    return WITH_BOUNCY_CASTLE;
  }

  @Test
  void theInheritedTestsRunWithBouncyCastle() {
    assertSame(WITH_BOUNCY_CASTLE, f.ceremony);
  }
}
