package dev.mailgate.dkim;

/**
 * The result of hashing a canonicalized body (RFC 6376 section 3.7, hash step 1).
 *
 * @param digest the hash of the canonical body, truncated to the body length limit if there was one
 * @param canonicalLength the length of the whole canonical body in octets (also beyond the limit), to
 *     compare with an l= tag
 * @param hashedLength how many canonical octets went into the hash
 */
public record BodyHash(byte[] digest, long canonicalLength, long hashedLength) {}
