package dev.mailgate.cli;

import dev.mailgate.authres.AuthReport;
import dev.mailgate.authres.AuthResultsHeader;
import dev.mailgate.authres.Authenticator;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.InetAddresses;
import dev.mailgate.message.Envelope;
import dev.mailgate.message.RawMessage;
import dev.mailgate.message.SesEnvelope;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mailgate verify}: authenticates stored messages and prints the Authentication-Results header
 * mailgate would add, or one JSON object per message. The contract is in docs/CLI.md and DESIGN.md.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Verifies messages (SPF now; DKIM, DMARC and ARC as they are built) and prints the",
      "Authentication-Results header mailgate would add, or JSON with --json.",
      "",
      "Without envelope options the envelope is read from the message as Amazon SES stores it (its",
      "Received and Authentication-Results headers, Return-Path); each option given replaces that part."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every file was verified (whatever the verdicts)",
      "1:some file could not be read or is not a mail message (the others were verified)",
      "2:usage error (unknown option, malformed option value)",
      "70:internal error"
    })
final class VerifyCommand implements Callable<Integer> {
  /** Larger than SES's 40 MB limit for received mail, with room for our own headers. */
  static final long MAX_MESSAGE_BYTES = 50L * 1024 * 1024;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object per file, on its own line.")
  boolean json;

  @CommandLine.Mixin DnsOptions dnsOptions = new DnsOptions();



  @Option(names = "--now", paramLabel = "EPOCH-SECONDS",
      description = "Verify as of this time (signature expiry), e.g. when a stored message arrived.")
  Long now;

  @Option(names = "--authserv-id", paramLabel = "ID", defaultValue = "mailgate",
      description = "The authserv-id of the header (default: ${DEFAULT-VALUE}).")
  String authservId;

  @Option(names = "--client-ip", paramLabel = "IP", description = "SMTP client IP address (IPv4 or IPv6).")
  String clientIp;

  @Option(names = "--helo", paramLabel = "NAME", description = "HELO/EHLO name the client gave.")
  String helo;

  @Option(names = "--mail-from", paramLabel = "ADDR",
      description = "MAIL FROM address; '' or '<>' is the null reverse-path (SPF then checks the HELO).")
  String mailFrom;

  @Parameters(paramLabel = "FILE.eml", arity = "1..*",
      description = "Messages to verify; a directory stands for every file in it.")
  List<Path> files;

  @Override
  public Integer call() {
    InetAddress ip = null;
    if (clientIp != null) {
      ip = InetAddresses.tryParse(clientIp).orElseThrow(() -> new CommandLine.ParameterException(
          spec.commandLine(), "--client-ip: not an IPv4 or IPv6 address: '" + clientIp + "'"));
    }
    DnsResolver dns = dnsOptions.resolver(spec.commandLine());
    Clock clock = now == null ? Clock.systemUTC() : Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC);
    Authenticator authenticator = new Authenticator(dns, clock);
    String normalizedMailFrom = mailFrom == null ? null : normalizeMailFrom(mailFrom);

    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> inputs = expand(files, err);
    int failures = inputs.size() < files.size() ? 1 : 0;
    for (Path file : inputs) {
      String name = file.toString();
      RawMessage message;
      try {
        message = read(file);
      } catch (InputException e) {
        failures++;
        err.println("mailgate verify: " + name + ": " + e.getMessage());
        if (json) {
          out.println(JsonOutput.error(name, e.getMessage()));
        }
        continue;
      }
      SesEnvelope stored = SesEnvelope.read(message);
      Envelope envelope = EnvelopeOptions.merge(stored.envelope(), ip, helo, normalizedMailFrom);
      AuthReport report = authenticator.authenticate(envelope, message);
      String header = AuthResultsHeader.format(authservId, report);
      if (json) {
        out.println(JsonOutput.report(name, report, stored.notes(), header));
      } else {
        if (inputs.size() > 1) {
          out.println("==> " + name + " <==");
        }
        out.println(header.replace("\r\n", System.lineSeparator()));
      }
      out.flush();
    }
    return failures == 0 ? ExitCodes.OK : ExitCodes.INPUT_ERROR;
  }

  /** {@code <>} and the empty string are the null reverse-path; angle brackets around an address go. */
  static String normalizeMailFrom(String value) {
    String v = value.strip();
    if (v.startsWith("<") && v.endsWith(">")) {
      v = v.substring(1, v.length() - 1).strip();
    }
    return v;
  }

  private static List<Path> expand(List<Path> given, PrintWriter err) {
    List<Path> out = new ArrayList<>();
    for (Path p : given) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(Files::isRegularFile).sorted().forEach(out::add);
        } catch (IOException | RuntimeException e) {
          err.println("mailgate verify: " + p + ": cannot list directory: " + e.getMessage());
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }

  static RawMessage read(Path file) throws InputException {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_MESSAGE_BYTES) {
        throw new InputException("message too large (" + size + " bytes; the limit is " + MAX_MESSAGE_BYTES + ")");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InputException("no such file");
    } catch (IOException e) {
      throw new InputException("cannot read: " + e.getMessage());
    }
    if (bytes.length == 0) {
      throw new InputException("empty file, not a mail message");
    }
    RawMessage message = RawMessage.parse(bytes);
    if (message.headers().isEmpty()) {
      throw new InputException("not a mail message: no header fields at the start of the file");
    }
    if (looksBinary(bytes, message.bodyOffset())) {
      throw new InputException("not a mail message: the header section contains binary data");
    }
    return message;
  }

  /** NUL bytes have no place in a header section (RFC 5322 section 2.2); a binary file has them early. */
  private static boolean looksBinary(byte[] b, int headerEnd) {
    for (int i = 0; i < headerEnd; i++) {
      if (b[i] == 0) {
        return true;
      }
    }
    return false;
  }

  static final class InputException extends Exception {
    InputException(String message) {
      super(message, null, false, false);
    }
  }
}
