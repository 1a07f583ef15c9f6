package dev.mailgate.policy;

import dev.mailgate.dmarc.Disposition;
import java.util.Objects;

/**
 * What Amazon SES itself concluded about a message when it received it: its spam and virus scans, its
 * own SPF, DKIM and DMARC checks, and the sending domain's DMARC policy (which SES reports only when DMARC
 * failed). Immutable.
 *
 * @param spam the spam scan ({@code receipt.spamVerdict})
 * @param virus the virus scan ({@code receipt.virusVerdict})
 * @param spf SES's SPF check ({@code receipt.spfVerdict})
 * @param dkim SES's DKIM check ({@code receipt.dkimVerdict})
 * @param dmarc SES's DMARC check ({@code receipt.dmarcVerdict})
 * @param dmarcPolicy the published DMARC policy when DMARC failed ({@code receipt.dmarcPolicy}), else null
 * @param source where these came from, for logs: "event", "headers" or "none"
 */
public record SesVerdicts(
    SesVerdict spam, SesVerdict virus, SesVerdict spf, SesVerdict dkim, SesVerdict dmarc,
    Disposition dmarcPolicy, String source) {

  /** Nothing known from SES (a message not received through SES, or one whose SES fields were not found). */
  public static final SesVerdicts NONE = new SesVerdicts(
      SesVerdict.ABSENT, SesVerdict.ABSENT, SesVerdict.ABSENT, SesVerdict.ABSENT, SesVerdict.ABSENT, null, "none");

  public SesVerdicts {
    Objects.requireNonNull(spam, "spam");
    Objects.requireNonNull(virus, "virus");
    Objects.requireNonNull(spf, "spf");
    Objects.requireNonNull(dkim, "dkim");
    Objects.requireNonNull(dmarc, "dmarc");
    Objects.requireNonNull(source, "source");
  }

  /** Only the scans (spam, virus) known; the rest absent. Handy for tests and for header-only sources. */
  public static SesVerdicts scans(SesVerdict spam, SesVerdict virus) {
    return new SesVerdicts(spam, virus, SesVerdict.ABSENT, SesVerdict.ABSENT, SesVerdict.ABSENT, null, "headers");
  }
}
