package dev.mailgate.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DkimKeyRecordTest {
  private static final String RSA_SPKI = Base64.getEncoder().encodeToString(TestKeys.rsa1024().getPublic().getEncoded());
  private static final String ED = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  @Test
  void rfc8463_A_2_records() {
    DkimKeyRecord ed = DkimKeyRecord.parse("v=DKIM1; k=ed25519; p=" + ED);
    assertThat(ed.isValid()).isTrue();
    assertThat(ed.keyType()).isEqualTo("ed25519");
    assertThat(ed.keyBits()).isEqualTo(256);
    assertThat(DkimKeys.rawEd25519(ed.publicKey())).isEqualTo(Base64.getDecoder().decode(ED));
    DkimKeyRecord rsa = DkimKeyRecord.parse("v=DKIM1; k=rsa; p=" + RSA_SPKI);
    assertThat(rsa.keyType()).isEqualTo("rsa");
    assertThat(rsa.keyBits()).isEqualTo(1024);
    assertThat(rsa.revoked()).isFalse();
  }

  @Test
  void rfc6376_3_6_1_defaults() {
    DkimKeyRecord r = DkimKeyRecord.parse("p=" + RSA_SPKI);
    assertThat(r.keyType()).isEqualTo("rsa");
    assertThat(r.allowsHash("sha256")).isTrue();
    assertThat(r.allowsEmail()).isTrue();
    assertThat(r.testing()).isFalse();
    assertThat(r.sameDomainOnly()).isFalse();
  }

  @Test
  void rfc6376_3_6_1_whitespaceInsidePIsIgnored() {
    String folded = RSA_SPKI.substring(0, 20) + " \t" + RSA_SPKI.substring(20, 60) + "\r\n " + RSA_SPKI.substring(60);
    assertThat(DkimKeyRecord.parse("k=rsa; p=" + folded).keyBits()).isEqualTo(1024);
  }

  @Test
  void barePkcs1RsaPublicKeyIsAccepted() {
    // stalwart's 002 key record: p= is an RSAPublicKey (RFC 8017 A.1.1), not a SubjectPublicKeyInfo.
    String pkcs1 = "MIGJAoGBALVI635dLK4cJJAH3Lx6upo3X/Lm1tQz3mezcWTA3BUBnyIsdnRf57aD5BtNmhPrYYDlWlzw3UgnKisIxktkk5+iMQMlFtAS10JB8L3YadXNJY+JBcbeSi5TgJe4WFzNgW95FWDAuSTRXSWZfA/8xjflbTLDx0euFZOM7C4T0GwLAgMBAAE=";
    DkimKeyRecord r = DkimKeyRecord.parse("v=DKIM1; p=" + pkcs1);
    assertThat(r.error()).isNull();
    assertThat(r.keyBits()).isEqualTo(1024);
    assertThat(((RSAPublicKey) r.publicKey()).getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
  }

  @Test
  void rfc6376_6_1_2_step7_emptyPIsRevoked() {
    for (String rec : new String[] {"k=rsa; t=y; p=", "v=DKIM1; p= ", "p=\r\n "}) {
      DkimKeyRecord r = DkimKeyRecord.parse(rec);
      assertThat(r.isValid()).as(rec).isTrue();
      assertThat(r.revoked()).as(rec).isTrue();
      assertThat(r.publicKey()).isNull();
    }
  }

  @Test
  void rfc6376_3_6_1_flagsServicesAndHashes() {
    DkimKeyRecord r = DkimKeyRecord.parse("v=DKIM1; s=email:web:fine; x1 = extra ; t = y:s:extra; h=md5:sha1; p=" + RSA_SPKI + " ; ");
    assertThat(r.error()).isNull();
    assertThat(r.allowsEmail()).isTrue();
    assertThat(r.testing()).isTrue();
    assertThat(r.sameDomainOnly()).isTrue();
    assertThat(r.allowsHash("sha256")).isFalse();
    assertThat(r.allowsHash("sha1")).isTrue();
    assertThat(DkimKeyRecord.parse("s=chat; p=" + RSA_SPKI).allowsEmail()).isFalse();
    assertThat(DkimKeyRecord.parse("s=*; p=" + RSA_SPKI).allowsEmail()).isTrue();
    assertThat(DkimKeyRecord.parse("h=sha1 : sha256; p=" + RSA_SPKI).allowsHash("sha256")).isTrue();
  }

  @Test
  void rfc6376_appendix_c_gTagOfRfc4871IsIgnored() {
    assertThat(DkimKeyRecord.parse("v=DKIM1; g=jl*g; p=" + RSA_SPKI).isValid()).isTrue();
    assertThat(DkimKeyRecord.parse("v=DKIM1; g=; p=" + RSA_SPKI).isValid()).isTrue();
  }

  @ParameterizedTest(name = "RFC 6376 6.1.2 step 5: \"{0}\" -> {1}")
  @CsvSource(delimiter = '|', value = {
      "v=DKIM3; p=RSA                 | v=DKIM3 is not DKIM1",
      "k=rsa; v=DKIM1; p=RSA          | v= is not the first tag",
      "k=rsa; t; p=RSA                | key record syntax error",
      "v=DKIM1; p=RSA; p=RSA          | duplicate tag p=",
      "v=DKIM1; k=rsa                 | no p= tag",
      "''                             | no p= tag",
      "k=foobar; t=y; p=RSA           | unsupported key type k=foobar",
      "k=rsa; p=!!notbase64!!         | p= is not base64",
      "k=rsa; p=AAAA                  | p= is not an RSA public key",
      "k=rsa; p=ED                    | p= is not an RSA public key",
      "k=ed25519; p=RSA               | an Ed25519 p= must be 32 bytes, not 162",
      "k=ed25519; p=MCowBQYDK2VwAyEA3SUqa9UbfciWkk7tlcJ9P1VD5pXAasg0JUn/OgjVbKE= | must be 32 bytes, not 44",
  })
  void unusableRecords(String record, String error) {
    DkimKeyRecord r = DkimKeyRecord.parse(record.replace("p=RSA", "p=" + RSA_SPKI).replace("p=ED", "p=" + ED));
    assertThat(r.isValid()).isFalse();
    assertThat(r.error()).contains(error);
    assertThat(r.publicKey()).isNull();
  }

  @Test
  void corruptedDerGivesAnErrorNotAnException() {
    byte[] der = TestKeys.rsa2048().getPublic().getEncoded();
    for (int cut = 1; cut < der.length; cut += 7) {
      String p = Base64.getEncoder().encodeToString(Arrays.copyOf(der, cut));
      assertThat(DkimKeyRecord.parse("p=" + p).isValid()).isFalse();
    }
    byte[] flipped = der.clone();
    flipped[1] ^= 0x40;
    assertThat(DkimKeyRecord.parse("p=" + Base64.getEncoder().encodeToString(flipped)).isValid()).isFalse();
  }

  @Test
  void publishedRecordRoundTrips() {
    KeyPair kp = TestKeys.rsa2048();
    DkimKeyRecord r = DkimKeyRecord.parse(DkimKeys.keyRecord(kp.getPublic()));
    assertThat(r.publicKey()).isEqualTo(kp.getPublic());
    assertThat(r.keyBits()).isEqualTo(2048);
  }

  @Test
  void dnsName() {
    assertThat(DkimKeyRecord.dnsName("brisbane", "football.example.com")).isEqualTo("brisbane._domainkey.football.example.com");
  }
}
