/**
 * The web console served by {@code s2i serve} at {@code /}: static assets and page routes only.
 * Everything it shows and does goes through the REST API under {@code /api/v1}, with the same
 * token and the same validation as any other client.
 */
package io.s2i.service.console;
