package dev.mailgate.dkim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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
  /** CRLFs of empty lines (and, for simple, of the last line) not yet written. */
  long heldCrlfs;
  /** The previous chunk ended with a CR whose LF may start the next chunk. */
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
   * <p>Speed: most of a typical body is unchanged by relaxed canonicalization (words, single spaces
   * between them, CRLF after a non-blank character). The fast path classifies eight bytes at a time
   * (SWAR: a long read and a few mask operations, no branch per byte) and stores each word into a
   * reused 16 KB output block with one 8-byte write, advancing past the bytes that are unchanged. Only
   * a byte that changes something (a TAB, a run of WSP, WSP before CRLF, an empty line) goes through
   * the per-byte state machine, after which the fast path resumes.
   */
  static final class Relaxed extends BodyCanonicalizer {
    private static final int BLOCK = 16 * 1024;
    /**
     * Slack after the block: the fast path starts each run with at most BLOCK - DIRECT_RUN bytes in the
     * block and stores at most DIRECT_RUN bytes of it word by word, so past the block go at most one
     * 8-byte store, one inline step (up to 256 bytes of empty lines) and the LF of a CRLF.
     */
    private static final int SLACK = 272;
    /**
     * Unchanged runs at least this long go to the sink from the input array instead of through the
     * block: most of a large message is base64, which relaxed canonicalization leaves as it is.
     */
    private static final int DIRECT_RUN = 512;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;
    private static final long SP8 = 0x2020202020202020L;
    private static final long CR8 = 0x0D0D0D0D0D0D0D0DL;
    private static final long LF8 = 0x0A0A0A0A0A0A0A0AL;

    private final byte[] out = new byte[BLOCK + SLACK];
    private int o;
    /** Whitespace seen in the current line and not yet written (written as one SP before content). */
    private boolean wsp;
    /** The current line has content, so its CRLF is kept. */
    private boolean lineHasContent;

    Relaxed(Sink sink) {
      super(sink);
    }

    @Override
    void process(byte[] b, int from, int to) {
      int i = from;
      if (pendingCr) {
        pendingCr = false;
        if (b[i] == '\n') {
          i++;
          endOfLine();
        } else {
          content((byte) '\r');
        }
      }
      // Local copies keep the state in registers inside the loop.
      final byte[] out = this.out;
      int o = this.o;
      boolean wsp = this.wsp;
      boolean hasContent = this.lineHasContent;
      // The fast path looks two bytes back and one byte past each 8-byte word, within this chunk only.
      final int fastFrom = from + 2;
      final int fastLimit = to - 9;
      while (i < to) {
        if (!wsp && i >= fastFrom && i <= fastLimit && heldCrlfs == 0) {
          int start = i;
          do {
            if (o > BLOCK - DIRECT_RUN) {
              sink.write(out, 0, o); // room for a run of DIRECT_RUN bytes stored word by word
              o = 0;
            }
            int runStart = i;
            long x = (long) LONG_LE.get(b, i);
            long changed = changed(b, i, x);
            while (changed == 0) {
              LONG_LE.set(out, o, x);
              o += 8;
              i += 8;
              if (i - runStart >= DIRECT_RUN) {
                // A long unchanged run (base64 lines, long text lines): scanned without copying and
                // written to the sink straight from the input, after what the block holds.
                o -= i - runStart;
                while (i <= fastLimit) {
                  x = (long) LONG_LE.get(b, i);
                  if (content(x) == HIGH) {
                    i += 8; // eight content bytes, by far the most common word of a long run
                    continue;
                  }
                  changed = changed(b, i, x);
                  if (changed != 0) {
                    break;
                  }
                  i += 8;
                }
                if (o > 0) {
                  sink.write(out, 0, o);
                  o = 0;
                }
                sink.write(b, runStart, i - runStart);
                break;
              }
              if (i > fastLimit) {
                break;
              }
              x = (long) LONG_LE.get(b, i);
              changed = changed(b, i, x);
            }
            if (i > fastLimit) {
              break;
            }
            // The word at i changes something (changed != 0, x holds it).
            LONG_LE.set(out, o, x); // all 8 bytes; only the unchanged prefix is kept by advancing o
            {
              int k = Long.numberOfTrailingZeros(changed) >>> 3;
              o += k;
              i += k;
              // The common changes inside text are handled here, without leaving the fast path.
              int c0 = b[i];
              if (c0 == ' ' || c0 == '\t') {
                int n1 = b[i + 1] & 0xff; // i + 1 < to: a word starts at most at to - 9
                if (n1 > 0x20) {
                  out[o++] = ' '; // a TAB before content (a SP there is unchanged): one SP
                  i++;
                  continue;
                }
                if ((n1 == ' ' || n1 == '\t') && (b[i - 1] & 0xff) > 0x20) {
                  i++; // the first WSP of a run after content: dropped; the run's last one decides
                  continue;
                }
              }
              int j = i;
              while (j < to && (b[j] == ' ' || b[j] == '\t')) {
                j++;
              }
              if (j + 1 >= to) {
                break;
              }
              int c = b[j] & 0xff;
              if (j > i && c > 0x20) {
                out[o++] = ' '; // a WSP run before content: one SP
                i = j;
              } else if (c == '\r' && b[j + 1] == '\n' && j > i && ((b[i - 1] & 0xff) > 0x20
                  // or the run's first WSP was dropped above, which it only is right after content
                  || ((b[i - 1] == ' ' || b[i - 1] == '\t') && i - 2 >= from && (b[i - 2] & 0xff) > 0x20))) {
                out[o++] = '\r'; // WSP at the end of a line with content: dropped
                out[o++] = '\n';
                i = j + 2;
              } else if (c == '\r' && j == i && b[i - 1] == '\n' && b[i - 2] == '\r') {
                // Empty lines: kept as they are if content follows (they are not at the end).
                while (j + 1 < to && b[j] == '\r' && b[j + 1] == '\n' && j - i < 256) {
                  j += 2;
                }
                if (j >= to || (b[j] & 0xff) <= 0x20 || j - i >= 256) {
                  break;
                }
                System.arraycopy(b, i, out, o, j - i);
                o += j - i;
                i = j;
              } else {
                break;
              }
            }
          } while (i <= fastLimit);
          if (i > start) {
            if (b[i - 1] == '\r') {
              out[o++] = '\n'; // the word ended inside a CRLF: its LF (checked) goes with the CR
              i++;
            }
            hasContent = b[i - 1] != '\n'; // what the fast path wrote ends with content or a CRLF
          }
          if (o >= BLOCK) {
            sink.write(out, 0, o);
            o = 0;
          }
          if (i >= to) {
            break;
          }
        }
        byte c = b[i++];
        if (c == ' ' || c == '\t') {
          wsp = true;
          continue;
        }
        if (c == '\r') {
          if (i == to) {
            pendingCr = true; // decided by the next chunk, or by finish()
            break;
          }
          if (b[i] == '\n') {
            i++;
            wsp = false; // whitespace at the end of a line is ignored
            if (hasContent) {
              out[o++] = '\r';
              out[o++] = '\n';
              hasContent = false;
              if (o >= BLOCK) {
                sink.write(out, 0, o);
                o = 0;
              }
            } else {
              heldCrlfs++; // an empty line: written only if content follows
            }
            continue;
          }
          // a lone CR: content, handled below
        }
        if (heldCrlfs != 0) {
          o = writeHeldCrlfs(out, o);
        }
        if (wsp) {
          out[o++] = ' ';
          wsp = false;
        }
        out[o++] = c;
        hasContent = true;
        if (o >= BLOCK) {
          sink.write(out, 0, o);
          o = 0;
        }
      }
      this.o = o;
      this.wsp = wsp;
      this.lineHasContent = hasContent;
    }

    /**
     * For the 8 bytes {@code x} read at {@code b[i]}, the high bit of each byte that relaxed
     * canonicalization may change, given no pending whitespace and no held empty lines. Unchanged are:
     * content (0x21 and up, 8-bit bytes included), a SP followed by content, and the CR and LF of a
     * CRLF that follows content. Cheapest checks first: all content (base64, long words), then single
     * spaces (text), and only then CRLF, which needs the bytes before the word.
     */
    private static long changed(byte[] b, int i, long x) {
      long content = content(x);
      long next = (long) LONG_LE.get(b, i + 1);
      long changed = ~(content | (equal(x, SP8) & content(next))) & HIGH;
      if (changed == 0) {
        return 0;
      }
      long prev = (long) LONG_LE.get(b, i - 1);
      long crlf = (equal(x, CR8) & equal(next, LF8) & content(prev))
          | (equal(x, LF8) & equal(prev, CR8) & content((long) LONG_LE.get(b, i - 2)));
      return changed & ~crlf;
    }

    /** Per byte, the high bit set when the byte is 0x21 or more (8-bit bytes included): "content". */
    private static long content(long v) {
      return (((v & LOW7) + 0x5F5F5F5F5F5F5F5FL) | v) & HIGH;
    }

    /** Per byte, the high bit set when the byte equals the corresponding byte of {@code pattern}. */
    private static long equal(long v, long pattern) {
      long t = v ^ pattern;
      return ~(((t & LOW7) + LOW7) | t) & HIGH;
    }

    /** Writes the held empty lines: into the block when they fit, else straight to the sink. */
    private int writeHeldCrlfs(byte[] out, int o) {
      long bytes = heldCrlfs * 2;
      if (o + bytes <= BLOCK) {
        for (long n = heldCrlfs; n > 0; n--) {
          out[o++] = '\r';
          out[o++] = '\n';
        }
        heldCrlfs = 0;
        return o;
      }
      sink.write(out, 0, o);
      writeHeldCrlfs();
      return 0;
    }

    private void endOfLine() {
      wsp = false;
      if (lineHasContent) {
        out[o++] = '\r';
        out[o++] = '\n';
        lineHasContent = false;
        if (o >= BLOCK) {
          flush();
        }
      } else {
        heldCrlfs++;
      }
    }

    private void content(byte c) {
      if (heldCrlfs != 0) {
        o = writeHeldCrlfs(out, o);
      }
      if (wsp) {
        out[o++] = ' ';
        wsp = false;
      }
      out[o++] = c;
      lineHasContent = true;
      if (o >= BLOCK) {
        flush();
      }
    }

    private void flush() {
      if (o > 0) {
        sink.write(out, 0, o);
        o = 0;
      }
    }

    @Override
    void end() {
      if (pendingCr) {
        pendingCr = false;
        content((byte) '\r');
      }
      if (lineHasContent) {
        // A non-empty last line without CRLF gets one (its trailing WSP is already dropped).
        out[o++] = '\r';
        out[o++] = '\n';
        lineHasContent = false;
      }
      heldCrlfs = 0; // trailing empty lines are ignored
      flush();
    }
  }
}
