/**
 * Image-change triggers: an {@link io.s2i.service.triggers.image.ImageChangeWatcher} follows the
 * builder and runtime images configurations name, asks an {@link
 * io.s2i.service.triggers.image.ImageResolver} for each one's current id or digest on an interval
 * and on demand, and tells the service's {@link
 * io.s2i.service.triggers.image.ImageChangeListener} once per change, so that every configuration
 * following a patched image rebuilds once. Resolvers read the engine through the library's engine
 * SPI ({@link io.s2i.service.triggers.image.EngineImageResolver}) or a registry's manifest digest
 * ({@link io.s2i.service.triggers.image.RegistryDigestResolver}).
 */
package io.s2i.service.triggers.image;
