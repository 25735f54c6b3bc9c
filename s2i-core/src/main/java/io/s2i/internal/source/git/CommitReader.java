package io.s2i.internal.source.git;

import io.s2i.api.SourceInfo;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** Reads the checked-out commit of a repository as upstream records it in the labels. */
public final class CommitReader {
  /** Git's default date format ({@code git log --date=default}): day of month not padded. */
  private static final DateTimeFormatter GIT_DEFAULT_DATE =
      DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy Z", Locale.ROOT);

  private CommitReader() {}

  /** The HEAD commit, or empty when the repository has none. */
  public static Optional<SourceInfo.Commit> head(Repository repo) throws IOException {
    ObjectId head = repo.resolve(Constants.HEAD);
    if (head == null) {
      return Optional.empty();
    }
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(head);
      PersonIdent author = commit.getAuthorIdent();
      String full = repo.getFullBranch();
      String ref = full != null && full.startsWith(Constants.R_HEADS)
          ? full.substring(Constants.R_HEADS.length()) : Constants.HEAD;
      return Optional.of(new SourceInfo.Commit(
          commit.getName(), ref, author.getName() + " <" + author.getEmailAddress() + ">",
          formatDate(author), commit.getShortMessage()));
    }
  }

  /** The author date in git's default format, in the author's own time zone. */
  static String formatDate(PersonIdent ident) {
    return ZonedDateTime.ofInstant(ident.getWhenAsInstant(), ident.getZoneOffset()).format(GIT_DEFAULT_DATE);
  }
}
