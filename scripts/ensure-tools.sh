#!/usr/bin/env bash
# Installs the Debian tools the integration tests drive besides the engine: buildah (building
# generated Dockerfiles daemonlessly), skopeo (reading OCI layouts), htpasswd/openssl/curl (the
# test registries), git (git http-backend serving test repositories), zsh and fish (completion
# scripts run in real shells), runc and attr (the daemonless engine; getfattr/setfattr read and
# mark overlayfs opaque directories).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
apt_install buildah skopeo apache2-utils openssl curl git zsh fish runc attr
