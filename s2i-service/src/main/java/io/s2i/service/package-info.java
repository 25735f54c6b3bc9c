/**
 * The build service ({@code s2i serve}): build configurations, builds, their logs and triggers,
 * over a REST API and a web console. It is a client of the library's API ({@code io.s2i},
 * {@code io.s2i.api}, {@code io.s2i.engine}) and never reaches into {@code io.s2i.internal}.
 */
package io.s2i.service;
