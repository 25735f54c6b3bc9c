package io.s2i.build.strategy;

import io.s2i.contract.BuilderImageContract;
import io.s2i.scripts.ScriptDownloader;

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
