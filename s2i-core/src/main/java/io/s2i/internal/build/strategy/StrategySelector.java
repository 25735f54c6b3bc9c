package io.s2i.internal.build.strategy;

import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.internal.scripts.ScriptDownloader;

/** Chooses how to build: ONBUILD builders run their triggers; every other builder runs assemble. */
public final class StrategySelector {
  private StrategySelector() {}

  public static BuildStrategy select(BuilderImageContract builder, ScriptDownloader downloader) {
    if (!builder.onBuild().isEmpty()) {
      return new OnBuildStrategy(downloader);
    }
    return new SourceStrategy(downloader);
  }
}
