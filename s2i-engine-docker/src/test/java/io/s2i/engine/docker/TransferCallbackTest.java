package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.PushResponseItem;
import io.s2i.engine.TransferListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The daemon's progress lines as it sends them, decoded as docker-java decodes them. */
class TransferCallbackTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final List<String> retries = new ArrayList<>();
  final List<String> statuses = new ArrayList<>();
  final TransferListener listener = new TransferListener() {
    @Override
    public void layer(String layer, String status, long current, long total, boolean done) {
      statuses.add(layer + " " + status);
    }

    @Override
    public void retrying(String layer, long delaySeconds) {
      retries.add(layer + " " + delaySeconds);
    }
  };

  static PushResponseItem item(String json) throws Exception {
    return JSON.readValue(json, PushResponseItem.class);
  }

  /** The count-down the daemon sends before retry number {@code n} (5 s, 10 s, ...). */
  static void countDown(TransferCallback<PushResponseItem> cb, String layer, int n) throws Exception {
    for (int s = 5 * n; s >= 1; s--) {
      cb.onNext(item("{\"status\":\"Retrying in " + s + " second" + (s == 1 ? "" : "s") + "\",\"id\":\"" + layer + "\"}"));
    }
  }

  @Test
  void eachRetryOfTheDaemonIsReportedOnceAndIsNotALayerStatus() throws Exception {
    try (TransferCallback<PushResponseItem> cb = new TransferCallback<>(listener)) {
      cb.onNext(item("{\"status\":\"Pushing\",\"id\":\"80f1d97100ee\",\"progressDetail\":{\"current\":1,\"total\":9}}"));
      countDown(cb, "80f1d97100ee", 1);
      countDown(cb, "80f1d97100ee", 2);
      countDown(cb, "7176d7998ac9", 1);
      cb.onNext(item("{\"status\":\"Pushed\",\"id\":\"80f1d97100ee\"}"));
      assertThat(retries).containsExactly("80f1d97100ee 5", "80f1d97100ee 10", "7176d7998ac9 5");
      assertThat(statuses).containsExactly("80f1d97100ee Pushing", "80f1d97100ee Pushed");
      assertThat(cb.abandonedLayer()).isEmpty();
    }
  }

  @Test
  void aLayerRetriedMoreThanAllowedGivesTheTransferUp() throws Exception {
    try (TransferCallback<PushResponseItem> cb = new TransferCallback<>(listener, 1)) {
      countDown(cb, "7176d7998ac9", 1);
      countDown(cb, "80f1d97100ee", 1);
      assertThat(cb.abandonedLayer()).isEmpty();
      countDown(cb, "80f1d97100ee", 2);
      assertThat(cb.abandonedLayer()).contains("80f1d97100ee");
      assertThat(retries).containsExactly("7176d7998ac9 5", "80f1d97100ee 5");
      cb.awaitCompletion(); // released by giving up, as it is when the stream ends
    }
  }
}
