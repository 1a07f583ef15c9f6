package dev.mailgate.dmarc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads DMARC Policy Records (RFC 9989 sections 4.7 and 4.8; RFC 7489 sections 6.3 and 6.4). Stateless;
 * one pass over the text, no regular expressions. Hostile input (huge or garbled records) only produces
 * problems, capped in number and length.
 */
final class DmarcRecordParser {
  private static final int MAX_PROBLEMS = 16;
  private static final int MAX_ECHO = 40;
  private static final long MAX_RI = 0xFFFF_FFFFL; // RFC 7489 6.3 "ri": 32-bit unsigned

  private DmarcRecordParser() {}

  static ParsedRecord parse(String txt, DmarcMode mode) {
    if (txt == null) {
      return new ParsedRecord.NotDmarc("no record text");
    }
    int semi = txt.indexOf(';');
    String first = semi < 0 ? txt : txt.substring(0, semi);
    int eq = first.indexOf('=');
    // RFC 9989 4.7 "v": MUST be the first tag, value "DMARC1" case-sensitively, else ignore the record.
    if (eq < 0 || !first.substring(0, eq).strip().equals("v") || !first.substring(eq + 1).strip().equals("DMARC1")) {
      return new ParsedRecord.NotDmarc("does not start with v=DMARC1");
    }
    State st = new State();
    st.seen.add("v");
    int pos = semi < 0 ? txt.length() : semi + 1;
    while (pos < txt.length()) {
      int end = txt.indexOf(';', pos);
      if (end < 0) {
        end = txt.length();
      }
      tag(st, txt.substring(pos, end).strip());
      pos = end + 1;
    }
    return finish(st, mode);
  }

  private static ParsedRecord finish(State st, DmarcMode mode) {
    String rfc = mode == DmarcMode.RFC9989 ? "RFC 9989 4.10.1" : "RFC 7489 6.6.3";
    String bad = null;
    if (st.pInvalid) {
      bad = "invalid p=" + echo(st.pRaw);
    } else if (st.spInvalid) {
      bad = "invalid sp=" + echo(st.spRaw);
    } else if (st.npInvalid && mode == DmarcMode.RFC9989) {
      bad = "invalid np=" + echo(st.npRaw); // RFC 7489 does not know np: an unknown tag, ignored
    } else if (st.p == null && mode == DmarcMode.RFC7489) {
      bad = "no p tag"; // RFC 7489 6.3: "v" and "p" MUST be present
    }
    Policy p = st.p;
    Policy sp = st.sp;
    Policy np = st.np;
    if (bad != null) {
      if (st.rua.isEmpty()) {
        DmarcRecord partial = st.record(null, sp, np);
        return new ParsedRecord.Invalid(partial, bad + " and no valid rua URI: no DMARC processing (" + rfc + ")");
      }
      // "act as if a record containing p=none was retrieved": the whole policy part becomes p=none.
      st.problems.add(0, bad + ": treated as p=none because rua has a valid URI (" + rfc + ")");
      p = Policy.NONE;
      sp = null;
      np = null;
    } else if (p == null) {
      p = Policy.NONE; // RFC 9989 4.7 "p": absent in an otherwise valid record -> as if p=none
    }
    return new ParsedRecord.Valid(st.record(p, sp, np));
  }

  private static void tag(State st, String seg) {
    if (seg.isEmpty()) {
      return; // ";;" or a trailing ";" (dmarc-record allows a final dmarc-sep)
    }
    int eq = seg.indexOf('=');
    if (eq < 0) {
      st.problem("'" + echo(seg) + "' is not tag=value");
      return;
    }
    String name = seg.substring(0, eq).strip();
    String value = seg.substring(eq + 1).strip();
    if (!isAlphaWord(name)) {
      st.problem("bad tag name '" + echo(name) + "'");
      return;
    }
    if (!st.seen.add(name)) {
      st.problem("repeated " + echo(name) + "= ignored"); // the first one stands
      return;
    }
    // RFC 9989 4.8: dmarc-value is 1*(%x20-3A / %x3C-7E); anything else makes the value invalid.
    boolean ok = !value.isEmpty() && isPrintable(value);
    switch (name) {
      case "p" -> {
        st.pRaw = value;
        st.p = ok ? Policy.fromWord(value) : null;
        st.pInvalid = st.p == null;
      }
      case "sp" -> {
        st.spRaw = value;
        st.sp = ok ? Policy.fromWord(value) : null;
        st.spInvalid = st.sp == null;
      }
      case "np" -> {
        st.npRaw = value;
        st.np = ok ? Policy.fromWord(value) : null;
        st.npInvalid = st.np == null;
      }
      case "adkim" -> st.adkim = alignment(st, name, value, ok);
      case "aspf" -> st.aspf = alignment(st, name, value, ok);
      case "psd" -> {
        DmarcRecord.Psd psd = null;
        if (value.equalsIgnoreCase("y")) {
          psd = DmarcRecord.Psd.Y;
        } else if (value.equalsIgnoreCase("n")) {
          psd = DmarcRecord.Psd.N;
        } else if (value.equalsIgnoreCase("u")) {
          psd = DmarcRecord.Psd.U;
        }
        if (psd == null) {
          st.problem("invalid psd=" + echo(value) + ", using u");
        } else {
          st.psd = psd;
        }
      }
      case "t" -> {
        if (value.equalsIgnoreCase("y")) {
          st.testing = true;
        } else if (!value.equalsIgnoreCase("n")) {
          st.problem("invalid t=" + echo(value) + ", using n");
        }
      }
      case "rua" -> uris(st, name, value, st.rua);
      case "ruf" -> uris(st, name, value, st.ruf);
      case "fo" -> {
        String fo = ok ? failureOptions(value) : null;
        if (fo == null) {
          st.problem("invalid fo=" + echo(value) + ", using 0");
        } else {
          st.fo = fo;
        }
      }
      case "pct" -> {
        long n = ok && value.length() <= 3 ? digits(value) : -1; // RFC 7489 6.4: 1*3DIGIT
        if (n < 0 || n > 100) {
          st.problem("invalid pct=" + echo(value) + ", using 100");
        } else {
          st.pct = (int) n;
        }
      }
      case "rf" -> {
        String rf = ok ? keywords(value) : null;
        if (rf == null) {
          st.problem("invalid rf=" + echo(value) + ", using afrf");
        } else {
          st.rf = rf;
        }
      }
      case "ri" -> {
        long n = ok && value.length() <= 10 ? digits(value) : -1;
        if (n < 0 || n > MAX_RI) {
          st.problem("invalid ri=" + echo(value) + ", using 86400");
        } else {
          st.ri = n;
        }
      }
      default -> {
        // RFC 9989 4.7: unknown tags MUST be ignored.
      }
    }
  }

  private static AlignmentMode alignment(State st, String name, String value, boolean ok) {
    if (ok && value.equalsIgnoreCase("r")) {
      return AlignmentMode.RELAXED;
    }
    if (ok && value.equalsIgnoreCase("s")) {
      return AlignmentMode.STRICT;
    }
    st.problem("invalid " + name + "=" + echo(value) + ", using r");
    return AlignmentMode.RELAXED;
  }

  /** dmarc-urilist: URIs separated by "," with optional WSP around; invalid elements are dropped. */
  private static void uris(State st, String name, String value, List<ReportUri> out) {
    int pos = 0;
    while (pos <= value.length()) {
      int end = value.indexOf(',', pos);
      if (end < 0) {
        end = value.length();
      }
      String element = value.substring(pos, end).strip();
      ReportUri uri = element.isEmpty() ? null : ReportUri.parse(element);
      if (uri == null) {
        st.problem("invalid " + name + " URI '" + echo(element) + "' ignored");
      } else {
        out.add(uri);
      }
      pos = end + 1;
    }
  }

  /**
   * dmarc-fo (RFC 9989 4.8): "0", "1", "d", "s" separated by ":", "0" and "1" mutually exclusive, each at
   * most once. Spaces around ":" are accepted (RFC 7489 6.4 allows them). Null when invalid.
   */
  private static String failureOptions(String value) {
    StringBuilder out = new StringBuilder(7);
    int pos = 0;
    boolean zeroOrOne = false;
    String seen = "";
    while (pos <= value.length()) {
      int end = value.indexOf(':', pos);
      if (end < 0) {
        end = value.length();
      }
      String opt = value.substring(pos, end).strip();
      if (opt.length() != 1) {
        return null;
      }
      char c = Character.toLowerCase(opt.charAt(0));
      if ("01ds".indexOf(c) < 0 || seen.indexOf(c) >= 0) {
        return null;
      }
      if (c == '0' || c == '1') {
        if (zeroOrOne) {
          return null;
        }
        zeroOrOne = true;
      }
      seen += c;
      if (out.length() > 0) {
        out.append(':');
      }
      out.append(c);
      pos = end + 1;
    }
    return out.toString();
  }

  /** RFC 7489 "rf": Keyword *(*WSP ":" Keyword), Keyword = Ldh-str (RFC 5321 4.1.2). Null when invalid. */
  private static String keywords(String value) {
    StringBuilder out = new StringBuilder(value.length());
    int pos = 0;
    while (pos <= value.length()) {
      int end = value.indexOf(':', pos);
      if (end < 0) {
        end = value.length();
      }
      String kw = value.substring(pos, end).strip();
      if (kw.isEmpty() || kw.startsWith("-") || kw.endsWith("-")) {
        return null;
      }
      for (int i = 0; i < kw.length(); i++) {
        char c = kw.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
          return null;
        }
      }
      if (out.length() > 0) {
        out.append(':');
      }
      out.append(Domains.toLowerAscii(kw));
      pos = end + 1;
    }
    return out.toString();
  }

  /** The value of a non-empty string of ASCII digits (at most 18), or -1. */
  private static long digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static boolean isAlphaWord(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrintable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** A value quoted back in a problem text: at most 40 characters, controls and non-ASCII as '?'. */
  static String echo(String s) {
    if (s == null) {
      return "";
    }
    int n = Math.min(s.length(), MAX_ECHO);
    StringBuilder sb = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c > 0x7e ? '?' : c);
    }
    if (s.length() > MAX_ECHO) {
      sb.append("...");
    }
    return sb.toString();
  }

  /** What has been read so far, with the defaults of RFC 9989 4.7 and RFC 7489 6.3. */
  private static final class State {
    final Set<String> seen = new HashSet<>();
    final List<ReportUri> rua = new ArrayList<>(2);
    final List<ReportUri> ruf = new ArrayList<>(1);
    final List<String> problems = new ArrayList<>(0);
    Policy p;
    Policy sp;
    Policy np;
    String pRaw;
    String spRaw;
    String npRaw;
    boolean pInvalid;
    boolean spInvalid;
    boolean npInvalid;
    DmarcRecord.Psd psd = DmarcRecord.Psd.U;
    boolean testing;
    AlignmentMode adkim = AlignmentMode.RELAXED;
    AlignmentMode aspf = AlignmentMode.RELAXED;
    String fo = "0";
    int pct = 100;
    String rf = "afrf";
    long ri = 86400;

    void problem(String text) {
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(text);
      } else if (problems.size() == MAX_PROBLEMS) {
        problems.add("(more problems not listed)");
      }
    }

    DmarcRecord record(Policy p, Policy sp, Policy np) {
      return new DmarcRecord(p, sp, np, psd, testing, adkim, aspf, rua, ruf, fo, pct, rf, ri, problems);
    }
  }
}
