package dev.mailgate.aws;

import dev.mailgate.authres.Authenticator;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsjavaResolver;
import dev.mailgate.gateway.DeadlineResolver;
import dev.mailgate.gateway.Gateway;
import dev.mailgate.gateway.GatewayLog;
import dev.mailgate.gateway.RoutingMailSender;
import dev.mailgate.gateway.SmtpRelaySender;
import dev.mailgate.policy.ConfigException;
import dev.mailgate.policy.Policy;
import dev.mailgate.report.RecordSink;
import dev.mailgate.policy.PolicyConfig;
import dev.mailgate.policy.PolicyConfigParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the handlers need, built once per container: the gateway with its store, senders, DNS resolver
 * and policy, and the deployment settings the events do not carry. Thread-safe.
 *
 * <p>{@link #shared()} builds it from the environment on first use (not at class loading, so a warm
 * container or a SnapStart restore does not repeat it); a failure names the setting that is wrong and is
 * retried on the next invocation.
 */
public final class GatewayRuntime {
  private final Gateway gateway;
  private final String bucket;
  private final String objectPrefix;
  private final Duration syncTimeout;
  private final Duration safetyMargin;
  private final Clock clock;
  private final GatewayLog log;

  /**
   * @param bucket the bucket SES events refer to (they do not name it), or null
   * @param objectPrefix the S3 action's key prefix
   */
  public GatewayRuntime(Gateway gateway, String bucket, String objectPrefix, Duration syncTimeout,
      Duration safetyMargin, Clock clock, GatewayLog log) {
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.bucket = bucket;
    this.objectPrefix = objectPrefix == null ? "" : objectPrefix;
    this.syncTimeout = syncTimeout;
    this.safetyMargin = safetyMargin;
    this.clock = clock;
    this.log = log;
  }

  private static volatile GatewayRuntime shared;

  /** The container's runtime, built from the environment on first use. */
  public static GatewayRuntime shared() {
    GatewayRuntime r = shared;
    if (r == null) {
      synchronized (GatewayRuntime.class) {
        r = shared;
        if (r == null) {
          r = fromEnvironment(System.getenv(), Clock.systemUTC());
          shared = r;
        }
      }
    }
    return r;
  }

  /**
   * Builds the AWS runtime: S3 store, SES and SMTP senders, DNS over dnsjava, JSON log lines on stdout.
   *
   * @throws IllegalStateException naming the environment variable or configuration setting that is wrong
   */
  public static GatewayRuntime fromEnvironment(Map<String, String> env, Clock clock) {
    return fromEnvironment(env, clock, GatewayLog.jsonLines(System.out, clock));
  }

  /** As {@link #fromEnvironment(Map, Clock)}, logging to {@code log} (the CLI's sweep). */
  public static GatewayRuntime fromEnvironment(Map<String, String> env, Clock clock, GatewayLog log) {
    Config c;
    try {
      c = Config.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    AwsClients clients = AwsClients.create(c);
    PolicyConfig pc = loadPolicy(c, clients);
    if (c.bucket() == null) {
      // SES events do not name the bucket: only S3 events work without it. Said once, at start.
      System.err.println("mailgate: " + Config.BUCKET + " not set: SES events will fail; S3 events work");
    }
    DnsResolver dns = DnsjavaResolver.create(DnsjavaResolver.Options.builder().servers(c.dnsServers())
        .timeout(Duration.ofMillis(c.dnsTimeoutMillis())).build());
    DeadlineResolver deadlines = new DeadlineResolver(dns, clock);
    Gateway gateway = Gateway.builder()
        .policy(Policy.of(pc))
        .authenticator(new Authenticator(deadlines, clock), deadlines)
        .store(new S3MessageStore(clients.s3(), clock))
        .sender(new RoutingMailSender(new SesMailSender(clients.sesV2(), clients.ses(), clock), new SmtpRelaySender()))
        .clock(clock)
        .log(log)
        .maxMessageBytes(c.maxMessageBytes())
        .relayPassword(c.relayPassword())
        .records(c.bucket() == null ? RecordSink.NONE : new S3RecordSink(clients.s3(), c.bucket(), c.recordsPrefix()))
        .build();
    return new GatewayRuntime(gateway, c.bucket(), c.objectPrefix(), Duration.ofMillis(c.syncTimeoutMillis()),
        Duration.ofMillis(c.safetyMarginMillis()), clock, log);
  }

  /**
   * Reads and validates the configuration file from wherever the environment points, with the storage
   * prefixes the environment sets ({@link Config#applyPrefixes}).
   */
  static PolicyConfig loadPolicy(Config c, AwsClients clients) {
    byte[] bytes;
    String source;
    if (c.configInline() != null) {
      bytes = c.configInline().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      source = Config.CONFIG;
    } else if (c.configFile() != null) {
      try {
        bytes = Files.readAllBytes(Path.of(c.configFile()));
      } catch (IOException e) {
        throw new IllegalStateException(Config.CONFIG_FILE + ": cannot read " + c.configFile() + ": " + e, e);
      }
      source = Config.CONFIG_FILE + "=" + c.configFile();
    } else {
      String[] loc = Config.parseS3(c.configS3());
      try {
        bytes = clients.s3().getObjectAsBytes(b -> b.bucket(loc[0]).key(loc[1])).asByteArray();
      } catch (RuntimeException e) {
        throw new IllegalStateException(Config.CONFIG_S3 + ": cannot read " + c.configS3() + ": " + e.getMessage(), e);
      }
      source = Config.CONFIG_S3 + "=" + c.configS3();
    }
    try {
      PolicyConfig pc = PolicyConfigParser.parse(bytes, source);
      if (c.quarantinePrefix() == null && c.statePrefix() == null) {
        return pc;
      }
      // Which prefixes the file names itself (it parsed, so it is a JSON object).
      Map<String, Object> root = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(bytes);
      Object q = root.get("quarantine");
      return c.applyPrefixes(pc, q instanceof Map && ((Map<?, ?>) q).containsKey("prefix"),
          root.containsKey("statePrefix"));
    } catch (ConfigException | IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException(source + ": " + e.getMessage(), e);
    }
  }

  public Gateway gateway() {
    return gateway;
  }

  /** The bucket SES events refer to, or null when not configured. */
  public String bucket() {
    return bucket;
  }

  public String objectPrefix() {
    return objectPrefix;
  }

  public Clock clock() {
    return clock;
  }

  public GatewayLog log() {
    return log;
  }

  /**
   * The processing deadline for an invocation with {@code remainingMillis} left: the safety margin before
   * the invocation's end, and in synchronous mode no later than the sync budget (SES waits 30 s).
   */
  public Instant deadline(Instant now, long remainingMillis, boolean synchronous) {
    Duration left = Duration.ofMillis(remainingMillis).minus(safetyMargin);
    if (synchronous && left.compareTo(syncTimeout) > 0) {
      left = syncTimeout;
    }
    return now.plus(left.isNegative() ? Duration.ZERO : left);
  }
}
