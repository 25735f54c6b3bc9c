package io.s2i.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.LocationProvider;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;

/** The CLI is a client of the library's API, like any embedder: no internals, no engine classes. */
@AnalyzeClasses(locations = ArchitectureTest.MainClasses.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The module's own classes only: no jar is scanned. */
  static final class MainClasses implements LocationProvider {
    @Override
    public Set<Location> get(Class<?> testClass) {
      try {
        return Set.of(Location.of(S2iCli.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @ArchTest
  static final ArchRule usesOnlyTheApi = noClasses()
      .that().resideInAPackage("io.s2i.cli..")
      .should().dependOnClassesThat().resideInAnyPackage("io.s2i.internal..", "io.s2i.engine.docker..",
          "io.s2i.engine.oci..")
      .because("the CLI uses the library through io.s2i, io.s2i.api and io.s2i.engine only (engines are found by name)");
}
