package dev.kcpasskeys.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PasskeyMetadataTest {

  private final PasskeyMetadata metadata = new PasskeyMetadata(1, true, true, true, 5_000, "page");

  @Test
  void aLaterSeparatelyRecordedLastUseWins() {
    PasskeyMetadata merged = metadata.usedNoEarlierThan(9_000);
    assertEquals(9_000, merged.lastUsedAt());
    assertEquals(new PasskeyMetadata(1, true, true, true, 9_000, "page"), merged);
  }

  @Test
  void anEarlierOrMissingOneChangesNothing() {
    assertSame(metadata, metadata.usedNoEarlierThan(4_000));
    assertSame(metadata, metadata.usedNoEarlierThan(0));
  }
}
