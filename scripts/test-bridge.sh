#!/usr/bin/env bash
# The end-to-end suites in bridge mode (KYOZO_NETWORK=bridge, the default) on a Docker engine with real
# bridge networking: a dockerd in a network namespace of its own (scripts/testbed/, 10.213.0.0/16, no route
# off the machine). Needs root, iproute2 and nsenter. Leaves the engine running for the next run unless
# KYOZO_TESTBED_DOWN=1.
#   npm run test:bridge [-- vitest args]
set -euo pipefail
cd "$(dirname "$0")/.."
here=scripts/testbed
sock=/tmp/kz/ci/docker.sock
if ! docker -H "unix://$sock" info >/dev/null 2>&1; then
  bash "$here/engine.sh" up ci 10.213.1.20 10.213.16.0/20 >/dev/null
fi
export DOCKER_HOST="unix://$sock" KYOZO_TEST_NETWORK=bridge
bash scripts/build-stand-ins.sh >/dev/null
status=0
npx vitest run --project integration test/e2e test/cli/cli.e2e.test.ts test/browser "$@" || status=$?
[ "${KYOZO_TESTBED_DOWN:-0}" = 1 ] && bash "$here/engine.sh" down ci
exit $status
