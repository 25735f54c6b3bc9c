package io.s2i.internal.detect;

import static io.s2i.internal.detect.VersionReader.json;
import static io.s2i.internal.detect.VersionReader.pattern;
import static io.s2i.internal.detect.VersionReader.wholeFile;

import java.util.List;
import java.util.Optional;

/**
 * The detectors, in order. The first eleven are oc new-app's ({@code DefaultDetectors}, with its
 * markers and order; its {@code .net} detector, a second name for the dotnet files, is the
 * {@code dotnet} rule's alias here); the markers it lacks and the last rule are s2i's own. oc
 * never reads a version; every rule here does, from the files each ecosystem keeps it in.
 */
final class LanguageRules {
  private LanguageRules() {}

  private static final String QUOTED = "[\"']([^\"']+)[\"']";

  static final List<LanguageRule> ALL = List.of(
      new LanguageRule("ruby", List.of("Gemfile", "Rakefile", "config.ru"), List.of(
          wholeFile(".ruby-version"),
          pattern("Gemfile", "Gemfile ruby", "^\\s*ruby\\s+" + QUOTED))),
      new LanguageRule("java", List.of("pom.xml", "build.gradle", "build.gradle.kts"), List.of(
          pattern("pom.xml", "pom.xml maven.compiler.release",
              "<maven\\.compiler\\.release>\\s*([^<\\s]+)\\s*<"),
          pattern("pom.xml", "pom.xml release", "<release>\\s*([^<\\s]+)\\s*</release>"),
          pattern("pom.xml", "pom.xml java.version", "<java\\.version>\\s*([^<\\s]+)\\s*<"),
          pattern("pom.xml", "pom.xml maven.compiler.target",
              "<maven\\.compiler\\.target>\\s*([^<\\s]+)\\s*<"),
          pattern("pom.xml", "pom.xml maven.compiler.source",
              "<maven\\.compiler\\.source>\\s*([^<\\s]+)\\s*<"),
          gradle("build.gradle"),
          gradle("build.gradle.kts"),
          wholeFile(".java-version"),
          pattern(".sdkmanrc", ".sdkmanrc java", "^\\s*java\\s*=\\s*(\\S+)"),
          pattern("system.properties", "system.properties java.runtime.version",
              "^\\s*java\\.runtime\\.version\\s*=\\s*(\\S+)"))),
      new LanguageRule("nodejs", List.of("app.json", "package.json"), List.of(
          wholeFile(".nvmrc"),
          wholeFile(".node-version"),
          json("package.json", "engines", "node"),
          json("package.json", "volta", "node"))),
      new LanguageRule("php", List.of("index.php", "composer.json"), List.of(
          wholeFile(".php-version"),
          json("composer.json", "config", "platform", "php"),
          json("composer.json", "require", "php"))),
      new LanguageRule("python", List.of("requirements.txt", "setup.py", "pyproject.toml", "Pipfile",
          "setup.cfg"), List.of(
          wholeFile(".python-version"),
          pattern("runtime.txt", "runtime.txt", "^\\s*python-(\\S+)"),
          pattern("Pipfile", "Pipfile python_version", "^\\s*python_(?:full_)?version\\s*=\\s*" + QUOTED),
          pattern("pyproject.toml", "pyproject.toml requires-python",
              "^\\s*requires-python\\s*=\\s*" + QUOTED),
          pattern("pyproject.toml", "pyproject.toml tool.poetry python",
              "^\\s*python\\s*=\\s*" + QUOTED))),
      new LanguageRule("perl", List.of("index.pl", "cpanfile"), List.of(
          wholeFile(".perl-version"),
          pattern("cpanfile", "cpanfile requires perl",
              "^\\s*requires\\s+[\"']perl[\"']\\s*,\\s*[\"']?v?([0-9][0-9.]*)"))),
      new LanguageRule("scala", List.of("build.sbt"), List.of(
          pattern("build.sbt", "build.sbt scalaVersion", "scalaVersion\\s*:=\\s*\"([^\"]+)\""))),
      new LanguageRule("dotnet", List.of("project.json", "*.csproj", "*.fsproj", "*.vbproj", "*.sln"),
          List.of(
              json("global.json", "sdk", "version"),
              targetFramework())),
      new LanguageRule("golang", List.of("main.go", "Godeps", "go.mod"), List.of(
          pattern("go.mod", "go.mod toolchain", "^toolchain\\s+go(\\S+)"),
          pattern("go.mod", "go.mod go", "^go\\s+(\\S+)"))),
      new LanguageRule("rust", List.of("Cargo.toml"), List.of(
          pattern("rust-toolchain.toml", "rust-toolchain.toml channel",
              "^\\s*channel\\s*=\\s*\"(\\d[^\"]*)\""),
          pattern("rust-toolchain", "rust-toolchain", "^\\s*(\\d\\S*)"),
          pattern("Cargo.toml", "Cargo.toml rust-version", "^\\s*rust-version\\s*=\\s*\"([^\"]+)\""))),
      new LanguageRule("deno", List.of("deno.json", "deno.jsonc"), List.of(
          wholeFile(".dvmrc"))));

  /**
   * Gradle's Java level: a toolchain ({@code JavaLanguageVersion.of(17)}, {@code jvmToolchain(17)})
   * or {@code sourceCompatibility}/{@code targetCompatibility} ({@code JavaVersion.VERSION_17},
   * {@code '17'}, {@code 17}).
   */
  private static VersionReader gradle(String file) {
    List<VersionReader> forms = List.of(
        pattern(file, file + " toolchain", "JavaLanguageVersion\\.of\\(\\s*(\\d+)\\s*\\)"),
        pattern(file, file + " jvmToolchain", "jvmToolchain\\(\\s*(\\d+)\\s*\\)"),
        pattern(file, file + " sourceCompatibility",
            "(?:source|target)Compatibility\\s*=\\s*(?:JavaVersion\\.VERSION_)?[\"']?([0-9_.]+)"));
    return (language, top) -> {
      for (VersionReader form : forms) {
        Optional<FoundVersion> v = form.read(language, top)
            .map(f -> new FoundVersion(Versions.normalise(language, f.constraint().replace('_', '.'))
                .orElse(f.version()), f.source(), f.constraint()));
        if (v.isPresent()) {
          return v;
        }
      }
      return Optional.empty();
    };
  }

  /** {@code <TargetFramework>net8.0</TargetFramework>} of the first project file. */
  private static VersionReader targetFramework() {
    return (language, top) -> {
      for (String glob : List.of("*.csproj", "*.fsproj", "*.vbproj")) {
        for (String file : top.all(glob)) {
          Optional<FoundVersion> v = pattern(file, file + " TargetFramework",
              "<TargetFrameworks?>\\s*([^<;\\s]+)").read(language, top);
          if (v.isPresent()) {
            return v;
          }
        }
      }
      return Optional.empty();
    };
  }

  /** Names that builders' tags and catalogues use for a language, beside its own. */
  static List<String> aliases(String language) {
    return switch (language) {
      case "nodejs" -> List.of("nodejs", "node");
      case "golang" -> List.of("golang", "go");
      case "dotnet" -> List.of("dotnet", ".net");
      default -> List.of(language);
    };
  }

  /** The language a builder's tag or catalogue entry names, by alias; empty when none. */
  static Optional<String> canonical(String name) {
    String n = name.strip().toLowerCase(java.util.Locale.ROOT);
    for (LanguageRule rule : ALL) {
      if (aliases(rule.language()).contains(n)) {
        return Optional.of(rule.language());
      }
    }
    return BINARY_LANGUAGES.contains(n) ? Optional.of(n) : Optional.empty();
  }

  /** Languages of single-file sources ({@link BinaryDetector}). */
  static final List<String> BINARY_LANGUAGES = List.of("java-binary", "jee", "binary");
}
