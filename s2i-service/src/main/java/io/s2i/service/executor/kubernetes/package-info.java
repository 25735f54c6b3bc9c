/**
 * The kubernetes executor: each build a Job running s2i's image. {@link
 * io.s2i.service.executor.kubernetes.KubernetesExecutor} creates the objects ({@link
 * io.s2i.service.executor.kubernetes.BuildObjects}: the OpenShift Build of {@link
 * io.s2i.service.executor.kubernetes.BuildDocument} in a ConfigMap, push and input secrets, the Job),
 * follows the Job and pod ({@link io.s2i.service.executor.kubernetes.PodState}) and the pod's log
 * ({@code PodLogFollower}), and deletes the Job on cancel; {@code JobJanitor} clears up after builds
 * that ended elsewhere or were deleted. Settings: {@link
 * io.s2i.service.executor.kubernetes.KubernetesSettings}; docs/kubernetes.md for users.
 */
package io.s2i.service.executor.kubernetes;
