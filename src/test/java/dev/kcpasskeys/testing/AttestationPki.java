package dev.kcpasskeys.testing;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificate authorities made by the tests: an attestation root with the attestation certificates
 * of a software authenticator model (WebAuthn L3 §8.2.1), and a metadata root with the certificate
 * that signs test FIDO metadata BLOBs. Production trusts the FIDO Alliance's root instead.
 */
public final class AttestationPki {

  /** A certificate and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {

    public String pem() {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes())
              .encodeToString(AttestationPki.encoded(certificate))
          + "\n-----END CERTIFICATE-----\n";
    }
  }

  /** The FIDO extension that names the AAGUID in an attestation certificate (§8.2.1). */
  private static final ASN1ObjectIdentifier AAGUID_EXTENSION =
      new ASN1ObjectIdentifier("1.3.6.1.4.1.45724.1.1.4");

  private static final SecureRandom RANDOM = new SecureRandom();

  private AttestationPki() {}

  /** A self-signed CA: an attestation root or a metadata root. */
  public static Issued root(String commonName) {
    KeyPair pair = ecKeyPair();
    X500Name name = new X500Name("C=US, O=Passkeys Test, CN=" + commonName);
    return issue(name, pair, name, pair.getPrivate(), true, null);
  }

  /** An attestation certificate for a model, as packed attestation wants it (§8.2.1). */
  public static Issued attestation(Issued root, UUID aaguid) {
    return issue(
        new X500Name("C=US, O=Passkeys Test, OU=Authenticator Attestation, CN=Test Key " + aaguid),
        ecKeyPair(),
        subject(root),
        root.key(),
        false,
        aaguid);
  }

  /** The certificate that signs metadata BLOBs, issued by a metadata root. */
  public static Issued blobSigner(Issued root) {
    return blobSigner(root, "Metadata BLOB Signer");
  }

  /** A BLOB signing certificate issued to {@code commonName}. */
  public static Issued blobSigner(Issued root, String commonName) {
    return issue(
        new X500Name("C=US, O=Passkeys Test, CN=" + commonName),
        ecKeyPair(),
        subject(root),
        root.key(),
        false,
        null);
  }

  static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X500Name subject(Issued issuer) {
    return X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
  }

  private static Issued issue(
      X500Name subject,
      KeyPair pair,
      X500Name issuer,
      PrivateKey issuerKey,
      boolean ca,
      UUID aaguid) {
    try {
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(64, RANDOM).add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(Duration.ofDays(365))),
              subject,
              pair.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
      if (aaguid != null) {
        byte[] bytes =
            ByteBuffer.allocate(16)
                .putLong(aaguid.getMostSignificantBits())
                .putLong(aaguid.getLeastSignificantBits())
                .array();
        builder.addExtension(AAGUID_EXTENSION, false, new DEROctetString(bytes));
      }
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
      return new Issued(certificate, pair.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException("test certificate", e);
    }
  }

  private static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
