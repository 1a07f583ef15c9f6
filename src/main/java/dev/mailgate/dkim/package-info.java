/**
 * DKIM: verifying and creating DKIM-Signature fields (RFC 6376, updated by RFC 8301 and RFC 8463).
 *
 * <p>Entry points: {@link dev.mailgate.dkim.DkimVerifier#verify} (one {@link dev.mailgate.dkim.DkimResult}
 * per signature, topmost first) and {@link dev.mailgate.dkim.DkimSigner#sign}. Everything works on the
 * raw bytes that {@link dev.mailgate.message.RawMessage} keeps, never on a re-serialized message.
 *
 * <p>Building blocks, public so that ARC (RFC 8617) can reuse them for ARC-Message-Signature and
 * ARC-Seal: {@link dev.mailgate.dkim.TagList} (tag=value lists, with byte-exact emptying of b=),
 * {@link dev.mailgate.dkim.Canonicalization} (header canonicalization and streaming body
 * canonicalizers), {@link dev.mailgate.dkim.BodyHasher} (one-pass canonicalize-and-hash with l=),
 * {@link dev.mailgate.dkim.SignedHeaders} (h= selection bottom-up and the header hash input), {@link
 * dev.mailgate.dkim.DkimKeyRecord} (key records at selector._domainkey.domain), {@link
 * dev.mailgate.dkim.SignatureAlgorithm} (rsa-sha256 and ed25519-sha256, verify and sign) and {@link
 * dev.mailgate.dkim.DkimKeys} (key encodings).
 *
 * <p>Decisions where the RFCs leave a choice (each is stated again where it is implemented):
 *
 * <ul>
 *   <li>rsa-sha1 is never a pass: permerror "rsa-sha1 is not accepted (RFC 8301)", decided from the
 *       signature alone, before any DNS query (RFC 8301 section 3.1; RFC 6376 section 3.3.4).
 *   <li>RSA keys under 1024 bits: permerror "key too small (N bits; RFC 8301 requires 1024)" (RFC 8301
 *       section 3.2). The minimum can be raised, not lowered.
 *   <li>A signature without v=, or with v= other than 1 (pre-RFC drafts such as v=0.5): permerror.
 *   <li>An expired x=: permerror "signature expired" (RFC 6376 section 6.1.1 PERMFAIL); t= in the
 *       future is accepted; x= not after t= is a syntax error.
 *   <li>l= larger than the canonical body: fail ("body hash did not verify: l=..."), because the
 *       signed body is no longer all there. l= shorter than the body: pass, with the unsigned octet count
 *       in the reason, or policy when {@code allowPartialBody} is off.
 *   <li>Several TXT records at the key name: the first three are tried in order; a pass wins, else the
 *       first fail, else the first record's error (RFC 6376 section 6.1.2 step 4).
 *   <li>At most 10 signatures per message are verified (topmost first); each further one gets
 *       "policy", without DNS queries (RFC 6376 sections 6.1 and 8.4).
 *   <li>Ed25519 p= must be the raw 32-byte key (RFC 8463 section 4.2); a SubjectPublicKeyInfo is
 *       rejected. RSA p= may be a SubjectPublicKeyInfo or a bare PKCS#1 RSAPublicKey.
 *   <li>The g= tag of RFC 4871 key records is ignored (RFC 6376 dropped it).
 * </ul>
 */
package dev.mailgate.dkim;
