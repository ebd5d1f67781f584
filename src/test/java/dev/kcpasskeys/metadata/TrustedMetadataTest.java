package dev.kcpasskeys.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.metadata.data.MetadataBLOB;
import com.webauthn4j.metadata.data.MetadataBLOBFactory;
import dev.kcpasskeys.testing.AttestationPki;
import dev.kcpasskeys.testing.MetadataBlobs;
import dev.kcpasskeys.testing.MetadataBlobs.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading FIDO metadata BLOBs: what is verified at load, and when a BLOB is loaded again. */
class TrustedMetadataTest {

  private static final AttestationPki.Issued ROOT = AttestationPki.root("Metadata Root");
  private static final AttestationPki.Issued SIGNER = AttestationPki.blobSigner(ROOT);
  private static final Model MODEL =
      new Model(UUID.randomUUID(), AttestationPki.root("Vendor").certificate(), "FIDO_CERTIFIED");

  @TempDir Path home;
  private String previousHome;

  @BeforeEach
  void keycloakHome() throws Exception {
    previousHome = System.getProperty("kc.home.dir");
    System.setProperty("kc.home.dir", home.toString());
    Files.createDirectories(home.resolve("conf"));
  }

  @AfterEach
  void restore() {
    if (previousHome == null) {
      System.clearProperty("kc.home.dir");
    } else {
      System.setProperty("kc.home.dir", previousHome);
    }
  }

  private MetadataSource file(String name, String blob, AttestationPki.Issued root)
      throws Exception {
    Files.writeString(home.resolve("conf").resolve(name), blob);
    return new MetadataSource(name, Optional.of(root.pem()));
  }

  @Test
  void aBlobSignedUnderTheConfiguredRootLoads() throws Exception {
    String blob = MetadataBlobs.signed(SIGNER, LocalDate.now().plusDays(7), List.of(MODEL));
    MetadataBLOB loaded = TrustedMetadata.load(file("good.jwt", blob, ROOT));
    assertEquals(1, loaded.getPayload().getEntries().size());
  }

  @Test
  void aTamperedPayloadIsRefusedAtLoad() throws Exception {
    String blob = MetadataBlobs.signed(SIGNER, LocalDate.now().plusDays(7), List.of(MODEL));
    String tampered =
        MetadataBlobs.tampered(
            blob, new Model(UUID.randomUUID(), ROOT.certificate(), "FIDO_CERTIFIED"));
    MetadataSource source = file("tampered.jwt", tampered, ROOT);
    TrustedMetadata.Unavailable refused =
        assertThrows(TrustedMetadata.Unavailable.class, () -> TrustedMetadata.load(source));
    assertTrue(refused.getMessage().contains("signature is invalid"), refused::getMessage);
  }

  @Test
  void aBlobSignedUnderAnotherRootIsRefusedAtLoad() throws Exception {
    AttestationPki.Issued impostor = AttestationPki.root("Impostor");
    String blob =
        MetadataBlobs.signed(
            AttestationPki.blobSigner(impostor), LocalDate.now().plusDays(7), List.of(MODEL));
    MetadataSource source = file("impostor.jwt", blob, ROOT);
    TrustedMetadata.Unavailable refused =
        assertThrows(TrustedMetadata.Unavailable.class, () -> TrustedMetadata.load(source));
    assertTrue(refused.getMessage().contains("chain"), refused::getMessage);
  }

  @Test
  void somethingElseThanABlobIsRefusedWithoutEchoingIt() throws Exception {
    MetadataSource source = file("secret.txt", "root:x:0:0:root:/root:/bin/bash", ROOT);
    TrustedMetadata.Unavailable refused =
        assertThrows(TrustedMetadata.Unavailable.class, () -> TrustedMetadata.load(source));
    assertTrue(!refused.getMessage().contains("root:x"), refused::getMessage);
  }

  @Test
  void aLocationWrittenPastTheSettingsChecksStillReadsOnlyConf() throws Exception {
    Files.writeString(home.resolve("outside.jwt"), "x");
    for (String location : new String[] {"/etc/passwd", "../outside.jwt", "conf/../outside.jwt"}) {
      MetadataSource source = new MetadataSource(location, Optional.of(ROOT.pem()));
      TrustedMetadata.Unavailable refused =
          assertThrows(TrustedMetadata.Unavailable.class, () -> TrustedMetadata.load(source));
      assertTrue(refused.getMessage().contains("cannot be read"), refused::getMessage);
    }
  }

  @Test
  void onlyHttpsUrlsAndPlainFileNamesInConfAreSources() {
    assertEquals(Optional.empty(), MetadataSource.locationProblem("https://mds.example.org/blob"));
    assertEquals(Optional.empty(), MetadataSource.locationProblem("mds-blob.jwt"));
    assertEquals(Optional.empty(), MetadataSource.locationProblem(""), "empty: FIDO's service");
    assertTrue(MetadataSource.locationProblem("http://mds.example.org/").isPresent());
    assertTrue(MetadataSource.locationProblem("/etc/passwd").isPresent());
    assertTrue(MetadataSource.locationProblem("../keycloak.conf").isPresent());
    assertTrue(MetadataSource.locationProblem("file:///etc/passwd").isPresent());
    assertTrue(MetadataSource.rootProblem("not a certificate").isPresent());
    assertEquals(Optional.empty(), MetadataSource.rootProblem(ROOT.pem()));
  }

  /**
   * The FIDO root is a public CA's: a BLOB signed by any certificate it issued would chain to it.
   * Under that root only a signer issued to mds.fidoalliance.org counts.
   */
  @Test
  void underTheFidoRootOnlyABlobSignedForMdsFidoallianceOrgIsTrusted() {
    assertEquals(Optional.of("mds.fidoalliance.org"), MetadataSource.fido().signerName());
    assertEquals(
        Optional.empty(),
        new MetadataSource("own.jwt", Optional.of(ROOT.pem())).signerName(),
        "an admin's own root names its own signer");
    MetadataBLOB someoneElses = parse(SIGNER);
    TrustedMetadata.Unavailable refused =
        assertThrows(
            TrustedMetadata.Unavailable.class,
            () -> BlobSigner.require(someoneElses, "mds.fidoalliance.org", "test"));
    assertTrue(refused.getMessage().contains("not signed by mds.fidoalliance.org"));
    BlobSigner.require(
        parse(AttestationPki.blobSigner(ROOT, "mds.fidoalliance.org")),
        "mds.fidoalliance.org",
        "test");
  }

  private static MetadataBLOB parse(AttestationPki.Issued signer) {
    return new MetadataBLOBFactory(new ObjectConverter())
        .parse(MetadataBlobs.signed(signer, LocalDate.now().plusDays(7), List.of(MODEL)));
  }

  @Test
  void theFidoRootShipsInTheJar() {
    assertEquals(
        "CN=GlobalSign, O=GlobalSign, OU=GlobalSign Root CA - R3",
        MetadataSource.fido().root().getSubjectX500Principal().getName().replace(",", ", "));
  }

  @Test
  void isLoadedAgainOnceItsNextUpdateHasComeAndKeepsTheLastGoodOneWhenThatFails() {
    MetadataBLOB first = blob(LocalDate.of(2026, 1, 10));
    MetadataBLOB second = blob(LocalDate.of(2026, 2, 10));
    Deque<Supplier<MetadataBLOB>> loads = new ArrayDeque<>();
    loads.add(() -> first);
    loads.add(
        () -> {
          throw new IllegalStateException("offline");
        });
    loads.add(() -> second);
    MutableClock clock = new MutableClock(Instant.parse("2026-01-05T00:00:00Z"));
    TrustedMetadata metadata = new TrustedMetadata("test", () -> loads.poll().get(), clock);

    assertSame(first, metadata.provide());
    clock.now = Instant.parse("2026-01-09T23:00:00Z");
    assertSame(first, metadata.provide(), "before nextUpdate: kept");
    assertEquals(2, loads.size(), "not loaded again before nextUpdate");
    clock.now = Instant.parse("2026-01-10T00:30:00Z");
    assertSame(first, metadata.provide(), "reload failed: the last good BLOB stays");
    assertEquals(1, loads.size());
    clock.now = clock.now.plus(Duration.ofMinutes(30));
    assertSame(first, metadata.provide(), "no new attempt within the hour");
    assertEquals(1, loads.size());
    clock.now = clock.now.plus(Duration.ofMinutes(31));
    assertSame(second, metadata.provide(), "an hour later: loaded again");
  }

  /** While one request fetches a due reload, every other one goes on with the BLOB in use. */
  @Test
  void aDueReloadMakesNoOtherCallerWait() throws Exception {
    MetadataBLOB first = blob(LocalDate.of(2026, 1, 10));
    MetadataBLOB second = blob(LocalDate.of(2026, 2, 10));
    CountDownLatch fetching = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Deque<Supplier<MetadataBLOB>> loads = new ArrayDeque<>();
    loads.add(() -> first);
    loads.add(
        () -> {
          fetching.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return second;
        });
    MutableClock clock = new MutableClock(Instant.parse("2026-01-05T00:00:00Z"));
    TrustedMetadata metadata = new TrustedMetadata("test", () -> loads.poll().get(), clock);
    assertSame(first, metadata.provide());

    clock.now = Instant.parse("2026-01-10T00:30:00Z");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<MetadataBLOB> reloading = pool.submit(metadata::provide);
      assertTrue(fetching.await(5, TimeUnit.SECONDS), "one caller fetches");
      Future<MetadataBLOB> other = pool.submit(metadata::provide);
      assertSame(
          first, other.get(2, TimeUnit.SECONDS), "another goes on with the BLOB in use, at once");
      release.countDown();
      assertSame(second, reloading.get(5, TimeUnit.SECONDS));
      assertSame(second, metadata.provide(), "then everyone has the new one");
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aFirstLoadThatFailsIsTheCallersFailureAndIsNotRetriedForAMinute() {
    int[] attempts = {0};
    MutableClock clock = new MutableClock(Instant.parse("2026-01-05T00:00:00Z"));
    MetadataBLOB good = blob(LocalDate.of(2026, 2, 1));
    TrustedMetadata metadata =
        new TrustedMetadata(
            "test",
            () -> {
              if (++attempts[0] == 1) {
                throw new TrustedMetadata.Unavailable("offline", null);
              }
              return good;
            },
            clock);
    assertThrows(TrustedMetadata.Unavailable.class, metadata::provide);
    clock.now = clock.now.plusSeconds(30);
    assertThrows(TrustedMetadata.Unavailable.class, metadata::provide, "the same failure at once");
    assertEquals(1, attempts[0], "no second attempt within the minute");
    clock.now = clock.now.plusSeconds(31);
    assertSame(good, metadata.provide());
  }

  private static MetadataBLOB blob(LocalDate nextUpdate) {
    return new MetadataBLOBFactory(new ObjectConverter())
        .parse(MetadataBlobs.signed(SIGNER, nextUpdate, List.of(MODEL)));
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
