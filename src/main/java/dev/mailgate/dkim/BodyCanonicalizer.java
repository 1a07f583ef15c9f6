package dev.mailgate.dkim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Streaming body canonicalization (RFC 6376 sections 3.4.3 and 3.4.4): feed the body in any number of
 * chunks with {@link #update}, then call {@link #finish} once. Output goes to a {@link Sink} in blocks;
 * memory does not grow with the body. Trailing empty lines are removed by counting the CRLFs of empty
 * lines seen so far and writing them only when more content follows. Not thread-safe.
 *
 * <p>The input is expected in network form (CRLF line endings, as {@link
 * dev.mailgate.message.RawMessage} holds it). A CR or LF that is not part of a CRLF pair is ordinary
 * content.
 */
public abstract sealed class BodyCanonicalizer {

  /** Receives canonicalized output. */
  @FunctionalInterface
  public interface Sink {
    /** Takes {@code len} bytes; the array may be reused after the call returns. */
    void write(byte[] b, int off, int len);
  }

  /** A shared read-only run of CRLF pairs, used to write held empty lines in blocks. */
  private static final byte[] CRLFS = new byte[4096];

  static {
    for (int i = 0; i < CRLFS.length; i += 2) {
      CRLFS[i] = '\r';
      CRLFS[i + 1] = '\n';
    }
  }

  final Sink sink;
  /** CRLFs at the end of the output so far, not yet written: they are written only if output follows. */
  long heldCrlfs;
  /** Simple: the previous chunk ended with a CR whose LF may start the next chunk. */
  boolean pendingCr;
  private boolean finished;

  BodyCanonicalizer(Sink sink) {
    this.sink = sink;
  }

  /** Canonicalizes {@code len} more bytes of the body. */
  public final void update(byte[] b, int off, int len) {
    if (finished) {
      throw new IllegalStateException("finish() was called");
    }
    if (len > 0) {
      process(b, off, off + len);
    }
  }

  /** Ends the body: writes what the algorithm adds at the end. No update is allowed afterwards. */
  public final void finish() {
    if (!finished) {
      finished = true;
      end();
    }
  }

  abstract void process(byte[] b, int from, int to);

  abstract void end();

  final void writeHeldCrlfs() {
    long bytes = heldCrlfs * 2;
    heldCrlfs = 0;
    while (bytes > 0) {
      int n = (int) Math.min(bytes, CRLFS.length);
      sink.write(CRLFS, 0, n);
      bytes -= n;
    }
  }

  /**
   * RFC 6376 section 3.4.3: the body unchanged except that "*CRLF" at its end becomes one CRLF, and a
   * CRLF is added when the body is empty or does not end with one. Content is passed to the sink
   * straight from the input array (no copy); only the CRLF run at the end of each chunk is held back.
   */
  static final class Simple extends BodyCanonicalizer {
    private static final byte[] CR = {'\r'};

    Simple(Sink sink) {
      super(sink);
    }

    @Override
    void process(byte[] b, int from, int to) {
      int start = from;
      if (pendingCr) {
        pendingCr = false;
        if (b[start] == '\n') {
          heldCrlfs++;
          start++;
        } else {
          writeHeldCrlfs();
          sink.write(CR, 0, 1); // a lone CR is content
        }
        if (start == to) {
          return;
        }
      }
      int end = to;
      boolean crAtEnd = b[end - 1] == '\r';
      if (crAtEnd) {
        end--;
      }
      int k = end;
      long tail = 0;
      while (k - 2 >= start && b[k - 2] == '\r' && b[k - 1] == '\n') {
        k -= 2;
        tail++;
      }
      if (k > start) {
        writeHeldCrlfs();
        sink.write(b, start, k - start);
        heldCrlfs = tail;
      } else {
        heldCrlfs += tail;
      }
      pendingCr = crAtEnd;
    }

    @Override
    void end() {
      if (pendingCr) {
        pendingCr = false;
        writeHeldCrlfs();
        sink.write(CR, 0, 1);
      }
      // Either trailing CRLFs were held (they become one) or the body did not end with CRLF or was
      // empty (one is added): in every case exactly one CRLF ends the canonical body.
      heldCrlfs = 1;
      writeHeldCrlfs();
    }
  }

  /**
   * RFC 6376 section 3.4.4: WSP runs inside a line become one SP, WSP at the end of a line goes, empty
   * lines at the end go, and a CRLF is added to a non-empty last line without one.
   *
   * <p>The rules are applied in two independent parts, which is what makes the fast path possible:
   *
   * <ol>
   *   <li>A local rule per byte, looking at most two bytes ahead and never back: a WSP followed by
   *       another WSP or by CRLF is dropped, any other WSP is written as one SP, every other byte is
   *       written as it is. The last WSP of a run thus stands for the run, and a run before CRLF goes.
   *       A line of only WSP becomes an empty line.
   *   <li>Empty lines at the end: the output's trailing CRLF pairs are held back (counted, as {@link
   *       #heldCrlfs}) whenever output is written to the sink, and written only when more output
   *       follows them. {@link #finish} drops them and ends the body with exactly one CRLF if anything
   *       was written. (A CRLF pair in the output always comes from a CRLF in the input: a lone CR is
   *       never followed by an LF in the output, because a WSP between them stays as a SP.)
   * </ol>
   *
   * <p>Speed: nearly every byte of a body is unchanged by relaxed canonicalization. The fast path
   * classifies eight bytes at a time (SWAR: a long read and a few mask operations, no branch per
   * byte); the mask of a word says which bytes the local rule changes (a TAB, a WSP before WSP or
   * CRLF). Because line ends and empty lines are not changes under this split, ordinary text (single
   * spaces, blank lines between paragraphs) contains no change at all, and a CRLF costs no look back.
   * A cheap pre-check that compares no character (a SP or TAB, told from CR and LF by two bits, that
   * is a TAB or comes before a byte up to 0x20) picks the candidate words; only those take the exact
   * masks. A word without changes is stored into a reused output block with one 8-byte write;
   * unchanged runs of at least 512 bytes (base64 attachments, ordinary text) are only scanned, sixteen
   * bytes per step, and go to the sink straight from the input array. A candidate word is written
   * without a branch on where its changes fall: TABs are mapped to SP by an XOR, up to two dropped
   * bytes (a doubled space, WSP before CRLF) are cut out with shifts and masks, the word is stored
   * whole and the output index advances by 8 minus the dropped count; a word with more dropped bytes
   * (part of a long WSP run) is stored byte by byte, the index advancing by 0 or 1 per byte. What
   * remains is one hard-to-predict branch per changed word, the candidate test itself; a loop that
   * took every word through the exact masks without it measured slower on whitespace-heavy text. The
   * per-byte state machine only handles the last bytes of a chunk, which the two-byte look-ahead
   * cannot see past, and the start of the next chunk until the pending WSP run is decided.
   */
  static final class Relaxed extends BodyCanonicalizer {
    private static final int BLOCK = 16 * 1024;
    /** Unchanged runs at least this long go to the sink from the input array instead of through the block. */
    private static final int DIRECT_RUN = 512;
    private static final byte[] CRLF = {'\r', '\n'};

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;
    private static final long SP8 = 0x2020202020202020L;
    private static final long TAB8 = 0x0909090909090909L;
    private static final long CR8 = 0x0D0D0D0D0D0D0D0DL;
    private static final long LF8 = 0x0A0A0A0A0A0A0A0AL;
    /** TAB ^ SP in each byte: XOR with it turns a TAB into a SP. */
    private static final long TAB_TO_SP = 0x29;

    /**
     * The output block; 16 bytes of slack take the 8-byte stores of a word begun below BLOCK. It
     * starts small and grows to what the input needs, up to BLOCK: a 5 KB body does not pay for
     * clearing 16 KB.
     */
    private byte[] out = new byte[64];
    private int o;
    /** A WSP run ended the previous chunk: its SP depends on what follows. */
    private boolean wsp;
    /** A WSP run and then a CR ended the previous chunk: the run goes if the CR starts a CRLF. */
    private boolean wspCr;
    /** Some output was written to the sink (then the body ends with one CRLF). */
    private boolean wroteContent;

    Relaxed(Sink sink) {
      super(sink);
    }

    @Override
    void process(byte[] b, int from, int to) {
      // The output of this chunk is at most its length and a pending " \r": either it fits below
      // BLOCK, or the block fills and is flushed.
      long need = Math.min(BLOCK, (long) o + (to - from) + 2) + 16;
      if (out.length < need) {
        out = Arrays.copyOf(out, (int) Math.max(need, Math.min(BLOCK + 16, 2L * out.length)));
      }
      int i = from;
      while ((wsp || wspCr) && i < to) {
        step(b[i++]);
      }
      // A word at i reads b[i, i + 10): its eight bytes and the two after them.
      final int limit = to - 10;
      if (i <= limit) {
        i = fast(b, i, limit);
      }
      while (i < to) {
        step(b[i++]);
      }
    }

    /**
     * The fast path over {@code b[i, limit + 8)}, word by word, with look-ahead up to {@code limit +
     * 10}; starts and ends with no pending WSP (the local rule needs no state). Returns where it stopped.
     */
    private int fast(byte[] b, int i, int limit) {
      final byte[] out = this.out;
      int o = this.o;
      int runStart = i; // the unchanged run that ends at i began here; its bytes are at the end of out
      while (i <= limit) {
        long x = (long) LONG_LE.get(b, i);
        if (candidates(b, i, x, content(x)) != 0) {
          // Exact masks, and the word written without a branch on them (they may well be empty).
          long tabs = equal(x, TAB8);
          long dropped = dropped(b, i, x);
          o = compact(out, o, x ^ (tabs >>> 7) * TAB_TO_SP, dropped);
          i += 8;
          runStart = (tabs | dropped) == 0 ? runStart : i;
        } else {
          LONG_LE.set(out, o, x);
          o += 8;
          i += 8;
          if (i - runStart >= DIRECT_RUN) {
            // A long unchanged run: scanned without copying, written from the input.
            o -= i - runStart;
            i = scan(b, i, limit);
            o = direct(b, runStart, i, o);
            runStart = i;
          }
        }
        if (o >= BLOCK) {
          o = flush(o);
          runStart = i; // the run's bytes so far went with the block
        }
      }
      this.o = o;
      return i;
    }

    /**
     * Returns the start of the first word at or after {@code i} that the local rule changes, or the
     * first word start past {@code limit}. Sixteen bytes per step: first the test for sixteen content
     * bytes, which base64 nearly always passes, then the cheap pre-check on both words, which ordinary
     * text nearly always passes; each is a branch that goes the same way almost every time.
     */
    private static int scan(byte[] b, int i, int limit) {
      while (i <= limit - 8) {
        long x0 = (long) LONG_LE.get(b, i);
        long x1 = (long) LONG_LE.get(b, i + 8);
        long c0 = content(x0);
        long c1 = content(x1);
        if ((c0 & c1) != HIGH && (wspCandidates(x0, c0, (c0 ^ HIGH) >>> 8 | (c1 ^ HIGH) << 56)
            | wspCandidates(x1, c1, ~content((long) LONG_LE.get(b, i + 9)))) != 0) {
          if (exact(b, i, x0) != 0) {
            return i;
          }
          if (exact(b, i + 8, x1) != 0) {
            return i + 8;
          }
        }
        i += 16;
      }
      while (i <= limit && changes(b, i, (long) LONG_LE.get(b, i)) == 0) {
        i += 8;
      }
      return i;
    }

    /**
     * Per byte of the word {@code x} read at {@code b[i]}, the high bit set where the local rule changes
     * the byte: a TAB, or a WSP followed by WSP or CRLF. The cheap superset first, which nearly every
     * word of text passes, and only then the exact test.
     */
    private static long changes(byte[] b, int i, long x) {
      return candidates(b, i, x, content(x)) == 0 ? 0 : exact(b, i, x);
    }

    /**
     * A superset of {@link #exact} for the word {@code x} read at {@code b[i]}, whose content mask is
     * {@code content}, that needs no comparison per character: a SP or TAB that is a TAB or comes
     * before a byte up to 0x20.
     */
    private static long candidates(byte[] b, int i, long x, long content) {
      return wspCandidates(x, content, ~content((long) LONG_LE.get(b, i + 1)));
    }

    /** {@link #candidates} given {@code lowNext}, the high bit set where the next byte is up to 0x20. */
    private static long wspCandidates(long x, long content, long lowNext) {
      // Among bytes up to 0x20, SP (0x20) and TAB (0x09) have bits 1 and 2 clear and CR (0x0D) and LF
      // (0x0A) do not: so a line end is no candidate. A few control characters pass as WSP here and
      // are sorted out by the exact test; so is a SP before a lone CR or LF.
      long wspLike = (content ^ HIGH) & ~nonzero(x & 0x0606060606060606L);
      long notSp = nonzero(x & 0x0909090909090909L);
      return wspLike & (notSp | lowNext);
    }

    /** The exact change mask of the word {@code x} read at {@code b[i]}: its TABs and dropped WSP. */
    private static long exact(byte[] b, int i, long x) {
      return equal(x, TAB8) | dropped(b, i, x);
    }

    /** Per byte of the word {@code x} read at {@code b[i]}, the high bit set for a WSP before WSP or CRLF. */
    private static long dropped(byte[] b, int i, long x) {
      long next = (long) LONG_LE.get(b, i + 1);
      long next2 = (long) LONG_LE.get(b, i + 2);
      long wsp = equal(x, SP8) | equal(x, TAB8);
      return wsp & (equal(next, SP8) | equal(next, TAB8) | equal(next, CR8) & equal(next2, LF8));
    }

    /**
     * Stores the bytes of {@code word} whose high bit in {@code dropped} is clear at {@code out[o]} and
     * on, and returns the new end. No branch on where the changes fall: up to two dropped bytes (a
     * doubled space, WSP before CRLF) are removed with shifts and masks and the word is stored whole;
     * more (a long WSP run) take a per-byte loop that stores every byte and advances by 0 or 1.
     */
    private static int compact(byte[] out, int o, long word, long dropped) {
      long rest = (dropped & (dropped - 1)) >>> 8; // the others, at their place once the lowest is gone
      if ((rest & (rest - 1)) == 0) {
        LONG_LE.set(out, o, removeLowest(removeLowest(word, dropped), rest));
        return o + 8 - Long.bitCount(dropped);
      }
      long keep = ~dropped & HIGH;
      for (int k = 0; k < 64; k += 8) {
        out[o] = (byte) (word >>> k);
        o += (int) (keep >>> (k + 7)) & 1;
      }
      return o;
    }

    /** {@code word} without the byte of the lowest high bit of {@code dropped} (the bytes above move down). */
    private static long removeLowest(long word, long dropped) {
      long below = ((dropped & -dropped) >>> 7) - 1; // all ones when nothing is dropped
      return word & below | (word >>> 8) & ~below;
    }

    /** Per byte, the high bit set when the byte is 0x21 or more (8-bit bytes included): "content". */
    private static long content(long v) {
      return (((v & LOW7) + 0x5F5F5F5F5F5F5F5FL) | v) & HIGH;
    }

    /** Per byte of {@code v}, whose bytes are all below 0x80, the high bit set when the byte is not 0. */
    private static long nonzero(long v) {
      return (v + LOW7) & HIGH;
    }

    /** Per byte, the high bit set when the byte equals the corresponding byte of {@code pattern}. */
    private static long equal(long v, long pattern) {
      long t = v ^ pattern;
      return ~(((t & LOW7) + LOW7) | t) & HIGH;
    }

    /**
     * The per-byte form of the local rule, for the bytes the fast path cannot look past: a WSP run is
     * held in {@link #wsp} (and a CR after it in {@link #wspCr}) until the byte that decides it.
     */
    private void step(byte c) {
      if (wspCr) {
        wspCr = false;
        wsp = false;
        if (c == '\n') {
          put((byte) '\r'); // WSP before CRLF: dropped
          put((byte) '\n');
          return;
        }
        put((byte) ' '); // the CR was a lone CR, which is content
        put((byte) '\r');
      }
      if (c == ' ' || c == '\t') {
        wsp = true;
        return;
      }
      if (wsp) {
        if (c == '\r') {
          wspCr = true;
          return;
        }
        wsp = false;
        put((byte) ' ');
      }
      put(c);
    }

    private void put(byte c) {
      out[o++] = c;
      if (o >= BLOCK) {
        o = flush(o);
      }
    }

    /**
     * Writes the block {@code out[0, o)} to the sink except its trailing CRLF pairs, which are added to
     * {@link #heldCrlfs}, and a trailing CR, which may start a CRLF and stays at the start of the block.
     * Returns the new block length. What is written never ends with a CRLF pair, nor with a CR that an
     * LF follows.
     */
    private int flush(int o) {
      int end = o;
      boolean cr = end > 0 && out[end - 1] == '\r';
      if (cr) {
        end--;
      }
      long pairs = 0;
      while (end >= 2 && out[end - 2] == '\r' && out[end - 1] == '\n') {
        end -= 2;
        pairs++;
      }
      if (end > 0) {
        writeHeldCrlfs();
        sink.write(out, 0, end);
        wroteContent = true;
        heldCrlfs = pairs;
      } else {
        heldCrlfs += pairs;
      }
      if (cr) {
        out[0] = '\r';
        return 1;
      }
      return 0;
    }

    /**
     * Writes the block {@code out[0, o)} and then the unchanged input run {@code b[from, to)} to the
     * sink, the run straight from the input. CR and LF bytes at the end of the run (possibly empty lines
     * at the end of the body) go into the block instead. Returns the new block length.
     */
    private int direct(byte[] b, int from, int to, int o) {
      int end = to;
      while (end > from && (b[end - 1] == '\r' || b[end - 1] == '\n')) {
        end--;
      }
      if (end > from) {
        writeHeldCrlfs(); // content follows them
        if (o > 0) {
          sink.write(out, 0, o);
        }
        sink.write(b, from, end - from);
        wroteContent = true;
        o = 0;
      }
      while (end < to) {
        int n = Math.min(to - end, BLOCK - o);
        System.arraycopy(b, end, out, o, n);
        o += n;
        end += n;
        if (o >= BLOCK) {
          o = flush(o);
        }
      }
      return o;
    }

    @Override
    void end() {
      if (wspCr) {
        put((byte) ' '); // the CR is a lone CR at the end of the body: content
        put((byte) '\r');
      }
      wsp = false; // WSP at the end of the last line is ignored
      wspCr = false;
      int end = o;
      while (end >= 2 && out[end - 2] == '\r' && out[end - 1] == '\n') {
        end -= 2; // empty lines at the end, or the CRLF of the last line (written below)
      }
      if (end > 0) {
        writeHeldCrlfs();
        sink.write(out, 0, end);
        wroteContent = true;
      }
      heldCrlfs = 0; // trailing empty lines are ignored
      o = 0;
      if (wroteContent) {
        sink.write(CRLF, 0, 2); // the last line's CRLF, added if it had none
      }
    }
  }
}
