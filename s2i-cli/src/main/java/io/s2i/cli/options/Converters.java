package io.s2i.cli.options;

import io.s2i.api.AllowedUids;
import io.s2i.api.EnvVar;
import io.s2i.api.ImageRef;
import io.s2i.api.PullPolicy;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Flag value converters: each value is validated when it is read. */
public final class Converters {
  private Converters() {}

  /** {@code NAME=VALUE}. */
  public static final class Env implements ITypeConverter<EnvVar> {
    @Override
    public EnvVar convert(String value) {
      try {
        return EnvVar.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** An image reference. */
  public static final class Image implements ITypeConverter<ImageRef> {
    @Override
    public ImageRef convert(String value) {
      try {
        return ImageRef.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code always}, {@code never} or {@code if-not-present}. */
  public static final class Pull implements ITypeConverter<PullPolicy> {
    @Override
    public PullPolicy convert(String value) {
      try {
        return PullPolicy.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Uid ranges. */
  public static final class Uids implements ITypeConverter<AllowedUids> {
    @Override
    public AllowedUids convert(String value) {
      try {
        return AllowedUids.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A Docker bind spec {@code source:target[:options]}. */
  public static final class Volume implements ITypeConverter<String> {
    private static final Set<String> OPTIONS = Set.of(
        "ro", "rw", "z", "Z", "shared", "rshared", "slave", "rslave", "private", "rprivate",
        "nocopy", "consistent", "cached", "delegated");

    @Override
    public String convert(String value) {
      String[] parts = value.split(":", -1);
      boolean ok = (parts.length == 2 || parts.length == 3)
          && !parts[0].isEmpty() && parts[1].startsWith("/");
      if (ok && parts.length == 3) {
        for (String opt : parts[2].split(",")) {
          ok &= OPTIONS.contains(opt);
        }
      }
      if (!ok) {
        throw new TypeConversionException("invalid volume \"" + value
            + "\": use HOST_PATH:CONTAINER_PATH[:ro|rw], with an absolute container path");
      }
      return value;
    }
  }

  /**
   * A duration as Go and docker write them: {@code 90s}, {@code 5m}, {@code 1h30m}, or plain
   * seconds; {@code 0} for no limit.
   */
  public static final class Timeout implements ITypeConverter<java.time.Duration> {
    private static final java.util.regex.Pattern FORM =
        java.util.regex.Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    @Override
    public java.time.Duration convert(String value) {
      String v = value.trim();
      if (v.matches("\\d+")) {
        return java.time.Duration.ofSeconds(Long.parseLong(v));
      }
      java.util.regex.Matcher m = FORM.matcher(v);
      if (v.isEmpty() || !m.matches()) {
        throw new TypeConversionException("invalid duration \"" + value + "\": write it as 90s, 5m, 1h30m or 0 for no limit");
      }
      long seconds = 0;
      seconds += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 3600;
      seconds += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 60;
      seconds += m.group(3) == null ? 0 : Long.parseLong(m.group(3));
      return java.time.Duration.ofSeconds(seconds);
    }
  }

  /** A {@code host:ip} entry. */
  public static final class Host implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      int colon = value.indexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new TypeConversionException("invalid --add-host \"" + value + "\": use HOST:IP");
      }
      return value;
    }
  }
}
