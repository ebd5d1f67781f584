package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.CeremonyFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.SoftKey;
import dev.kcpasskeys.testing.Tweaks;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Step 21 with a preferred provider: ECDSA goes to it, other algorithms and what it lacks go to the
 * JDK.
 */
class SignatureProviderTest {

  /**
   * A provider of three signature algorithms that counts its verifications and can be told to
   * refuse.
   */
  static final class CountingProvider extends Provider {
    private static final long serialVersionUID = 1L;
    final transient AtomicInteger verifications = new AtomicInteger();
    volatile boolean refuse;

    CountingProvider() {
      super("Counting", "1", "counts verifications, delegating to the JDK");
      for (String algorithm : List.of("SHA256withECDSA", "Ed25519", "SHA256withRSA")) {
        putService(
            new Service(this, "Signature", algorithm, CountingSpi.class.getName(), null, null) {
              @Override
              public Object newInstance(Object parameter) {
                return new CountingSpi(algorithm, CountingProvider.this);
              }
            });
      }
    }
  }

  static final class CountingSpi extends SignatureSpi {
    private final Signature jdk;
    private final CountingProvider owner;

    CountingSpi(String algorithm, CountingProvider owner) {
      try {
        this.jdk = Signature.getInstance(algorithm);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      this.owner = owner;
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
      jdk.initVerify(publicKey);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
      jdk.update(b, off, len);
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
      jdk.update(b);
    }

    @Override
    protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
      owner.verifications.incrementAndGet();
      return jdk.verify(sigBytes) && !owner.refuse;
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    protected byte[] engineSign() {
      throw new UnsupportedOperationException();
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
      throw new UnsupportedOperationException();
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
      throw new UnsupportedOperationException();
    }
  }

  final CountingProvider provider = new CountingProvider();
  final CeremonyFixture f = new CeremonyFixture(new PasskeyCeremony(provider));

  private String assertionWith(SoftKey.Alg alg, Tweaks tweaks) throws PasskeyVerificationException {
    f.rp = f.rp.withAllowedAlgorithms(List.of(-7L, -35L, -8L, -257L));
    SoftAuthenticator device = new SoftAuthenticator(CeremonyFixture.ORIGIN);
    f.registered(f.alice, Tweaks.none().alg(alg), device);
    return device.authenticate(f.requestOptionsJson(List.of()), tweaks);
  }

  @Test
  void step21_es256IsVerifiedByThePreferredProvider() throws Exception {
    f.finishDiscoverable(assertionWith(SoftKey.Alg.ES256, Tweaks.none()));
    assertEquals(1, provider.verifications.get());
  }

  @Test
  void step21_ecdsaThePreferredProviderLacksIsVerifiedByTheJdk() throws Exception {
    f.finishDiscoverable(assertionWith(SoftKey.Alg.ES384, Tweaks.none()));
    assertEquals(0, provider.verifications.get());
  }

  @Test
  void step21_eddsaAndRs256StayWithTheJdkEvenWhenThePreferredProviderHasThem() throws Exception {
    f.finishDiscoverable(assertionWith(SoftKey.Alg.EDDSA, Tweaks.none()));
    f.finishDiscoverable(assertionWith(SoftKey.Alg.RS256, Tweaks.none()));
    assertEquals(0, provider.verifications.get());
  }

  @Test
  void step21_aRefusalByThePreferredProviderIsFinalNotRetriedElsewhere() throws Exception {
    String valid = assertionWith(SoftKey.Alg.ES256, Tweaks.none());
    provider.refuse = true;
    rejected(Reason.UNKNOWN_CREDENTIAL, () -> f.finishDiscoverable(valid));
    assertEquals(1, provider.verifications.get());
  }

  @Test
  void step21_aBadEs256SignatureIsRejectedByThePreferredProvider() throws Exception {
    String corrupt = assertionWith(SoftKey.Alg.ES256, Tweaks.none().corruptSignature());
    rejected(Reason.UNKNOWN_CREDENTIAL, () -> f.finishDiscoverable(corrupt));
  }

  /** Issue #20: an unknown credential costs one signature verification, as a known one does. */
  @Test
  void step6_anUnknownCredentialCostsTheSignatureVerificationAKnownOneCosts() throws Exception {
    String unknown =
        assertionWith(
            SoftKey.Alg.ES256, Tweaks.none().credentialId(PasskeyCeremony.newChallenge()));
    rejected(Reason.UNKNOWN_CREDENTIAL, () -> f.finishDiscoverable(unknown));
    assertEquals(1, provider.verifications.get(), "the same work as for a known ES256 credential");
  }
}
