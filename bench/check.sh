#!/bin/sh
# Compare the identity digests of this tree with the recorded reference (bench/.identity_ref.txt).
cd "$(dirname "$0")/.." && python bench/identity.py "$@" > /tmp/identity_now.txt && \
  if diff -q bench/.identity_ref.txt /tmp/identity_now.txt >/dev/null; then echo IDENTICAL; \
  else diff bench/.identity_ref.txt /tmp/identity_now.txt; echo CHANGED; fi
