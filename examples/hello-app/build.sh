#!/bin/sh
# Runs once, inside the builder, at image build time.
set -e
date -u '+%Y-%m-%d %H:%M:%S UTC' > build-info.txt
echo "build.sh: recorded build time $(cat build-info.txt)"
