package io.s2i.internal.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.Detection.DetectedLanguage;
import io.s2i.api.Detection.DockerfileInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real project layouts, one per language and per file its version is kept in, plus mixed ones,
 * with the detection each must give: {@code language[:version]@marker} in the detectors' order.
 */
class DetectionCorpusTest {
  @TempDir Path tmp;

  static Stream<Arguments> corpus() {
    return Stream.of(
        // ruby
        layout("ruby-gemfile", List.of("ruby@Gemfile"), "Gemfile", "source 'https://rubygems.org'\ngem 'rails'\n"),
        layout("ruby-version-file", List.of("ruby:3.2.2@Gemfile"), "Gemfile", "gem 'sinatra'\n",
            ".ruby-version", "ruby-3.2.2\n"),
        layout("ruby-gemfile-directive", List.of("ruby:3.1@Gemfile"), "Gemfile",
            "source 'https://rubygems.org'\nruby '~> 3.1'\ngem 'puma'\n"),
        layout("ruby-rack", List.of("ruby@config.ru"), "config.ru", "run ->(env) { [200, {}, ['hi']] }\n"),
        layout("ruby-rakefile", List.of("ruby@Rakefile"), "Rakefile", "task :default\n"),
        // java
        layout("maven-release", List.of("java:17@pom.xml"), "pom.xml", pom(
            "<properties><maven.compiler.release>17</maven.compiler.release></properties>")),
        layout("maven-java-version", List.of("java:21@pom.xml"), "pom.xml", pom(
            "<properties><java.version>21</java.version></properties>")),
        layout("maven-source-1.8", List.of("java:8@pom.xml"), "pom.xml", pom(
            "<properties><maven.compiler.source>1.8</maven.compiler.source>"
                + "<maven.compiler.target>1.8</maven.compiler.target></properties>")),
        layout("maven-plugin-release", List.of("java:11@pom.xml"), "pom.xml", pom(
            "<build><plugins><plugin><artifactId>maven-compiler-plugin</artifactId>"
                + "<configuration><release>11</release></configuration></plugin></plugins></build>")),
        layout("maven-no-version", List.of("java@pom.xml"), "pom.xml", pom("")),
        layout("gradle-toolchain", List.of("java:17@build.gradle"), "build.gradle",
            "plugins { id 'java' }\njava { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\n"),
        layout("gradle-kts-compat", List.of("java:11@build.gradle.kts"), "build.gradle.kts",
            "java {\n  sourceCompatibility = JavaVersion.VERSION_11\n}\n"),
        layout("gradle-kotlin-jvm", List.of("java:21@build.gradle.kts"), "build.gradle.kts",
            "kotlin { jvmToolchain(21) }\n"),
        layout("gradle-java-version-file", List.of("java:17@build.gradle"), "build.gradle", "apply plugin: 'java'\n",
            ".java-version", "17.0.9\n"),
        layout("maven-sdkmanrc", List.of("java:21@pom.xml"), "pom.xml", pom(""), ".sdkmanrc", "java=21.0.2-tem\n"),
        // nodejs
        layout("node-engines", List.of("nodejs:18@package.json"), "package.json",
            "{\"name\":\"web\",\"engines\":{\"node\":\">=18\"}}"),
        layout("node-nvmrc", List.of("nodejs:20.11.1@package.json"), "package.json", "{\"name\":\"web\"}",
            ".nvmrc", "v20.11.1\n"),
        layout("node-node-version", List.of("nodejs:22@package.json"), "package.json", "{}",
            ".node-version", "22\n"),
        layout("node-caret-x", List.of("nodejs:20@package.json"), "package.json",
            "{\"engines\":{\"node\":\"20.x\"}}"),
        layout("node-app-json", List.of("nodejs@app.json"), "app.json", "{\"name\":\"heroku-app\"}"),
        layout("node-volta", List.of("nodejs:18.19.0@package.json"), "package.json",
            "{\"volta\":{\"node\":\"18.19.0\"}}"),
        // php
        layout("php-composer", List.of("php:8.1@composer.json"), "composer.json",
            "{\"require\":{\"php\":\"^8.1\",\"laravel/framework\":\"^10.0\"}}"),
        layout("php-platform", List.of("php:8.2.0@composer.json"), "composer.json",
            "{\"require\":{\"php\":\">=7.4\"},\"config\":{\"platform\":{\"php\":\"8.2.0\"}}}"),
        layout("php-index", List.of("php@index.php"), "index.php", "<?php echo 'hi';\n"),
        // python
        layout("python-requirements", List.of("python@requirements.txt"), "requirements.txt", "flask==3.0\n"),
        layout("python-version-file", List.of("python:3.11@requirements.txt"), "requirements.txt", "django\n",
            ".python-version", "3.11\n"),
        layout("python-runtime-txt", List.of("python:3.12.1@requirements.txt"), "requirements.txt", "",
            "runtime.txt", "python-3.12.1\n"),
        layout("python-pipfile", List.of("python:3.10@Pipfile"), "Pipfile",
            "[packages]\nrequests = \"*\"\n\n[requires]\npython_version = \"3.10\"\n"),
        layout("python-pyproject", List.of("python:3.9@pyproject.toml"), "pyproject.toml",
            "[project]\nname = \"x\"\nrequires-python = \">=3.9\"\n"),
        layout("python-poetry", List.of("python:3.11@pyproject.toml"), "pyproject.toml",
            "[tool.poetry.dependencies]\npython = \"^3.11\"\n"),
        layout("python-setup-py", List.of("python@setup.py"), "setup.py", "from setuptools import setup\nsetup()\n"),
        // perl
        layout("perl-cpanfile", List.of("perl:5.36@cpanfile"), "cpanfile",
            "requires 'perl', '5.036';\nrequires 'Mojolicious';\n"),
        layout("perl-index", List.of("perl@index.pl"), "index.pl", "print \"hi\";\n"),
        // scala
        layout("scala-sbt", List.of("scala:3.3.1@build.sbt"), "build.sbt", "scalaVersion := \"3.3.1\"\n"),
        // dotnet
        layout("dotnet-csproj", List.of("dotnet:8.0@web.csproj"), "web.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net8.0</TargetFramework>"
                + "</PropertyGroup></Project>"),
        layout("dotnet-global-json", List.of("dotnet:6.0@app.sln"), "app.sln", "Microsoft Visual Studio Solution File\n",
            "global.json", "{\n  // pinned\n  \"sdk\": {\"version\": \"6.0.400\"}\n}"),
        layout("dotnet-project-json", List.of("dotnet@project.json"), "project.json", "{}"),
        // golang
        layout("go-mod", List.of("golang:1.21@go.mod"), "go.mod", "module example.com/app\n\ngo 1.21\n"),
        layout("go-toolchain", List.of("golang:1.22@go.mod"), "go.mod",
            "module example.com/app\n\ngo 1.21\n\ntoolchain go1.22.3\n"),
        layout("go-main", List.of("golang@main.go"), "main.go", "package main\nfunc main() {}\n"),
        layout("go-godeps", List.of("golang@Godeps"), "Godeps/Godeps.json", "{}"),
        // rust
        layout("rust-cargo", List.of("rust:1.70@Cargo.toml"), "Cargo.toml",
            "[package]\nname = \"x\"\nrust-version = \"1.70\"\n"),
        layout("rust-toolchain", List.of("rust:1.75.0@Cargo.toml"), "Cargo.toml", "[package]\nname = \"x\"\n",
            "rust-toolchain.toml", "[toolchain]\nchannel = \"1.75.0\"\n"),
        layout("rust-stable-channel", List.of("rust@Cargo.toml"), "Cargo.toml", "[package]\n",
            "rust-toolchain.toml", "[toolchain]\nchannel = \"stable\"\n"),
        // deno
        layout("deno", List.of("deno@deno.json"), "deno.json", "{\"tasks\":{}}"),
        // mixed: all hits, oc's order (java before nodejs), each with its own version
        layout("node-front-maven-back", List.of("java:17@pom.xml", "nodejs:20@package.json"),
            "pom.xml", pom("<properties><maven.compiler.release>17</maven.compiler.release></properties>"),
            "package.json", "{\"engines\":{\"node\":\"20\"}}", "src/main/java/App.java", "class App {}\n",
            "frontend/src/index.js", "console.log(1)\n"),
        layout("rails-with-webpacker", List.of("ruby:3.3.0@Gemfile", "nodejs@package.json"),
            "Gemfile", "gem 'rails'\n", ".ruby-version", "3.3.0\n", "package.json", "{}"),
        layout("python-and-go", List.of("python@requirements.txt", "golang:1.21@go.mod"),
            "requirements.txt", "x\n", "go.mod", "go 1.21\n"),
        // only below the top: oc globs the top directory only
        layout("nested-only", List.of(), "backend/pom.xml", pom(""), "frontend/package.json", "{}"),
        // Dockerfile-only repository: no language
        layout("dockerfile-only", List.of(), "Dockerfile", "FROM debian:12\nCMD [\"true\"]\n"),
        layout("empty", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void detectsTheLanguagesAndVersions(String name, List<String> expected, Map<String, String> files) throws IOException {
    Path dir = write(name, files);
    List<String> found = new ArrayList<>();
    for (DetectedLanguage l : LanguageDetector.detect(dir)) {
      found.add(l.term() + "@" + l.marker());
    }
    assertThat(found).as(name).containsExactlyElementsOf(expected);
  }

  @Test
  void theVersionSourceAndConstraintAreKept() throws IOException {
    Path dir = write("src", Map.of("package.json", "{\"engines\":{\"node\":\">=18 <21\"}}"));
    DetectedLanguage node = LanguageDetector.detect(dir).get(0);
    assertThat(node.versionSource()).contains("package.json engines.node");
    assertThat(node.versionConstraint()).contains(">=18 <21");
    assertThat(node.version()).contains("18");
  }

  @Test
  void dockerfileOrContainerfileDecideTheStrategyWithTheLastFrom() throws IOException {
    Path docker = write("docker", Map.of("Dockerfile",
        "FROM maven:3 AS build\nRUN mvn package\nFROM --platform=linux/amd64 \\\n  eclipse-temurin:21-jre\nCOPY . .\n"));
    assertThat(DockerfileDetector.detect(docker))
        .contains(new DockerfileInfo("Dockerfile", Optional.of("eclipse-temurin:21-jre")));
    Path container = write("container", Map.of("Containerfile", "from registry.example/base:1\n", "package.json", "{}"));
    assertThat(DockerfileDetector.detect(container))
        .contains(new DockerfileInfo("Containerfile", Optional.of("registry.example/base:1")));
    assertThat(DockerfileDetector.detect(write("none", Map.of("app.py", "")))).isEmpty();
  }

  @Test
  void hostileVersionFilesAreNotFollowedOrReadWhole() throws IOException {
    Path outside = Files.writeString(tmp.resolve("secret"), "3.99\n");
    Path dir = write("hostile", Map.of("requirements.txt", "x\n"));
    Files.createSymbolicLink(dir.resolve(".python-version"), outside);
    Files.createSymbolicLink(dir.resolve("runtime.txt"), Path.of("/dev/zero"));
    List<DetectedLanguage> found = LanguageDetector.detect(dir);
    assertThat(found).singleElement().satisfies(l -> {
      assertThat(l.language()).isEqualTo("python");
      assertThat(l.version()).as("a link's target is never read").isEmpty();
    });
  }

  @Test
  void aMarkerThatIsALinkStillProvesTheLanguage() throws IOException {
    Path dir = write("linked", Map.of("real-pom.xml", pom("")));
    Files.createSymbolicLink(dir.resolve("pom.xml"), dir.resolve("real-pom.xml"));
    assertThat(LanguageDetector.detect(dir)).extracting(DetectedLanguage::language).containsExactly("java");
  }

  private Path write(String name, Map<String, String> files) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    return dir;
  }

  private static Arguments layout(String name, List<String> expected, String... pathsAndContents) {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      files.put(pathsAndContents[i], pathsAndContents[i + 1]);
    }
    return Arguments.of(name, expected, files);
  }

  private static String pom(String inner) {
    return "<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>app</artifactId>"
        + "<version>1</version>" + inner + "</project>";
  }
}
