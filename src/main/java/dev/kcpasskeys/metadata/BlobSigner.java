package dev.kcpasskeys.metadata;

import com.webauthn4j.metadata.data.MetadataBLOB;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Who signed a metadata BLOB: the name its signing certificate is issued to. */
final class BlobSigner {

  private BlobSigner() {}

  /**
   * The BLOB's signing certificate (the first of its x5c chain, which the signature was checked
   * with) must be issued to {@code name}, by its subject's CN or a DNS name: a chain up to a public
   * CA's root alone would trust any certificate that CA issued.
   */
  static void require(MetadataBLOB blob, String name, String location) {
    List<? extends Certificate> chain = blob.getHeader().getX5c().getCertificates();
    if (chain.isEmpty() || !(chain.get(0) instanceof X509Certificate signer)) {
      throw new TrustedMetadata.Unavailable(
          "the metadata BLOB from " + location + " has no signing certificate", null);
    }
    if (!certificateNames(signer).contains(name.toLowerCase(Locale.ROOT))) {
      throw new TrustedMetadata.Unavailable(
          "the metadata BLOB from " + location + " is not signed by " + name, null);
    }
  }

  private static Set<String> certificateNames(X509Certificate certificate) {
    Set<String> names = new HashSet<>();
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          names.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
        }
      }
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alternative : alternatives) {
          if (Integer.valueOf(2).equals(alternative.get(0))) { // dNSName
            names.add(String.valueOf(alternative.get(1)).toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (InvalidNameException | CertificateParsingException e) {
      return Set.of();
    }
    return names;
  }
}
