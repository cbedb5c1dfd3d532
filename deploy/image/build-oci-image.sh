#!/usr/bin/env bash
# Builds the harness image as an OCI image layout without a registry or a daemon: the same content
# as the Containerfile (production dependencies only, the CLI entry, user 10001), but with this
# machine's node binary and its shared libraries instead of a base image pulled from a registry.
#   deploy/image/build-oci-image.sh OUT_LAYOUT [TAG]
# Needs umoci (Debian: apt-get install umoci), npm, ldd. Prints the layout:tag on success.
# ENDPOINTS_CONFORMANCE_NPM_CACHE=DIR keeps the production node_modules between builds (keyed by
# the lockfile's hash), so only the first build runs npm ci. KEEP_ROOTFS=DIR leaves the image's
# file system there too (what the layer holds), e.g. to run it with chroot; with ROOTFS_ONLY=1
# only that file system is made (no umoci needed; OUT_LAYOUT is not written).
set -euo pipefail
out="${1:?usage: build-oci-image.sh OUT_LAYOUT [TAG]}"
tag="${2:-0.1.0}"
project="$(cd "$(dirname "$0")/../.." && pwd)"
rootfs_only="${ROOTFS_ONLY:-}"
if [ -n "$rootfs_only" ] && [ -z "${KEEP_ROOTFS:-}" ]; then echo "build-oci-image: ROOTFS_ONLY needs KEEP_ROOTFS=DIR" >&2; exit 2; fi
[ -n "$rootfs_only" ] || command -v umoci >/dev/null || { echo "build-oci-image: umoci is not installed (Debian: apt-get install umoci)" >&2; exit 2; }
node_bin="$(command -v node)"
"$node_bin" -e 'process.exit(Number(process.versions.node.split(".")[0]) === 20 ? 0 : 1)' ||
  { echo "build-oci-image: the image is Node 20; this node is $("$node_bin" --version)" >&2; exit 2; }

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
rootfs="$stage/rootfs"
mkdir -p "$rootfs/app" "$rootfs/tmp" "$rootfs/etc" "$rootfs/usr/local/bin"
chmod 1777 "$rootfs/tmp"

# 1. the app: the compiled CLI (dist/, which npm ci builds; built here when missing), the sources
# beside it (the launcher falls back to them only if dist/ were older), and a production install
[ -f "$project/dist/cli/conformance.js" ] || (cd "$project" && npm run build --silent >/dev/null)
for entry in package.json package-lock.json dist cli generators harness reference-server runtime spec suites; do
  cp -a "$project/$entry" "$rootfs/app/"
done
lock_hash="$(sha256sum "$project/package-lock.json" | cut -c1-16)"
cache="${ENDPOINTS_CONFORMANCE_NPM_CACHE:-}"
if [ -n "$cache" ] && [ -d "$cache/$lock_hash/node_modules" ]; then
  cp -a "$cache/$lock_hash/node_modules" "$rootfs/app/node_modules"
else
  (cd "$rootfs/app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  if [ -n "$cache" ]; then
    mkdir -p "$cache/$lock_hash.partial"
    cp -a "$rootfs/app/node_modules" "$cache/$lock_hash.partial/"
    rm -rf "${cache:?}/$lock_hash" && mv "$cache/$lock_hash.partial" "$cache/$lock_hash"
  fi
fi

# 2. the runtime: node and the shared libraries it links
cp "$node_bin" "$rootfs/usr/local/bin/node"
ldd "$node_bin" | grep -o '/[^ ]*' | sort -u | while read -r library; do
  mkdir -p "$rootfs$(dirname "$library")"
  cp -L "$library" "$rootfs$library"
done
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:10001:10001:endpoints-conformance:/app:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\napp:x:10001:\n' > "$rootfs/etc/group"

if [ -n "$rootfs_only" ]; then
  rm -rf "$KEEP_ROOTFS" && mv "$rootfs" "$KEEP_ROOTFS"
  echo "$KEEP_ROOTFS"
  exit 0
fi

# 3. the image: one layer, the Containerfile's config
rm -rf "$out"
umoci init --layout "$out"
umoci new --image "$out:$tag"
umoci insert --image "$out:$tag" "$rootfs" /
umoci config --image "$out:$tag" \
  --config.user 10001:10001 --config.workingdir /app --config.env NODE_ENV=production \
  --config.env PATH=/usr/local/bin:/usr/bin:/bin \
  --config.entrypoint /usr/local/bin/node --config.entrypoint /app/cli/conformance.mjs \
  --config.cmd --help \
  --author endpoints-conformance
if [ -n "${KEEP_ROOTFS:-}" ]; then
  rm -rf "$KEEP_ROOTFS" && mv "$rootfs" "$KEEP_ROOTFS"
fi
echo "$out:$tag"
