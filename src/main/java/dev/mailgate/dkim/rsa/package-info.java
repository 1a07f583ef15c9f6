/**
 * RSA signature verification for rsa-sha256 DKIM and ARC signatures: RSASSA-PKCS1-v1_5 with SHA-256
 * (RFC 8017 section 8.2.2, RFC 6376 section 3.3.1), {@link dev.mailgate.dkim.rsa.RsaVerifier}.
 *
 * <p>Why not {@code java.security.Signature}: RSA-2048 verification is most of the cost of a small
 * DKIM-signed message, and the JDK's takes about twice OpenSSL's time. A third of it is not the
 * exponentiation but a 4096-by-2048-bit division that {@code BigInteger.modPow} does on every call to
 * bring the signature into Montgomery form. {@link dev.mailgate.dkim.rsa.Montgomery} keeps what
 * depends only on the key (R^2 mod n, -n^-1 mod 2^64) with the cached key and enters Montgomery form
 * with one Montgomery multiplication instead, using the JDK's own Montgomery routines (which HotSpot
 * replaces with its intrinsics) when {@code java.base} opens {@code java.math} to us, and plain
 * {@code modPow} when it does not. Verification only, on public data: nothing here needs to be
 * constant-time, and nothing here signs.
 */
package dev.mailgate.dkim.rsa;
