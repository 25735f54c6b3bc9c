import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.internal.image.layout.Digests;
import io.s2i.internal.image.layout.DockerArchiveWriter;
import io.s2i.internal.image.layout.ImageArchive;
import io.s2i.internal.image.layout.OciLayoutWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Assembles s2i's own container image from layer tars with s2i's image writers (no Dockerfile, no
 * daemon): the config from a template plus the layers' diff ids, written as a docker-archive (for
 * {@code docker load}) and, unless LAYOUT-DIR is {@code -}, as an OCI image layout (gzip layers,
 * for pushing with skopeo). Run by scripts/build-s2i-image.sh with the CLI's class path:
 *
 * <pre>java -cp 's2i-cli/target/lib/*' scripts/lib/ImageAssembler.java CONFIG LAYOUT ARCHIVE NAME:TAG LAYER...</pre>
 */
public final class ImageAssembler {
  private ImageAssembler() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: ImageAssembler CONFIG.json LAYOUT-DIR ARCHIVE.tar NAME:TAG LAYER.tar...");
      System.exit(2);
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(Path.of(args[0]).toFile());
    Path layout = Path.of(args[1]);
    Path archive = Path.of(args[2]);
    String name = args[3];
    String created = config.path("created").asText();
    ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    ArrayNode history = config.putArray("history");
    List<ImageArchive.Layer> layers = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      Path tar = Path.of(args[i]);
      String diffId = Digests.of(tar);
      diffIds.add(diffId);
      history.addObject().put("created", created).put("created_by", "scripts/build-s2i-image.sh: "
          + tar.getFileName());
      layers.add(new ImageArchive.Layer(tar, diffId, Files.size(tar)));
    }
    ImageArchive image = new ImageArchive(json.writeValueAsBytes(config), layers);
    String tag = name.substring(name.lastIndexOf(':') + 1);
    DockerArchiveWriter.write(image, archive, Optional.of(name));
    if (!args[1].equals("-")) {
      OciLayoutWriter.write(image, layout, Optional.of(tag));
    }
    System.out.println(image.id());
  }
}
