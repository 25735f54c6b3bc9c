-- Webhook deliveries already received (#18): a replayed or redelivered webhook (the same GitHub
-- X-GitHub-Delivery, GitLab Idempotency-Key, Bitbucket request id) does not build twice. A row is
-- inserted when a verified delivery would build; a key violation means "seen". Rows older than the
-- time to live (GitHub redelivers for three days) are pruned.
CREATE TABLE webhook_deliveries (
  config_name VARCHAR(63) NOT NULL,
  provider VARCHAR(32) NOT NULL,
  delivery_id VARCHAR(128) NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (config_name, provider, delivery_id)
);
CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (received_at);
