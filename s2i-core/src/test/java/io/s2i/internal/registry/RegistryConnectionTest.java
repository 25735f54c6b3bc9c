package io.s2i.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryConnectionTest {
  @Test
  void onlyLoopbackRegistriesMayUsePlainHttpOrUnverifiedTls() {
    assertThat(RegistryConnection.isLoopback("127.0.0.1:5000")).isTrue();
    assertThat(RegistryConnection.isLoopback("127.1.2.3")).isTrue();
    assertThat(RegistryConnection.isLoopback("localhost:5000")).isTrue();
    assertThat(RegistryConnection.isLoopback("LOCALHOST")).isTrue();
    assertThat(RegistryConnection.isLoopback("[::1]:5000")).isTrue();
    assertThat(RegistryConnection.isLoopback("::1")).isTrue();

    assertThat(RegistryConnection.isLoopback("128.0.0.1:5000")).isFalse();
    assertThat(RegistryConnection.isLoopback("127.0.0.1.example.com")).isFalse();
    assertThat(RegistryConnection.isLoopback("127.0.0.300")).isFalse();
    assertThat(RegistryConnection.isLoopback("localhost.example.com:5000")).isFalse();
    assertThat(RegistryConnection.isLoopback("registry-1.docker.io")).isFalse();
    assertThat(RegistryConnection.isLoopback("[::2]:5000")).isFalse();
    assertThat(RegistryConnection.isLoopback("10.0.0.1")).isFalse();
  }
}
