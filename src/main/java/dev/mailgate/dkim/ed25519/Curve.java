package dev.mailgate.dkim.ed25519;

/**
 * The twisted Edwards curve edwards25519, -x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19) (RFC 8032
 * section 5.1), in extended coordinates (X : Y : Z : T) with x = X/Z, y = Y/Z, x y = T/Z (Hisil,
 * Wong, Carter, Dawson, "Twisted Edwards Curves Revisited", 2008). Stateless and thread-safe: the
 * constants and the base point table are built once in the static initializer and never written
 * again.
 *
 * <p>Formulas (RFC 8032 section 5.1.4, the Explicit-Formulas Database's "add-2008-hwcd-3" and
 * "dbl-2008-hwcd" for a = -1) produce a {@link Completed} point (E, F, G, H) that maps to (E F : G H :
 * F G : E H); converting without T costs one multiplication less, which is enough before a doubling
 * (doubling does not read T).
 */
final class Curve {
  // The constants below are written as 51-bit limbs so that class initialization needs no
  // BigInteger arithmetic (tens of milliseconds before the JIT warms up); CurveTest derives each
  // one again from its definition.

  /** d = -121665/121666 (RFC 8032 section 5.1). */
  static final FieldElement D = new FieldElement(
      0x34dca135978a3L, 0x1a8283b156ebdL, 0x5e7a26001c029L, 0x739c663a03cbbL, 0x52036cee2b6ffL);
  /** 2d, used by the addition formula's C = T1 2d T2. */
  static final FieldElement D2 = new FieldElement(
      0x69b9426b2f159L, 0x35050762add7aL, 0x3cf44c0038052L, 0x6738cc7407977L, 0x2406d9dc56dffL);
  /** sqrt(-1) = 2^((p-1)/4) (RFC 8032 section 5.1.3 step 3). */
  static final FieldElement SQRT_M1 = new FieldElement(
      0x61b274a0ea0b0L, 0x0d5a5fc8f189dL, 0x7ef5e9cbd0c60L, 0x78595a6804c9eL, 0x2b8324804fc1dL);
  /** The base point B (RFC 8032 section 5.1): y = 4/5 ... */
  static final FieldElement BASE_Y = new FieldElement(
      0x6666666666658L, 0x4ccccccccccccL, 0x1999999999999L, 0x3333333333333L, 0x6666666666666L);
  /** ... and x the even root of x^2 = (y^2 - 1)/(d y^2 + 1). */
  static final FieldElement BASE_X = new FieldElement(
      0x62d608f25d51aL, 0x412a4b4f6592aL, 0x75b7171a4b31dL, 0x1ff60527118feL, 0x216936d3cd6e5L);

  /**
   * Window width of the base point's signed digits: the table holds its 2^(w-2) odd multiples. 7
   * rather than 8: a 64-entry table would save about 3.5 of some 70 point additions per verification
   * (about 1%), but doubles the class initialization, which runs in the interpreter (about 2 ms for
   * 32 entries on the shared 2-core build machine, plus about as much for loading the classes).
   */
  static final int BASE_WIDTH = 7;
  /** B, 3B, 5B, ..., (2^(w-1) - 1)B in affine form (Z = 1). */
  static final Prepared[] BASE_ODD_MULTIPLES =
      affineOddMultiples(affinePoint(BASE_X, BASE_Y), 1 << (BASE_WIDTH - 2));

  /**
   * The base point tables for verification with a pre-decoded key, which splits each scalar into
   * {@link #PARTS} pieces of {@link #PART_BITS} bits: table i holds the odd multiples of
   * [2^(64 i)]B, for signed digits of width {@link #WIDTH}. Built on first use (a holder class),
   * since only callers that cache keys need it; being off the class initialization path, it can
   * afford the wider window.
   */
  static final class SplitBase {
    static final int PARTS = 4;
    static final int PART_BITS = 256 / PARTS;
    static final int WIDTH = 8;
    static final Prepared[][] TABLES = new Prepared[PARTS][];

    static {
      Point p = affinePoint(BASE_X, BASE_Y);
      for (int i = 0; i < PARTS; i++) {
        if (i > 0) {
          p = timesPowerOfTwo(p, PART_BITS);
        }
        TABLES[i] = affineOddMultiples(p, 1 << (WIDTH - 2));
      }
    }

    private SplitBase() {}
  }

  private Curve() {}

  /** A point in extended coordinates; used without T (projective) between doublings. */
  static final class Point {
    final FieldElement x = new FieldElement();
    final FieldElement y = new FieldElement();
    final FieldElement z = new FieldElement();
    final FieldElement t = new FieldElement();

    Point setIdentity() {
      x.setZero();
      y.setOne();
      z.setOne();
      t.setZero();
      return this;
    }
  }

  /** The (E, F, G, H) of the formulas before the final four multiplications, and a scratch element. */
  static final class Completed {
    final FieldElement e = new FieldElement();
    final FieldElement f = new FieldElement();
    final FieldElement g = new FieldElement();
    final FieldElement h = new FieldElement();
    final FieldElement tmp = new FieldElement();
  }

  /**
   * A point prepared as an addend: (Y + X, Y - X, 2d T, 2Z), all tight; z2 is null for an affine
   * point (Z = 1), which saves a multiplication per addition.
   */
  static final class Prepared {
    final FieldElement yPlusX = new FieldElement();
    final FieldElement yMinusX = new FieldElement();
    final FieldElement t2d = new FieldElement();
    final FieldElement z2;

    Prepared(boolean affine) {
      z2 = affine ? null : new FieldElement();
    }
  }

  /**
   * Decodes a point (RFC 8032 section 5.1.3) from b[off..off+32) into out (T set); false when the
   * encoding is invalid: y >= p, x^2 = (y^2 - 1)/(d y^2 + 1) has no root, or x = 0 with the sign bit
   * set. Every point on the curve decodes, including those of small order.
   */
  static boolean decode(Point out, byte[] b, int off) {
    if (!FieldElement.isCanonical(b, off)) {
      return false; // step 1: y >= p fails
    }
    boolean sign = (b[off + 31] & 0x80) != 0;
    FieldElement y = new FieldElement().fromBytes(b, off);
    FieldElement y2 = new FieldElement().sqr(y);
    FieldElement u = new FieldElement().sub(y2, new FieldElement().setOne()); // u = y^2 - 1
    FieldElement v = new FieldElement().mul(D, y2);
    v.add(v, new FieldElement().setOne()); // v = d y^2 + 1
    // Step 2: the candidate root x = u v^3 (u v^7)^((p-5)/8).
    FieldElement v2 = new FieldElement().sqr(v);
    FieldElement v3 = new FieldElement().mul(v2, v);
    FieldElement uv3 = new FieldElement().mul(u, v3);
    FieldElement uv7 = new FieldElement().mul(uv3, v2.sqr(v2)); // u v^3 v^4
    FieldElement x = new FieldElement().pow2523(uv7);
    x.mul(x, uv3);
    // Step 3: v x^2 = u: x is a root; v x^2 = -u: x sqrt(-1) is; otherwise there is none.
    FieldElement vx2 = new FieldElement().sqr(x);
    vx2.mul(vx2, v);
    if (!vx2.sameValue(u)) {
      if (!new FieldElement().add(vx2, u).isZero()) {
        return false;
      }
      x.mul(x, SQRT_M1);
    }
    // Step 4: x = 0 with x_0 = 1 fails; otherwise take the root whose parity is x_0.
    if (sign && x.isZero()) {
      return false;
    }
    if (x.isNegative() != sign) {
      x.neg(x).carry();
    }
    out.x.set(x);
    out.y.set(y);
    out.z.setOne();
    out.t.mul(x, y);
    return true;
  }

  /** r = 2p (dbl-2008-hwcd); reads p.x, p.y, p.z only. */
  static void dbl(Completed r, Point p) {
    r.e.sqr(p.x); // A = X1^2
    r.h.sqr(p.y); // B = Y1^2
    r.f.sqr(p.z);
    r.f.add(r.f, r.f); // C = 2 Z1^2
    r.tmp.add(p.x, p.y);
    r.tmp.sqr(r.tmp); // (X1 + Y1)^2
    r.g.sub(r.e, r.h); // G = A - B
    r.h.add(r.e, r.h); // H = A + B
    r.e.sub(r.h, r.tmp); // E = H - (X1 + Y1)^2
    r.f.add(r.f, r.g); // F = C + G
  }

  /** r = p + q (add-2008-hwcd-3). */
  static void add(Completed r, Point p, Prepared q) {
    r.tmp.sub(p.y, p.x);
    r.e.mul(r.tmp, q.yMinusX); // A = (Y1 - X1)(Y2 - X2)
    r.tmp.add(p.y, p.x);
    r.h.mul(r.tmp, q.yPlusX); // B = (Y1 + X1)(Y2 + X2)
    r.f.mul(p.t, q.t2d); // C = T1 2d T2
    if (q.z2 != null) {
      r.g.mul(p.z, q.z2); // D = Z1 2 Z2
    } else {
      r.g.add(p.z, p.z);
    }
    r.tmp.sub(r.h, r.e); // E = B - A
    r.h.add(r.h, r.e); // H = B + A
    r.e.set(r.tmp);
    r.tmp.sub(r.g, r.f); // F = D - C
    r.g.add(r.g, r.f); // G = D + C
    r.f.set(r.tmp);
  }

  /** r = p - q: the addition with -q = (-X2, Y2, Z2, -T2), i.e. Y2 + X2 and Y2 - X2 swapped, C negated. */
  static void sub(Completed r, Point p, Prepared q) {
    r.tmp.sub(p.y, p.x);
    r.e.mul(r.tmp, q.yPlusX);
    r.tmp.add(p.y, p.x);
    r.h.mul(r.tmp, q.yMinusX);
    r.f.mul(p.t, q.t2d);
    if (q.z2 != null) {
      r.g.mul(p.z, q.z2);
    } else {
      r.g.add(p.z, p.z);
    }
    r.tmp.sub(r.h, r.e); // E = B - A
    r.h.add(r.h, r.e); // H = B + A
    r.e.set(r.tmp);
    r.tmp.add(r.g, r.f); // F = D - (-C)
    r.g.sub(r.g, r.f); // G = D + (-C)
    r.f.set(r.tmp);
  }

  /** p = c with T, ready for an addition. */
  static void toExtended(Point p, Completed c) {
    p.x.mul(c.e, c.f);
    p.y.mul(c.g, c.h);
    p.z.mul(c.f, c.g);
    p.t.mul(c.e, c.h);
  }

  /** p = c without T, enough for a doubling. */
  static void toProjective(Point p, Completed c) {
    p.x.mul(c.e, c.f);
    p.y.mul(c.g, c.h);
    p.z.mul(c.f, c.g);
  }

  static void prepare(Prepared r, Point p) {
    r.yPlusX.add(p.y, p.x).carry();
    r.yMinusX.sub(p.y, p.x).carry();
    r.t2d.mul(p.t, D2);
    r.z2.add(p.z, p.z).carry();
  }

  /** [2^n]p (n >= 1), with T. */
  static Point timesPowerOfTwo(Point p, int n) {
    Completed c = new Completed();
    Point r = new Point();
    r.x.set(p.x);
    r.y.set(p.y);
    r.z.set(p.z);
    for (int i = 0; i < n; i++) {
      dbl(c, r);
      toProjective(r, c);
    }
    toExtended(r, c);
    return r;
  }

  static Point affinePoint(FieldElement x, FieldElement y) {
    Point p = new Point();
    p.x.set(x);
    p.y.set(y);
    p.z.setOne();
    p.t.mul(x, y);
    return p;
  }

  /** P, 3P, 5P, ..., (2n - 1)P, projective (Z kept). */
  static Prepared[] oddMultiples(Point p, int n) {
    Prepared[] table = new Prepared[n];
    Completed c = new Completed();
    Point twice = new Point();
    dbl(c, p);
    toExtended(twice, c);
    Prepared twiceP = new Prepared(false);
    prepare(twiceP, twice);
    Point cur = new Point();
    cur.x.set(p.x);
    cur.y.set(p.y);
    cur.z.set(p.z);
    cur.t.set(p.t);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        add(c, cur, twiceP);
        toExtended(cur, c);
      }
      table[i] = new Prepared(false);
      prepare(table[i], cur);
    }
    return table;
  }

  /**
   * The odd multiples of p in affine prepared form: computed projectively,
   * then all divided by their Z with one inversion (Montgomery's simultaneous inversion).
   */
  private static Prepared[] affineOddMultiples(Point p, int n) {
    Prepared[] projective = oddMultiples(p, n);
    // Recover X, Y, Z of each from (Y + X, Y - X, 2Z): the factor 2 cancels in X/Z and Y/Z.
    FieldElement[] xs = new FieldElement[n];
    FieldElement[] ys = new FieldElement[n];
    FieldElement[] zs = new FieldElement[n];
    for (int i = 0; i < n; i++) {
      Prepared q = projective[i];
      FieldElement sum = new FieldElement().sub(q.yPlusX, q.yMinusX).carry(); // 2X
      FieldElement diff = new FieldElement().add(q.yPlusX, q.yMinusX).carry(); // 2Y
      xs[i] = sum;
      ys[i] = diff;
      zs[i] = q.z2; // 2Z, matching 2X and 2Y
    }
    FieldElement[] prefix = new FieldElement[n];
    prefix[0] = new FieldElement().set(zs[0]);
    for (int i = 1; i < n; i++) {
      prefix[i] = new FieldElement().mul(prefix[i - 1], zs[i]);
    }
    FieldElement inv = new FieldElement().invert(prefix[n - 1]);
    Prepared[] table = new Prepared[n];
    for (int i = n - 1; i >= 0; i--) {
      FieldElement zInv = i == 0 ? new FieldElement().set(inv) : new FieldElement().mul(inv, prefix[i - 1]);
      inv.mul(inv, zs[i]);
      FieldElement ax = new FieldElement().mul(xs[i], zInv);
      FieldElement ay = new FieldElement().mul(ys[i], zInv);
      Prepared q = new Prepared(true);
      q.yPlusX.add(ay, ax).carry();
      q.yMinusX.sub(ay, ax).carry();
      q.t2d.mul(new FieldElement().mul(ax, ay), D2);
      table[i] = q;
    }
    return table;
  }

}
