#!/usr/bin/env bash
# Builds local stand-in base images so Kyozo can build and run apps without any registry.
#   kyozo/node-standin:20   FROM scratch: host node + its shared libs + loader, busybox, npm/npx
#   kyozo/static-standin:1  FROM scratch: static busybox (httpd serves files)
# Idempotent: an image whose kyozo.standin.fingerprint label matches the host inputs is kept.
# Usage: scripts/build-stand-ins.sh [--force]
set -euo pipefail

NODE_IMAGE=${KYOZO_STANDIN_NODE_TAG:-kyozo/node-standin:20}
STATIC_IMAGE=${KYOZO_STANDIN_STATIC_TAG:-kyozo/static-standin:1}
NODE_BIN=${NODE_BIN:-$(command -v node)}
NPM_DIR=${NPM_DIR:-/usr/lib/node_modules/npm}
BUSYBOX=${BUSYBOX:-/usr/bin/busybox}
FORCE=0; [[ "${1:-}" == "--force" ]] && FORCE=1

die() { echo "build-stand-ins: $*" >&2; exit 1; }
docker info >/dev/null 2>&1 || die "docker engine is not answering (docker info)"
[[ -x "$NODE_BIN" ]] || die "node not found"
[[ -x "$BUSYBOX" ]] || die "static busybox not found at $BUSYBOX (apt-get install busybox-static)"
{ ldd "$BUSYBOX" 2>&1 || true; } | grep -qE 'not a dynamic|statically linked' || die "$BUSYBOX is not static"
[[ -f "$NPM_DIR/bin/npm-cli.js" ]] || die "npm not found at $NPM_DIR"

NODE_VERSION=$("$NODE_BIN" --version)
NPM_VERSION=$("$NODE_BIN" "$NPM_DIR/bin/npm-cli.js" --version)
SCRIPT_SUM=$(sha256sum "$0" | cut -c1-12)
NODE_FP="node=$NODE_VERSION npm=$NPM_VERSION script=$SCRIPT_SUM"
STATIC_FP="busybox=$(sha256sum "$BUSYBOX" | cut -c1-12) script=$SCRIPT_SUM"

current_fp() { docker image inspect --format '{{ index .Config.Labels "kyozo.standin.fingerprint" }}' "$1" 2>/dev/null || true; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Shared base: busybox + applet symlinks, /tmp 1777, passwd/group, /etc files.
base_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,home/node,tmp,var/tmp,www}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  local applet
  for applet in $("$BUSYBOX" --list); do
    [[ "$applet" == busybox ]] && continue
    ln -sf busybox "$root/bin/$applet"
  done
  ln -sf /bin/env "$root/usr/bin/env"   # for '#!/usr/bin/env node' shebangs
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  chown 1000:1000 "$root/home/node" 2>/dev/null || true
}

# Copy a shared library (or the loader) to the same path it has on the host.
copy_lib() {
  local root=$1 path=$2 real
  real=$(readlink -f "$path")
  mkdir -p "$root$(dirname "$real")"
  cp -n "$real" "$root$real"
  if [[ ! -e "$root$path" ]]; then
    mkdir -p "$root$(dirname "$path")"
    ln -sf "$real" "$root$path"
  fi
}

build_node() {
  local root=$WORK/node lib
  base_rootfs "$root"
  # Replicate merged-/usr top-level symlinks (/lib -> usr/lib) so ldd paths resolve identically.
  for lib in /lib /lib64 /lib32 /libx32; do
    if [[ -L "$lib" ]]; then
      mkdir -p "$root$(readlink -f "$lib")"
      ln -s "$(readlink "$lib")" "$root$lib"
    fi
  done
  mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/node_modules"
  cp "$NODE_BIN" "$root/usr/local/bin/node"
  for lib in $(ldd "$NODE_BIN" | grep -oE '/[^ ]+'); do copy_lib "$root" "$lib"; done
  cp -a "$NPM_DIR" "$root/usr/local/lib/node_modules/npm"
  printf '#!/bin/sh\nexec node /usr/local/lib/node_modules/npm/bin/npm-cli.js "$@"\n' >"$root/usr/local/bin/npm"
  printf '#!/bin/sh\nexec node /usr/local/lib/node_modules/npm/bin/npx-cli.js "$@"\n' >"$root/usr/local/bin/npx"
  chmod 755 "$root/usr/local/bin/npm" "$root/usr/local/bin/npx"
  tar -C "$root" --numeric-owner -cf - . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c "ENV NODE_VERSION=${NODE_VERSION#v}" \
    -c 'ENV HOME=/root' \
    -c "LABEL kyozo.standin=node kyozo.standin.fingerprint=\"$NODE_FP\"" \
    -c 'CMD ["node"]' - "$NODE_IMAGE" >/dev/null
}

build_static() {
  local root=$WORK/static
  base_rootfs "$root"
  echo '<h1>kyozo static stand-in</h1>' >"$root/www/index.html"
  tar -C "$root" --numeric-owner -cf - . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c "LABEL kyozo.standin=static kyozo.standin.fingerprint=\"$STATIC_FP\"" \
    -c 'CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]' - "$STATIC_IMAGE" >/dev/null
}

ensure() { # ensure <tag> <fingerprint> <builder>
  local tag=$1 fp=$2 builder=$3 start
  if [[ $FORCE == 0 && "$(current_fp "$tag")" == "$fp" ]]; then
    echo "ok      $tag (up to date)"
    return
  fi
  start=$(date +%s)
  "$builder"
  echo "built   $tag in $(( $(date +%s) - start ))s"
}

ensure "$NODE_IMAGE" "$NODE_FP" build_node
ensure "$STATIC_IMAGE" "$STATIC_FP" build_static

# Verify (host networking: there is no bridge on Kyozo test machines).
out=$(docker run --rm --network host "$NODE_IMAGE" node -e 'console.log(1)') || die "node does not run in $NODE_IMAGE"
[[ "$out" == 1 ]] || die "unexpected node output: $out"
npm_out=$(docker run --rm --network host "$NODE_IMAGE" npm --version) || die "npm does not run in $NODE_IMAGE"
docker run --rm --network host "$NODE_IMAGE" sh -c 'test -d /tmp && ls / >/dev/null && which wget >/dev/null' \
  || die "busybox applets missing in $NODE_IMAGE"
docker run --rm --network host "$STATIC_IMAGE" /bin/busybox httpd --help >/dev/null 2>&1 \
  || docker run --rm --network host "$STATIC_IMAGE" sh -c 'which httpd >/dev/null' \
  || die "httpd missing in $STATIC_IMAGE"
echo "verified node $out / npm $npm_out"
echo
echo "Use these with Kyozo:"
echo "export KYOZO_IMAGE_NODE=$NODE_IMAGE KYOZO_IMAGE_NODE_BUILD=$NODE_IMAGE KYOZO_IMAGE_STATIC=$STATIC_IMAGE"
