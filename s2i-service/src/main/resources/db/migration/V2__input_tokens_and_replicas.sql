-- One-time tokens with which a build running elsewhere (a Kubernetes Job's pod) fetches its binary
-- input from the server holding the upload. Only a SHA-256 of the token is kept; a token serves the
-- upload once (used_at) and not after expires_at. Gone with its build.
CREATE TABLE build_input_tokens (
  build_id BIGINT PRIMARY KEY REFERENCES builds (id) ON DELETE CASCADE,
  token_hash VARCHAR(64) NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);

-- The servers sharing the database and until when each is known to be alive (renewed with its
-- leases). A queued binary build waits for the server holding its upload; once that server's
-- heartbeat has run out, another server marks the build Error instead of leaving it queued forever.
CREATE TABLE service_replicas (
  id VARCHAR(200) PRIMARY KEY,
  heartbeat_until BIGINT NOT NULL
);
