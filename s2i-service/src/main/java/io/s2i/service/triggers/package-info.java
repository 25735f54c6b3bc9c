/**
 * Build triggers: what starts a build besides a person. Pure logic, no HTTP server and no
 * database, so that the service's HTTP layer, store and queue call it:
 *
 * <ul>
 *   <li>{@link io.s2i.service.triggers.webhook}: verified webhooks from GitHub, GitLab, Bitbucket
 *       (Cloud and Server/Data Center) and OpenShift's generic form, their URLs, body limit and
 *       replay protection;
 *   <li>{@link io.s2i.service.triggers.image}: image-change detection for builder and runtime
 *       images, in the engine or in a registry;
 *   <li>{@link io.s2i.service.triggers.PushCoalescer}: which queued builds a burst of pushes
 *       supersedes under the {@code SerialLatestOnly} run policy.
 * </ul>
 */
package io.s2i.service.triggers;
