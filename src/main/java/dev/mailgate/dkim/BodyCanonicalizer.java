package dev.mailgate.dkim;

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
   * lines at the end go, and a CRLF is added to a non-empty last line without one. One tight loop over
   * the input writes into a reused 16 KB block, which goes to the sink when full.
   */
  static final class Relaxed extends BodyCanonicalizer {
    private static final int BLOCK = 16 * 1024;
    /** Room kept free so one step of the loop (at most 3 bytes) never overflows the block. */
    private static final int LIMIT = BLOCK - 4;

    private final byte[] out = new byte[BLOCK];
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
      while (i < to) {
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
              if (o >= LIMIT) {
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
          sink.write(out, 0, o);
          o = 0;
          writeHeldCrlfs();
        }
        if (wsp) {
          out[o++] = ' ';
          wsp = false;
        }
        out[o++] = c;
        hasContent = true;
        if (o >= LIMIT) {
          sink.write(out, 0, o);
          o = 0;
        }
      }
      this.o = o;
      this.wsp = wsp;
      this.lineHasContent = hasContent;
    }

    private void endOfLine() {
      wsp = false;
      if (lineHasContent) {
        out[o++] = '\r';
        out[o++] = '\n';
        lineHasContent = false;
        if (o >= LIMIT) {
          flush();
        }
      } else {
        heldCrlfs++;
      }
    }

    private void content(byte c) {
      if (heldCrlfs != 0) {
        flush();
        writeHeldCrlfs();
      }
      if (wsp) {
        out[o++] = ' ';
        wsp = false;
      }
      out[o++] = c;
      lineHasContent = true;
      if (o >= LIMIT) {
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
