package dev.kcpasskeys.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.ceremony.PasskeyCeremony;
import dev.kcpasskeys.ceremony.RelyingPartySettings;
import dev.kcpasskeys.ceremony.UserIdentity;
import dev.kcpasskeys.ceremony.VerifiedAssertion;
import dev.kcpasskeys.testing.InMemoryPasskeys;
import dev.kcpasskeys.testing.SoftAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The ceremony core against its floor: PasskeyCeremony.finishAuthentication of one ES256
 * assertion vs. a SHA256withECDSA verification of the same signed bytes
 * (authenticatorData || SHA-256(clientDataJSON)) by the same provider. Target: at most 2× the raw
 * verification. Both ways: with the BouncyCastle provider Keycloak ships, as the extension runs
 * in Keycloak (SharedCeremony), and with the JDK's provider (SunEC), which webauthn4j takes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CeremonyBenchmark {

  private static final String ORIGIN = "https://login.example.org";
  private final Provider bouncyCastle = new BouncyCastleProvider();
  private final PasskeyCeremony ceremony = new PasskeyCeremony(bouncyCastle);
  private final PasskeyCeremony jdkCeremony = new PasskeyCeremony();
  private final RelyingPartySettings rp = RelyingPartySettings.of("example.org", "Example", Set.of(ORIGIN));
  private final InMemoryPasskeys store = new InMemoryPasskeys();
  private byte[] challenge;
  private String response;
  private PublicKey publicKey;
  private byte[] signedData;
  private byte[] signature;

  @Setup
  public void register() throws Exception {
    SoftAuthenticator authenticator = new SoftAuthenticator(ORIGIN);
    UserIdentity user = new UserIdentity("bench-user-id".getBytes(StandardCharsets.UTF_8), "bench", "Bench");
    byte[] registration = PasskeyCeremony.newChallenge();
    String created = authenticator.register(ceremony.creationOptions(rp, user, registration, List.of()).toJson());
    store.save(ceremony.finishRegistration(rp, registration, user.userHandle(), created, store).passkey());
    challenge = PasskeyCeremony.newChallenge();
    response = authenticator.authenticate(ceremony.requestOptions(rp, challenge, List.of()).toJson());
    publicKey = authenticator.lastCredential().key().keyPair().getPublic();
    JsonNode fields = Way.json(response).path("response");
    byte[] authData = SoftAuthenticator.decode(fields.path("authenticatorData").asText());
    byte[] clientHash = MessageDigest.getInstance("SHA-256")
        .digest(SoftAuthenticator.decode(fields.path("clientDataJSON").asText()));
    signedData = new byte[authData.length + clientHash.length];
    System.arraycopy(authData, 0, signedData, 0, authData.length);
    System.arraycopy(clientHash, 0, signedData, authData.length, clientHash.length);
    signature = SoftAuthenticator.decode(fields.path("signature").asText());
    if (!rawEs256Verify() || !rawEs256VerifyBouncyCastle() || finishAuthentication() == null
        || finishAuthenticationJdk() == null) {
      throw new IllegalStateException("benchmark fixture does not verify");
    }
  }

  @Benchmark
  public VerifiedAssertion finishAuthentication() throws Exception {
    return ceremony.finishAuthentication(rp, challenge, Optional.empty(), response, store);
  }

  @Benchmark
  public VerifiedAssertion finishAuthenticationJdk() throws Exception {
    return jdkCeremony.finishAuthentication(rp, challenge, Optional.empty(), response, store);
  }

  @Benchmark
  public boolean rawEs256Verify() throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(publicKey);
    verifier.update(signedData);
    return verifier.verify(signature);
  }

  @Benchmark
  public boolean rawEs256VerifyBouncyCastle() throws Exception {
    Signature verifier = Signature.getInstance("SHA256withECDSA", bouncyCastle);
    verifier.initVerify(publicKey);
    verifier.update(signedData);
    return verifier.verify(signature);
  }
}
