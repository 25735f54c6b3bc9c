package io.s2i;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.LocationProvider;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The library's package rules (docs/library.md, "What is API"): the API is {@code io.s2i} (the
 * facade), {@code io.s2i.api} and the engine SPI {@code io.s2i.engine}; nothing they expose to a
 * caller names an {@code io.s2i.internal} type, and the internal packages keep their layers.
 */
@AnalyzeClasses(locations = ArchitectureTest.MainClasses.class,
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /** The module's own classes only (the directory {@code S2i} was loaded from): no jar is scanned. */
  static final class MainClasses implements LocationProvider {
    @Override
    public Set<Location> get(Class<?> testClass) {
      try {
        return Set.of(Location.of(S2i.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final String[] API_PACKAGES = {"io.s2i", "io.s2i.api", "io.s2i.engine"};

  @ArchTest
  static final ArchRule apiExposesNoInternalType = classes()
      .that().resideInAnyPackage(API_PACKAGES)
      .and().arePublic()
      .should(exposeNoInternalType())
      .because("a caller of the API must never need (or see) a type of io.s2i.internal");

  @ArchTest
  static final ArchRule apiTypesNeedOnlyTheJdk = classes()
      .that().resideInAPackage("io.s2i.api")
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.s2i.api")
      .because("requests, results, events and errors are plain data a service can store and send");

  @ArchTest
  static final ArchRule engineSpiNeedsOnlyTheApi = classes()
      .that().resideInAPackage("io.s2i.engine")
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.s2i.api", "io.s2i.engine")
      .because("an engine author implements the SPI without the library's internals");

  @ArchTest
  static final ArchRule facadeIsOnTop = noClasses()
      .that().resideInAPackage("io.s2i.internal..")
      .should().dependOnClassesThat().resideInAPackage("io.s2i")
      .because("the facade calls the internals, never the other way round");

  @ArchTest
  static final ArchRule noPackageCycles = slices()
      .matching("io.s2i.(**)")
      .should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyTheFacadeChoosesStrategies = noClasses()
      .that().resideOutsideOfPackages("io.s2i", "io.s2i.internal.build.strategy")
      .should().dependOnClassesThat().resideInAPackage("io.s2i.internal.build.strategy");

  @ArchTest
  static final ArchRule sessionKnowsNoStep = noClasses()
      .that().resideInAPackage("io.s2i.internal.build")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.s2i.internal.build.step", "io.s2i.internal.build.strategy");

  @ArchTest
  static final ArchRule adaptersKnowNoBuild = noClasses()
      .that().resideInAnyPackage("io.s2i.internal.archive", "io.s2i.internal.image..",
          "io.s2i.internal.registry..", "io.s2i.internal.contract", "io.s2i.internal.scripts",
          "io.s2i.internal.source", "io.s2i.internal.fs")
      .should().dependOnClassesThat().resideInAnyPackage("io.s2i.internal.build..")
      .because("the build orchestrates the adapters; they do not know the build");

  @ArchTest
  static final ArchRule onlyTheContractReadsLabels = noClasses()
      .that().resideInAnyPackage("io.s2i.internal.archive", "io.s2i.internal.image..",
          "io.s2i.internal.registry..", "io.s2i.internal.source..", "io.s2i.engine", "io.s2i.api")
      .should().dependOnClassesThat().resideInAPackage("io.s2i.internal.contract")
      .because("the builder-image contract (labels, paths) lives in one package");

  /**
   * Every public or protected member (field type, parameters, return type, throws clause, type
   * arguments anywhere in them), and the supertypes of a public type, are checked.
   */
  private static ArchCondition<JavaClass> exposeNoInternalType() {
    DescribedPredicate<JavaClass> internal = JavaClass.Predicates.resideInAPackage("io.s2i.internal..");
    return new ArchCondition<>("expose no io.s2i.internal type") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        List<String> leaks = new ArrayList<>();
        collect(type.getDescription() + " extends", type.getSuperclass().stream().toList(), internal, leaks);
        collect(type.getDescription() + " implements", new ArrayList<>(type.getInterfaces()), internal, leaks);
        for (JavaField f : type.getFields()) {
          if (visible(f)) {
            collect(f.getFullName(), List.of(f.getType()), internal, leaks);
          }
        }
        for (JavaCodeUnit c : type.getCodeUnits()) {
          if (visible(c)) {
            List<JavaType> involved = new ArrayList<>(c.getParameterTypes());
            involved.add(c.getReturnType());
            c.getThrowsClause().getTypes().forEach(involved::add);
            collect(c.getFullName(), involved, internal, leaks);
          }
        }
        for (String leak : leaks) {
          events.add(SimpleConditionEvent.violated(type, leak));
        }
      }
    };
  }

  private static boolean visible(JavaMember member) {
    Set<JavaModifier> m = member.getModifiers();
    return m.contains(JavaModifier.PUBLIC) || m.contains(JavaModifier.PROTECTED);
  }

  private static void collect(String where, List<? extends JavaType> types,
      DescribedPredicate<JavaClass> internal, List<String> leaks) {
    Set<String> found = new TreeSet<>();
    for (JavaType t : types) {
      for (JavaClass raw : t.getAllInvolvedRawTypes()) {
        if (internal.test(raw)) {
          found.add(raw.getName());
        }
      }
    }
    if (!found.isEmpty()) {
      leaks.add(where + " exposes " + String.join(", ", found));
    }
  }
}
