package dev.mailgate.authres;

import dev.mailgate.arc.ArcResult;
import dev.mailgate.dkim.DkimResult;
import dev.mailgate.dmarc.DmarcResult;
import dev.mailgate.message.Envelope;
import dev.mailgate.spf.SpfResult;
import java.util.List;

/**
 * Everything authentication found out about one message: the envelope it was judged on and the result
 * of each method. A method that was not run is null.
 *
 * @param dkim one result per DKIM-Signature field, topmost first; empty when the message has none
 * @param arc the ARC chain validation (RFC 8617), which DMARC's local overrides consult
 */
public record AuthReport(Envelope envelope, SpfResult spf, List<DkimResult> dkim, ArcResult arc, DmarcResult dmarc) {

  public AuthReport {
    dkim = dkim == null ? null : List.copyOf(dkim);
  }

  /** A report with only an SPF result (e.g. for SPF-only checks and tests). */
  public static AuthReport ofSpf(Envelope envelope, SpfResult spf) {
    return new AuthReport(envelope, spf, null, null, null);
  }
}
