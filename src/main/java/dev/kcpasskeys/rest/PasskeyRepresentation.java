package dev.kcpasskeys.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kcpasskeys.credential.Passkey;
import dev.kcpasskeys.metadata.AaguidCatalog;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A passkey as the APIs show it (no key material), in the shape hosted passkey services use: RFC
 * 3339 times, snake_case, provider from the AAGUID.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PasskeyRepresentation(
    @JsonProperty("id") String id,
    @JsonProperty("name") String name,
    @JsonProperty("provider") Provider provider,
    @JsonProperty("model_verified") boolean modelVerified,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("last_used_at") String lastUsedAt,
    @JsonProperty("synced") boolean synced,
    @JsonProperty("backup_eligible") Boolean backupEligible,
    @JsonProperty("transports") List<String> transports,
    @JsonProperty("type") String type) {

  /** Who made the passkey: name and icons (file names under the login theme's img/passkeys/). */
  public record Provider(
      @JsonProperty("aaguid") String aaguid,
      @JsonProperty("name") String name,
      @JsonProperty("icon_light") String iconLight,
      @JsonProperty("icon_dark") String iconDark) {}

  public static PasskeyRepresentation of(Passkey passkey) {
    UUID aaguid = passkey.aaguid().orElse(new UUID(0, 0));
    Provider provider =
        passkey
            .aaguid()
            .flatMap(AaguidCatalog.get()::find)
            .map(
                p ->
                    new Provider(
                        aaguid.toString(),
                        p.name(),
                        p.iconLight().orElse(null),
                        p.iconDark().orElse(null)))
            .orElse(new Provider(aaguid.toString(), null, null, null));
    return new PasskeyRepresentation(
        passkey.id(),
        passkey.name(),
        provider,
        passkey.metadata().modelVerified(),
        time(passkey.createdAt()),
        time(passkey.metadata().lastUsedAt()),
        passkey.synced(),
        passkey.metadata().backupEligible(),
        passkey.stored().transports().stream().sorted().toList(),
        passkey.type());
  }

  private static String time(long epochMillis) {
    return epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
  }
}
