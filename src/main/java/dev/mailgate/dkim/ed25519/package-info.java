/**
 * A self-contained Ed25519 signature verifier (RFC 8032 section 5.1.7), for ed25519-sha256 DKIM
 * signatures (RFC 8463): {@link dev.mailgate.dkim.ed25519.Ed25519Verifier}. It accepts exactly what
 * the JDK's Ed25519 accepts (the cofactorless equation, strict point decoding, S below L), about ten
 * times faster, and without a cryptography library in the deployment jar.
 *
 * <p>Inside: {@code FieldElement} (arithmetic mod 2^255 - 19 on five 51-bit limbs), {@code Scalar}
 * (mod L: range check, reduction, signed-window recoding) and {@code Curve} (edwards25519 in
 * extended coordinates, point decoding, the base point tables). Verification only, on public data:
 * nothing here is constant-time, and nothing here signs.
 */
package dev.mailgate.dkim.ed25519;
