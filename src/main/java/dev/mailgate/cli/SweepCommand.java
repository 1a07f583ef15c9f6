package dev.mailgate.cli;

import dev.mailgate.authres.Authenticator;
import dev.mailgate.aws.Config;
import dev.mailgate.aws.GatewayRuntime;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.gateway.DeadlineResolver;
import dev.mailgate.gateway.Gateway;
import dev.mailgate.gateway.GatewayLog;
import dev.mailgate.gateway.Invocation;
import dev.mailgate.gateway.LocalFolderStore;
import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.ObjectState;
import dev.mailgate.gateway.Outcome;
import dev.mailgate.gateway.OutboxSender;
import dev.mailgate.gateway.OutcomeJson;
import dev.mailgate.gateway.StoreException;
import dev.mailgate.gateway.Sweep;
import dev.mailgate.gateway.SweepJson;
import dev.mailgate.policy.ConfigException;
import dev.mailgate.policy.Policy;
import dev.mailgate.policy.PolicyConfig;
import dev.mailgate.policy.PolicyConfigParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailgate sweep}: finishes the messages no invocation will finish, on a local bucket folder or on
 * the S3 bucket (docs/GATEWAY.md, "Sweep").
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Finishes the stored messages no invocation will finish (docs/GATEWAY.md, \"Sweep\").",
      "",
      "Re-drives those left in state retry or deferred (Lambda's retries ran out, or SES's synchronous",
      "call answered and left them) and those never processed. Each goes through the gateway again; its delivery records make sure nothing delivered",
      "before is delivered again. Messages in doubt (a send that got no answer) are never re-sent: they",
      "are listed with their unconfirmed deliveries; check whether they arrived, then --resolve them.",
      "",
      "Local (default): --bucket-dir is the bucket folder, written to unless --state-dir is given (use the",
      "same --state-dir as mailgate invoke). With --aws: the S3 bucket and settings of the MAILGATE_*",
      "environment variables, as the Lambda function reads them (docs/CONFIG.md); credentials and region",
      "from the AWS SDK's default chain (AWS_REGION, AWS_PROFILE, ...)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the sweep examined everything and nothing needs a person",
      "1:a message is in doubt or unreadable, a re-driven one is still not finished, a --resolve failed,",
      "  or the run stopped at a limit (the next run continues)",
      "2:usage error (unknown option, bad configuration, bad setting)",
      "70:internal error"
    })
final class SweepCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The gateway configuration (JSON, docs/CONFIG.md). Required locally; with --aws it"
          + " replaces MAILGATE_CONFIG, MAILGATE_CONFIG_FILE and MAILGATE_CONFIG_S3.")
  Path config;

  @Option(names = "--bucket-dir", paramLabel = "DIR", description = "Folder standing in for the bucket (local).")
  Path bucketDir;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where tags, delivery records and quarantine copies are (local; as mailgate invoke's"
          + " --state-dir). Default: the bucket folder itself.")
  Path stateDir;

  @Option(names = "--outbox", paramLabel = "DIR", defaultValue = "target/outbox",
      description = "Where re-driven forwards, relays and bounces are written (local; default: ${DEFAULT-VALUE}).")
  Path outbox;

  @Option(names = "--aws", description = "Sweep the S3 bucket (MAILGATE_BUCKET) with the real SES and SMTP senders.")
  boolean aws;

  @Option(names = "--bucket", paramLabel = "NAME",
      description = "The bucket (with --aws: instead of MAILGATE_BUCKET; locally only a name in the output).")
  String bucket;

  @Option(names = "--object-prefix", paramLabel = "PREFIX",
      description = "The S3 action's key prefix (default: MAILGATE_OBJECT_PREFIX with --aws, else none).")
  String objectPrefix;

  @CommandLine.Mixin DnsOptions dnsOptions = new DnsOptions();

  @Option(names = "--grace-minutes", paramLabel = "N", defaultValue = "15",
      description = "Leave messages stored less than N minutes ago to their invocations (default: ${DEFAULT-VALUE}).")
  long graceMinutes;

  @Option(names = "--unprocessed-grace-minutes", paramLabel = "N", defaultValue = "375",
      description = "Leave objects with no state at all (never processed) stored less than N minutes ago: their "
          + "SES or S3 event may still come, Lambda keeps one up to 6 hours (default: ${DEFAULT-VALUE}).")
  long unprocessedGraceMinutes;

  @Option(names = "--max-age-hours", paramLabel = "N", defaultValue = "72",
      description = "Do not look at messages stored more than N hours ago (default: ${DEFAULT-VALUE}).")
  long maxAgeHours;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "Re-drive at most N messages (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--max-examined", paramLabel = "N", defaultValue = "5000",
      description = "Read the state of at most N messages (default: ${DEFAULT-VALUE}).")
  int maxExamined;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
      description = "Stop re-driving after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--dry-run", description = "Only say what would be done: nothing is written or sent.")
  boolean dryRun;

  @Option(names = "--resolve", paramLabel = "ID=sent|resend",
      description = "Before sweeping, settle a message in doubt: 'sent' (it arrived: record it delivered) or"
          + " 'resend' (it did not: its unconfirmed deliveries are sent again, right away, whatever the"
          + " message's age). Repeatable.")
  List<String> resolve = new ArrayList<>();

  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  @Option(names = "--log", description = "Also write the gateway's JSON log lines (as in CloudWatch) to stderr.")
  boolean log;

  @Override
  public Integer call() throws IOException {
    CommandLine cl = spec.commandLine();
    if (timeoutSeconds < 1 || timeoutSeconds > 86_400) {
      throw new CommandLine.ParameterException(cl, "--timeout: must be between 1 and 86400 seconds");
    }
    if (dryRun && !resolve.isEmpty()) {
      throw new CommandLine.ParameterException(cl, "--resolve changes state: not with --dry-run");
    }
    Map<String, Sweep.Resolution> resolutions = resolutions(cl);
    Clock clock = Clock.systemUTC();
    GatewayLog gatewayLog = log ? GatewayLog.jsonLines(System.err, clock) : GatewayLog.NONE;
    Gateway gateway;
    String where;
    String theBucket;
    String prefix;
    if (aws) {
      if (bucketDir != null || stateDir != null || dnsOptions.fixture != null || !dnsOptions.servers.isEmpty()) {
        throw new CommandLine.ParameterException(cl, "--bucket-dir, --state-dir, --dns and --dns-fixture are for"
            + " local sweeps; with --aws the MAILGATE_* environment gives the settings (MAILGATE_DNS_SERVERS)");
      }
      GatewayRuntime rt;
      try {
        rt = GatewayRuntime.fromEnvironment(awsEnvironment(), clock, gatewayLog);
      } catch (IllegalStateException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage());
      }
      if (rt.bucket() == null) {
        throw new CommandLine.ParameterException(cl, "--aws: no bucket: set MAILGATE_BUCKET or give --bucket");
      }
      gateway = rt.gateway();
      theBucket = rt.bucket();
      prefix = rt.objectPrefix();
      where = "bucket s3://" + theBucket + "/" + prefix;
    } else {
      if (bucketDir == null || config == null) {
        throw new CommandLine.ParameterException(cl, "a local sweep needs --bucket-dir and --config (or use --aws)");
      }
      if (!Files.isDirectory(bucketDir)) {
        throw new CommandLine.ParameterException(cl, "--bucket-dir: not a folder: " + bucketDir);
      }
      PolicyConfig pc = readConfig(cl);
      DnsResolver dns = dnsOptions.resolver(cl);
      DeadlineResolver deadlines = new DeadlineResolver(dns, clock);
      gateway = Gateway.builder()
          .policy(Policy.of(pc))
          .authenticator(new Authenticator(deadlines, clock), deadlines)
          .store(stateDir == null ? LocalFolderStore.of(bucketDir) : LocalFolderStore.withOverlay(bucketDir, stateDir))
          .sender(OutboxSender.toFolder(outbox))
          .clock(clock)
          .log(gatewayLog)
          .relayPassword(System.getenv(Config.RELAY_PASSWORD))
          // As mailgate invoke: records next to the state (or in the bucket folder without a state folder).
          .records(new dev.mailgate.report.LocalRecordSink(stateDir == null ? bucketDir : stateDir,
              dev.mailgate.report.RecordSink.DEFAULT_PREFIX))
          .build();
      theBucket = bucket == null ? "mailgate-local" : bucket;
      prefix = objectPrefix == null ? "" : objectPrefix;
      where = "bucket folder " + bucketDir + (stateDir == null ? "" : " (state in " + stateDir + ")")
          + (prefix.isEmpty() ? "" : ", prefix " + prefix);
    }
    Sweep.Options options;
    try {
      options = new Sweep.Options(theBucket, prefix, Duration.ofMinutes(graceMinutes), Duration.ofHours(maxAgeHours),
          limit, maxExamined, Duration.ofSeconds(Math.min(60, timeoutSeconds)), dryRun,
          Duration.ofMinutes(unprocessedGraceMinutes));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--grace-minutes, --max-age-hours, --limit, --max-examined: "
          + e.getMessage());
    }
    PrintWriter out = cl.getOut();
    PrintWriter err = cl.getErr();
    Instant now = clock.instant();
    Instant deadline = now.plusSeconds(timeoutSeconds);
    Sweep sweep = new Sweep(gateway, clock);
    boolean attention = false;
    for (Map.Entry<String, Sweep.Resolution> e : resolutions.entrySet()) {
      String id = e.getKey();
      try {
        MessageRef ref = new MessageRef(theBucket, prefix + id, id);
        List<String> changed = sweep.resolve(ref, e.getValue(), deadline);
        err.println("mailgate sweep: " + id + ": resolved as " + e.getValue().name().toLowerCase(Locale.ROOT)
            + (changed.isEmpty() ? "" : " (" + String.join(", ", changed) + ")"));
        if (e.getValue() == Sweep.Resolution.RESEND) {
          // Now, not by the sweep below: the message may be older than its window (--max-age-hours).
          // The same bound per message as the sweep's own re-drives (Sweep.Options.perMessage).
          Instant end = Instant.now(clock).plusSeconds(Math.min(60, timeoutSeconds));
          Instant until = end.isBefore(deadline) ? end : deadline;
          Outcome o = sweep.redrive(ref, until, new Invocation(false, null, null, until, "sweep"));
          err.println("mailgate sweep: " + id + ": sent again: " + o.state().word()
              + (o.detail() == null || o.detail().isEmpty() ? "" : " (" + o.detail() + ")"));
          attention |= !o.state().terminal() || o.state() == ObjectState.IN_DOUBT || o.state() == ObjectState.FAILED;
        }
      } catch (StoreException ex) {
        err.println("mailgate sweep: --resolve " + id + ": " + ex.getMessage());
        attention = true;
      }
    }
    Sweep.Report r;
    try {
      r = sweep.run(options, deadline, new Invocation(false, null, null, deadline, "sweep"));
    } catch (StoreException e) {
      err.println("mailgate sweep: cannot list the " + where + ": " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    }
    gatewayLog.sweep(r);
    if (json) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("where", where);
      m.putAll(SweepJson.toMap(r));
      out.println(OutcomeJson.toJson(m));
    } else {
      printHuman(r, where, options, out);
    }
    attention |= r.inDoubt() > 0 || r.stillPending() > 0 || r.count(Sweep.Kind.UNREADABLE) > 0 || !r.complete()
        || r.count(Sweep.Kind.LEFT_FOR_NEXT_RUN) > 0;
    return attention ? ExitCodes.INPUT_ERROR : ExitCodes.OK;
  }

  private Map<String, Sweep.Resolution> resolutions(CommandLine cl) {
    Map<String, Sweep.Resolution> out = new java.util.LinkedHashMap<>();
    for (String r : resolve) {
      int eq = r.lastIndexOf('=');
      String word = eq < 0 ? "" : r.substring(eq + 1);
      if (eq <= 0 || !(word.equals("sent") || word.equals("resend"))) {
        throw new CommandLine.ParameterException(cl, "--resolve: expected MESSAGE-ID=sent or MESSAGE-ID=resend, not '"
            + r + "'");
      }
      out.put(r.substring(0, eq), word.equals("sent") ? Sweep.Resolution.SENT : Sweep.Resolution.RESEND);
    }
    return out;
  }

  /** The process environment with the options that stand in for some of its variables. */
  private Map<String, String> awsEnvironment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (bucket != null) {
      env.put(Config.BUCKET, bucket);
    }
    if (objectPrefix != null) {
      env.put(Config.OBJECT_PREFIX, objectPrefix);
    }
    if (config != null) {
      env.remove(Config.CONFIG);
      env.remove(Config.CONFIG_S3);
      env.put(Config.CONFIG_FILE, config.toString());
    }
    return env;
  }

  private PolicyConfig readConfig(CommandLine cl) {
    try {
      return PolicyConfigParser.parse(Files.readAllBytes(config), config.toString());
    } catch (NoSuchFileException e) {
      throw new CommandLine.ParameterException(cl, "--config: no such file: " + config);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(cl, "--config: cannot read " + config + ": " + e);
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
  }

  private static void printHuman(Sweep.Report r, String where, Sweep.Options o, PrintWriter out) {
    out.println("sweep of the " + where + (o.dryRun() ? " (dry run: nothing written or sent)" : ""));
    out.println("  listed " + r.listed() + ": " + r.ignored() + " not messages, " + r.tooRecent()
        + " stored less than " + o.grace().toMinutes() + " min ago, " + r.tooOld() + " more than "
        + o.maxAge().toHours() + " h ago, " + r.finished() + " finished");
    for (Sweep.Item i : r.items()) {
      String before = i.before() == null ? "never processed" : i.before().word();
      String head = "  " + i.messageId() + " (" + before + ", stored " + i.object().lastModified() + "): ";
      switch (i.kind()) {
        case REDRIVEN:
          out.println(head + "re-driven: " + i.outcome().state().word()
              + (i.outcome().detail().isEmpty() ? "" : " (" + i.outcome().detail() + ")"));
          break;
        case WOULD_REDRIVE:
          out.println(head + "would be re-driven");
          break;
        case LEFT_FOR_NEXT_RUN:
          out.println(head + "left for the next run (--limit reached)");
          break;
        case IN_DOUBT:
          out.println(head + "IN DOUBT: not re-sent");
          break;
        case FAILED:
          out.println(head + "failed for good: " + String.join("; ", i.details()));
          break;
        default:
          out.println(head + "unreadable: " + String.join("; ", i.details()));
          break;
      }
      boolean doubt = i.kind() == Sweep.Kind.IN_DOUBT
          || (i.outcome() != null && i.outcome().state() == dev.mailgate.gateway.ObjectState.IN_DOUBT);
      if (doubt) {
        for (String d : i.details()) {
          out.println("      " + d);
        }
        out.println("      check whether it arrived, then: mailgate sweep ... --resolve " + i.messageId()
            + "=sent (it did) or --resolve " + i.messageId() + "=resend (it did not)");
      }
    }
    out.println("summary: " + r.count(Sweep.Kind.REDRIVEN) + " re-driven (" + r.stillPending() + " still not finished), "
        + r.inDoubt() + " in doubt, " + r.count(Sweep.Kind.FAILED) + " failed, "
        + (r.count(Sweep.Kind.WOULD_REDRIVE) > 0 ? r.count(Sweep.Kind.WOULD_REDRIVE) + " would be re-driven, " : "")
        + (r.count(Sweep.Kind.LEFT_FOR_NEXT_RUN) + r.notExamined()) + " left for the next run; "
        + (r.complete() ? "complete" : "stopped: " + r.stoppedBy()));
  }
}
