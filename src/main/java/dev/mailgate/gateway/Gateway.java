package dev.mailgate.gateway;

import dev.mailgate.authres.AuthReport;
import dev.mailgate.authres.AuthResultsHeader;
import dev.mailgate.authres.Authenticator;
import dev.mailgate.message.Envelope;
import dev.mailgate.message.RawMessage;
import dev.mailgate.message.SesEnvelope;
import dev.mailgate.policy.Action;
import dev.mailgate.policy.AuthSummary;
import dev.mailgate.policy.Decision;
import dev.mailgate.policy.Policy;
import dev.mailgate.policy.PolicyConfig;
import dev.mailgate.policy.PolicyInput;
import dev.mailgate.policy.PolicyResult;
import dev.mailgate.policy.SesVerdicts;
import dev.mailgate.policy.SyncDisposition;
import dev.mailgate.policy.Verdict;
import dev.mailgate.report.MessageRecord;
import dev.mailgate.report.RecordSink;
import dev.mailgate.report.ingest.ReportAuthentication;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's pipeline for one stored message: fetch, build the envelope, authenticate, decide, act,
 * record (docs/GATEWAY.md). Thread-safe: one instance serves every message of a container.
 *
 * <p>{@link #process} never throws for anything a message or the services do: every end is an
 * {@link Outcome} whose {@code state} is also written to the object's tags, and whose {@code retryLater}
 * tells an asynchronous handler to fail the invocation so that Lambda retries it (and finally sends the
 * event to the dead-letter queue). Each delivery goes through the {@link DeliveryLedger}, so running
 * again for a message never delivers twice.
 */
public final class Gateway {
  /** SES v2 SendEmail: "The maximum message size, including attachments, is 40 MB." */
  public static final long SES_MAX_MESSAGE_BYTES = 40L * 1024 * 1024;

  /** SES: a message may have at most 50 recipients (destinations) per call. */
  public static final int MAX_DESTINATIONS = 50;

  private final Policy policy;
  private final PolicyConfig config;
  private final Authenticator authenticator;
  private final DeadlineResolver deadlineResolver;
  private final MessageStore store;
  private final MailSender sender;
  private final DeliveryLedger ledger;
  private final Clock clock;
  private final GatewayLog log;
  private final long maxMessageBytes;
  private final String relayPassword;
  private final Duration claimGrace;
  private final dev.mailgate.report.ingest.ReportIntake reports;
  private final OutboundSeal outboundSeal;
  private final RecordSink.Guarded records;

  private Gateway(Builder b) {
    this.policy = Objects.requireNonNull(b.policy, "policy");
    this.config = policy.config();
    this.authenticator = Objects.requireNonNull(b.authenticator, "authenticator");
    this.deadlineResolver = b.deadlineResolver;
    this.store = Objects.requireNonNull(b.store, "store");
    this.sender = Objects.requireNonNull(b.sender, "sender");
    this.clock = b.clock;
    this.log = b.log;
    this.maxMessageBytes = b.maxMessageBytes;
    this.relayPassword = b.relayPassword;
    this.claimGrace = b.claimGrace;
    this.ledger = new DeliveryLedger(store, config.statePrefix(), clock);
    this.reports = new dev.mailgate.report.ingest.ReportIntake(config, store, clock,
        dev.mailgate.report.ingest.ReportLimits.DEFAULT, log::metrics);
    this.outboundSeal = OutboundSeal.fromConfig(config, clock).orElse(null);
    // docs/RECORDS.md: a record that cannot be written is logged and counted; the outcome stands.
    this.records = new RecordSink.Guarded(b.records, (r, e) -> log.problem("record-write-failed",
        r.messageId() + ": " + e));
  }

  /** The message records written and failed so far (docs/RECORDS.md). */
  public RecordSink.Guarded records() {
    return records;
  }

  public static Builder builder() {
    return new Builder();
  }

  public PolicyConfig config() {
    return config;
  }

  /** The store messages are read from (the sweep lists it). */
  MessageStore store() {
    return store;
  }

  /** Processes a message of an asynchronous invocation without SES event data. */
  public Outcome process(MessageRef ref, Instant deadline) {
    return process(ref, deadline, Invocation.async(deadline));
  }

  /** Processes one message; everything is done or given up by {@code deadline}. Never throws for I/O. */
  public Outcome process(MessageRef ref, Instant deadline, Invocation inv) {
    Run run = new Run(ref, deadline, inv, System.nanoTime());
    Outcome o;
    try {
      o = run.execute();
    } catch (StoreException e) {
      o = run.failure(e);
    }
    log.message(o);
    if (!o.skipped()) {
      // Bookkeeping after the message is done: never past the invocation's hard end (Lambda would cut it
      // off, losing the log of the rest of the run), a little before it.
      Instant until = inv.hardEnd() == null ? null : inv.hardEnd().minusMillis(250);
      records.write(MessageRecord.of(o, o.report(), o.received()), until);
    }
    return o;
  }

  /** The state of one message's processing. */
  private final class Run {
    final MessageRef ref;
    final Instant deadline;
    final Invocation inv;
    final long startNanos;
    final Instant claimExpiry;
    Map<String, String> tags = Map.of();
    int attempt = 1;
    Verdict verdict;
    AuthSummary auth;
    SesVerdicts ses;
    Envelope envelope;
    AuthReport report;
    final Instant received;
    final List<ActionResult> actions = new ArrayList<>();

    Run(MessageRef ref, Instant deadline, Invocation inv, long startNanos) {
      this.ref = ref;
      this.deadline = deadline;
      this.inv = inv;
      this.startNanos = startNanos;
      Instant end = inv.hardEnd() == null || inv.hardEnd().isBefore(deadline) ? deadline : inv.hardEnd();
      this.claimExpiry = end.plus(claimGrace);
      this.received = receivedAt(inv, clock);
    }

    Outcome execute() throws StoreException {
      try {
        tags = store.tags(ref, deadline);
      } catch (StoreException e) {
        if (e.kind() == StoreException.Kind.NOT_FOUND) {
          return outcome(ObjectState.MISSING, false, !inv.synchronous(), "no object " + ref.key()
              + " in bucket " + ref.bucket() + (inv.synchronous() ? "" : "; failing so that Lambda retries"));
        }
        throw e;
      }
      ObjectState previous = ObjectState.fromWord(tags.get(ObjectTags.STATE));
      if (previous != null && previous.terminal()) {
        Action done = actionFromWord(tags.get(ObjectTags.ACTION));
        SyncDisposition d = done == null ? SyncDisposition.CONTINUE : config.sync().of(done);
        return new Outcome(ref, previous, true, null, null, null, null, List.of(), d, false,
            "already processed (state " + previous.word() + "): nothing done", attempt(tags) - 1, millis(), null,
            received);
      }
      attempt = attempt(tags);

      byte[] bytes;
      try {
        bytes = store.fetch(ref, maxMessageBytes, deadline);
      } catch (StoreException e) {
        if (e.kind() == StoreException.Kind.TOO_LARGE) {
          return record(ObjectState.REJECTED, e.getMessage());
        }
        if (e.kind() == StoreException.Kind.NOT_FOUND) {
          return outcome(ObjectState.MISSING, false, !inv.synchronous(), e.getMessage());
        }
        throw e;
      }
      RawMessage raw = RawMessage.parse(bytes);
      if (raw.headers().isEmpty()) {
        return record(ObjectState.REJECTED, "not a mail message: no header fields at the start");
      }

      SesReceipt receipt = inv.receipt();
      SesEnvelope stored = SesEnvelope.read(raw);
      Envelope e = stored.envelope();
      String mailFrom = receipt != null ? normalizeMailFrom(receipt.mailFrom()) : e.mailFrom();
      List<String> rcpt = receipt != null && !receipt.recipients().isEmpty() ? receipt.recipients()
          : StoredMessageFacts.recipientsFromHeaders(raw, e.rcptTo(), policy.routes()::isOurDomain);
      // DMARC aggregate reports to our report addresses (docs/REPORTING.md, "Reports in").
      List<String> reportRcpt = reports.reportRecipients(rcpt);
      if (!reportRcpt.isEmpty()) {
        // RFC 9990 3.5.2: report mail is expected to pass DMARC. It is authenticated like any message and
        // the verdict is stored with its reports; a report that fails is stored, marked, and not counted.
        envelope = new Envelope(e.clientIp(), e.helo(), mailFrom, rcpt);
        ses = receipt != null && receipt.verdicts() != null ? receipt.verdicts() : StoredMessageFacts.sesVerdicts(raw);
        Duration budget = Duration.between(clock.instant(), deadline);
        report = authenticate(raw, budget);
        auth = AuthSummary.from(report, ses);
        ReportAuthentication reportAuth = ReportAuthentication.of(report, auth);
        if (reportAuth.result() == ReportAuthentication.Result.TEMPERROR && config.defaults().temperrorRetry()) {
          if (!inv.synchronous() && attempt < config.maxAttempts()) {
            // As for any message with a temporary DNS error: Lambda retries; the last attempt stores "temperror".
            verdict = new Verdict(Action.RETRY, "temperror", "report mail: " + reportAuth.reason() + "; retrying");
            actions.add(new ActionResult("retry", reportRcpt, List.of(), ActionResult.Status.RETRY, verdict.reason()));
            return record(ObjectState.DEFERRED, "temporary error authenticating report mail: attempt " + attempt
                + " of " + config.maxAttempts() + ", failing so that Lambda retries later");
          }
          if (inv.synchronous() && Duration.between(clock.instant(), deadline).compareTo(budget.dividedBy(2)) > 0) {
            report = authenticate(raw, Duration.between(clock.instant(), deadline)); // SES will not ask again
            auth = AuthSummary.from(report, ses);
            reportAuth = ReportAuthentication.of(report, auth);
          }
        }
        ActionResult intake = reports.ingest(ref, bytes, reportRcpt, reportAuth, deadline);
        actions.add(intake);
        if (!reports.deliver()) {
          rcpt = rcpt.stream().filter(r -> !reportRcpt.contains(r)).toList();
          if (rcpt.isEmpty()) {
            envelope = new Envelope(e.clientIp(), e.helo(), mailFrom, reportRcpt);
            verdict = dev.mailgate.report.ingest.ReportIntake.STORED;
            boolean again = intake.status() == ActionResult.Status.RETRY;
            return record(again ? ObjectState.RETRY : intake.status() == ActionResult.Status.FAILED
                ? ObjectState.FAILED : ObjectState.DISCARDED, again ? "storing a report failed: trying again" : "");
          }
        }
      }
      envelope = new Envelope(e.clientIp(), e.helo(), mailFrom, rcpt);
      ses = receipt != null && receipt.verdicts() != null ? receipt.verdicts() : StoredMessageFacts.sesVerdicts(raw);
      int received = StoredMessageFacts.receivedCount(raw);
      boolean loop = StoredMessageFacts.hasOurLoopHeader(raw, config.deployment());

      Duration budget = Duration.between(clock.instant(), deadline);
      if (report == null) { // a report mail delivered too was authenticated above
        report = authenticate(raw, budget);
        auth = AuthSummary.from(report, ses);
      }
      boolean retryPossible = inv.synchronous() || attempt < config.maxAttempts();
      PolicyResult result = policy.decide(new PolicyInput(auth, ses, mailFrom, rcpt, received, loop, retryPossible));

      if (result.verdict().action() == Action.RETRY) {
        if (!inv.synchronous()) {
          verdict = result.verdict();
          actions.add(new ActionResult("retry", rcpt, List.of(), ActionResult.Status.RETRY, result.verdict().reason()));
          return record(ObjectState.DEFERRED, "temporary error: attempt " + attempt + " of " + config.maxAttempts()
              + ", failing so that Lambda retries later");
        }
        // Synchronous: SES will not ask again. Try once more now if half the time is left, then decide for good.
        if (Duration.between(clock.instant(), deadline).compareTo(budget.dividedBy(2)) > 0) {
          report = authenticate(raw, Duration.between(clock.instant(), deadline));
          auth = AuthSummary.from(report, ses);
        }
        result = policy.decide(new PolicyInput(auth, ses, mailFrom, rcpt, received, loop, false));
      }
      verdict = result.verdict();

      String authResults = AuthResultsHeader.format(config.authservId(), report);
      boolean deleted = false;
      for (Decision d : result.decisions()) {
        if (!clock.instant().isBefore(deadline)) {
          actions.add(new ActionResult(d.action(), d.recipients(), List.of(), ActionResult.Status.RETRY,
              "deadline reached before this action"));
          continue;
        }
        deleted |= act(d, raw, authResults);
      }
      return finish(result, deleted);
    }

    private AuthReport authenticate(RawMessage raw, Duration budget) {
      // Keep a share of the time for the actions: DNS stops at the auth deadline (plus one query timeout).
      Duration reserve = budget.dividedBy(3).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
          : budget.dividedBy(3);
      Instant authDeadline = deadline.minus(reserve);
      if (deadlineResolver == null) {
        return authenticator.authenticate(envelope, raw);
      }
      DeadlineResolver.Scope scope = deadlineResolver.within(authDeadline);
      try {
        return authenticator.authenticate(envelope, raw);
      } finally {
        scope.close();
      }
    }

    /** Carries out one decision; returns whether the stored object was deleted. */
    private boolean act(Decision d, RawMessage raw, String authResults) {
      try {
        if (d instanceof Decision.Tag) {
          Decision.Tag t = (Decision.Tag) d;
          deliver(t.delivery(), raw, additions(authResults, verdictField(), t.subjectPrefix()), t.action());
        } else if (d instanceof Decision.Delivery) {
          deliver((Decision.Delivery) d, raw, additions(authResults, null, ""), d.action());
        } else if (d instanceof Decision.Quarantine) {
          return quarantine((Decision.Quarantine) d);
        } else if (d instanceof Decision.Bounce) {
          bounce((Decision.Bounce) d);
        } else if (d instanceof Decision.Discard) {
          actions.add(new ActionResult("discard", d.recipients(), List.of(), ActionResult.Status.DONE, d.reason()));
        }
      } catch (StoreException e) {
        actions.add(new ActionResult(d.action(), d.recipients(), List.of(), status(e), "store: " + e.getMessage()));
      }
      return false;
    }

    private void deliver(Decision.Delivery d, RawMessage raw, MessageRewriter.Additions add, String action)
        throws StoreException {
      if (d instanceof Decision.Forward) {
        Decision.Forward f = (Decision.Forward) d;
        PolicyConfig.Forward fc = config.forward();
        byte[] out = sealed(MessageRewriter.forForward(raw, add,
            new MessageRewriter.ForwardRewrite(fc.from(), fc.fromName(), fc.replyTo(), f.recipients())));
        if (out.length > SES_MAX_MESSAGE_BYTES) {
          actions.add(new ActionResult(action, f.recipients(), f.to(), ActionResult.Status.FAILED,
              "too large to forward through SES: " + out.length + " bytes (limit " + SES_MAX_MESSAGE_BYTES + ")"));
          return;
        }
        // SES takes at most 50 destinations per message: one send, with its own marker, per 50.
        for (int i = 0; i < f.to().size(); i += MAX_DESTINATIONS) {
          List<String> chunk = f.to().subList(i, Math.min(f.to().size(), i + MAX_DESTINATIONS));
          if (!clock.instant().isBefore(deadline)) {
            actions.add(new ActionResult(action, f.recipients(), chunk, ActionResult.Status.RETRY,
                "deadline reached before this send"));
            continue;
          }
          DeliveryLedger.Result r = ledger.run(ref, DeliveryLedger.deliveryId("forward", chunk), deadline,
              claimExpiry, () -> sender.forward(new MailSender.Forward(ref.messageId(), fc.from(), chunk, out,
                  fc.configurationSet()), deadline));
          actions.add(new ActionResult(action, f.recipients(), chunk, r.status(), r.detail()));
        }
      } else {
        Decision.Relay rl = (Decision.Relay) d;
        PolicyConfig.Relay relay = config.relays().get(rl.relay());
        byte[] out = sealed(MessageRewriter.forRelay(raw, add));
        String password = relay.password() != null ? relay.password() : relayPassword;
        String from = envelope.mailFrom() == null ? "" : envelope.mailFrom();
        DeliveryLedger.Result r = ledger.run(ref, DeliveryLedger.deliveryId("relay-" + rl.relay(), rl.rcptTo()),
            deadline, claimExpiry, () -> sender.relay(new MailSender.Relay(ref.messageId(), rl.relay(), relay,
                password, from, rl.rcptTo(), out), deadline));
        actions.add(new ActionResult(action, rl.recipients(), rl.rcptTo(), r.status(), r.detail()));
      }
    }

    /** {@code out} with our ARC Set when sealing is configured; a message that cannot be sealed goes as it is. */
    private byte[] sealed(byte[] out) {
      if (outboundSeal == null || report == null) {
        return out;
      }
      OutboundSeal.Sealed s = outboundSeal.seal(out, report);
      if (s.failed()) {
        log.problem("arc-seal", ref.key() + ": " + s.problem());
      }
      return s.message();
    }

    private boolean quarantine(Decision.Quarantine q) throws StoreException {
      String key = config.quarantine().prefix() + ref.messageId();
      store.copy(ref, key, ourTags(ObjectState.QUARANTINED, q.reason()), deadline);
      boolean delete = config.quarantine().deleteOriginal();
      if (delete) {
        store.delete(ref, deadline);
      }
      actions.add(new ActionResult("quarantine", q.recipients(), List.of(key), ActionResult.Status.DONE,
          q.reason() + (delete ? " (original deleted)" : "")));
      return delete;
    }

    private void bounce(Decision.Bounce b) throws StoreException {
      PolicyConfig.Bounce bc = config.bounce();
      String type = b.kind() == Decision.BounceKind.DOES_NOT_EXIST ? "DoesNotExist" : "ContentRejected";
      DeliveryLedger.Result r = ledger.run(ref, DeliveryLedger.deliveryId("bounce", b.recipients()), deadline,
          claimExpiry, () -> sender.bounce(new MailSender.Bounce(ref.messageId(), bc.sender(), b.recipients(), type,
              bc.explanation(), envelope.mailFrom()), deadline));
      actions.add(new ActionResult("bounce", b.recipients(), List.of(envelope.mailFrom()), r.status(), r.detail()));
    }

    private MessageRewriter.Additions additions(String authResults, String verdictField, String prefix) {
      return new MessageRewriter.Additions(config.authservId(), authResults, verdictField, prefix,
          config.deployment());
    }

    /** The X-Mailgate-Verdict field of a tagged message. */
    private String verdictField() {
      String[] parts = {verdict.action().word(), "rule=" + verdict.rule(), auth.words(),
          "dmarc.disposition=" + auth.dmarcDisposition().word(), "spam=" + ses.spam().word(),
          "virus=" + ses.virus().word(), "by=" + config.deployment()};
      StringBuilder sb = new StringBuilder(MessageRewriter.VERDICT).append(": ").append(parts[0]);
      int lineStart = 0;
      for (int i = 1; i < parts.length; i++) {
        sb.append(';');
        if (sb.length() - lineStart + 1 + parts[i].length() > 78) {
          sb.append("\r\n\t");
          lineStart = sb.length() - 1;
        } else {
          sb.append(' ');
        }
        sb.append(parts[i]);
      }
      return sb.toString();
    }

    private Outcome finish(PolicyResult result, boolean deleted) throws StoreException {
      boolean retry = false;
      boolean inDoubt = false;
      boolean failed = false;
      for (ActionResult a : actions) {
        switch (a.status()) {
          case RETRY:
            retry = true;
            break;
          case IN_PROGRESS:
            // Another invocation is delivering. In async mode, come back to check it finished; in sync
            // mode the verdict stands and the other invocation records the state.
            retry |= !inv.synchronous();
            break;
          case IN_DOUBT:
            inDoubt = true;
            break;
          case FAILED:
            failed = true;
            break;
          default:
            break;
        }
      }
      ObjectState state;
      if (retry) {
        state = ObjectState.RETRY;
      } else if (inDoubt) {
        state = ObjectState.IN_DOUBT;
      } else if (failed) {
        state = ObjectState.FAILED;
      } else {
        state = stateOf(result);
      }
      if (deleted) {
        return outcome(state, false, retry && !inv.synchronous(), "");
      }
      if (state == ObjectState.DISCARDED && config.discard().deleteObject()) {
        store.delete(ref, deadline);
        return outcome(state, false, false, "stored object deleted");
      }
      return record(state, retry ? "a transient failure: failing so that the message is tried again" : "");
    }

    /** Writes the state to the object's tags and returns the outcome. */
    Outcome record(ObjectState state, String detail) throws StoreException {
      boolean again = state == ObjectState.RETRY || state == ObjectState.DEFERRED;
      String tagDetail = detail.isEmpty() && verdict != null ? verdict.reason() : detail;
      store.putTags(ref, ObjectTags.merge(tags, ourTags(state, tagDetail)), deadline);
      if (again) {
        EnvelopeRecord.keep(store, ref, config.statePrefix(), inv.receipt(), deadline); // for the sweep
      }
      return outcome(state, false, again && !inv.synchronous(), detail);
    }

    Map<String, String> ourTags(ObjectState state, String detail) {
      Map<String, String> t = new LinkedHashMap<>();
      t.put(ObjectTags.STATE, state.word());
      t.put(ObjectTags.ATTEMPTS, Integer.toString(attempt));
      if (verdict != null) {
        t.put(ObjectTags.ACTION, verdict.action().word());
        t.put(ObjectTags.RULE, verdict.rule());
      }
      if (auth != null) {
        t.put(ObjectTags.AUTH, auth.words());
      }
      if (detail != null && !detail.isEmpty()) {
        t.put(ObjectTags.DETAIL, detail);
      }
      return t;
    }

    /** A failure of the store itself (reading tags or the object, writing tags). */
    Outcome failure(StoreException e) {
      ObjectState state = e.kind() == StoreException.Kind.NOT_FOUND ? ObjectState.MISSING : ObjectState.RETRY;
      boolean again = e.kind() != StoreException.Kind.PERMANENT && !inv.synchronous();
      String detail = "store: " + e.getMessage();
      if (state == ObjectState.RETRY) {
        try {
          // Best effort, so the object says what happened even if the invocation's retries run out.
          store.putTags(ref, ObjectTags.merge(tags, ourTags(ObjectState.RETRY, detail)), deadline);
        } catch (StoreException ignored) {
          detail += " (state not recorded either)";
        }
      }
      return outcome(state, false, again, detail);
    }

    Outcome outcome(ObjectState state, boolean skipped, boolean retryLater, String detail) {
      SyncDisposition d;
      boolean error = state == ObjectState.RETRY || state == ObjectState.FAILED || state == ObjectState.IN_DOUBT
          || state == ObjectState.MISSING || state == ObjectState.REJECTED || state == ObjectState.DEFERRED;
      if (error || verdict == null) {
        d = config.sync().onError();
      } else {
        d = config.sync().of(verdict.action());
      }
      return new Outcome(ref, state, skipped, verdict, auth, ses, envelope, actions, d, retryLater, detail, attempt,
          millis(), report, received);
    }

    long millis() {
      return (System.nanoTime() - startNanos) / 1_000_000;
    }
  }

  /** The object's state after its decisions all went through. */
  private static ObjectState stateOf(PolicyResult result) {
    boolean delivered = false;
    boolean tagged = false;
    boolean quarantined = false;
    boolean bounced = false;
    for (Decision d : result.decisions()) {
      if (d instanceof Decision.Tag) {
        tagged = true;
      } else if (d instanceof Decision.Delivery) {
        delivered = true;
      } else if (d instanceof Decision.Quarantine) {
        quarantined = true;
      } else if (d instanceof Decision.Bounce) {
        bounced = true;
      }
    }
    if (tagged) {
      return ObjectState.TAGGED;
    }
    if (delivered) {
      return ObjectState.DELIVERED;
    }
    if (quarantined) {
      return ObjectState.QUARANTINED;
    }
    return bounced ? ObjectState.BOUNCED : ObjectState.DISCARDED;
  }

  /** SES's receipt time from the event, else now: the record's time and partition stay put across retries. */
  private static Instant receivedAt(Invocation inv, Clock clock) {
    if (inv.receipt() != null && inv.receipt().timestamp() != null) {
      try {
        return Instant.parse(inv.receipt().timestamp());
      } catch (RuntimeException e) {
        // Not ISO 8601: fall back to the processing time.
      }
    }
    return clock.instant();
  }

  private static ActionResult.Status status(StoreException e) {
    return e.kind() == StoreException.Kind.TRANSIENT ? ActionResult.Status.RETRY : ActionResult.Status.FAILED;
  }

  private static int attempt(Map<String, String> tags) {
    try {
      return Integer.parseInt(tags.getOrDefault(ObjectTags.ATTEMPTS, "0")) + 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static Action actionFromWord(String word) {
    for (Action a : Action.values()) {
      if (a.word().equals(word)) {
        return a;
      }
    }
    return null;
  }

  /** SES writes MAIL FROM as given; {@code <>} or "" is the null reverse-path. */
  static String normalizeMailFrom(String source) {
    if (source == null) {
      return null;
    }
    String s = source.strip();
    if (s.startsWith("<") && s.endsWith(">")) {
      s = s.substring(1, s.length() - 1).strip();
    }
    return s;
  }

  /** Builds a {@link Gateway}. */
  public static final class Builder {
    private Policy policy;
    private Authenticator authenticator;
    private DeadlineResolver deadlineResolver;
    private MessageStore store;
    private MailSender sender;
    private Clock clock = Clock.systemUTC();
    private GatewayLog log = GatewayLog.NONE;
    private long maxMessageBytes = SES_MAX_MESSAGE_BYTES;
    private String relayPassword;
    private Duration claimGrace = Duration.ofSeconds(60);
    private RecordSink records = RecordSink.NONE;

    private Builder() {}

    /** Where a record of each processed message goes (docs/RECORDS.md); none by default. */
    public Builder records(RecordSink sink) {
      this.records = sink;
      return this;
    }

    public Builder policy(Policy p) {
      this.policy = p;
      return this;
    }

    /** The authenticator; when it uses a {@link DeadlineResolver}, pass that too so DNS obeys deadlines. */
    public Builder authenticator(Authenticator a, DeadlineResolver dns) {
      this.authenticator = a;
      this.deadlineResolver = dns;
      return this;
    }

    public Builder store(MessageStore s) {
      this.store = s;
      return this;
    }

    public Builder sender(MailSender s) {
      this.sender = s;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    public Builder log(GatewayLog l) {
      this.log = l;
      return this;
    }

    /** The largest message processed (default SES's 40 MB); larger ones are rejected unread. */
    public Builder maxMessageBytes(long n) {
      this.maxMessageBytes = n;
      return this;
    }

    /** The SMTP AUTH password for relays whose configuration gives a username but no password. */
    public Builder relayPassword(String p) {
      this.relayPassword = p;
      return this;
    }

    /** How long after an invocation's end its unconfirmed delivery claims count as in doubt (default 60 s). */
    public Builder claimGrace(Duration d) {
      this.claimGrace = d;
      return this;
    }

    public Gateway build() {
      return new Gateway(this);
    }
  }
}
