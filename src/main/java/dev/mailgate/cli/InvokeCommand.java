package dev.mailgate.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.authres.Authenticator;
import dev.mailgate.aws.GatewayRuntime;
import dev.mailgate.aws.HandlerResult;
import dev.mailgate.aws.LocalContext;
import dev.mailgate.aws.S3ObjectHandler;
import dev.mailgate.aws.SesReceiptHandler;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.gateway.ActionResult;
import dev.mailgate.gateway.DeadlineResolver;
import dev.mailgate.gateway.Gateway;
import dev.mailgate.gateway.GatewayLog;
import dev.mailgate.gateway.LocalFolderStore;
import dev.mailgate.gateway.OutboxSender;
import dev.mailgate.gateway.Outcome;
import dev.mailgate.gateway.OutcomeJson;
import dev.mailgate.message.Envelope;
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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mailgate invoke}: runs the Lambda handlers' code on a local folder standing in for the bucket,
 * with an outbox folder instead of SES and SMTP (docs/GATEWAY.md, "Local runs").
 */
@Command(
    name = "invoke",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the gateway's Lambda handler on events (SES receipt rule or S3 ObjectCreated, as JSON files),",
      "offline: a folder stands in for the S3 bucket, and what would be sent through SES or SMTP is",
      "written to an outbox folder as .eml files. Prints the verdict and the actions taken.",
      "",
      "The bucket folder is only read: state (object tags, delivery markers, quarantine copies) goes to",
      "--state-dir, a fresh temporary folder by default, so every run starts from the same state. Give",
      "--state-dir to keep it between runs (a second run of an event then delivers nothing again)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every event was handled and no invocation would have failed",
      "1:some event could not be read, was malformed, or its invocation would fail (Lambda would retry)",
      "2:usage error (unknown option, bad configuration file)",
      "70:internal error"
    })
final class InvokeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", required = true,
      description = "The gateway configuration (JSON, docs/CONFIG.md).")
  Path config;

  @Option(names = "--bucket-dir", paramLabel = "DIR", defaultValue = "events/bucket",
      description = "Folder standing in for the bucket: object KEY is DIR/KEY (default: ${DEFAULT-VALUE}).")
  Path bucketDir;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where tags, delivery markers and quarantine copies are written (default: a temporary"
          + " folder, removed afterwards). The bucket folder itself to write there.")
  Path stateDir;

  @Option(names = "--outbox", paramLabel = "DIR", defaultValue = "target/outbox",
      description = "Where forwards, relays and bounces are written as .eml (default: ${DEFAULT-VALUE}).")
  Path outbox;

  @Option(names = "--bucket", paramLabel = "NAME", defaultValue = "mailgate-local",
      description = "The bucket name SES events refer to, as MAILGATE_BUCKET (default: ${DEFAULT-VALUE}).")
  String bucket;

  @Option(names = "--object-prefix", paramLabel = "PREFIX", defaultValue = "",
      description = "The S3 action's object key prefix, as MAILGATE_OBJECT_PREFIX (default: none).")
  String objectPrefix;

  @CommandLine.Mixin DnsOptions dnsOptions = new DnsOptions();



  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "The invocation's time limit, as Lambda's timeout (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--now", paramLabel = "EPOCH-SECONDS",
      description = "Run as of this time (signature expiry), e.g. when a stored message arrived.")
  Long now;

  @Option(names = "--json", description = "Print one JSON object per event, on its own line.")
  boolean json;

  @Option(names = "--log", description = "Also write the gateway's JSON log lines (as in CloudWatch) to stderr.")
  boolean log;

  @Parameters(paramLabel = "EVENT.json", arity = "1..*", description = "Events to run, in order.")
  List<Path> events;

  @Override
  public Integer call() throws IOException {
    if (timeoutSeconds < 1 || timeoutSeconds > 900) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--timeout: must be between 1 and 900 seconds");
    }
    if (!Files.isDirectory(bucketDir)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--bucket-dir: not a folder: " + bucketDir);
    }
    PolicyConfig pc = readConfig();
    DnsResolver dns = dnsOptions.resolver(spec.commandLine());
    Clock clock = now == null ? Clock.systemUTC() : Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC);
    Path state = stateDir;
    boolean temporary = state == null;
    if (temporary) {
      state = Files.createTempDirectory("mailgate-invoke-");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      DeadlineResolver deadlines = new DeadlineResolver(dns, clock);
      GatewayLog gatewayLog = log ? GatewayLog.jsonLines(System.err, clock) : GatewayLog.NONE;
      Gateway gateway = Gateway.builder()
          .policy(Policy.of(pc))
          .authenticator(new Authenticator(deadlines, clock), deadlines)
          .store(LocalFolderStore.withOverlay(bucketDir, state))
          .sender(OutboxSender.toFolder(outbox))
          .clock(clock)
          .log(gatewayLog)
          .relayPassword(System.getenv(dev.mailgate.aws.Config.RELAY_PASSWORD))
          .records(new dev.mailgate.report.LocalRecordSink(state, dev.mailgate.report.RecordSink.DEFAULT_PREFIX))
          .build();
      GatewayRuntime rt = new GatewayRuntime(gateway, bucket, objectPrefix, Duration.ofSeconds(25),
          Duration.ofMillis(1500), clock, gatewayLog);
      SesReceiptHandler ses = new SesReceiptHandler(rt);
      S3ObjectHandler s3 = new S3ObjectHandler(rt);
      int failures = 0;
      for (Path file : events) {
        failures += runOne(file, ses, s3, out, err) ? 0 : 1;
        out.flush();
      }
      return failures == 0 ? ExitCodes.OK : ExitCodes.INPUT_ERROR;
    } finally {
      if (temporary) {
        deleteTree(state);
      }
    }
  }

  private PolicyConfig readConfig() {
    try {
      return PolicyConfigParser.parse(Files.readAllBytes(config), config.toString());
    } catch (NoSuchFileException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--config: no such file: " + config);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--config: cannot read " + config + ": " + e);
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Runs one event file; false when it could not be run or its invocation would fail. */
  private boolean runOne(Path file, SesReceiptHandler ses, S3ObjectHandler s3, PrintWriter out, PrintWriter err) {
    Map<String, Object> event;
    try {
      event = JSON.std.mapFrom(Files.readAllBytes(file));
    } catch (IOException | RuntimeException e) {
      err.println("mailgate invoke: " + file + ": cannot read the event: " + e.getMessage());
      if (json) {
        out.println(OutcomeJson.toJson(Map.of("file", file.toString(), "error", "cannot read the event: "
            + e.getMessage())));
      }
      return false;
    }
    String trigger = trigger(event);
    LocalContext ctx = new LocalContext(timeoutSeconds * 1000, System.err);
    HandlerResult r = trigger.equals("s3") ? s3.handle(event, ctx) : ses.handle(event, ctx);
    if (json) {
      out.println(OutcomeJson.toJson(jsonOf(file, trigger, r)));
    } else {
      printHuman(file, trigger, r, out);
    }
    for (String note : r.notes()) {
      if (note.startsWith("malformed")) {
        err.println("mailgate invoke: " + file + ": " + note);
        return false;
      }
    }
    return r.failure() == null;
  }

  /** "s3" for an S3 event, "ses" for anything else (the SES handler reports what it cannot read). */
  @SuppressWarnings("unchecked")
  static String trigger(Map<String, Object> event) {
    try {
      Map<String, Object> first = (Map<String, Object>) ((List<Object>) event.get("Records")).get(0);
      return "aws:s3".equals(first.get("eventSource")) ? "s3" : "ses";
    } catch (RuntimeException e) {
      return "ses";
    }
  }

  private static Map<String, Object> jsonOf(Path file, String trigger, HandlerResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", file.toString());
    m.put("trigger", trigger);
    if (trigger.equals("ses")) {
      m.put("synchronous", r.synchronous());
      m.put("disposition", r.disposition().name());
    }
    List<Object> outcomes = new ArrayList<>();
    for (Outcome o : r.outcomes()) {
      outcomes.add(OutcomeJson.toMap(o));
    }
    m.put("outcomes", outcomes);
    if (!r.notes().isEmpty()) {
      m.put("notes", r.notes());
    }
    if (r.failure() != null) {
      m.put("invocationFails", r.failure());
    }
    return m;
  }

  private static void printHuman(Path file, String trigger, HandlerResult r, PrintWriter out) {
    out.println(file + ": " + (trigger.equals("s3") ? "S3 event" : "SES event, "
        + (r.synchronous() ? "synchronous (RequestResponse)" : "asynchronous (Event)")));
    for (String note : r.notes()) {
      out.println("  note: " + note);
    }
    for (Outcome o : r.outcomes()) {
      out.println("  message " + o.ref().messageId() + " (key " + o.ref().key() + ")");
      Envelope e = o.envelope();
      if (e != null) {
        out.println("    envelope: MAIL FROM <" + (e.mailFrom() == null ? "?" : e.mailFrom()) + ">, RCPT TO "
            + String.join(", ", e.rcptTo())
            + (e.clientIp() == null ? "" : ", client " + e.clientIp().getHostAddress())
            + (e.helo() == null ? "" : " (HELO " + e.helo() + ")"));
      }
      if (o.auth() != null) {
        out.println("    auth:     " + o.auth().words() + ", dmarc disposition " + o.auth().dmarcDisposition().word()
            + " (from " + o.auth().sources() + ")");
      }
      if (o.ses() != null) {
        out.println("    ses:      spam " + o.ses().spam().word() + ", virus " + o.ses().virus().word());
      }
      if (o.verdict() != null) {
        out.println("    verdict:  " + o.verdict().action().word() + " (rule " + o.verdict().rule() + "): "
            + o.verdict().reason());
      }
      for (ActionResult a : o.actions()) {
        out.println("    " + a.action() + ": " + String.join(", ", a.recipients())
            + (a.targets().isEmpty() ? "" : " -> " + String.join(", ", a.targets())) + ": " + a.status().word()
            + (a.detail() == null || a.detail().isEmpty() ? "" : " (" + a.detail() + ")"));
      }
      out.println("    state:    " + o.state().word() + (o.detail().isEmpty() ? "" : " (" + o.detail() + ")"));
    }
    if (trigger.equals("ses")) {
      out.println("  SES disposition: " + r.disposition().name());
    }
    if (r.failure() != null) {
      out.println("  invocation fails (Lambda would retry): " + r.failure());
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder: the OS cleans it up
    }
  }
}
