package dev.mailgate.gateway;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.policy.PolicyConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds stored messages that no invocation will finish and finishes them (docs/GATEWAY.md, "Sweep"):
 * messages in state {@code retry} or {@code deferred} whose invocations gave up (Lambda's retries ran out,
 * or a synchronous invocation answered and left it), and messages with no state at all (the function never
 * ran for them or died before recording anything). Each is re-driven through {@link Gateway#process}, whose
 * delivery ledger guarantees that no delivery made earlier is made again. Messages {@code in-doubt} (a send
 * whose outcome nobody knows) are never re-driven: they are reported with their unconfirmed deliveries for
 * a person to decide ({@link #resolve}). Thread-safe; one run at a time is expected but two are harmless.
 *
 * <p>A run lists the incoming prefix, keeps the objects stored between {@link Options#maxAge} and
 * {@link Options#grace} ago (younger ones may still be in the hands of a live invocation or Lambda's own
 * retries), oldest first, reads each one's tags, and stops re-driving after {@link Options#maxRedrives}
 * messages, examining after {@link Options#maxExamined} objects, and everything at the deadline.
 */
public final class Sweep {
  /** At most this many keys are listed per run (1,000 list calls); more are reported as not examined. */
  static final int MAX_LISTED = 1_000_000;

  private final Gateway gateway;
  private final MessageStore store;
  private final PolicyConfig config;
  private final Clock clock;

  /** A sweep over the gateway's own store, re-driving through the gateway. */
  public Sweep(Gateway gateway, Clock clock) {
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.store = gateway.store();
    this.config = gateway.config();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What a run looks at and how far it goes. Immutable.
   *
   * @param bucket the bucket SES stores messages in (a local store ignores it)
   * @param objectPrefix the S3 action's key prefix (key = prefix + message ID); "" for none
   * @param grace objects stored less than this long ago are left alone (a live invocation or Lambda's own
   *     retries may still be at them)
   * @param maxAge objects stored longer ago than this are not looked at (their tags are not even read)
   * @param maxRedrives at most this many messages are re-driven per run
   * @param maxExamined at most this many objects have their tags read per run
   * @param perMessage the time one re-driven message may take (within the run's deadline)
   * @param dryRun whether to only report what would be done (nothing is written or sent)
   * @param unprocessedGrace how old an object with no state at all must be before it is re-driven: its SES
   *     or S3 event may still be on its way (Lambda keeps an asynchronous event for up to 6 hours), and a
   *     re-drive without the event takes the recipients from the message's header, which may not name
   *     them all (Bcc); once the sweep has finished it, the event's own run would do nothing
   */
  public record Options(String bucket, String objectPrefix, Duration grace, Duration maxAge, int maxRedrives,
      int maxExamined, Duration perMessage, boolean dryRun, Duration unprocessedGrace) {
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(15);
    /** Lambda's longest event age for asynchronous invocations (6 h) plus the function's 15 minutes. */
    public static final Duration DEFAULT_UNPROCESSED_GRACE = Duration.ofMinutes(6 * 60 + 15);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(3);
    public static final int DEFAULT_MAX_REDRIVES = 50;
    public static final int DEFAULT_MAX_EXAMINED = 5000;
    public static final Duration DEFAULT_PER_MESSAGE = Duration.ofSeconds(60);

    public Options {
      Objects.requireNonNull(bucket, "bucket");
      objectPrefix = objectPrefix == null ? "" : objectPrefix;
      if (grace.isNegative() || maxAge.compareTo(grace) <= 0) {
        throw new IllegalArgumentException("the maximum age must be longer than the grace period");
      }
      if (maxRedrives < 0 || maxExamined < 1 || perMessage.isNegative() || perMessage.isZero()) {
        throw new IllegalArgumentException("limits must be positive");
      }
      if (unprocessedGrace.isNegative()) {
        throw new IllegalArgumentException("the grace for unprocessed objects must not be negative");
      }
    }

    /** Options whose objects with no state wait only {@code grace} (tests, and runs a person starts). */
    public Options(String bucket, String objectPrefix, Duration grace, Duration maxAge, int maxRedrives,
        int maxExamined, Duration perMessage, boolean dryRun) {
      this(bucket, objectPrefix, grace, maxAge, maxRedrives, maxExamined, perMessage, dryRun, grace);
    }

    /** The defaults: 15 minutes' grace, 3 days back, 50 re-drives and 5,000 objects examined per run. */
    public static Options defaults(String bucket, String objectPrefix) {
      return new Options(bucket, objectPrefix, DEFAULT_GRACE, DEFAULT_MAX_AGE, DEFAULT_MAX_REDRIVES,
          DEFAULT_MAX_EXAMINED, DEFAULT_PER_MESSAGE, false, DEFAULT_UNPROCESSED_GRACE);
    }
  }

  /** What the sweep did with an object it reports. */
  public enum Kind {
    /** Re-driven through the gateway: see the outcome. */
    REDRIVEN,
    /** Would be re-driven (dry run). */
    WOULD_REDRIVE,
    /** Would be re-driven, but this run's re-drive limit was reached: the next run takes it. */
    LEFT_FOR_NEXT_RUN,
    /** A delivery may or may not have happened: a person decides (never re-driven). */
    IN_DOUBT,
    /** A delivery was refused for good (state failed): reported, not retried. */
    FAILED,
    /** Its tags could not be read, or hold a state this version does not know. */
    UNREADABLE;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One object the sweep reports.
   *
   * @param object the object as listed
   * @param messageId SES's message ID (the key without the object prefix)
   * @param before its state when examined; null for none (never processed)
   * @param kind what the sweep did
   * @param outcome the re-drive's outcome, or null when not re-driven
   * @param details for in-doubt messages the unconfirmed deliveries, else a reason; may be empty
   */
  public record Item(StoredObject object, String messageId, ObjectState before, Kind kind, Outcome outcome,
      List<String> details) {
    public Item {
      details = List.copyOf(details);
    }
  }

  /**
   * What a run came to.
   *
   * @param listed objects listed under the prefix
   * @param ignored objects that are not messages (quarantine copies, markers, SES's setup object, folders)
   * @param tooRecent messages stored less than the grace period ago
   * @param tooOld messages stored longer ago than the maximum age
   * @param finished messages examined and found finished (delivered, tagged, quarantined, ...)
   * @param notExamined messages in the window left unexamined (limit or deadline): the next run sees them
   * @param items the messages reported: re-driven, in doubt, failed, unreadable (oldest first)
   * @param complete whether everything in the window was examined
   * @param stoppedBy why the run stopped early ("" when complete)
   */
  public record Report(int listed, int ignored, int tooRecent, int tooOld, int finished, int notExamined,
      List<Item> items, boolean complete, String stoppedBy) {
    public Report {
      items = List.copyOf(items);
    }

    /** Reported items of one kind. */
    public long count(Kind kind) {
      return items.stream().filter(i -> i.kind() == kind).count();
    }

    /** Re-driven messages whose new state is still not final (retry, deferred): a later run tries again. */
    public long stillPending() {
      return items.stream().filter(i -> i.outcome() != null && !i.outcome().state().terminal()).count();
    }

    /** Messages in doubt: found so, or come to it when re-driven. */
    public long inDoubt() {
      return items.stream().filter(i -> i.kind() == Kind.IN_DOUBT
          || (i.outcome() != null && i.outcome().state() == ObjectState.IN_DOUBT)).count();
    }
  }

  /**
   * Runs once. Never throws for what one message does; a listing that fails is a StoreException.
   *
   * @param inv the invocation running the sweep (its hard end bounds the delivery claims it makes)
   */
  public Report run(Options o, Instant deadline, Invocation inv) throws StoreException {
    Instant now = clock.instant();
    List<StoredObject> window = new ArrayList<>();
    int listed = 0;
    int ignored = 0;
    int tooRecent = 0;
    int tooOld = 0;
    String stoppedBy = "";
    String after = null;
    while (true) {
      if (!clock.instant().isBefore(deadline)) {
        stoppedBy = "deadline reached while listing";
        break;
      }
      StoredObject.Page page = store.list(o.bucket(), o.objectPrefix(), after, 1000, deadline);
      for (StoredObject obj : page.objects()) {
        listed++;
        Duration age = Duration.between(obj.lastModified(), now);
        if (notAMessage(obj.key(), o.objectPrefix())) {
          ignored++;
        } else if (age.compareTo(o.grace()) < 0) {
          tooRecent++;
        } else if (age.compareTo(o.maxAge()) > 0) {
          tooOld++;
        } else {
          window.add(obj);
        }
      }
      if (!page.truncated() || page.objects().isEmpty()) {
        break;
      }
      if (listed >= MAX_LISTED) {
        stoppedBy = "listed " + MAX_LISTED + " keys, the most per run";
        break;
      }
      after = page.objects().get(page.objects().size() - 1).key();
    }
    // Oldest first: those are closest to leaving the window (and to the lifecycle rule's expiry).
    window.sort(Comparator.comparing(StoredObject::lastModified).thenComparing(StoredObject::key));

    List<Item> items = new ArrayList<>();
    int finished = 0;
    int examined = 0;
    int redriven = 0;
    for (StoredObject obj : window) {
      if (examined == o.maxExamined()) {
        stoppedBy = "examined " + o.maxExamined() + " objects, the limit per run";
        break;
      }
      if (!clock.instant().isBefore(deadline)) {
        stoppedBy = "deadline reached";
        break;
      }
      examined++;
      String id = messageId(obj.key(), o.objectPrefix());
      MessageRef ref = new MessageRef(o.bucket(), obj.key(), id);
      Map<String, String> tags;
      try {
        tags = store.tags(ref, deadline);
      } catch (StoreException e) {
        if (e.kind() != StoreException.Kind.NOT_FOUND) { // deleted since the listing: nothing to do
          items.add(new Item(obj, id, null, Kind.UNREADABLE, null, List.of("tags: " + e.getMessage())));
        }
        continue;
      }
      String word = tags.get(ObjectTags.STATE);
      ObjectState state = ObjectState.fromWord(word);
      if (word != null && state == null) {
        items.add(new Item(obj, id, null, Kind.UNREADABLE, null, List.of("unknown state '" + word + "'")));
        continue;
      }
      if (state == ObjectState.IN_DOUBT) {
        items.add(new Item(obj, id, state, Kind.IN_DOUBT, null, unconfirmedDeliveries(ref, deadline)));
        continue;
      }
      if (state == ObjectState.FAILED) {
        items.add(new Item(obj, id, state, Kind.FAILED, null, List.of(tags.getOrDefault(ObjectTags.DETAIL, ""))));
        continue;
      }
      if (state != null && state != ObjectState.RETRY && state != ObjectState.DEFERRED) {
        finished++;
        continue;
      }
      if (state == null && Duration.between(obj.lastModified(), now).compareTo(o.unprocessedGrace()) < 0) {
        tooRecent++; // its event may still come (see Options.unprocessedGrace)
        continue;
      }
      if (state == null && !storedBySes(ref, deadline)) {
        // Without a message prefix the sweep lists the whole bucket: an object SES did not store (a file
        // someone put there) is left alone, never processed as mail (discard may delete the object).
        ignored++;
        continue;
      }
      List<String> why = List.of(state == null ? "never processed" : tags.getOrDefault(ObjectTags.DETAIL, ""));
      if (o.dryRun()) {
        items.add(new Item(obj, id, state, Kind.WOULD_REDRIVE, null, why));
      } else if (redriven >= o.maxRedrives()) {
        items.add(new Item(obj, id, state, Kind.LEFT_FOR_NEXT_RUN, null, why));
      } else {
        redriven++;
        Instant end = clock.instant().plus(o.perMessage());
        Outcome out = redrive(ref, end.isBefore(deadline) ? end : deadline, inv);
        List<String> details = out.state() == ObjectState.IN_DOUBT ? unconfirmedDeliveries(ref, deadline) : why;
        items.add(new Item(obj, id, state, Kind.REDRIVEN, out, details));
      }
    }
    int notExamined = window.size() - examined;
    return new Report(listed, ignored, tooRecent, tooOld, finished, notExamined, items,
        stoppedBy.isEmpty() && notExamined == 0, stoppedBy);
  }

  /**
   * Processes one message again now, whatever its age, with the envelope an SES event gave when one was
   * kept (the stored message may not name every recipient, e.g. Bcc). Used by {@link #run} and for a
   * message a person resolved as {@link Resolution#RESEND}: such a message may be older than the
   * sweep's window, which no later run would look at. A finished message is skipped by the gateway, and
   * the delivery ledger keeps a delivery from happening twice while its markers exist (they expire with
   * the state prefix; {@link #resolve} refuses a resend whose markers are gone).
   */
  public Outcome redrive(MessageRef ref, Instant deadline, Invocation inv) {
    Invocation with = inv;
    try {
      Optional<SesReceipt> kept = EnvelopeRecord.read(store, ref, config.statePrefix(), deadline);
      if (kept.isPresent()) {
        with = new Invocation(false, kept.get(), inv.requestId(), inv.hardEnd(), inv.trigger());
      }
    } catch (StoreException e) {
      // read from the stored message instead
    }
    return gateway.process(ref, deadline, with);
  }

  /**
   * Whether an object without state is a message SES stored: SES's trace fields (X-SES-RECEIPT, or its
   * Received field naming the client) are in its header. The message is read whole (the gateway reads it again if it qualifies).
   */
  private boolean storedBySes(MessageRef ref, Instant deadline) {
    byte[] bytes;
    try {
      bytes = store.fetch(ref, Gateway.SES_MAX_MESSAGE_BYTES, deadline);
    } catch (StoreException e) {
      return true; // let the gateway meet (and record) the same failure
    }
    dev.mailgate.message.RawMessage m = dev.mailgate.message.RawMessage.parse(bytes);
    return m.header("X-SES-RECEIPT").isPresent()
        || dev.mailgate.message.SesEnvelope.read(m).envelope().clientIp() != null;
  }

  /** What a person decided about a message in doubt. */
  public enum Resolution {
    /** It was delivered (seen at the destination): record the deliveries as sent, the message as finished. */
    SENT,
    /** It was not delivered: free the unconfirmed deliveries and mark the message for re-driving. */
    RESEND
  }

  /**
   * Applies a person's decision to a message in doubt: its unconfirmed ({@code sending}, expired)
   * delivery markers become {@code sent}, or are deleted so the next re-drive sends them; the message's
   * state becomes {@code delivered} (or {@code tagged}) or {@code retry}. Markers of confirmed deliveries
   * are left alone, so nothing confirmed is ever sent again.
   *
   * @return the deliveries changed
   * @throws StoreException when the message is not in doubt ({@link StoreException.Kind#PERMANENT}) or
   *     the store fails
   */
  public List<String> resolve(MessageRef ref, Resolution r, Instant deadline) throws StoreException {
    Map<String, String> tags = store.tags(ref, deadline);
    if (ObjectState.fromWord(tags.get(ObjectTags.STATE)) != ObjectState.IN_DOUBT) {
      throw new StoreException(StoreException.Kind.PERMANENT, ref.key() + " is not in doubt (state "
          + tags.getOrDefault(ObjectTags.STATE, "none") + ")");
    }
    List<Marker> markers = markers(ref, deadline);
    if (r == Resolution.RESEND && markers.stream().noneMatch(m -> m.state().equals("sending"))) {
      // In doubt means an unconfirmed marker was left; none left means they expired with the state
      // prefix (StateRetentionDays), and with them the record of which deliveries were confirmed:
      // re-processing would send every delivery again, confirmed ones included.
      throw new StoreException(StoreException.Kind.PERMANENT, ref.key() + ": no unconfirmed delivery marker is"
          + " left (expired?), so which deliveries went out is unknown: resend by hand, or resolve as sent");
    }
    for (Marker m : markers) {
      if (m.state().equals("sending") && clock.instant().isBefore(m.expires())) {
        throw new StoreException(StoreException.Kind.PERMANENT, "the claim of " + m.deliveryId()
            + " has not expired (until " + m.expires() + "): an invocation may still confirm it; decide after that");
      }
    }
    List<String> changed = new ArrayList<>();
    for (Marker m : markers) {
      if (!m.state().equals("sending")) {
        continue; // confirmed or refused: left as it is
      }
      MessageRef marker = ref.sibling(m.key());
      if (r == Resolution.SENT) {
        store.put(marker, json(Map.of("state", "sent", "at", clock.instant().toString(),
            "id", "confirmed by a person (was in doubt)")), deadline);
      } else {
        store.delete(marker, deadline);
      }
      changed.add(m.deliveryId());
    }
    Map<String, String> ours = new java.util.LinkedHashMap<>();
    if (r == Resolution.SENT) {
      ours.put(ObjectTags.STATE, "tag".equals(tags.get(ObjectTags.ACTION)) ? ObjectState.TAGGED.word()
          : ObjectState.DELIVERED.word());
      ours.put(ObjectTags.DETAIL, "in doubt; confirmed delivered by a person");
    } else {
      ours.put(ObjectTags.STATE, ObjectState.RETRY.word());
      ours.put(ObjectTags.DETAIL, "in doubt; resend decided by a person");
    }
    store.putTags(ref, ObjectTags.merge(tags, ours), deadline);
    return changed;
  }

  /** One delivery marker of a message. */
  private record Marker(String key, String deliveryId, String state, Instant claimed, Instant expires) {}

  private List<Marker> markers(MessageRef ref, Instant deadline) throws StoreException {
    String prefix = config.statePrefix() + ref.messageId() + "/";
    List<Marker> out = new ArrayList<>();
    String after = null;
    StoredObject.Page page;
    do {
      page = store.list(ref.bucket(), prefix, after, 1000, deadline);
      for (StoredObject obj : page.objects()) {
        if (obj.key().endsWith("/" + EnvelopeRecord.NAME)) {
          continue;
        }
        Optional<byte[]> content = store.read(ref.sibling(obj.key()), deadline);
        if (content.isEmpty()) {
          continue;
        }
        Map<String, Object> m;
        try {
          m = JSON.std.mapFrom(content.get());
        } catch (IOException | RuntimeException e) {
          m = Map.of("state", "unreadable");
        }
        out.add(new Marker(obj.key(), obj.key().substring(prefix.length()), String.valueOf(m.get("state")),
            instant(m.get("claimed")), instant(m.get("expires"))));
      }
      after = page.objects().isEmpty() ? null : page.objects().get(page.objects().size() - 1).key();
    } while (page.truncated() && after != null);
    return out;
  }

  /** The deliveries of a message in doubt that nobody confirmed, in words. */
  private List<String> unconfirmedDeliveries(MessageRef ref, Instant deadline) {
    List<String> out = new ArrayList<>();
    try {
      for (Marker m : markers(ref, deadline)) {
        if (m.state().equals("sending")) {
          out.add(m.deliveryId() + ": claimed " + m.claimed() + ", never confirmed: may have been sent");
        } else if (!m.state().equals("sent") && !m.state().equals("failed")) {
          out.add(m.deliveryId() + ": marker state '" + m.state() + "'");
        }
      }
    } catch (StoreException e) {
      out.add("delivery markers not readable: " + e.getMessage());
    }
    return out;
  }

  private static Instant instant(Object v) {
    try {
      return Instant.parse(String.valueOf(v));
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  private static byte[] json(Map<String, Object> m) {
    try {
      return JSON.std.asBytes(m);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Objects under the prefix that are not messages SES stored (the same ones S3ObjectHandler ignores). */
  private boolean notAMessage(String key, String objectPrefix) {
    String records = gateway.records().prefix();
    return key.startsWith(config.quarantine().prefix()) || key.startsWith(config.statePrefix())
        || (records != null && !records.isEmpty() && key.startsWith(records))
        || key.startsWith(config.reports().prefix())
        || key.endsWith("AMAZON_SES_SETUP_NOTIFICATION") || key.endsWith("/") || key.length() == objectPrefix.length();
  }

  /** SES's message ID: the key without the S3 action's prefix. */
  static String messageId(String key, String objectPrefix) {
    return key.startsWith(objectPrefix) ? key.substring(objectPrefix.length()) : key.substring(key.lastIndexOf('/') + 1);
  }
}
