package dev.kcpasskeys.config;

import dev.kcpasskeys.ceremony.PasskeyCeremony;
import java.security.Provider;
import org.jboss.logging.Logger;
import org.keycloak.common.crypto.CryptoIntegration;

/**
 * The one {@link PasskeyCeremony} of this Keycloak node, shared by the authenticator, the required
 * action and the REST resources: it is thread-safe, and webauthn4j's converters are costly to
 * build.
 */
public final class SharedCeremony {

  private static final Logger LOG = Logger.getLogger(SharedCeremony.class);

  private SharedCeremony() {}

  public static PasskeyCeremony get() {
    return Holder.CEREMONY;
  }

  /** Built on first use (a request), when Keycloak has long set up its crypto provider. */
  private static final class Holder {
    static final PasskeyCeremony CEREMONY = create();
  }

  /**
   * ES256 assertions are verified with the BouncyCastle provider Keycloak's own crypto uses (BC;
   * BCFIPS in FIPS mode): about five times faster than JDK 17's own. Without it every signature
   * goes to the JDK's providers.
   */
  static PasskeyCeremony create() {
    Provider provider = null;
    try {
      provider = CryptoIntegration.getProvider().getBouncyCastleProvider();
    } catch (RuntimeException e) {
      LOG.warnf("Keycloak Passkeys: Keycloak's crypto provider is not available: %s", e.toString());
    }
    if (provider == null) {
      LOG.warn("Keycloak Passkeys: passkey signatures are verified with the JDK's providers");
      return new PasskeyCeremony();
    }
    LOG.infof(
        "Keycloak Passkeys: ECDSA passkey signatures are verified with the %s provider",
        provider.getName());
    return new PasskeyCeremony(provider);
  }
}
