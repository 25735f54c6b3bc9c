package io.s2i.internal.build.step;

import io.s2i.engine.ArchiveSource;
import io.s2i.internal.contract.ContractPaths;
import io.s2i.engine.CommitSpec;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.EngineException;
import io.s2i.engine.ExitStatus;
import io.s2i.engine.OutputSink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An assemble container whose image metadata file was copied out by its own command (through the
 * artifacts pipes): that file is served from the copy, everything else by the container. Asking the
 * engine for it would make the engine mount the pipes' bind to serve the request, leaving an empty
 * mount point in the layer about to be committed.
 */
final class CapturedMetadataHandle implements ContainerHandle {
  private final ContainerHandle container;
  private final Optional<byte[]> metadata;

  CapturedMetadataHandle(ContainerHandle container, Optional<byte[]> metadata) {
    this.container = container;
    this.metadata = metadata;
  }

  @Override
  public String id() {
    return container.id();
  }

  @Override
  public void copyIn(String directory, ArchiveSource archive) throws EngineException {
    container.copyIn(directory, archive);
  }

  @Override
  public ExitStatus run(Optional<ArchiveSource> stdin, OutputSink sink)
      throws EngineException, InterruptedException {
    return container.run(stdin, sink);
  }

  @Override
  public ExitStatus runCapturingStdout(OutputStream stdout, OutputSink stderr)
      throws EngineException, InterruptedException {
    return container.runCapturingStdout(stdout, stderr);
  }

  @Override
  public boolean copyOut(String path, OutputStream out) throws EngineException {
    if (!path.equals(ContractPaths.IMAGE_METADATA_FILE)) {
      return container.copyOut(path, out);
    }
    if (metadata.isEmpty()) {
      return false;
    }
    byte[] content = metadata.get();
    try {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
      TarArchiveEntry entry = new TarArchiveEntry(path.substring(path.lastIndexOf('/') + 1));
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
      tar.finish();
      return true;
    } catch (IOException e) {
      throw new EngineException("could not hand on the image metadata file: " + e.getMessage(), e);
    }
  }

  @Override
  public String commit(CommitSpec spec) throws EngineException {
    return container.commit(spec);
  }

  @Override
  public void close() {
    container.close();
  }
}
