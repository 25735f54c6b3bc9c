#!/usr/bin/env bash
# Installs Debian's Chromium and its WebDriver (chromium-driver) for the web console's browser
# tests (s2i-service's Console*IT drive /usr/bin/chromium through /usr/bin/chromedriver with
# Selenium). Nothing downloads a browser: both come from Debian. Prints the two versions, which
# must match.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  apt_install chromium chromium-driver
fi
browser=$(chromium --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)+' | head -n1) \
  || die "chromium does not start (chromium --version failed)"
driver=$(chromedriver --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)+' | head -n1) \
  || die "chromedriver does not start (chromedriver --version failed)"
[ "${browser%%.*}" = "${driver%%.*}" ] || die "chromium $browser and chromedriver $driver differ: install matching Debian packages"
echo "chromium $browser, chromedriver $driver"
