package io.s2i.cli.command;

import io.s2i.api.S2iException;

/**
 * A command that turns its options into a plan before anything runs, and then runs only from the
 * plan: every option either changes the plan or is refused (an {@link S2iException}). A test walks
 * every option of every command and checks exactly that, so no option is accepted in vain.
 */
interface Planned {
  /** Everything this invocation will do, as values that are equal only when nothing differs. */
  Object plan() throws S2iException;
}
