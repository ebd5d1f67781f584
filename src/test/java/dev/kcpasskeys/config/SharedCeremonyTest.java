package dev.kcpasskeys.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;
import org.keycloak.common.crypto.CryptoIntegration;

/**
 * Inside Keycloak the BouncyCastle path is proven by HttpLoginIT; here, the fallback outside it.
 */
class SharedCeremonyTest {

  @Test
  void withoutKeycloaksCryptoTheCeremonyFallsBackToTheJdkProviders() {
    assertFalse(
        CryptoIntegration.isInitialised(), "precondition: no Keycloak crypto in unit tests");
    assertNotNull(SharedCeremony.create());
  }
}
