package dev.mailgate.dkim.ed25519;

import static dev.mailgate.dkim.ed25519.Reference.P;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The curve constants, point decoding and the group law, against the BigInteger model. */
class CurveTest {

  private static BigInteger value(FieldElement f) {
    return Reference.fromLe(f.toBytes());
  }

  /** The affine point of c's (X : Y : Z). */
  private static Reference.Pt affine(Curve.Point c) {
    BigInteger zInv = value(c.z).modInverse(P);
    return new Reference.Pt(value(c.x).multiply(zInv).mod(P), value(c.y).multiply(zInv).mod(P));
  }

  private static Curve.Point point(Reference.Pt p) {
    Curve.Point c = new Curve.Point();
    assertThat(Curve.decode(c, Reference.encode(p), 0)).isTrue();
    return c;
  }

  private static Reference.Pt completed(Curve.Completed r) {
    Curve.Point out = new Curve.Point();
    Curve.toExtended(out, r);
    // T must be consistent: T Z = X Y
    assertThat(value(new FieldElement().mul(out.t, out.z))).isEqualTo(value(new FieldElement().mul(out.x, out.y)));
    return affine(out);
  }

  @Test
  void rfc8032_5_1_constants() {
    assertThat(value(Curve.D)).isEqualTo(Reference.D);
    assertThat(value(Curve.D2)).isEqualTo(Reference.D.shiftLeft(1).mod(P));
    assertThat(value(Curve.SQRT_M1)).isEqualTo(Reference.SQRT_M1);
    assertThat(Reference.SQRT_M1.modPow(BigInteger.TWO, P)).isEqualTo(P.subtract(BigInteger.ONE));
    assertThat(value(Curve.BASE_X)).isEqualTo(Reference.B.x());
    assertThat(value(Curve.BASE_Y)).isEqualTo(Reference.B.y());
    // RFC 8032 section 5.1: B = (15112221349535400772501151409588531511454012693041857206046113283949847762202,
    // 46316835694926478169428394003475163141307993866256225615783033603165251855960)
    assertThat(Reference.B.x()).isEqualTo(
        new BigInteger("15112221349535400772501151409588531511454012693041857206046113283949847762202"));
    assertThat(Reference.B.y()).isEqualTo(
        new BigInteger("46316835694926478169428394003475163141307993866256225615783033603165251855960"));
    assertThat(Reference.onCurve(Reference.B)).isTrue();
    assertThat(Reference.mul(Reference.L, Reference.B)).isEqualTo(Reference.IDENTITY);
  }

  @Test
  void baseTableHoldsTheOddMultiplesOfB() {
    Curve.Prepared[] table = Curve.BASE_ODD_MULTIPLES;
    assertThat(table).hasSize(1 << (Curve.BASE_WIDTH - 2));
    Reference.Pt twoB = Reference.add(Reference.B, Reference.B);
    Reference.Pt expected = Reference.B;
    for (Curve.Prepared q : table) {
      assertThat(q.z2).isNull(); // affine
      BigInteger ypx = value(q.yPlusX);
      BigInteger ymx = value(q.yMinusX);
      BigInteger two = BigInteger.TWO;
      BigInteger x = ypx.subtract(ymx).multiply(two.modInverse(P)).mod(P);
      BigInteger y = ypx.add(ymx).multiply(two.modInverse(P)).mod(P);
      assertThat(new Reference.Pt(x, y)).isEqualTo(expected);
      assertThat(value(q.t2d)).isEqualTo(x.multiply(y).multiply(Reference.D).shiftLeft(1).mod(P));
      expected = Reference.add(expected, twoB);
    }
  }

  @Test
  void splitBaseTablesHoldTheOddMultiplesOfPowersOfTwoTimesB() {
    Curve.Prepared[][] tables = Curve.SplitBase.TABLES;
    assertThat(tables.length).isEqualTo(Curve.SplitBase.PARTS);
    BigInteger two = BigInteger.TWO;
    for (int i = 0; i < tables.length; i++) {
      assertThat(tables[i]).hasSize(1 << (Curve.SplitBase.WIDTH - 2));
      Reference.Pt base = Reference.mul(BigInteger.ONE.shiftLeft(Curve.SplitBase.PART_BITS * i), Reference.B);
      for (int m : new int[] {0, 1, tables[i].length - 1}) {
        Curve.Prepared q = tables[i][m];
        BigInteger ypx = value(q.yPlusX);
        BigInteger ymx = value(q.yMinusX);
        BigInteger x = ypx.subtract(ymx).multiply(two.modInverse(P)).mod(P);
        BigInteger y = ypx.add(ymx).multiply(two.modInverse(P)).mod(P);
        assertThat(new Reference.Pt(x, y)).as("table %d entry %d", i, m)
            .isEqualTo(Reference.mul(BigInteger.valueOf(2L * m + 1), base));
      }
    }
  }

  @Test
  void timesPowerOfTwo() {
    Reference.Pt a = Reference.add(Reference.mul(BigInteger.valueOf(123456789), Reference.B),
        Reference.smallOrderPoints().get(3));
    Curve.Point p = Curve.timesPowerOfTwo(point(a), 64);
    assertThat(affine(p)).isEqualTo(Reference.mul(BigInteger.ONE.shiftLeft(64), a));
    assertThat(value(new FieldElement().mul(p.t, p.z))).isEqualTo(value(new FieldElement().mul(p.x, p.y)));
  }

  @Test
  void rfc8032_5_1_3_decodingAgreesWithTheModel() {
    Random r = new Random(20);
    int valid = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] enc = new byte[32];
      r.nextBytes(enc);
      if (i % 10 == 0) {
        enc[31] |= 0x7f; // near p: some of these are non-canonical
        for (int j = 1; j < 31; j++) {
          enc[j] = (byte) 0xff;
        }
      }
      Reference.Pt expected = Reference.decode(enc);
      Curve.Point c = new Curve.Point();
      boolean ok = Curve.decode(c, enc, 0);
      assertThat(ok).as("decode %s", java.util.HexFormat.of().formatHex(enc)).isEqualTo(expected != null);
      if (ok) {
        valid++;
        assertThat(affine(c)).isEqualTo(expected);
        assertThat(value(c.t)).isEqualTo(expected.x().multiply(expected.y()).mod(P));
      }
    }
    assertThat(valid).isBetween(1000, 2000); // about half of all y have a root
  }

  @Test
  void rfc8032_5_1_4_doublingAndAdditionAgreeWithTheModel() {
    Random r = new Random(21);
    Curve.Completed c = new Curve.Completed();
    for (int i = 0; i < 50; i++) {
      Reference.Pt a = Reference.mul(new BigInteger(253, r), Reference.B);
      Reference.Pt b = Reference.mul(new BigInteger(253, r), Reference.B);
      if (i % 5 == 0) {
        b = Reference.add(b, Reference.smallOrderPoints().get(i % 8)); // mixed order too
      }
      Curve.Point pa = point(a);
      Curve.Point pb = point(b);
      Curve.dbl(c, pa);
      assertThat(completed(c)).isEqualTo(Reference.add(a, a));
      Curve.Prepared[] multiples = Curve.oddMultiples(pb, 2);
      Curve.add(c, pa, multiples[0]);
      assertThat(completed(c)).isEqualTo(Reference.add(a, b));
      Curve.sub(c, pa, multiples[1]);
      Reference.Pt threeB = Reference.add(Reference.add(b, b), b);
      assertThat(completed(c)).isEqualTo(Reference.add(a, Reference.neg(threeB)));
      // P + P through the addition formula (it is complete: no exceptional cases)
      Curve.add(c, pa, Curve.oddMultiples(pa, 1)[0]);
      assertThat(completed(c)).isEqualTo(Reference.add(a, a));
      // P - P = identity
      Curve.sub(c, pa, Curve.oddMultiples(pa, 1)[0]);
      assertThat(completed(c)).isEqualTo(Reference.IDENTITY);
    }
  }
}
