package dev.mailgate.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DNS data for offline, deterministic runs, read from a file into an {@link InMemoryResolver}.
 * Stateless; the resolvers it builds are immutable and thread-safe. Two formats are read (see
 * docs/DNS-FIXTURE.md for examples):
 *
 * <p><b>Zone file</b> (RFC 1035 section 5, parsed by dnsjava's {@link Master}): {@code $ORIGIN},
 * {@code $TTL}, relative names, {@code @}, parentheses, comments. TXT (its strings joined), A,
 * AAAA, MX, PTR and CNAME records are served; other types (SOA, NS, ...) only make their owner
 * name exist (NODATA rather than NXDOMAIN). DNAME is refused, as are {@code $INCLUDE}, classes other
 * than IN, two CNAMEs at one name and a CNAME next to other data (RFC 1034 section 3.6.2). Names
 * written without a trailing dot and with no {@code $ORIGIN} in force are relative to the root,
 * that is absolute.
 *
 * <p><b>Record list</b> (the format of /work/shared/conformance's {@code dns-records.txt} files):
 * one record per line, {@code <name> TXT "<value>"} where the value is the whole TXT string (its
 * character-strings already joined; {@code \"} and {@code \\} are the only escapes, and several
 * quoted strings on one line are joined), or a pseudo-type with no value: {@code <name> NXDOMAIN},
 * {@code <name> TIMEOUT}, {@code <name> SERVFAIL}. Also accepted: {@code <name> A <ipv4>}, {@code
 * <name> AAAA <ipv6>}, {@code <name> MX <preference> <host>}, {@code <name> PTR <host>}, {@code
 * <name> CNAME <target>}. Names are absolute with or without a trailing dot. Blank lines and lines
 * starting with {@code #} or {@code ;} are comments. A name listed as NXDOMAIN must have nothing
 * else listed.
 *
 * <p><b>Failures</b>, in both formats, are comment lines that a DNS server would ignore:
 *
 * <pre>
 * ;! timeout  NAME [TYPE...]    queries time out (DnsTempFailure)
 * ;! servfail NAME [TYPE...]    queries get SERVFAIL (DnsTempFailure)
 * </pre>
 *
 * With no TYPE every type fails; TYPE is one of TXT, A, AAAA, MX, PTR. A type the name has records
 * of is answered anyway ({@link InMemoryResolver.Builder#timeout}). In a zone file NAME is read like
 * an owner name: relative to the {@code $ORIGIN} in force on that line, {@code @} meaning the origin.
 * A line starting {@code ;!} that is not a known directive is an error, so a typo cannot silently
 * turn a failure into a comment.
 *
 * <p><b>Bytes.</b> A file is bytes, and a TXT value holds the file's bytes exactly, one char per
 * byte (ISO-8859-1), which is what {@link DnsjavaResolver} returns for the same bytes on the wire: a
 * UTF-8 "é" in the file is the two chars "\u00c3\u00a9", as it would be from a real server. The
 * String methods encode the text as UTF-8 first, as an editor saving the file would.
 *
 * <p><b>Errors</b> throw {@link DnsFixtureException}, whose message starts with the source name and
 * line number.
 *
 * <p><b>Which format.</b> {@link #load} and {@link #parse} read a text as a record list when every
 * line that is not blank or a comment looks like {@code <name> <TYPE> ...} with one of the record
 * list's types (no TTL, no class, no {@code $} directive, no indentation), and as a zone file
 * otherwise. A text of that shape that only a zone file can read (an unquoted TXT value, a
 * {@code \DDD} escape) is read as a zone file; when neither reads it, the record-list error is
 * reported. Where both formats can read a line, they agree on what it means.
 */
public final class DnsFixture {
  private static final String DIRECTIVE = ";!";
  private static final long DEFAULT_TTL = 3600;
  private static final Pattern ORIGIN = Pattern.compile("^\\$ORIGIN[ \\t]+(\\S+)", Pattern.CASE_INSENSITIVE);
  /** dnsjava's parse errors read "FILE:LINE: message". */
  private static final Pattern DNSJAVA_ERROR = Pattern.compile("^.*?:(\\d+): (.*)$", Pattern.DOTALL);
  private static final Pattern WHITESPACE = Pattern.compile("[ \\t]+");
  /** DNSSEC records may sit next to a CNAME (RFC 4035 section 2.5). */
  private static final Set<Integer> BESIDE_CNAME = Set.of(Type.RRSIG, Type.NSEC, Type.NSEC3);
  private static final Set<String> RECORD_LIST_TYPES =
      Set.of("TXT", "A", "AAAA", "MX", "PTR", "CNAME", "NXDOMAIN", "TIMEOUT", "SERVFAIL");

  private DnsFixture() {}

  /** The resolver for a fixture file in either format; the source name in errors is the path. */
  public static InMemoryResolver load(Path file) throws IOException {
    return builder(Files.readAllBytes(file), file.toString()).build();
  }

  /** The resolver for fixture text in either format ({@code text} is encoded as UTF-8). */
  public static InMemoryResolver parse(String text, String source) {
    return builder(text.getBytes(StandardCharsets.UTF_8), source).build();
  }

  /** A builder holding the fixture's data (either format), for adding more or switching the query log off. */
  public static InMemoryResolver.Builder builder(byte[] content, String source) {
    InMemoryResolver.Builder zone = InMemoryResolver.builder();
    if (!looksLikeRecordList(content)) {
      readZoneFile(zone, content, source);
      return zone;
    }
    InMemoryResolver.Builder list = InMemoryResolver.builder();
    try {
      readRecordList(list, content, source);
      return list;
    } catch (DnsFixtureException listError) {
      try {
        readZoneFile(zone, content, source); // e.g. an unquoted TXT value or a \DDD escape
        return zone;
      } catch (DnsFixtureException zoneError) {
        throw listError;
      }
    }
  }

  /**
   * Whether every line that is not blank or a comment has the shape {@code <name> <TYPE> ...} with
   * a type of the record-list format (and so no TTL, class, {@code $} directive or indentation).
   */
  static boolean looksLikeRecordList(byte[] content) {
    for (String line : new String(content, StandardCharsets.ISO_8859_1).split("\n", -1)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
        continue;
      }
      char first = line.charAt(0);
      String[] head = WHITESPACE.split(t, 3);
      if (first == ' ' || first == '\t' || first == '$' || head.length < 2
          || !RECORD_LIST_TYPES.contains(head[1].toUpperCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  /** The resolver for a zone file ({@code text} is encoded as UTF-8). */
  public static InMemoryResolver fromZoneFile(String text, String source) {
    InMemoryResolver.Builder b = InMemoryResolver.builder();
    readZoneFile(b, text.getBytes(StandardCharsets.UTF_8), source);
    return b.build();
  }

  /** The resolver for a record list ({@code text} is encoded as UTF-8). */
  public static InMemoryResolver fromRecordList(String text, String source) {
    InMemoryResolver.Builder b = InMemoryResolver.builder();
    readRecordList(b, text.getBytes(StandardCharsets.UTF_8), source);
    return b.build();
  }

  // ---------------------------------------------------------------------------------------------
  // Zone files

  /** Adds a zone file's data to {@code into}; after an exception {@code into} may hold part of it. */
  public static void readZoneFile(InMemoryResolver.Builder into, byte[] content, String source) {
    String text = escapeNonAscii(new String(content, StandardCharsets.ISO_8859_1));
    String[] lines = text.split("\n", -1);
    List<Record> records = parseMaster(text, lines, source);
    IntUnaryOperator lineOf = index -> lineOfRecord(lines, index);
    Names names = new Names(source, lineOf);
    for (int i = 0; i < records.size(); i++) {
      addRecord(into, records.get(i), i, names, source, lineOf);
    }
    Name origin = Name.root;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      Matcher m = ORIGIN.matcher(line);
      if (m.find()) {
        try {
          origin = Name.fromString(m.group(1), origin);
        } catch (TextParseException e) {
          throw new DnsFixtureException(source, i + 1, e.getMessage()); // dnsjava accepted it: not reached
        }
      }
      String t = line.strip();
      if (t.startsWith(DIRECTIVE)) {
        directive(into, t, i + 1, source, origin);
      }
    }
  }

  private static void addRecord(InMemoryResolver.Builder into, Record r, int index, Names names, String source,
      IntUnaryOperator lineOf) {
    String owner = DnsjavaResolver.hostName(r.getName());
    if (r.getDClass() != DClass.IN) {
      throw new DnsFixtureException(source, lineOf.applyAsInt(index),
          "class " + DClass.string(r.getDClass()) + " is not supported, only IN");
    }
    if (r.getType() == Type.CNAME) {
      names.cname(owner, index);
    } else if (!BESIDE_CNAME.contains(r.getType())) {
      names.data(owner, index);
    }
    switch (r.getType()) {
      case Type.TXT -> into.txt(owner, DnsjavaResolver.joinStrings(((TXTRecord) r).getStringsAsByteArrays()));
      case Type.A, Type.AAAA -> into.address(owner, DnsjavaResolver.address(r));
      case Type.MX -> {
        MXRecord mx = (MXRecord) r;
        into.mx(owner, mx.getPriority(), DnsjavaResolver.hostName(mx.getTarget()));
      }
      case Type.PTR -> into.ptr(owner, DnsjavaResolver.hostName(((PTRRecord) r).getTarget()));
      case Type.CNAME -> into.cname(owner, DnsjavaResolver.hostName(((CNAMERecord) r).getTarget()));
      case Type.DNAME -> throw new DnsFixtureException(source, lineOf.applyAsInt(index),
          "DNAME records are not supported (at " + owner + ")");
      default -> into.exists(owner); // SOA, NS, ...: the name exists, the checks never ask these types
    }
  }

  /**
   * dnsjava's tokenizer reads the file octet by octet but encodes a quoted string's characters as
   * UTF-8, so a raw non-ASCII octet would come out as two. As a \DDD escape (RFC 1035 section 5.1)
   * it stays one octet, which is what the file holds and what a DNS server would serve.
   */
  private static String escapeNonAscii(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(i + 1);
        if (next >= 0x80) {
          out = copyUpTo(out, text, i);
          appendDecimalEscape(out, next); // "\" + octet: the octet itself
        } else if (out != null) {
          out.append(c).append(next);
        }
        i++;
      } else if (c >= 0x80) {
        out = copyUpTo(out, text, i);
        appendDecimalEscape(out, c);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  private static StringBuilder copyUpTo(StringBuilder out, String text, int end) {
    return out != null ? out : new StringBuilder(text.length() + 64).append(text, 0, end);
  }

  private static void appendDecimalEscape(StringBuilder out, char octet) {
    out.append('\\').append((char) ('0' + octet / 100)).append((char) ('0' + octet / 10 % 10))
        .append((char) ('0' + octet % 10));
  }

  private static List<Record> parseMaster(String text, String[] lines, String source) {
    List<Record> records = new ArrayList<>();
    try (Master master = master(text)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
      return records;
    } catch (TextParseException e) {
      int line = lineOfFailure(lines, records.size());
      Matcher m = DNSJAVA_ERROR.matcher(String.valueOf(e.getMessage()));
      if (m.matches()) {
        // dnsjava counts the line end before it notices a missing value ("expected an address"),
        // and then names the next line; the first line at which the file stops parsing is right.
        throw new DnsFixtureException(source, Math.min(line, Integer.parseInt(m.group(1))), m.group(2));
      }
      throw new DnsFixtureException(source, line, String.valueOf(e.getMessage()));
    } catch (IOException | RuntimeException e) {
      throw new DnsFixtureException(source, lineOfFailure(lines, records.size()), String.valueOf(e.getMessage()));
    }
  }

  private static Master master(String text) {
    Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), Name.root,
        DEFAULT_TTL);
    master.disableIncludes(true); // a fixture is one file: its line numbers mean something
    return master;
  }

  /**
   * How many records the first {@code lineCount} lines hold before any error, negated minus one
   * when they do not parse: {@code n} records then an error give {@code -n - 1}.
   */
  private static int recordsInPrefix(String[] lines, int lineCount) {
    String prefix = String.join("\n", Arrays.copyOf(lines, lineCount)) + "\n";
    int n = 0;
    try (Master master = master(prefix)) {
      while (master.nextRecord() != null) {
        n++;
      }
      return n;
    } catch (IOException | RuntimeException e) {
      return -n - 1;
    }
  }

  /**
   * The line on which record {@code index} (counting from 0) ends. dnsjava does not tell a record's
   * line, so this finds the shortest prefix of the file that holds the record; only used to report
   * an error.
   */
  private static int lineOfRecord(String[] lines, int index) {
    int lo = 1;
    int hi = lines.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int n = recordsInPrefix(lines, mid);
      if ((n < 0 ? -n - 1 : n) > index) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The first line after the last good record at which the file stops parsing. */
  private static int lineOfFailure(String[] lines, int goodRecords) {
    int from = goodRecords == 0 ? 1 : lineOfRecord(lines, goodRecords - 1) + 1;
    for (int n = from; n <= lines.length; n++) {
      if (recordsInPrefix(lines, n) < 0) {
        return n;
      }
    }
    return Math.max(1, Math.min(from, lines.length));
  }

  // ---------------------------------------------------------------------------------------------
  // Record lists

  /** Adds a record list's data to {@code into}; after an exception {@code into} may hold part of it. */
  public static void readRecordList(InMemoryResolver.Builder into, byte[] content, String source) {
    String[] lines = new String(content, StandardCharsets.ISO_8859_1).split("\n", -1);
    Names names = new Names(source, IntUnaryOperator.identity());
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      String t = line.strip();
      if (t.startsWith(DIRECTIVE)) {
        directive(into, t, lineNo, source, null);
        continue;
      }
      if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
        continue;
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new DnsFixtureException(source, lineNo, "a record line starts with its name, not with blanks");
      }
      String[] head = WHITESPACE.split(t, 3);
      String owner = head[0];
      if (head.length < 2) {
        throw new DnsFixtureException(source, lineNo, "expected '<name> <TYPE> [value]' but found '" + t + "'");
      }
      checkName(owner, source, lineNo);
      String type = head[1].toUpperCase(Locale.ROOT);
      String value = head.length > 2 ? head[2].strip() : "";
      switch (type) {
        case "TXT" -> {
          names.data(owner, lineNo);
          into.txt(owner, quotedStrings(value, source, lineNo));
        }
        case "A", "AAAA" -> {
          names.data(owner, lineNo);
          into.address(owner, address(type, value, source, lineNo));
        }
        case "MX" -> {
          String[] mx = WHITESPACE.split(value);
          if (mx.length != 2 || !mx[0].chars().allMatch(c -> c >= '0' && c <= '9') || mx[0].length() > 5
              || Integer.parseInt(mx[0]) > 65535) {
            throw new DnsFixtureException(source, lineNo, "MX needs '<preference 0-65535> <host>', found '" + value + "'");
          }
          names.data(owner, lineNo);
          into.mx(owner, Integer.parseInt(mx[0]), host(mx[1], source, lineNo));
        }
        case "PTR" -> {
          names.data(owner, lineNo);
          into.ptr(owner, host(value, source, lineNo));
        }
        case "CNAME" -> {
          names.cname(owner, lineNo);
          into.cname(owner, host(value, source, lineNo));
        }
        case "NXDOMAIN", "TIMEOUT", "SERVFAIL" -> {
          if (!value.isEmpty()) {
            throw new DnsFixtureException(source, lineNo, type + " takes no value, found '" + value + "'");
          }
          if (type.equals("NXDOMAIN")) {
            names.nxdomain(owner, lineNo);
          } else {
            names.failure(owner, lineNo);
            if (type.equals("TIMEOUT")) {
              into.timeout(owner);
            } else {
              into.servfail(owner);
            }
          }
        }
        default -> throw new DnsFixtureException(source, lineNo, "unknown type '" + head[1]
            + "' (expected TXT, A, AAAA, MX, PTR, CNAME, NXDOMAIN, TIMEOUT or SERVFAIL)");
      }
    }
  }

  /** One or more double-quoted strings, joined; inside, {@code \"} is a quote and {@code \\} a backslash. */
  private static String quotedStrings(String value, String source, int line) {
    if (value.isEmpty()) {
      throw new DnsFixtureException(source, line, "TXT needs a value in double quotes");
    }
    StringBuilder out = new StringBuilder(value.length());
    int i = 0;
    while (i < value.length()) {
      if (value.charAt(i) != '"') {
        throw new DnsFixtureException(source, line, "TXT value must be in double quotes: " + value);
      }
      i++;
      boolean closed = false;
      while (i < value.length()) {
        char c = value.charAt(i++);
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\') {
          char next = i < value.length() ? value.charAt(i++) : ' ';
          if (next != '"' && next != '\\') {
            throw new DnsFixtureException(source, line,
                "in a record list only \\\" and \\\\ are escapes; found \\" + (next == ' ' ? "" : next));
          }
          c = next;
        }
        out.append(c);
      }
      if (!closed) {
        throw new DnsFixtureException(source, line, "TXT value has no closing double quote");
      }
      while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
        i++;
      }
    }
    return out.toString();
  }

  private static InetAddress address(String type, String value, String source, int line) {
    Optional<InetAddress> ip = value.indexOf(' ') < 0 ? InetAddresses.tryParse(value) : Optional.empty();
    boolean v4 = type.equals("A");
    if (ip.isEmpty() || (v4 ? !(ip.get() instanceof Inet4Address) : !(ip.get() instanceof Inet6Address))) {
      throw new DnsFixtureException(source, line, type + " needs an " + (v4 ? "IPv4" : "IPv6") + " address, found '" + value + "'");
    }
    return ip.get();
  }

  private static String host(String value, String source, int line) {
    if (value.isEmpty() || WHITESPACE.matcher(value).find()) {
      throw new DnsFixtureException(source, line, "expected one host name, found '" + value + "'");
    }
    if (!value.equals(".")) { // "." is the null MX target (RFC 7505)
      checkName(value, source, line);
    }
    return value;
  }

  private static void checkName(String name, String source, int line) {
    if (name.equals(".") || DnsjavaResolver.toName(name) == null || name.indexOf('"') >= 0) {
      throw new DnsFixtureException(source, line, "not a domain name: '" + name + "'");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Both

  /** A {@code ;!} line; {@code origin} is null where names are absolute (record lists). */
  private static void directive(InMemoryResolver.Builder into, String text, int line, String source, Name origin) {
    String[] words = WHITESPACE.split(text.substring(DIRECTIVE.length()).strip());
    String keyword = words[0].toLowerCase(Locale.ROOT);
    if (!keyword.equals("timeout") && !keyword.equals("servfail")) {
      throw new DnsFixtureException(source, line,
          "unknown fixture directive '" + words[0] + "' (expected ';! timeout NAME [TYPE...]' or ';! servfail NAME [TYPE...]')");
    }
    if (words.length < 2) {
      throw new DnsFixtureException(source, line, "';! " + keyword + "' needs a name");
    }
    String name = directiveName(words[1], origin, source, line);
    RecordType[] types = new RecordType[words.length - 2];
    for (int i = 2; i < words.length; i++) {
      try {
        types[i - 2] = RecordType.valueOf(words[i].toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new DnsFixtureException(source, line,
            "unknown record type '" + words[i] + "' (expected " + Arrays.toString(RecordType.values()) + ")");
      }
    }
    if (keyword.equals("timeout")) {
      into.timeout(name, types);
    } else {
      into.servfail(name, types);
    }
  }

  private static String directiveName(String word, Name origin, String source, int line) {
    if (origin == null) {
      checkName(word, source, line);
      return word;
    }
    try {
      return DnsjavaResolver.hostName(word.equals("@") ? origin : Name.fromString(word, origin));
    } catch (TextParseException e) {
      throw new DnsFixtureException(source, line, "not a domain name: '" + word + "': " + e.getMessage());
    }
  }

  /** What each name holds so far, to refuse contradictions; positions are lines or record indexes. */
  private static final class Names {
    private final String source;
    private final IntUnaryOperator lineOf;
    private final Map<String, int[]> seen = new HashMap<>(); // {data, cname, nxdomain, failure}, 0 = none

    Names(String source, IntUnaryOperator lineOf) {
      this.source = source;
      this.lineOf = lineOf;
    }

    void data(String name, int position) {
      int[] s = state(name);
      if (s[1] != 0) {
        fail(position, "CNAME and other data at " + name + " (RFC 1034 section 3.6.2); the CNAME is on line "
            + lineOf.applyAsInt(s[1] - 1));
      }
      checkNotNxdomain(s, name, position);
      s[0] = s[0] == 0 ? position + 1 : s[0];
    }

    void cname(String name, int position) {
      int[] s = state(name);
      if (s[1] != 0) {
        fail(position, "second CNAME at " + name + "; the first is on line " + lineOf.applyAsInt(s[1] - 1));
      }
      if (s[0] != 0) {
        fail(position, "CNAME and other data at " + name + " (RFC 1034 section 3.6.2); other data on line "
            + lineOf.applyAsInt(s[0] - 1));
      }
      checkNotNxdomain(s, name, position);
      s[1] = position + 1;
    }

    void failure(String name, int position) {
      int[] s = state(name);
      checkNotNxdomain(s, name, position);
      s[3] = s[3] == 0 ? position + 1 : s[3];
    }

    void nxdomain(String name, int position) {
      int[] s = state(name);
      for (int i : new int[] {0, 1, 3}) {
        if (s[i] != 0) {
          fail(position, name + " is listed as NXDOMAIN but has entries (line " + lineOf.applyAsInt(s[i] - 1) + ")");
        }
      }
      s[2] = s[2] == 0 ? position + 1 : s[2];
    }

    private void checkNotNxdomain(int[] s, String name, int position) {
      if (s[2] != 0) {
        fail(position, name + " is listed as NXDOMAIN on line " + lineOf.applyAsInt(s[2] - 1) + " and cannot have entries");
      }
    }

    private int[] state(String name) {
      return seen.computeIfAbsent(InMemoryResolver.normalize(name), k -> new int[4]);
    }

    private void fail(int position, String detail) {
      throw new DnsFixtureException(source, lineOf.applyAsInt(position), detail);
    }
  }
}
