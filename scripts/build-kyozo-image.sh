#!/usr/bin/env bash
# Builds Kyozo's own image on a machine that cannot pull base images: FROM the local node+git stand-in,
# with the host's CA bundle for npm when a TLS-intercepting proxy sits in front of the registry.
# Usage: scripts/build-kyozo-image.sh [tag]   (default kyozo:local)
set -euo pipefail
cd "$(dirname "$0")/.."
TAG=${1:-kyozo:local}
bash scripts/build-stand-ins.sh >/dev/null
CA=${NPM_CONFIG_CAFILE:-$(npm config get cafile 2>/dev/null || true)}
cleanup() { rm -f .build-ca.crt; }
trap cleanup EXIT
if [[ -n "$CA" && "$CA" != "null" && -f "$CA" ]]; then cp "$CA" .build-ca.crt; fi
docker build --network host --build-arg BASE_IMAGE=kyozo/node-git-standin:20 -t "$TAG" .
docker run --rm --network host --entrypoint node "$TAG" -e "require('/opt/kyozo/node_modules/hono/package.json'); console.log('kyozo image ok')"
