package dev.mailgate.gateway;

import dev.mailgate.authres.AuthResults;
import dev.mailgate.authres.AuthResultsParser;
import dev.mailgate.dmarc.Disposition;
import dev.mailgate.message.AddressList;
import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import dev.mailgate.policy.SesVerdict;
import dev.mailgate.policy.SesVerdicts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Facts read from a stored message's header fields: SES's verdicts (when no event carries them) and the
 * loop signals. Stateless.
 *
 * <p>SES writes a block of trace fields on top of every message it stores: its Received field, then
 * X-SES-Spam-Verdict, X-SES-Virus-Verdict, Received-SPF, Authentication-Results (authserv-id
 * amazonses.com) and X-SES-RECEIPT. A sender can write fields with the same names further down, so only
 * fields inside that block count: from the topmost Received by an SES inbound endpoint down to the first
 * X-SES-RECEIPT. Without both ends of the block nothing is read.
 */
public final class StoredMessageFacts {
  private StoredMessageFacts() {}

  /** SES's verdicts as written in the stored message; {@link SesVerdicts#NONE} when the block is not found. */
  public static SesVerdicts sesVerdicts(RawMessage m) {
    List<HeaderField> h = m.headers();
    int start = -1;
    for (int i = 0; i < h.size(); i++) {
      if (h.get(i).is("Received") && isSesReceived(h.get(i))) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      return SesVerdicts.NONE;
    }
    int end = -1;
    for (int i = start + 1; i < h.size() && i < start + 20; i++) {
      if (h.get(i).is("X-SES-RECEIPT")) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      return SesVerdicts.NONE;
    }
    SesVerdict spam = SesVerdict.ABSENT;
    SesVerdict virus = SesVerdict.ABSENT;
    SesVerdict spf = SesVerdict.ABSENT;
    SesVerdict dkim = SesVerdict.ABSENT;
    SesVerdict dmarc = SesVerdict.ABSENT;
    for (int i = start + 1; i < end; i++) {
      HeaderField f = h.get(i);
      if (f.is("X-SES-Spam-Verdict")) {
        spam = SesVerdict.fromStatus(f.text());
      } else if (f.is("X-SES-Virus-Verdict")) {
        virus = SesVerdict.fromStatus(f.text());
      } else if (f.is("Authentication-Results")) {
        Optional<AuthResults> ar = AuthResultsParser.parse(f.text());
        if (ar.isPresent() && ar.get().authservId().equalsIgnoreCase("amazonses.com")) {
          spf = word(ar.get(), "spf");
          dkim = dkimWord(ar.get());
          dmarc = word(ar.get(), "dmarc");
        }
      }
    }
    // The stored message does not say which DMARC policy applied; only the event does.
    return new SesVerdicts(spam, virus, spf, dkim, dmarc, (Disposition) null, "headers");
  }

  /**
   * The envelope recipients SES recorded, when no event gives them: the {@code for} clause of SES's
   * Received field names one recipient; without it, the To and Cc addresses at our domains are the best
   * guess (Bcc recipients are then missed, which docs/GATEWAY.md says).
   */
  public static List<String> recipientsFromHeaders(RawMessage m, List<String> sesEnvelopeRcpt,
      java.util.function.Predicate<String> isOurDomain) {
    if (!sesEnvelopeRcpt.isEmpty()) {
      return sesEnvelopeRcpt;
    }
    List<String> out = new ArrayList<>();
    for (String name : new String[] {"To", "Cc"}) {
      for (HeaderField f : m.headers(name)) {
        for (AddressList.Mailbox mb : AddressList.parse(f.text()).mailboxes()) {
          if (isOurDomain.test(mb.address().domain()) && !out.contains(mb.address().toString())) {
            out.add(mb.address().toString());
          }
        }
      }
    }
    return out;
  }

  /** How many Received fields the message has (RFC 5321 section 6.3: a count that grows is a loop). */
  public static int receivedCount(RawMessage m) {
    int n = 0;
    for (HeaderField f : m.headers()) {
      if (f.is("Received")) {
        n++;
      }
    }
    return n;
  }

  /** Whether an X-Mailgate-Loop field names {@code deployment}: the message went through us before. */
  public static boolean hasOurLoopHeader(RawMessage m, String deployment) {
    for (HeaderField f : m.headers()) {
      if (f.is(MessageRewriter.LOOP) && f.unfoldedValue().equalsIgnoreCase(deployment)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSesReceived(HeaderField f) {
    String v = f.unfoldedValue().toLowerCase(Locale.ROOT);
    int by = v.indexOf(" by inbound-smtp.");
    return by >= 0 && (v.indexOf(".amazonaws.com", by) > 0 || v.indexOf(".amazonses.com", by) > 0);
  }

  private static SesVerdict word(AuthResults ar, String method) {
    return ar.first(method).map(r -> fromResultWord(r.result())).orElse(SesVerdict.ABSENT);
  }

  /** DKIM: pass when any signature passed, as SES's own dkimVerdict does. */
  private static SesVerdict dkimWord(AuthResults ar) {
    SesVerdict best = SesVerdict.ABSENT;
    for (AuthResults.Result r : ar.results()) {
      if (r.method().equalsIgnoreCase("dkim")) {
        SesVerdict v = fromResultWord(r.result());
        if (v == SesVerdict.PASS) {
          return v;
        }
        if (best == SesVerdict.ABSENT || v == SesVerdict.FAIL) {
          best = v;
        }
      }
    }
    return best;
  }

  private static SesVerdict fromResultWord(String word) {
    switch (word.toLowerCase(Locale.ROOT)) {
      case "pass":
        return SesVerdict.PASS;
      case "fail":
      case "permerror":
        return SesVerdict.FAIL;
      case "temperror":
        return SesVerdict.PROCESSING_FAILED;
      default:
        return SesVerdict.GRAY;
    }
  }
}
