package dev.mailgate.dmarc;

import java.util.List;

/**
 * The outcome of ARC chain validation (RFC 8617), done elsewhere, as far as DMARC overrides need it.
 *
 * @param pass whether the chain validated (cv=pass for the whole chain)
 * @param sealerDomains the "d=" of each ARC-Seal, oldest first (index 0 is instance i=1)
 */
public record ArcInfo(boolean pass, List<String> sealerDomains) {
  /** No ARC chain on the message. */
  public static final ArcInfo NONE = new ArcInfo(false, List.of());

  public ArcInfo {
    sealerDomains = sealerDomains == null ? List.of() : List.copyOf(sealerDomains);
  }
}
