/**
 * Build triggers: what starts a build besides a person. Pure logic, no HTTP server and no
 * database: the service's HTTP layer, store and queue call it.
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
 *
 * <h2>What the service does with them</h2>
 *
 * <ol>
 *   <li><b>Route</b> {@code POST /api/v1/webhooks/**} and {@code POST /apis/build.openshift.io/v1/**}
 *       without the bearer token: {@link io.s2i.service.triggers.webhook.WebhookRoute#parse}
 *       (empty: 404); find the configuration and its trigger of that type (none: 401, as
 *       OpenShift); read the body with {@link io.s2i.service.triggers.webhook.WebhookBodyLimit#read}
 *       (over the limit: 413); call {@link io.s2i.service.triggers.webhook.WebhookReceiver#receive}
 *       with a {@link io.s2i.service.triggers.webhook.WebhookTrigger} made from the stored trigger
 *       (secrets, {@code source.git.ref}, git source or not, {@code allowEnv}); answer
 *       {@code httpStatus()} with {@code message()}.
 *   <li><b>Build</b> on {@link io.s2i.service.triggers.webhook.WebhookResult.Build}: the
 *       configuration's source at {@code revision.commit} (or its ref's head when there is no
 *       revision), the result's {@code env} added; record the cause: provider
 *       ({@code causeMessage()}), delivery id, ref, commit, author, message. Never the secret.
 *   <li><b>Replay</b>: give the receiver a {@link io.s2i.service.triggers.webhook.DeliveryLog} on
 *       the database (a table with a unique key on configuration, provider and delivery id; insert,
 *       and a key violation means "seen"; prune rows older than
 *       {@link io.s2i.service.triggers.webhook.InMemoryDeliveryLog#DEFAULT_TTL}).
 *   <li><b>Storms</b>: for a {@code SerialLatestOnly} configuration, ask
 *       {@link io.s2i.service.triggers.PushCoalescer#admit} before enqueuing and
 *       {@link io.s2i.service.triggers.PushCoalescer#next} when its running build ends, under the
 *       queue's lock for that configuration; cancel what they name.
 *   <li><b>Image change</b>: one {@link io.s2i.service.triggers.image.ImageChangeWatcher} per
 *       server over a {@link io.s2i.service.triggers.image.RoutingImageResolver} (engine and
 *       registry); {@code follow} each image a configuration's ImageChange trigger names (builder,
 *       runtime) with its stored last triggered id; {@code start(interval)}; an authenticated API
 *       call (registry notification, CI job) runs {@code check} or {@code checkRepository}. The
 *       {@link io.s2i.service.triggers.image.ImageChangeListener} starts one build per following
 *       configuration with the image pinned to the new id and stores that id.
 *   <li><b>URLs</b> for {@code s2i describe} and the API:
 *       {@link io.s2i.service.triggers.webhook.WebhookUrls}.
 * </ol>
 */
package io.s2i.service.triggers;
