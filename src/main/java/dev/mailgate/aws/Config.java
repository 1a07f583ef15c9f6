package dev.mailgate.aws;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The deployment settings of the Lambda functions, read once per container from environment variables.
 * This class names every environment variable the code reads ({@link #ENVIRONMENT_VARIABLES}, plus
 * {@link #AWS_REGION}, which Lambda itself sets); docs/CONFIG.md describes each with its default. An
 * empty value counts as not set, so a SAM template may pass every variable from a parameter.
 *
 * <p>The policy (domains, routes, rules, ...) is not here: it is the configuration file, given inline
 * ({@link #CONFIG}), as a file ({@link #CONFIG_FILE}) or as an S3 object ({@link #CONFIG_S3}), exactly one.
 *
 * @param bucket the bucket SES's S3 action stores messages in; needed for SES events, which do not name it
 * @param objectPrefix the S3 action's object key prefix (key = prefix + SES message ID); "" for none
 * @param configInline the configuration file's text, or null
 * @param configFile the configuration file's path, or null
 * @param configS3 the configuration object's location {@code s3://bucket/key}, or null
 * @param dnsServers DNS servers {@code HOST[:PORT]}; empty for the system's (the Route 53 Resolver in Lambda)
 * @param dnsTimeoutMillis the time limit of one DNS query
 * @param maxMessageBytes the largest message processed; larger ones are rejected unread
 * @param awsMaxAttempts attempts per S3 or SES call, first one included (the SDK's retry strategy)
 * @param syncTimeoutMillis the processing budget in synchronous mode (SES waits 30 s at most)
 * @param safetyMarginMillis time kept free before the invocation's end to record the outcome
 * @param relayPassword the SMTP AUTH password for relays with a username and no password in the file
 * @param s3Endpoint an S3 endpoint to use instead of AWS's (tests, LocalStack), or null
 * @param sesEndpoint an SES endpoint (v1 and v2) to use instead of AWS's, or null
 * @param region the AWS region
 * @param quarantinePrefix the key prefix of quarantined copies, or null to take the configuration file's
 * @param statePrefix the key prefix of delivery records, or null to take the configuration file's
 * @param recordsPrefix the key prefix of the message records (docs/RECORDS.md), "records/" by default
 */
public record Config(
    String bucket,
    String objectPrefix,
    String configInline,
    String configFile,
    String configS3,
    List<String> dnsServers,
    long dnsTimeoutMillis,
    long maxMessageBytes,
    int awsMaxAttempts,
    long syncTimeoutMillis,
    long safetyMarginMillis,
    String relayPassword,
    URI s3Endpoint,
    URI sesEndpoint,
    String region,
    String quarantinePrefix,
    String statePrefix,
    String recordsPrefix) {

  public static final String BUCKET = "MAILGATE_BUCKET";
  public static final String OBJECT_PREFIX = "MAILGATE_OBJECT_PREFIX";
  public static final String CONFIG = "MAILGATE_CONFIG";
  public static final String CONFIG_FILE = "MAILGATE_CONFIG_FILE";
  public static final String CONFIG_S3 = "MAILGATE_CONFIG_S3";
  public static final String DNS_SERVERS = "MAILGATE_DNS_SERVERS";
  public static final String DNS_TIMEOUT_MS = "MAILGATE_DNS_TIMEOUT_MS";
  public static final String MAX_MESSAGE_BYTES = "MAILGATE_MAX_MESSAGE_BYTES";
  public static final String AWS_MAX_ATTEMPTS = "MAILGATE_AWS_MAX_ATTEMPTS";
  public static final String SYNC_TIMEOUT_MS = "MAILGATE_SYNC_TIMEOUT_MS";
  public static final String SAFETY_MARGIN_MS = "MAILGATE_SAFETY_MARGIN_MS";
  public static final String RELAY_PASSWORD = "MAILGATE_RELAY_PASSWORD";
  public static final String S3_ENDPOINT = "MAILGATE_S3_ENDPOINT";
  public static final String SES_ENDPOINT = "MAILGATE_SES_ENDPOINT";
  public static final String QUARANTINE_PREFIX = "MAILGATE_QUARANTINE_PREFIX";
  public static final String STATE_PREFIX = "MAILGATE_STATE_PREFIX";
  public static final String RECORDS_PREFIX = "MAILGATE_RECORDS_PREFIX";
  // The aggregate report function's own settings (docs/REPORTING.md); the gateway does not read them.
  public static final String REPORT_FROM = "MAILGATE_REPORT_FROM";
  public static final String REPORT_RECEIVER = "MAILGATE_REPORT_RECEIVER";
  public static final String REPORT_ORG_NAME = "MAILGATE_REPORT_ORG_NAME";
  public static final String REPORT_MAX_BYTES = "MAILGATE_REPORT_MAX_BYTES";
  public static final String REPORT_FORMAT = "MAILGATE_REPORT_FORMAT";
  public static final String REPORT_STATE_PREFIX = "MAILGATE_REPORT_STATE_PREFIX";

  /** Set by Lambda itself (a reserved variable a template cannot set); read to build the SDK clients. */
  public static final String AWS_REGION = "AWS_REGION";

  /** Every variable a deployment sets for mailgate (the SAM template sets exactly these). */
  public static final List<String> ENVIRONMENT_VARIABLES = List.of(
      BUCKET, OBJECT_PREFIX, CONFIG, CONFIG_FILE, CONFIG_S3, DNS_SERVERS, DNS_TIMEOUT_MS, MAX_MESSAGE_BYTES,
      AWS_MAX_ATTEMPTS, SYNC_TIMEOUT_MS, SAFETY_MARGIN_MS, RELAY_PASSWORD, S3_ENDPOINT, SES_ENDPOINT,
      QUARANTINE_PREFIX, STATE_PREFIX, RECORDS_PREFIX, REPORT_FROM, REPORT_RECEIVER, REPORT_ORG_NAME,
      REPORT_MAX_BYTES, REPORT_FORMAT, REPORT_STATE_PREFIX);

  /** The variables only the aggregate report function reads (the gateway function is not given them). */
  public static final List<String> REPORT_ONLY_VARIABLES = List.of(REPORT_FROM, REPORT_RECEIVER, REPORT_ORG_NAME,
      REPORT_MAX_BYTES, REPORT_FORMAT, REPORT_STATE_PREFIX);

  /** The variables the aggregate report function reads ({@link #reporting}). */
  public static final List<String> REPORT_VARIABLES = List.of(BUCKET, DNS_SERVERS, DNS_TIMEOUT_MS, AWS_MAX_ATTEMPTS,
      S3_ENDPOINT, SES_ENDPOINT, RECORDS_PREFIX, REPORT_FROM, REPORT_RECEIVER, REPORT_ORG_NAME, REPORT_MAX_BYTES,
      REPORT_FORMAT, REPORT_STATE_PREFIX);

  /** Variables the Lambda runtime provides and the code reads. */
  public static final List<String> RUNTIME_VARIABLES = List.of(AWS_REGION);

  /** SES receives at most 40 MB; a little more room does no harm, much more risks the function's memory. */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 40L * 1024 * 1024;

  /**
   * Reads and checks the settings.
   *
   * @throws IllegalArgumentException naming every variable that is wrong and why
   */
  public static Config fromEnvironment(Map<String, String> env) {
    Reader r = new Reader(env);
    String bucket = r.string(BUCKET);
    String prefix = r.string(OBJECT_PREFIX);
    String inline = r.string(CONFIG);
    String file = r.string(CONFIG_FILE);
    String s3 = r.string(CONFIG_S3);
    int sources = (inline != null ? 1 : 0) + (file != null ? 1 : 0) + (s3 != null ? 1 : 0);
    if (sources != 1) {
      r.problems.add(CONFIG + ", " + CONFIG_FILE + ", " + CONFIG_S3 + ": set exactly one ("
          + (sources == 0 ? "none is set" : sources + " are set") + ")");
    }
    if (s3 != null && parseS3(s3) == null) {
      r.problems.add(CONFIG_S3 + ": must be s3://BUCKET/KEY, not '" + s3 + "'");
    }
    List<String> dns = r.dnsServers();
    long dnsTimeout = r.number(DNS_TIMEOUT_MS, 2000, 100, 30_000);
    long maxBytes = r.number(MAX_MESSAGE_BYTES, DEFAULT_MAX_MESSAGE_BYTES, 1024, 150L * 1024 * 1024);
    int attempts = (int) r.number(AWS_MAX_ATTEMPTS, 4, 1, 10);
    long syncTimeout = r.number(SYNC_TIMEOUT_MS, 25_000, 1000, 29_000);
    long margin = r.number(SAFETY_MARGIN_MS, 1500, 0, 60_000);
    String password = r.string(RELAY_PASSWORD);
    URI s3Endpoint = r.uri(S3_ENDPOINT);
    URI sesEndpoint = r.uri(SES_ENDPOINT);
    String quarantinePrefix = r.keyPrefix(QUARANTINE_PREFIX);
    String statePrefix = r.keyPrefix(STATE_PREFIX);
    if (quarantinePrefix != null && statePrefix != null && overlap(quarantinePrefix, statePrefix)) {
      r.problems.add(QUARANTINE_PREFIX + ", " + STATE_PREFIX + ": must not overlap ('" + quarantinePrefix + "', '"
          + statePrefix + "')");
    }
    for (String[] p : new String[][] {{QUARANTINE_PREFIX, quarantinePrefix}, {STATE_PREFIX, statePrefix}}) {
      // Nested under the messages' prefix, mailgate's own objects would expire with the raw messages.
      if (p[1] != null && prefix != null && overlap(p[1], prefix)) {
        r.problems.add(p[0] + ": must not overlap " + OBJECT_PREFIX + " ('" + p[1] + "', '" + prefix + "')");
      }
    }
    String region = r.string(AWS_REGION);
    if (region == null) {
      r.problems.add(AWS_REGION + ": not set (Lambda sets it; set it yourself elsewhere)");
    }
    String records = r.prefix(RECORDS_PREFIX, dev.mailgate.report.RecordSink.DEFAULT_PREFIX);
    if (!r.problems.isEmpty()) {
      throw new IllegalArgumentException("mailgate environment: " + String.join("; ", r.problems));
    }
    return new Config(bucket, prefix == null ? "" : prefix, inline, file, s3, List.copyOf(dns), dnsTimeout,
        maxBytes, attempts, syncTimeout, margin, password, s3Endpoint, sesEndpoint, region, quarantinePrefix,
        statePrefix, records);
  }

  private static boolean overlap(String a, String b) {
    return a.startsWith(b) || b.startsWith(a);
  }

  /**
   * The configuration file's settings with the environment's prefixes applied. The rule: a prefix set in
   * the environment is used (the template grants access to it and expires it); a configuration file that
   * sets the same prefix explicitly must agree, otherwise the function refuses to start, naming both.
   *
   * @param fileSetsQuarantinePrefix whether the file itself has {@code quarantine.prefix}
   * @param fileSetsStatePrefix whether the file itself has {@code statePrefix}
   * @throws IllegalArgumentException naming the conflicting settings
   */
  public dev.mailgate.policy.PolicyConfig applyPrefixes(dev.mailgate.policy.PolicyConfig pc,
      boolean fileSetsQuarantinePrefix, boolean fileSetsStatePrefix) {
    List<String> problems = new ArrayList<>();
    String q = pc.quarantine().prefix();
    String s = pc.statePrefix();
    if (quarantinePrefix != null) {
      if (fileSetsQuarantinePrefix && !q.equals(quarantinePrefix)) {
        problems.add(QUARANTINE_PREFIX + " is '" + quarantinePrefix + "' but the configuration's quarantine.prefix is '"
            + q + "': make them equal, or leave quarantine.prefix out of the file");
      }
      q = quarantinePrefix;
    }
    if (statePrefix != null) {
      if (fileSetsStatePrefix && !s.equals(statePrefix)) {
        problems.add(STATE_PREFIX + " is '" + statePrefix + "' but the configuration's statePrefix is '" + s
            + "': make them equal, or leave statePrefix out of the file");
      }
      s = statePrefix;
    }
    if (problems.isEmpty() && overlap(q, s)) {
      problems.add("the quarantine prefix '" + q + "' and the state prefix '" + s + "' overlap ("
          + QUARANTINE_PREFIX + ", " + STATE_PREFIX + " and the configuration file together)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("mailgate environment: " + String.join("; ", problems));
    }
    return q.equals(pc.quarantine().prefix()) && s.equals(pc.statePrefix()) ? pc : pc.withStoragePrefixes(q, s);
  }

  /**
   * The settings of the aggregate report function (docs/REPORTING.md), which needs no gateway configuration.
   *
   * @param bucket the bucket holding the records and the markers
   * @param recordsPrefix the records' key prefix
   * @param statePrefix the markers' key prefix (the gateway's statePrefix)
   * @param from the verified address reports are sent from
   * @param receiver our domain as the reports' Submitter (default: the From address's domain)
   * @param orgName report_metadata/org_name (default: the receiver)
   * @param maxBytes the largest report email sent
   * @param format rfc9990 or rfc7489
   */
  public record Reporting(String bucket, String recordsPrefix, String statePrefix, String from, String receiver,
      String orgName, long maxBytes, String format, List<String> dnsServers, long dnsTimeoutMillis, int awsMaxAttempts,
      URI s3Endpoint, URI sesEndpoint, String region) {}

  /**
   * Reads the aggregate report function's settings.
   *
   * @throws IllegalArgumentException naming every variable that is wrong and why
   */
  public static Reporting reporting(Map<String, String> env) {
    Reader r = new Reader(env);
    String bucket = r.string(BUCKET);
    if (bucket == null) {
      r.problems.add(BUCKET + ": not set (the bucket holding the records)");
    }
    String from = r.string(REPORT_FROM);
    int at = from == null ? -1 : from.lastIndexOf('@');
    if (at <= 0 || at == from.length() - 1) {
      r.problems.add(REPORT_FROM + ": must be the verified address reports are sent from, not '" + from + "'");
    }
    String receiver = r.string(REPORT_RECEIVER);
    if (receiver == null && at > 0) {
      receiver = from.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }
    String format = r.string(REPORT_FORMAT);
    if (format == null) {
      format = "rfc9990";
    } else if (!format.equalsIgnoreCase("rfc9990") && !format.equalsIgnoreCase("rfc7489")) {
      r.problems.add(REPORT_FORMAT + ": rfc9990 or rfc7489, not '" + format + "'");
    }
    List<String> dns = r.dnsServers();
    long dnsTimeout = r.number(DNS_TIMEOUT_MS, 2000, 100, 30_000);
    int attempts = (int) r.number(AWS_MAX_ATTEMPTS, 4, 1, 10);
    long maxBytes = r.number(REPORT_MAX_BYTES, 10L * 1024 * 1024, 1024, 40L * 1024 * 1024);
    String region = r.string(AWS_REGION);
    if (region == null) {
      r.problems.add(AWS_REGION + ": not set (Lambda sets it; set it yourself elsewhere)");
    }
    String records = r.prefix(RECORDS_PREFIX, dev.mailgate.report.RecordSink.DEFAULT_PREFIX);
    // Markers beside the records by default, so that they expire together (AggregateReporter.MARKERS).
    Reporting out = new Reporting(bucket, records, r.prefix(REPORT_STATE_PREFIX, records), from, receiver, r.string(REPORT_ORG_NAME), maxBytes,
        format.toLowerCase(java.util.Locale.ROOT), List.copyOf(dns), dnsTimeout, attempts, r.uri(S3_ENDPOINT),
        r.uri(SES_ENDPOINT), region);
    if (!r.problems.isEmpty()) {
      throw new IllegalArgumentException("mailgate environment: " + String.join("; ", r.problems));
    }
    return out;
  }

  /** {@code {bucket, key}} of an {@code s3://bucket/key} location, or null. */
  public static String[] parseS3(String location) {
    if (location == null || !location.startsWith("s3://")) {
      return null;
    }
    String rest = location.substring(5);
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return null;
    }
    return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
  }

  @Override
  public String toString() {
    // Never print the password or the inline configuration (it may hold a relay password).
    return "Config[bucket=" + bucket + ", objectPrefix=" + objectPrefix + ", config="
        + (configInline != null ? CONFIG + " (inline)" : configFile != null ? configFile : configS3)
        + ", dnsServers=" + dnsServers + ", dnsTimeoutMillis=" + dnsTimeoutMillis + ", maxMessageBytes="
        + maxMessageBytes + ", awsMaxAttempts=" + awsMaxAttempts + ", syncTimeoutMillis=" + syncTimeoutMillis
        + ", safetyMarginMillis=" + safetyMarginMillis + ", region=" + region + ", quarantinePrefix="
        + quarantinePrefix + ", statePrefix=" + statePrefix + ", recordsPrefix=" + recordsPrefix + "]";
  }

  private static final class Reader {
    final Map<String, String> env;
    final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> env) {
      this.env = env;
    }

    String string(String name) {
      String v = env.get(name);
      return v == null || v.isBlank() ? null : v.strip();
    }

    long number(String name, long dflt, long min, long max) {
      String v = string(name);
      if (v == null) {
        return dflt;
      }
      try {
        long n = Long.parseLong(v);
        if (n < min || n > max) {
          problems.add(name + ": must be between " + min + " and " + max + ", not " + n);
          return dflt;
        }
        return n;
      } catch (NumberFormatException e) {
        problems.add(name + ": not a whole number: '" + v + "'");
        return dflt;
      }
    }

    /** A key prefix: as the configuration file's prefixes, no leading '/', no '..', no white space. */
    String keyPrefix(String name) {
      String v = string(name);
      if (v != null && (v.startsWith("/") || v.contains("..") || v.chars().anyMatch(Character::isWhitespace))) {
        problems.add(name + ": must be an S3 key prefix such as quarantine/ (no leading '/', '..' or spaces), not '"
            + v + "'");
        return null;
      }
      return v;
    }

    /** A key prefix: empty or ending with "/", no leading "/". */
    String prefix(String name, String dflt) {
      String v = string(name);
      if (v == null) {
        return dflt;
      }
      if (v.startsWith("/") || !v.endsWith("/")) {
        problems.add(name + ": a key prefix ending with '/' and not starting with one, not '" + v + "'");
        return dflt;
      }
      return v;
    }

    /** MAILGATE_DNS_SERVERS: comma-separated HOST[:PORT], empty for the system's resolvers. */
    List<String> dnsServers() {
      List<String> dns = new ArrayList<>();
      String servers = string(DNS_SERVERS);
      if (servers != null) {
        for (String s : servers.split(",")) {
          if (!s.isBlank()) {
            dns.add(s.strip());
          }
        }
      }
      return dns;
    }

    URI uri(String name) {
      String v = string(name);
      if (v == null) {
        return null;
      }
      try {
        URI u = URI.create(v);
        if (u.getScheme() == null || u.getHost() == null
            || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
          problems.add(name + ": must be an http(s) URL such as http://127.0.0.1:9090, not '" + v + "'");
          return null;
        }
        return u;
      } catch (IllegalArgumentException e) {
        problems.add(name + ": not a URL: '" + v + "'");
        return null;
      }
    }
  }
}
