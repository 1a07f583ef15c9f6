package dev.mailgate.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core (dns, message, spf, dkim, arc, dmarc, authres, policy) stays free of AWS and of the outer
 * layers, and the checks reach DNS and files only through DnsResolver: that is what lets the core run
 * on a laptop, in tests, and in any Lambda handler unchanged.
 */
class CoreArchitectureTest {
  private static final String[] CORE = {
    "dev.mailgate.dns..", "dev.mailgate.message..", "dev.mailgate.spf..", "dev.mailgate.dkim..",
    "dev.mailgate.arc..", "dev.mailgate.dmarc..", "dev.mailgate.authres..", "dev.mailgate.policy.."
  };
  private static final String[] CHECKS = {
    "dev.mailgate.message..", "dev.mailgate.spf..", "dev.mailgate.dkim..", "dev.mailgate.arc..",
    "dev.mailgate.dmarc..", "dev.mailgate.authres..", "dev.mailgate.policy.."
  };
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.mailgate");
  }

  @Test
  void coreImportsNothingFromAws() {
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
        .check(classes);
  }

  @Test
  void coreDoesNotDependOnOuterLayers() {
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.mailgate.gateway..", "dev.mailgate.aws..", "dev.mailgate.cli..", "dev.mailgate.report..")
        .check(classes);
  }

  @Test
  void checksReachDnsOnlyThroughTheResolverInterface() {
    noClasses().that().resideInAnyPackage(CHECKS)
        .should().dependOnClassesThat().resideInAnyPackage("org.xbill.DNS..", "java.nio.file..", "java.net.http..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
        .check(classes);
  }

  @Test
  void classesExistToCheck() {
    // Guards the rules above against an import that silently found nothing.
    org.assertj.core.api.Assertions.assertThat(classes.containPackage("dev.mailgate.spf")).isTrue();
    org.assertj.core.api.Assertions.assertThat(classes.containPackage("dev.mailgate.dns")).isTrue();
  }
}
