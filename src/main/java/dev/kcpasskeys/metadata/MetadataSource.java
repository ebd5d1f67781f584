package dev.kcpasskeys.metadata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a realm's FIDO Metadata Service BLOB comes from and which root certificate its signature
 * must chain to.
 *
 * @param location an {@code https://} URL, or the name of a file in Keycloak's {@code conf/}
 *     directory (for servers without internet access); the FIDO Metadata Service by default
 * @param rootCertificatePem the root of the BLOB's signing chain in PEM; empty: the FIDO Alliance's
 *     (GlobalSign Root CA - R3)
 */
public record MetadataSource(String location, Optional<String> rootCertificatePem) {

  /** The FIDO Alliance's MDS3 endpoint. */
  public static final String FIDO_URL = "https://mds3.fidoalliance.org/";

  private static final String FIDO_ROOT_RESOURCE = "dev/kcpasskeys/metadata/fido-mds-root.pem";
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  public MetadataSource {
    location = location == null || location.isBlank() ? FIDO_URL : location.trim();
    rootCertificatePem = rootCertificatePem.map(String::trim).filter(pem -> !pem.isEmpty());
  }

  /** The FIDO Metadata Service, trusted up to the FIDO Alliance's root. */
  public static MetadataSource fido() {
    return new MetadataSource(FIDO_URL, Optional.empty());
  }

  /** Why an admin's location cannot be used, or empty when it can. */
  public static Optional<String> locationProblem(String location) {
    if (location == null || location.isBlank()) {
      return Optional.empty();
    }
    String value = location.trim();
    if (value.toLowerCase(Locale.ROOT).startsWith("https://")) {
      try {
        URI uri = new URI(value);
        return uri.getHost() == null || uri.getUserInfo() != null
            ? Optional.of("metadata_source '" + value + "' is not an https URL with a host")
            : Optional.empty();
      } catch (java.net.URISyntaxException e) {
        return Optional.of("metadata_source '" + value + "' is not an https URL");
      }
    }
    return FILE_NAME.matcher(value).matches() && !value.contains("..")
        ? Optional.empty()
        : Optional.of(
            "metadata_source must be an https:// URL or the name of a file in Keycloak's conf"
                + " directory (letters, digits, '.', '_' and '-' only)");
  }

  /** Why a PEM text is not one certificate, or empty when it is. */
  public static Optional<String> rootProblem(String pem) {
    if (pem == null || pem.isBlank()) {
      return Optional.empty();
    }
    try {
      return certificates(pem).size() == 1
          ? Optional.empty()
          : Optional.of("metadata_root_certificate must hold exactly one certificate");
    } catch (CertificateException e) {
      return Optional.of("metadata_root_certificate is not a PEM certificate");
    }
  }

  boolean isFile() {
    return !location.toLowerCase(Locale.ROOT).startsWith("https://");
  }

  /** The host name the FIDO Alliance's BLOB signing certificate is issued to. */
  static final String FIDO_SIGNER = "mds.fidoalliance.org";

  /**
   * The name the BLOB's signing certificate must carry: with the FIDO Alliance's root (a public CA
   * that issues certificates to many others), {@value #FIDO_SIGNER}; with a root of the admin's
   * own, whatever it issued.
   */
  Optional<String> signerName() {
    return rootCertificatePem.isEmpty() ? Optional.of(FIDO_SIGNER) : Optional.empty();
  }

  /** Whether the chain's revocation is checked: only online, up to the FIDO Alliance's own root. */
  boolean checksRevocation() {
    return !isFile() && rootCertificatePem.isEmpty();
  }

  /**
   * The file in Keycloak's {@code conf/} directory a file location names. Checked again here, not
   * only when the settings are saved: a realm attribute can be written without those checks.
   */
  Path file() {
    Path conf =
        Path.of(System.getProperty("kc.home.dir", "."), "conf").toAbsolutePath().normalize();
    Path file = conf.resolve(location).normalize();
    if (!FILE_NAME.matcher(location).matches()
        || location.contains("..")
        || !conf.equals(file.getParent())
        || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("not a file in Keycloak's conf directory");
    }
    return file;
  }

  X509Certificate root() {
    try {
      if (rootCertificatePem.isPresent()) {
        return certificates(rootCertificatePem.get()).get(0);
      }
      try (InputStream in =
          MetadataSource.class.getClassLoader().getResourceAsStream(FIDO_ROOT_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(FIDO_ROOT_RESOURCE + " is missing from the JAR");
        }
        return certificates(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).get(0);
      }
    } catch (CertificateException | IOException e) {
      throw new IllegalStateException("the metadata root certificate cannot be read", e);
    }
  }

  private static List<X509Certificate> certificates(String pem) throws CertificateException {
    int begin = pem.indexOf("-----BEGIN CERTIFICATE-----");
    if (begin < 0) {
      throw new CertificateException("no PEM certificate");
    }
    byte[] text = pem.substring(begin).getBytes(StandardCharsets.US_ASCII);
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(text))
        .stream()
        .map(X509Certificate.class::cast)
        .toList();
  }
}
