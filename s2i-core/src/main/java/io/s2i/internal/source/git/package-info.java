/**
 * Git sources through JGit: classifying local work trees, cloning, checking out {@code --ref},
 * submodules, and reading the commit recorded in the output labels.
 */
package io.s2i.internal.source.git;
