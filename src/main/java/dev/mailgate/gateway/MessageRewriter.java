package dev.mailgate.gateway;

import dev.mailgate.authres.AuthResults;
import dev.mailgate.authres.AuthResultsParser;
import dev.mailgate.message.AddressList;
import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the bytes that leave the gateway from the bytes that arrived: header fields are added, renamed
 * or removed as whole fields, everything else (other fields with their folding, the body) is copied byte
 * for byte. Nothing goes through a MIME parser. Stateless and thread-safe.
 *
 * <p>Every message gets, on top: X-Mailgate-Loop (our deployment, to recognise our own mail coming
 * back), our Authentication-Results, and when tagged X-Mailgate-Verdict. Arriving Authentication-Results
 * fields that claim our authserv-id are renamed to {@value #UNTRUSTED_AR} first (RFC 8601 section 5:
 * "delete or otherwise obscure"); renaming keeps what the sender wrote for whoever investigates.
 *
 * <p>A forward is a new message sent by us through SES, so in addition (docs/GATEWAY.md, "Forwarding"):
 * From becomes our verified identity with the author's name ("Alice via example.org", RFC 2047 encoded
 * when not ASCII); the author goes to Reply-To unless the message has one, and to X-Original-From; the
 * original recipients to X-Original-To. Fields SES refuses or replaces are dealt with: Return-Path and
 * Delivered-To removed (SES sets its own; a stale Delivered-To makes receivers think they see a loop),
 * Sender and Message-ID renamed to X-Original-Sender / X-Original-Message-ID (SES requires a verified
 * Sender and writes its own Message-ID), DKIM-Signature and DomainKey-Signature removed (the From rewrite
 * breaks them, and SES accepts at most one DKIM-Signature), SES's sending control fields (X-SES-
 * CONFIGURATION-SET and the like) removed so a sender cannot steer our SES account, and a repeated field
 * that SES allows only once keeps its first occurrence only.
 */
public final class MessageRewriter {
  public static final String UNTRUSTED_AR = "X-Mailgate-Untrusted-Authentication-Results";
  public static final String LOOP = "X-Mailgate-Loop";
  public static final String VERDICT = "X-Mailgate-Verdict";

  /** Amazon SES header fields: "The following fields can't appear more than once in the header section". */
  static final Set<String> SES_ONCE = lower(
      "Accept-Language", "acceptLanguage", "Archived-At", "Auto-Submitted", "Bounces-to", "Comments",
      "Content-Alternative", "Content-Base", "Content-Class", "Content-Description", "Content-Disposition",
      "Content-Duration", "Content-ID", "Content-Language", "Content-Length", "Content-Location", "Content-MD5",
      "Content-Transfer-Encoding", "Content-Type", "Date", "Delivered-To", "Disposition-Notification-Options",
      "Disposition-Notification-To", "DKIM-Signature", "DomainKey-Signature", "Errors-To", "From", "Importance",
      "In-Reply-To", "Keywords", "List-Archive", "List-Help", "List-Id", "List-Owner", "List-Post",
      "List-Subscribe", "List-Unsubscribe", "List-Unsubscribe-Post", "Message-Context", "Message-ID",
      "MIME-Version", "Organization", "Original-From", "Original-Message-ID", "Original-Recipient",
      "Original-Subject", "Precedence", "Priority", "References", "Reply-To", "Return-Path", "Return-Receipt-To",
      "Sender", "Solicitation", "Sensitivity", "Subject", "Thread-Index", "Thread-Topic", "User-Agent",
      "VBR-Info");

  /** SES sending-control fields: honoured by SES when present in a raw message we send. */
  static final Set<String> SES_CONTROL = lower(
      "X-SES-CONFIGURATION-SET", "X-SES-MESSAGE-TAGS", "X-SES-SOURCE-ARN", "X-SES-FROM-ARN",
      "X-SES-RETURN-PATH-ARN", "X-SES-LIST-MANAGEMENT-OPTIONS");

  private MessageRewriter() {}

  /**
   * What the gateway adds to every message it sends on.
   *
   * @param authservId our authserv-id; arriving A-R fields claiming it are obscured
   * @param authenticationResults our complete Authentication-Results field (no final CRLF)
   * @param verdict the complete X-Mailgate-Verdict field, or null when not tagged
   * @param subjectPrefix text to put before the Subject ("" for none)
   * @param deployment our deployment name for X-Mailgate-Loop
   */
  public record Additions(String authservId, String authenticationResults, String verdict, String subjectPrefix,
      String deployment) {}

  /**
   * How a forward's author fields are rewritten.
   *
   * @param from our verified identity
   * @param fromName the display name template ({name}, {address}, {domain})
   * @param replyTo whether to add Reply-To with the author when there is none
   * @param originalRecipients the recipients the message was sent to (X-Original-To)
   */
  public record ForwardRewrite(String from, String fromName, boolean replyTo, List<String> originalRecipients) {
    public ForwardRewrite {
      originalRecipients = List.copyOf(originalRecipients);
    }
  }

  /** The message for an SMTP relay: the original with our fields added. */
  public static byte[] forRelay(RawMessage raw, Additions add) {
    Out out = new Out(raw.size() + 2048);
    prepend(out, add);
    for (HeaderField f : raw.headers()) {
      if (isOurAuthResults(f, add.authservId())) {
        out.field(rename(f, UNTRUSTED_AR));
      } else if (f.is("Subject") && !add.subjectPrefix().isEmpty()) {
        out.field(prefixedSubject(f, add.subjectPrefix()));
      } else {
        out.field(f.raw());
      }
    }
    if (!add.subjectPrefix().isEmpty() && raw.header("Subject").isEmpty()) {
      out.ascii("Subject: " + EncodedWords.text(add.subjectPrefix().strip()));
    }
    return out.body(raw);
  }

  /** The message for a forward through SES: see the class comment. */
  public static byte[] forForward(RawMessage raw, Additions add, ForwardRewrite fw) {
    Out out = new Out(raw.size() + 4096);
    prepend(out, add);
    Optional<HeaderField> from = raw.header("From");
    String originalFrom = from.map(HeaderField::value).map(String::strip).orElse(null);
    if (originalFrom != null) {
      out.field("X-Original-From: " + originalFrom);
    }
    if (!fw.originalRecipients().isEmpty()) {
      out.ascii(fold("X-Original-To: ", fw.originalRecipients()));
    }
    boolean hasReplyTo = raw.header("Reply-To").isPresent();
    Set<String> seen = new HashSet<>();
    boolean fromWritten = false;
    for (HeaderField f : raw.headers()) {
      String name = f.name().toLowerCase(Locale.ROOT);
      if (isOurAuthResults(f, add.authservId())) {
        out.field(rename(f, UNTRUSTED_AR));
        continue;
      }
      switch (name) {
        case "from":
          if (!fromWritten) {
            out.ascii("From: " + newFrom(from.get(), fw));
            if (fw.replyTo() && !hasReplyTo) {
              out.field("Reply-To: " + originalFrom);
            }
            fromWritten = true;
          }
          continue;
        case "return-path":
        case "delivered-to":
        case "dkim-signature":
        case "domainkey-signature":
          continue;
        case "sender":
          out.field(rename(f, "X-Original-Sender"));
          continue;
        case "message-id":
          out.field(rename(f, "X-Original-Message-ID"));
          continue;
        default:
          break;
      }
      if (SES_CONTROL.contains(name)) {
        continue;
      }
      if (SES_ONCE.contains(name) && !seen.add(name)) {
        continue; // SES refuses a message with this field twice: the topmost one stays
      }
      if (name.equals("subject") && !add.subjectPrefix().isEmpty()) {
        out.field(prefixedSubject(f, add.subjectPrefix()));
      } else {
        out.field(f.raw());
      }
    }
    if (!fromWritten) {
      out.ascii("From: " + EncodedWords.phrase(displayName(null, null, fw)) + " <" + fw.from() + ">");
    }
    if (!add.subjectPrefix().isEmpty() && raw.header("Subject").isEmpty()) {
      out.ascii("Subject: " + EncodedWords.text(add.subjectPrefix().strip()));
    }
    return out.body(raw);
  }

  /** Whether an arriving Authentication-Results field claims our authserv-id (compared case-insensitively). */
  static boolean isOurAuthResults(HeaderField f, String authservId) {
    if (!f.is("Authentication-Results")) {
      return false;
    }
    Optional<AuthResults> parsed = AuthResultsParser.parse(f.text());
    String id = parsed.map(AuthResults::authservId).orElseGet(() -> {
      // Unparseable: judge by the first token, so a malformed field cannot slip past as "not ours".
      String v = f.text();
      int semi = v.indexOf(';');
      return (semi < 0 ? v : v.substring(0, semi)).strip();
    });
    return id.equalsIgnoreCase(authservId);
  }

  private static void prepend(Out out, Additions add) {
    out.ascii(LOOP + ": " + add.deployment());
    out.utf8(add.authenticationResults());
    if (add.verdict() != null) {
      out.utf8(add.verdict());
    }
  }

  private static String rename(HeaderField f, String newName) {
    return newName + ":" + f.value();
  }

  /** Subject with the prefix before the value, unless it already starts with it (a message tagged twice). */
  static String prefixedSubject(HeaderField f, String prefix) {
    if (f.text().startsWith(prefix.strip())) {
      return f.raw();
    }
    String value = f.value();
    int i = 0;
    while (i < value.length() && " \t\r\n".indexOf(value.charAt(i)) >= 0) {
      i++;
    }
    String p = EncodedWords.isPrintableAscii(prefix) ? prefix : EncodedWords.text(prefix.strip()) + " ";
    return f.name() + ": " + p + value.substring(i);
  }

  private static String newFrom(HeaderField original, ForwardRewrite fw) {
    AddressList list = AddressList.parse(original.text());
    String name = null;
    String address = null;
    if (!list.mailboxes().isEmpty()) {
      AddressList.Mailbox m = list.mailboxes().get(0);
      name = m.displayName() == null ? null : EncodedWords.decode(m.displayName()).strip();
      address = m.address().toString();
    }
    return EncodedWords.phrase(displayName(name, address, fw)) + " <" + fw.from() + ">";
  }

  /** Fills the template: {name} is the display name, or the address when there is none. */
  static String displayName(String name, String address, ForwardRewrite fw) {
    String ourDomain = fw.from().substring(fw.from().lastIndexOf('@') + 1);
    String who = name != null && !name.isEmpty() ? name : address != null ? address : "unknown sender";
    String s = fw.fromName().replace("{name}", who).replace("{address}", address == null ? "" : address)
        .replace("{domain}", ourDomain);
    // A display name is one line: control characters from a hostile name go.
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return sb.toString().strip();
  }

  /** {@code Name: a, b, c} folded before an address that would pass 78 characters. */
  static String fold(String start, List<String> items) {
    StringBuilder sb = new StringBuilder(start);
    int lineStart = 0;
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i) + (i + 1 < items.size() ? "," : "");
      if (i > 0 && sb.length() - lineStart + item.length() + 1 > 78) {
        sb.append("\r\n ");
        lineStart = sb.length() - 1;
      } else if (i > 0) {
        sb.append(' ');
      }
      sb.append(item);
    }
    return sb.toString();
  }

  private static Set<String> lower(String... names) {
    Set<String> s = new HashSet<>();
    for (String n : names) {
      s.add(n.toLowerCase(Locale.ROOT));
    }
    return Set.copyOf(s);
  }

  /** The output: header fields then the original body. */
  private static final class Out {
    private final ByteArrayOutputStream buf;

    Out(int size) {
      buf = new ByteArrayOutputStream(size);
    }

    /** A field as received (one char per byte) or built from received text. */
    void field(String raw) {
      byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
      buf.write(b, 0, b.length);
      crlf();
    }

    /** A field we wrote in ASCII. */
    void ascii(String s) {
      field(s);
    }

    /** A field we wrote that may carry UTF-8 (RFC 6532), such as a reason in a comment. */
    void utf8(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      buf.write(b, 0, b.length);
      crlf();
    }

    private void crlf() {
      buf.write('\r');
      buf.write('\n');
    }

    byte[] body(RawMessage raw) {
      crlf(); // the empty line between header and body, written even when the original lacked one
      buf.write(raw.bytes(), raw.bodyOffset(), raw.bodyLength());
      return buf.toByteArray();
    }
  }
}
