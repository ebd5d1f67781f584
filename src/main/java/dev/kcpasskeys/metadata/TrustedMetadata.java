package dev.kcpasskeys.metadata;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.metadata.FidoMDS3MetadataBLOBProvider;
import com.webauthn4j.metadata.HttpClient;
import com.webauthn4j.metadata.MetadataBLOBProvider;
import com.webauthn4j.metadata.data.MetadataBLOB;
import com.webauthn4j.metadata.exception.MDSException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A FIDO Metadata Service BLOB whose JWT signature has been verified up to its root certificate
 * (webauthn4j-metadata does that at every load). Loaded on first use and kept per source; loaded
 * again once its {@code nextUpdate} has come, at most once an hour; a failed reload keeps the BLOB
 * that was verified last, with a warning, so a network outage does not stop registrations.
 *
 * <p>Each node loads its own copy of the same public document (nothing about users), so the cluster
 * needs no shared state for it.
 */
public final class TrustedMetadata implements MetadataBLOBProvider {

  /** Thrown with a sentence for the admin when a BLOB cannot be loaded or does not verify. */
  public static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final Logger LOG = Logger.getLogger(TrustedMetadata.class);
  private static final Duration RETRY = Duration.ofHours(1);
  private static final long MAX_BYTES = 64L * 1024 * 1024;
  private static final ObjectConverter CONVERTER = new ObjectConverter();
  private static final ConcurrentMap<MetadataSource, TrustedMetadata> BY_SOURCE =
      new ConcurrentHashMap<>();

  private record Loaded(MetadataBLOB blob, Instant lastAttempt) {}

  /** Sources a node keeps at most (realms rarely name more than one or two). */
  private static final int MAX_SOURCES = 16;

  /** After a first load failed: no new attempt before this long, every caller told at once. */
  private static final Duration FAILED_FIRST_LOAD_PAUSE = Duration.ofMinutes(1);

  private final String name;
  private final Supplier<MetadataBLOB> loader;
  private final Clock clock;
  private volatile Loaded loaded;
  private volatile Instant failedAt;
  private volatile Unavailable failure;
  private final AtomicBoolean refreshing = new AtomicBoolean();

  TrustedMetadata(String name, Supplier<MetadataBLOB> loader, Clock clock) {
    this.name = name;
    this.loader = loader;
    this.clock = clock;
  }

  /** The metadata of a source, shared by every realm that names it. */
  public static TrustedMetadata of(MetadataSource source) {
    if (BY_SOURCE.size() >= MAX_SOURCES && !BY_SOURCE.containsKey(source)) {
      BY_SOURCE.clear(); // sources tried and given up (settings changed): loaded again when used
    }
    return BY_SOURCE.computeIfAbsent(
        source, s -> new TrustedMetadata(s.location(), () -> load(s), Clock.systemUTC()));
  }

  /**
   * Loads the source's BLOB now and keeps it (an admin saved the settings: a changed file or URL
   * counts from this moment).
   *
   * @throws Unavailable what went wrong, in a sentence
   */
  public static MetadataBLOB reload(MetadataSource source) {
    TrustedMetadata metadata = of(source);
    MetadataBLOB blob = metadata.loader.get();
    metadata.loaded = new Loaded(blob, metadata.clock.instant());
    metadata.failedAt = null;
    return blob;
  }

  /**
   * The verified BLOB. A due reload is made by one caller while every other goes on with the BLOB
   * in use: sign-ins read the metadata too, and none should wait for the network because another
   * request is fetching. Only the very first load, with nothing verified yet, makes callers wait.
   */
  @Override
  public MetadataBLOB provide() {
    Loaded current = loaded;
    Instant now = clock.instant();
    if (current == null) {
      synchronized (this) {
        if (loaded == null) {
          loaded = new Loaded(firstLoad(now), now); // nothing verified yet: the caller's failure
        }
        return loaded.blob();
      }
    }
    if (due(current, now) && refreshing.compareAndSet(false, true)) {
      try {
        Loaded latest = loaded;
        if (due(latest, now)) {
          loaded = refreshed(latest, now);
        }
      } finally {
        refreshing.set(false);
      }
      return loaded.blob();
    }
    return current.blob();
  }

  /**
   * The first load. When it fails, callers within the next minute get the same failure at once
   * instead of each waiting for the network again (and for the lock, one after another).
   */
  private MetadataBLOB firstLoad(Instant now) {
    if (failedAt != null && now.isBefore(failedAt.plus(FAILED_FIRST_LOAD_PAUSE))) {
      throw failure;
    }
    try {
      MetadataBLOB blob = loader.get();
      failedAt = null;
      return blob;
    } catch (RuntimeException e) {
      failure =
          e instanceof Unavailable unavailable
              ? unavailable
              : new Unavailable("the authenticator metadata could not be loaded", e);
      failedAt = now;
      throw failure;
    }
  }

  private Loaded refreshed(Loaded current, Instant now) {
    try {
      MetadataBLOB next = loader.get();
      Integer before = current.blob().getPayload().getNo();
      Integer after = next.getPayload().getNo();
      if (before != null && after != null && after < before) {
        // An older BLOB (a replay of a signed one): a revocation it predates must not be undone.
        LOG.warnf(
            "FIDO metadata from %s: BLOB number %d is older than the %d in use; keeping it",
            name, after, before);
        return new Loaded(current.blob(), now);
      }
      return new Loaded(next, now);
    } catch (RuntimeException failed) {
      LOG.warnf(
          "FIDO metadata from %s could not be reloaded (next update was due %s); the BLOB verified"
              + " last stays in use, trying again in an hour: %s",
          name, current.blob().getPayload().getNextUpdate(), failed.getMessage());
      return new Loaded(current.blob(), now);
    }
  }

  private static boolean due(Loaded current, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return !current.blob().getPayload().getNextUpdate().isAfter(today)
        && !current.lastAttempt().plus(RETRY).isAfter(now);
  }

  /** Fetches and verifies one BLOB: signature, then the chain up to the root. */
  static MetadataBLOB load(MetadataSource source) {
    FidoMDS3MetadataBLOBProvider provider =
        new FidoMDS3MetadataBLOBProvider(
            CONVERTER,
            source.location(),
            source.isFile() ? uri -> file(source) : TrustedMetadata::https,
            Set.of(new TrustAnchor(source.root(), null)));
    provider.setRevocationCheckEnabled(source.checksRevocation());
    try {
      MetadataBLOB blob = provider.provide();
      source.signerName().ifPresent(name -> BlobSigner.require(blob, name, source.location()));
      return blob;
    } catch (Unavailable e) {
      throw e;
    } catch (MDSException e) {
      throw new Unavailable(
          "the metadata BLOB from "
              + source.location()
              + " was refused: "
              + e.getMessage()
              + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"),
          e);
    } catch (RuntimeException e) {
      throw new Unavailable(
          "the metadata from " + source.location() + " is not a FIDO metadata BLOB", e);
    }
  }

  private static HttpClient.Response file(MetadataSource source) {
    try (InputStream in = Files.newInputStream(source.file(), LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new Unavailable("the metadata file " + source.location() + " is too large", null);
      }
      return new HttpClient.Response(200, new ByteArrayInputStream(bytes));
    } catch (IOException | IllegalArgumentException e) {
      throw new Unavailable(
          "the metadata file " + source.location() + " cannot be read in Keycloak's conf directory",
          e);
    }
  }

  /**
   * Metadata comes from the internet: a realm admin must not make Keycloak probe its own network
   * (loopback, private, link-local addresses), so those are refused, with the same answer as a host
   * that cannot be reached.
   */
  private static void requirePublicHost(String host) throws IOException {
    for (java.net.InetAddress address : java.net.InetAddress.getAllByName(host)) {
      if (address.isLoopbackAddress()
          || address.isSiteLocalAddress()
          || address.isLinkLocalAddress()
          || address.isAnyLocalAddress()
          || address.isMulticastAddress()) {
        throw new IOException("not a public address");
      }
    }
  }

  private static HttpClient.Response https(String url) {
    try {
      requirePublicHost(URI.create(url).getHost());
      HttpResponse<InputStream> response =
          java.net.http.HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new Unavailable("the metadata could not be fetched from " + url, null);
        }
        byte[] bytes = body.readNBytes((int) MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
          throw new Unavailable("the metadata at " + url + " is too large", null);
        }
        return new HttpClient.Response(200, new ByteArrayInputStream(bytes));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new Unavailable("the metadata could not be fetched from " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("fetching the metadata from " + url + " was interrupted", e);
    }
  }
}
