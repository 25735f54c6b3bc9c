-- Image-change triggers (#18): per configuration and followed image, the id it was last rebuilt for
-- (OpenShift's lastTriggeredImageID). Setting it is the compare-and-set that makes a change rebuild
-- each configuration once, however many checks (interval, API call, other servers) see the change.
CREATE TABLE image_triggers (
  config_name VARCHAR(63) NOT NULL,
  image VARCHAR(1024) NOT NULL,
  last_id VARCHAR(200) NOT NULL,
  triggered_at BIGINT NOT NULL,
  PRIMARY KEY (config_name, image)
);

-- What a build was made from beyond its source: builder and runtime images with their ids, and
-- what detection chose (JSON).
ALTER TABLE builds ADD COLUMN inputs VARCHAR;
