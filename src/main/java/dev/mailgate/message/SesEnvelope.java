package dev.mailgate.message;

import dev.mailgate.dns.InetAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMTP envelope of a message as Amazon SES stored it in S3, read from the trace fields SES put on top,
 * plus notes saying where each value came from or why it is missing. Immutable and thread-safe.
 *
 * <p>What SES writes (seen in stored messages and SES notifications), top down:
 *
 * <pre>
 * Return-Path: &lt;sender@example.com&gt;
 * Received: from HELO (RDNS [IP])
 *  by inbound-smtp.us-east-1.amazonaws.com with SMTP id ID
 *  for rcpt@example.org;
 *  Mon, 02 Oct 2023 10:11:12 +0000 (UTC)
 * X-SES-Spam-Verdict: PASS
 * X-SES-Virus-Verdict: PASS
 * Received-SPF: pass (spfCheck: domain of example.com designates IP as permitted sender)
 *  client-ip=IP; envelope-from=sender@example.com; helo=HELO;
 * Authentication-Results: amazonses.com;
 *  spf=pass (spfCheck: ...) client-ip=IP; envelope-from=sender@example.com; helo=HELO;
 *  dkim=pass header.i=@example.com;
 *  dmarc=pass header.from=example.com;
 * X-SES-RECEIPT: ...
 * </pre>
 *
 * <p>Which fields are trusted (everything else in a message is written by its sender):
 *
 * <ul>
 *   <li>the topmost {@code Received} whose {@code by} host is an SES inbound endpoint
 *       (inbound-smtp.REGION.amazonaws.com, or .amazonses.com): SES adds it on top, so any other claiming
 *       SES lies below it. Without one nothing is read at all.
 *   <li>the topmost {@code Authentication-Results} with authserv-id {@code amazonses.com} below that
 *       Received, and the topmost {@code Received-SPF} between the two (SES writes it just before).
 *   <li>the topmost {@code Return-Path}, when it is above that Received (SES writes it first).
 * </ul>
 *
 * <p>Precedence: the client IP, HELO and MAIL FROM come from SES's Authentication-Results, then its
 * Received-SPF, then the Received header (client IP, HELO) or Return-Path (MAIL FROM). RCPT TO comes from the
 * Received header's {@code for} clause only (one recipient; SES omits it otherwise). SES echoes
 * sender-chosen text inside these fields (HELO, MAIL FROM, the domain in its SPF comment), so two guards
 * apply: a key such as {@code client-ip=} is read only when it occurs exactly once in the field, outside
 * comments and quoted strings; and the Received header is read only when it has exactly the form above with
 * a single SES host in it. When two SES sources both give a value and they disagree, the value is left
 * null (unknown) with a note: one of them was misread from text the sender chose, and an unknown client
 * IP is safer than one the sender picked.
 *
 * <p>Null sender: for {@code MAIL FROM:<>}, Return-Path is {@code <>} while SES's SPF check reports
 * {@code envelope-from=postmaster@HELO} (RFC 7208 section 2.4) or an empty value; both agree with the null
 * reverse-path, and {@code mailFrom} is then "".
 *
 * @param envelope what was found; null fields are unknown
 * @param notes one line per field saying where its value came from, or why it is missing or unknown
 */
public record SesEnvelope(Envelope envelope, List<String> notes) {

  public SesEnvelope {
    notes = List.copyOf(notes);
  }

  /** Received fields longer than this are not parsed: SES's is about 250 characters. */
  static final int MAX_RECEIVED = 2048;

  private static final String SES_HOST = "inbound-smtp\\.[a-z0-9-]{1,40}\\.amazon(?:aws|ses)\\.com";

  /** A {@code by} clause naming an SES inbound endpoint, anywhere in a Received field. */
  private static final Pattern BY_SES =
      Pattern.compile("(?:^|[\\s)])by\\s+(" + SES_HOST + ")(?![a-z0-9.-])", Pattern.CASE_INSENSITIVE);

  private static final Pattern SES_HOST_ANYWHERE = Pattern.compile(SES_HOST, Pattern.CASE_INSENSITIVE);

  /** The whole Received value as SES writes it; bounded quantifiers keep matching linear. */
  private static final Pattern SES_RECEIVED =
      Pattern.compile(
          "from\\s+(?<helo>[^\\s()]{1,255})\\s+"
              + "\\((?:(?<rdns>[^\\s()]{1,255})\\s+)?\\[(?<ip>[^\\s\\[\\]()]{1,80})\\]\\)\\s+"
              + "by\\s+" + SES_HOST + "\\s+"
              + "with\\s+[a-z0-9]{1,20}(?:\\s+id\\s+[^\\s;()]{1,100})?"
              + "(?:\\s+for\\s+(?<rcpt>\"(?:[^\"\\\\]|\\\\.){0,256}\"@[^\\s;\"<>()]{1,255}"
              + "|<[^<>;\\s]{1,512}>|[^\\s;\"<>()]{1,512}))?"
              + "\\s*;[^;]{0,200}",
          Pattern.CASE_INSENSITIVE);

  /** Reads the envelope from SES's trace fields; see the class comment for the rules. Never throws. */
  public static SesEnvelope read(RawMessage message) {
    return new Reader(message.headers()).read();
  }

  /** What one source said; null fields are absent. */
  private record Found(String source, InetAddress ip, String helo, String mailFrom) {}

  private static final class Reader {
    private final List<HeaderField> headers;
    private final List<String> notes = new ArrayList<>();

    Reader(List<HeaderField> headers) {
      this.headers = headers;
    }

    SesEnvelope read() {
      int received = topmostSesReceived();
      if (received < 0) {
        notes.add("no Received header by an SES inbound endpoint (inbound-smtp.<region>.amazonaws.com):"
            + " nothing in this message is known to come from SES");
        return new SesEnvelope(new Envelope(null, null, null, List.of()), notes);
      }
      if (received > 0) {
        int above = 0;
        for (int i = 0; i < received; i++) {
          above += headers.get(i).is("Received") ? 1 : 0;
        }
        if (above > 0) {
          notes.add(above + " Received header(s) above SES's; not read");
        }
      }
      for (int i = 0; i < received; i++) {
        HeaderField f = headers.get(i);
        if (f.is("Authentication-Results") && isAmazonSesAuthservId(f.text())) {
          notes.add("Authentication-Results amazonses.com above SES's Received (SES writes its own below); not read");
          break;
        }
      }
      int authRes = topmostSesAuthResults(received);
      List<Found> sources = new ArrayList<>(4);
      if (authRes >= 0) {
        sources.add(fromSpfProperties("Authentication-Results", afterAuthservId(headers.get(authRes))));
      } else {
        notes.add("no Authentication-Results with authserv-id amazonses.com below SES's Received");
      }
      int spf = authRes >= 0 ? topmostBetween("Received-SPF", received, authRes) : -1;
      if (spf >= 0) {
        sources.add(fromSpfProperties("Received-SPF", headers.get(spf).text()));
      }
      ReceivedClause r = parseReceived(headers.get(received));
      sources.add(new Found("Received", r.ip, r.helo, null));
      String returnPath = returnPath(received);
      sources.add(new Found("Return-Path", null, null, returnPath));

      InetAddress ip = pick("clientIp", sources, Found::ip, InetAddress::equals);
      String helo = pick("helo", sources, Found::helo, String::equalsIgnoreCase);
      String heloForNullSender = helo != null ? helo : anyHelo(sources);
      String mailFrom =
          pick("mailFrom", sources, Found::mailFrom, (a, b) -> sameReversePath(a, b, heloForNullSender));
      if (mailFrom != null && !mailFrom.isEmpty() && "".equals(returnPath)) {
        // Only reached when the SPF value agreed with <>, i.e. it was postmaster@HELO.
        notes.add("mailFrom: null sender (Return-Path <>); SES's SPF check used " + abbreviate(mailFrom));
        mailFrom = "";
      }
      if (mailFrom != null && !mailFrom.isEmpty() && returnPath == null
          && heloForNullSender != null && mailFrom.equalsIgnoreCase("postmaster@" + heloForNullSender)) {
        notes.add("mailFrom: postmaster@HELO without a Return-Path may stand for the null sender <>");
      }
      if (mailFrom != null && !mailFrom.isEmpty() && MailAddress.tryParse(mailFrom).isEmpty()) {
        notes.add("mailFrom: not a valid address (" + abbreviate(mailFrom) + "); kept as given");
      }
      List<String> rcpt = r.rcpt == null ? List.of() : List.of(r.rcpt);
      notes.add(r.rcpt == null ? "rcptTo: none (no 'for' clause in SES's Received)"
          : "rcptTo: from Received 'for' clause");
      return new SesEnvelope(new Envelope(ip, helo, mailFrom, rcpt), notes);
    }

    /**
     * The first value in precedence order; null with a conflict note when another source disagrees.
     */
    private <T> T pick(String field, List<Found> sources, Function<Found, T> get, BiPredicate<T, T> same) {
      T value = null;
      String from = null;
      List<String> agreeing = new ArrayList<>(2);
      for (Found f : sources) {
        T v = get.apply(f);
        if (v == null) {
          continue;
        }
        if (value == null) {
          value = v;
          from = f.source;
        } else if (same.test(value, v)) {
          agreeing.add(f.source);
        } else {
          notes.add(field + ": conflict: " + from + " says '" + show(value) + "', " + f.source + " says '"
              + show(v) + "'; left unknown");
          return null;
        }
      }
      if (value == null) {
        notes.add(field + ": not found");
      } else {
        notes.add(field + ": from " + from + (agreeing.isEmpty() ? "" : ", confirmed by "
            + String.join(", ", agreeing)));
      }
      return value;
    }

    private static String show(Object v) {
      String s = v instanceof InetAddress a ? a.getHostAddress() : String.valueOf(v);
      return s.isEmpty() ? "<>" : abbreviate(s);
    }

    private static String anyHelo(List<Found> sources) {
      for (Found f : sources) {
        if (f.helo != null) {
          return f.helo;
        }
      }
      return null;
    }

    /**
     * Whether two MAIL FROM readings agree: equal ignoring case, or one is the null path and the other the
     * empty value or postmaster@HELO that SES's SPF check reports for it (RFC 7208 section 2.4).
     */
    private static boolean sameReversePath(String a, String b, String helo) {
      if (a.equalsIgnoreCase(b)) {
        return true;
      }
      String other = a.isEmpty() ? b : b.isEmpty() ? a : null;
      return other != null && helo != null && other.equalsIgnoreCase("postmaster@" + helo);
    }

    private int topmostSesReceived() {
      int found = -1;
      int more = 0;
      for (int i = 0; i < headers.size(); i++) {
        HeaderField f = headers.get(i);
        if (f.is("Received") && BY_SES.matcher(f.unfoldedValue()).find()) {
          if (found < 0) {
            found = i;
          } else {
            more++;
          }
        }
      }
      if (more > 0) {
        notes.add(more + " more Received header(s) naming SES below the topmost; not read");
      }
      return found;
    }

    private int topmostSesAuthResults(int below) {
      for (int i = below + 1; i < headers.size(); i++) {
        HeaderField f = headers.get(i);
        if (f.is("Authentication-Results") && isAmazonSesAuthservId(f.text())) {
          return i;
        }
      }
      return -1;
    }

    private int topmostBetween(String name, int from, int to) {
      for (int i = from + 1; i < to; i++) {
        if (headers.get(i).is(name)) {
          return i;
        }
      }
      return -1;
    }

    /** The topmost Return-Path, if it is above SES's Received; "" for {@code <>}; null otherwise. */
    private String returnPath(int received) {
      for (int i = 0; i < headers.size(); i++) {
        HeaderField f = headers.get(i);
        if (!f.is("Return-Path")) {
          continue;
        }
        if (i > received) {
          notes.add("Return-Path below SES's Received was written by the sender; not read");
          return null;
        }
        String v = stripComments(f.text()).strip();
        if (v.equals("<>")) {
          return "";
        }
        String path = v;
        if (path.startsWith("<") && path.endsWith(">")) {
          path = path.substring(1, path.length() - 1).strip();
          if (path.startsWith("@") && path.indexOf(':') > 0) {
            path = path.substring(path.indexOf(':') + 1); // RFC 5321 4.1.1.3: source routes are ignored
          }
        }
        if (MailAddress.tryParse(path).isEmpty()) {
          notes.add("Return-Path is not an address (" + abbreviate(v) + "); not read");
          return null;
        }
        return path;
      }
      return null;
    }

    private Found fromSpfProperties(String source, String value) {
      InetAddress ip = null;
      String ipText = property(value, "client-ip", source);
      if (ipText != null) {
        ip = InetAddresses.tryParse(ipText).orElse(null);
        if (ip == null) {
          notes.add(source + ": client-ip is not an IP address (" + abbreviate(ipText) + ")");
        }
      }
      String helo = property(value, "helo", source);
      if (helo != null && (helo.isEmpty() || hasBlankOrControl(helo))) {
        notes.add(source + ": helo unusable (" + abbreviate(helo) + ")");
        helo = null;
      }
      String from = property(value, "envelope-from", source);
      if (from != null && from.startsWith("<") && from.endsWith(">")) {
        from = from.substring(1, from.length() - 1);
      }
      return new Found(source, ip, helo, from);
    }

    private ReceivedClause parseReceived(HeaderField f) {
      String v = f.text();
      if (v.length() > MAX_RECEIVED) {
        notes.add("SES's Received is " + v.length() + " characters long; not read");
        return ReceivedClause.NONE;
      }
      int hosts = 0;
      Matcher any = SES_HOST_ANYWHERE.matcher(v);
      while (any.find()) {
        hosts++;
      }
      if (hosts != 1) {
        notes.add("SES's Received names an SES host " + hosts + " times (sender-chosen text?); not read");
        return ReceivedClause.NONE;
      }
      Matcher m = SES_RECEIVED.matcher(v);
      if (!m.matches()) {
        notes.add("SES's Received is not in the form SES writes; not read");
        return ReceivedClause.NONE;
      }
      InetAddress ip = InetAddresses.tryParse(m.group("ip")).orElse(null);
      if (ip == null) {
        notes.add("Received: [" + abbreviate(m.group("ip")) + "] is not an IP address");
      }
      String rcpt = m.group("rcpt");
      if (rcpt != null) {
        if (rcpt.startsWith("<")) {
          rcpt = rcpt.substring(1, rcpt.length() - 1);
        }
        if (MailAddress.tryParse(rcpt).isEmpty()) {
          notes.add("Received: 'for " + abbreviate(rcpt) + "' is not an address; not read");
          rcpt = null;
        }
      }
      return new ReceivedClause(ip, m.group("helo"), rcpt);
    }

    /**
     * The value of {@code key=} in an SES SPF result, or null. Read only when the key occurs once in the
     * whole field, outside comments and quoted strings, and at the start of a token; the value ends at the
     * next ';' outside quotes, comments removed.
     */
    private String property(String value, String key, String source) {
      String lower = value.toLowerCase(Locale.ROOT);
      String needle = key + "=";
      int at = lower.indexOf(needle);
      if (at < 0) {
        return null;
      }
      if (lower.indexOf(needle, at + 1) >= 0) {
        notes.add(source + ": '" + needle + "' occurs more than once (sender-chosen text?); not read");
        return null;
      }
      int depth = 0;
      boolean quoted = false;
      for (int i = 0; i < at; i++) {
        char c = value.charAt(i);
        if (c == '\\') {
          i++;
        } else if (quoted) {
          quoted = c != '"';
        } else if (c == '"') {
          quoted = true;
        } else if (c == '(') {
          depth++;
        } else if (c == ')' && depth > 0) {
          depth--;
        }
      }
      char before = at == 0 ? ' ' : value.charAt(at - 1);
      if (depth != 0 || quoted || !(before == ' ' || before == '\t' || before == ';' || before == ')')) {
        notes.add(source + ": '" + needle + "' only inside a comment, a quoted string or a word; not read");
        return null;
      }
      int start = at + needle.length();
      int end = start;
      quoted = false;
      depth = 0;
      for (; end < value.length(); end++) {
        char c = value.charAt(end);
        if (c == '\\') {
          end++;
        } else if (quoted) {
          quoted = c != '"';
        } else if (c == '"') {
          quoted = true;
        } else if (c == '(') {
          depth++;
        } else if (c == ')' && depth > 0) {
          depth--;
        } else if (c == ';' && depth == 0) {
          break;
        }
      }
      return stripComments(value.substring(start, Math.min(end, value.length()))).strip();
    }
  }

  /** What SES's Received said; null fields are absent. */
  private record ReceivedClause(InetAddress ip, String helo, String rcpt) {
    static final ReceivedClause NONE = new ReceivedClause(null, null, null);
  }

  /** Whether an Authentication-Results value starts with authserv-id amazonses.com (RFC 8601 2.2). */
  static boolean isAmazonSesAuthservId(String value) {
    int semi = value.indexOf(';');
    String head = stripComments(semi < 0 ? value : value.substring(0, semi)).strip();
    String[] parts = head.split("[ \\t]+");
    if (parts.length == 0 || !parts[0].equalsIgnoreCase("amazonses.com")) {
      return false;
    }
    // An optional authres-version (a number) may follow the authserv-id.
    return parts.length == 1 || (parts.length == 2 && parts[1].chars().allMatch(c -> c >= '0' && c <= '9'));
  }

  private static String afterAuthservId(HeaderField f) {
    String v = f.text();
    int semi = v.indexOf(';');
    return semi < 0 ? "" : v.substring(semi + 1);
  }

  /** Removes (nested) comments outside quoted strings; an unclosed comment runs to the end. */
  static String stripComments(String s) {
    if (s.indexOf('(') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        if (depth == 0) {
          sb.append(c).append(s.charAt(i + 1));
        }
        i++;
      } else if (depth == 0 && c == '"') {
        quoted = !quoted;
        sb.append(c);
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')' && depth > 0) {
        depth--;
      } else if (depth == 0) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean hasBlankOrControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
