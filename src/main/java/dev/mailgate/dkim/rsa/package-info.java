/**
 * RSA signature verification for rsa-sha256 DKIM and ARC signatures: RSASSA-PKCS1-v1_5 with SHA-256
 * (RFC 8017 section 8.2.2, RFC 6376 section 3.3.1), {@link dev.mailgate.dkim.rsa.RsaVerifier}.
 *
 * <p>Why not {@code java.security.Signature}: RSA-2048 verification is most of the cost of a small
 * DKIM-signed message, and the JDK's takes about twice OpenSSL's time. A third of it is not the
 * exponentiation but a 4096-by-2048-bit division that {@code BigInteger.modPow} does on every call to
 * bring the signature into Montgomery form. {@link dev.mailgate.dkim.rsa.Montgomery} never enters it:
 * it runs the square-and-multiply chain on the plain signature and corrects the result with one
 * Montgomery multiplication by R^e mod n, which depends only on the key and is cached with it (as is
 * -n^-1 mod 2^64). It uses the JDK's own Montgomery routines (which HotSpot replaces with its
 * intrinsics) when {@code java.base} opens {@code java.math} to us, and plain {@code modPow} when it
 * does not. Verification only, on public data: nothing here needs to be
 * constant-time, and nothing here signs.
 */
package dev.mailgate.dkim.rsa;
