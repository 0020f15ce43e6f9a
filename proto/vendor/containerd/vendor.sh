#!/bin/sh
# Re-vendors containerd's API protos from Debian's golang-github-containerd-containerd-dev
# (and google/rpc/status.proto from golang-github-gogo-googleapis-dev), stripping the
# gogoproto and fieldpath options, which only steer Go code generation (see README.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=/usr/share/gocode/src
api=github.com/containerd/containerd/api
files="
services/containers/v1/containers.proto
services/content/v1/content.proto
services/diff/v1/diff.proto
services/images/v1/images.proto
services/introspection/v1/introspection.proto
services/leases/v1/leases.proto
services/namespaces/v1/namespace.proto
services/snapshots/v1/snapshots.proto
services/tasks/v1/tasks.proto
services/version/v1/version.proto
types/descriptor.proto
types/metrics.proto
types/mount.proto
types/platform.proto
types/task/task.proto
"
# containerd's task metrics are an Any holding one of these (cgroup v1 or v2 hosts).
cgroups="
github.com/containerd/cgroups/stats/v1/metrics.proto
github.com/containerd/cgroups/v2/stats/metrics.proto
"
# 1. drop the imports of gogo.proto and fieldpath.proto (weak or not);
# 2. drop whole-line options `option (gogoproto.x) = ...;` / `option (containerd.plugin.x) = ...;`;
# 3. drop bracketed field options `[(gogoproto.x) = ..., ...]` (they hold only gogoproto options).
strip() {
  mkdir -p "$(dirname "$2")"
  sed -E \
    -e '/^[[:space:]]*import (weak )?"(gogoproto\/gogo|github.com\/containerd\/containerd\/protobuf\/plugin\/fieldpath)\.proto";/d' \
    -e '/^[[:space:]]*option \((gogoproto|containerd\.plugin)\.[a-z_]+\) = [^;]*;[[:space:]]*$/d' \
    -e 's/[[:space:]]*\[\(gogoproto\.[^]]*\]//' \
    "$1" >"$2"
}
rm -rf "$here/github.com" "$here/google"
for f in $files; do strip "$src/$api/$f" "$here/$api/$f"; done
for f in $cgroups; do strip "$src/$f" "$here/$f"; done
mkdir -p "$here/google/rpc"
cp "$src/github.com/gogo/googleapis/google/rpc/status.proto" "$here/google/rpc/status.proto"
if grep -rn 'gogoproto\|containerd\.plugin' "$here/github.com"; then
  echo "vendor.sh: options left to strip" >&2
  exit 1
fi
