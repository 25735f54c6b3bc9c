package io.s2i.engine;

import java.util.List;
import java.util.Map;

/**
 * One image as the engine lists it: enough to find builder images by their labels.
 *
 * @param id the image id
 * @param names its tags ({@code repository:tag}); empty for an untagged image
 * @param labels its labels
 */
public record ImageSummary(String id, List<String> names, Map<String, String> labels) {
  public ImageSummary {
    names = names == null ? List.of() : List.copyOf(names);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
