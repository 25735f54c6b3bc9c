#!/bin/sh
# Entry point of the hello app; started by the builder's run script.
greeting="${GREETING:-Hello}"
echo "${greeting} from a shell app built by s2i-java!"
if [ -f build-info.txt ]; then
  echo "This image was built at $(cat build-info.txt)."
else
  echo "No build-info.txt: build.sh did not run."
fi
echo "Set GREETING to change the greeting: docker run --rm -e GREETING=Hi <image>"
