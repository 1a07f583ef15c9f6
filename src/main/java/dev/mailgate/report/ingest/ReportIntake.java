package dev.mailgate.report.ingest;

import dev.mailgate.gateway.ActionResult;
import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.MessageStore;
import dev.mailgate.gateway.StoreException;
import dev.mailgate.policy.Action;
import dev.mailgate.policy.PolicyConfig;
import dev.mailgate.policy.Verdict;
import dev.mailgate.report.metrics.ReportMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The gateway's handling of mail to our DMARC report addresses (docs/REPORTING.md, "Reports in"): the
 * reports in the message are parsed, stored as normalised JSON through the {@link MessageStore} (a local
 * folder or S3) under {@link ReportKeys} with the verdict on the message's authentication ({@link
 * ReportAuthentication}, decided by the gateway), and one metrics line per report is emitted. Storing is
 * idempotent (a report's key depends only on the report), so a retried message stores nothing twice.
 * Thread-safe.
 */
public final class ReportIntake {
  /** The verdict of a message that went only to report addresses and is not delivered. */
  public static final Verdict STORED = new Verdict(Action.DISCARD, "dmarc-report",
      "DMARC aggregate report: stored, not delivered");

  private final PolicyConfig.Reports config;
  private final MessageStore store;
  private final Clock clock;
  private final ReportLimits limits;
  /** Made on the first report: it loads jakarta.mail, which no other message needs (cold start). */
  private volatile ReportMailReader mail;
  private final ReportMetrics metrics;
  private final Consumer<Map<String, Object>> metricsOut;

  /**
   * @param metricsOut where metrics lines go (the gateway's log: stdout in Lambda)
   */
  public ReportIntake(PolicyConfig config, MessageStore store, Clock clock, ReportLimits limits,
      Consumer<Map<String, Object>> metricsOut) {
    this.config = config.reports();
    this.store = store;
    this.clock = clock;
    this.limits = limits;
    this.metrics = new ReportMetrics(config.domains());
    this.metricsOut = metricsOut;
  }

  /** The recipients that are report addresses (none when reports are not configured). */
  public List<String> reportRecipients(List<String> rcpt) {
    if (config.addresses().isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String r : rcpt) {
      if (config.isReportAddress(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Whether a report mail is also handled as other mail. */
  public boolean deliver() {
    return config.deliver();
  }

  /**
   * Parses the message's reports and stores them with {@code auth}, the verdict on the message's own
   * authentication; the result lists the stored keys as targets, and in its detail the verdict and what
   * was refused and why. A report whose mail was not authenticated is stored all the same, marked: the
   * metrics and the summary leave it out of their counts. A store failure gives RETRY (transient) or
   * FAILED.
   */
  public ActionResult ingest(MessageRef ref, byte[] eml, List<String> recipients, ReportAuthentication auth,
      Instant deadline) {
    Instant now = clock.instant();
    ReportMailReader reader = mail;
    if (reader == null) {
      reader = new ReportMailReader(new ReportReader(limits)); // a race makes two: harmless
      mail = reader;
    }
    List<ReportParse> results = reader.read(ref.messageId(), eml);
    List<String> keys = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ReportParse p : results) {
      if (p instanceof ReportParse.Failed f) {
        problems.add(f.source() + ": " + f.problem().word() + ": " + f.reason());
        continue;
      }
      ReceivedReport r = ((ReportParse.Parsed) p).report();
      String key = ReportKeys.key(config.prefix(), r, now);
      Stored stored;
      try {
        stored = store(ref, key, ReportJson.toJson(r, p.source(), now, auth), r, auth, deadline);
        key = stored.key();
      } catch (StoreException e) {
        ActionResult.Status s = e.kind() == StoreException.Kind.TRANSIENT ? ActionResult.Status.RETRY
            : ActionResult.Status.FAILED;
        return new ActionResult("report", recipients, keys, s, "storing " + key + ": " + e.getMessage());
      }
      keys.add(key);
      // Once per report: a reporter's re-send or a Lambda retry of this message stores nothing new and
      // must not count the report's messages (and spoofing attempts) a second time.
      if (stored.counts()) {
        metricsOut.accept(metrics.line(r, auth, now.toEpochMilli()));
      }
    }
    String detail = keys.size() + " report" + (keys.size() == 1 ? "" : "s") + " stored"
        + (keys.isEmpty() ? "" : ", authentication " + auth.result().word() + " (" + auth.reason() + ")")
        + (problems.isEmpty() ? "" : "; refused: " + String.join("; ", problems));
    return new ActionResult("report", recipients, keys, ActionResult.Status.DONE, detail);
  }

  /**
   * Stores a report without ever replacing another one: a report whose mail was not authenticated is
   * stored too, and a forged report with a real report's org and ID must not overwrite it. The first
   * report takes {@code key}; a different one with the same key goes next to it, named after its message.
   * The same report again (a reporter's re-send, RFC 9990 3.5.2, or a Lambda retry) stores nothing new,
   * except that an authenticated copy replaces an unauthenticated one: same content, now vouched for
   * (a forger can never replace an authenticated report this way). Returns the key used.
   */
  private Stored store(MessageRef ref, String key, byte[] json, ReceivedReport r, ReportAuthentication auth,
      Instant deadline) throws StoreException {
    if (store.createIfAbsent(ref.sibling(key), json, deadline)) {
      return new Stored(key, true);
    }
    ReportJson.Stored existing = existing(ref.sibling(key), deadline);
    if (existing != null && r.equals(existing.report())) {
      if (auth.authenticated() && !existing.authentication().authenticated()) {
        store.put(ref.sibling(key), json, deadline);
        return new Stored(key, true); // now vouched for: it counts from here on
      }
      return new Stored(key, false);
    }
    String other = key.substring(0, key.length() - ".json".length()) + "!" + ReportKeys.safe(ref.messageId()) + ".json";
    // This message's own key: only a retry of this same message finds it taken, with the same report.
    return new Stored(other, store.createIfAbsent(ref.sibling(other), json, deadline));
  }

  /** Where a report went, and whether this is the first time it is stored (or newly authenticated). */
  private record Stored(String key, boolean counts) {}

  /** The report stored at {@code key}, or null when it is gone or unreadable (then both are kept). */
  private ReportJson.Stored existing(MessageRef key, Instant deadline) throws StoreException {
    java.util.Optional<byte[]> bytes = store.read(key, deadline);
    if (bytes.isEmpty()) {
      return null;
    }
    try {
      return ReportJson.fromJson(bytes.get());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
