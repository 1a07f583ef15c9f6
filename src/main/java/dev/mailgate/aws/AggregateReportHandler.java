package dev.mailgate.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.dmarc.PublicSuffixList;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsjavaResolver;
import dev.mailgate.report.AggregateReporter;
import dev.mailgate.report.ReportFormat;
import dev.mailgate.report.RuaVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The scheduled handler that sends the DMARC aggregate reports of a day
 * ({@code dev.mailgate.aws.AggregateReportHandler::handleRequest}; docs/REPORTING.md). Invoked by an
 * EventBridge schedule: the period is the UTC day before the event's {@code time} (or before now). A
 * {@code "date": "YYYY-MM-DD"} at the top of the event, or in its {@code detail}, reports that day instead
 * (a manual rerun). Running again for a day sends nothing twice.
 *
 * <p>Throws {@link RetryLaterException} when some destination failed for now, so that Lambda retries the
 * asynchronous invocation (already sent reports are not sent again); a malformed event or configuration
 * throws {@link IllegalArgumentException}. Thread-safe.
 */
public final class AggregateReportHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  /** Time kept free before the invocation's end. */
  static final Duration SAFETY_MARGIN = Duration.ofSeconds(10);

  private final Supplier<AggregateReporter> reporter;
  private final Clock clock;

  /** Lambda's constructor: everything from the environment (Config.reporting), built on first use. */
  public AggregateReportHandler() {
    this(new Lazy(), Clock.systemUTC());
  }

  /** A handler around a given reporter (local runs and tests). */
  public AggregateReportHandler(AggregateReporter reporter, Clock clock) {
    this(() -> reporter, clock);
  }

  private AggregateReportHandler(Supplier<AggregateReporter> reporter, Clock clock) {
    this.reporter = reporter;
    this.clock = clock;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    LocalDate day = day(event, clock);
    Instant now = clock.instant();
    long remaining = context == null ? 900_000 : context.getRemainingTimeInMillis();
    Instant deadline = now.plusMillis(remaining).minus(SAFETY_MARGIN);
    AggregateReporter.Summary s;
    try {
      s = reporter.get().run(day, deadline);
    } catch (IOException e) {
      throw new RetryLaterException("reading the records of " + day + ": " + e.getMessage());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("event", "dmarc-aggregate-reports");
    out.putAll(s.toMap());
    log(out);
    if (s.retry() > 0) {
      throw new RetryLaterException(s.retry() + " report destination(s) for " + day + " failed for now");
    }
    return out;
  }

  /** The day to report: the event's "date" (top level or in detail), else the day before its time or now. */
  @SuppressWarnings("unchecked")
  static LocalDate day(Map<String, Object> event, Clock clock) {
    Object date = event == null ? null : event.get("date");
    Object detail = event == null ? null : event.get("detail");
    if (date == null && detail instanceof Map) {
      date = ((Map<String, Object>) detail).get("date");
    }
    if (date != null) {
      try {
        return LocalDate.parse(date.toString());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("event date is not YYYY-MM-DD: " + date, e);
      }
    }
    Object time = event == null ? null : event.get("time");
    if (time != null) {
      try {
        return LocalDate.ofInstant(Instant.parse(time.toString()), ZoneOffset.UTC).minusDays(1);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("event time is not an ISO-8601 instant: " + time, e);
      }
    }
    return AggregateReporter.previousDay(clock);
  }

  private static void log(Map<String, Object> m) {
    try {
      System.out.println(JSON.std.asString(m));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds the AWS reporter once per container, on first use. */
  private static final class Lazy implements Supplier<AggregateReporter> {
    private volatile AggregateReporter built;

    @Override
    public AggregateReporter get() {
      AggregateReporter r = built;
      if (r == null) {
        synchronized (this) {
          r = built;
          if (r == null) {
            r = fromEnvironment(System.getenv(), Clock.systemUTC());
            built = r;
          }
        }
      }
      return r;
    }
  }

  /** The reporter on S3, SES and DNS as the environment says (Config.reporting). */
  static AggregateReporter fromEnvironment(Map<String, String> env, Clock clock) {
    Config.Reporting c = Config.reporting(env);
    AwsClients clients = AwsClients.create(Region.of(c.region()), c.s3Endpoint(), c.sesEndpoint(),
        DefaultCredentialsProvider.builder().build(), AwsClients.Retry.standard(c.awsMaxAttempts()));
    DnsResolver dns = DnsjavaResolver.create(DnsjavaResolver.Options.builder().servers(c.dnsServers())
        .timeout(Duration.ofMillis(c.dnsTimeoutMillis())).build());
    S3ReportStore store = new S3ReportStore(clients.s3(), c.bucket(), c.recordsPrefix(), clock);
    return new AggregateReporter(store, new RuaVerifier(dns, PublicSuffixList.bundled()), store, c.bucket(),
        new SesReportSender(clients.sesV2(), clock), clock,
        new AggregateReporter.Settings(c.orgName(), c.from(), c.from(), c.receiver(), c.maxBytes(),
            ReportFormat.fromWord(c.format()), c.statePrefix()),
        line -> log(Map.of("level", "WARN", "event", "dmarc-aggregate-report", "detail", line)));
  }
}
