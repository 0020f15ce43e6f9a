#!/bin/sh
# Re-vendors Kubernetes' generated.proto files (and gnostic's OpenAPIv2.proto) from Debian's
# Go source packages, fetched with apt-get from Debian's archive into a throw-away apt
# state (the host's apt configuration is not touched). See README.md for what and why.
#   sh proto/vendor/kubernetes/vendor.sh            # download the pinned packages, copy
#   SRC=/usr/share/gocode/src sh vendor.sh          # copy from an already extracted tree
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Pinned: trixie has k8s.io/api and apimachinery 0.32.3 (= kubectl 1.32); apiextensions-apiserver
# is packaged only in sid (0.36.4, a wire-compatible superset of 1.32's CRD messages).
pkgs="
golang-k8s-api-dev=0.32.3-1
golang-k8s-apimachinery-dev=0.32.3-2
golang-k8s-apiextensions-apiserver-dev=0.36.4-1
golang-github-google-gnostic-models-dev=0.6.8-3
"
files="
k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto
k8s.io/apimachinery/pkg/runtime/generated.proto
k8s.io/apimachinery/pkg/runtime/schema/generated.proto
k8s.io/apimachinery/pkg/util/intstr/generated.proto
k8s.io/apimachinery/pkg/api/resource/generated.proto
k8s.io/api/core/v1/generated.proto
k8s.io/api/apps/v1/generated.proto
k8s.io/api/autoscaling/v1/generated.proto
k8s.io/api/policy/v1/generated.proto
k8s.io/api/policy/v1beta1/generated.proto
k8s.io/api/coordination/v1/generated.proto
k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/generated.proto
github.com/google/gnostic-models/openapiv2/OpenAPIv2.proto
"
if [ -z "${SRC:-}" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/deb" "$tmp/root"
  kr=/usr/share/keyrings/debian-archive-keyring.gpg
  for suite in trixie sid; do echo "deb [signed-by=$kr] $mirror $suite main"; done >"$tmp/sources.list"
  set -- -o Dir::Etc::SourceList="$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$tmp/lists" -o Dir::Cache="$tmp/cache" -o APT::Sandbox::User=root
  apt-get "$@" -qq update
  # shellcheck disable=SC2086
  (cd "$tmp/deb" && apt-get "$@" -qq download $pkgs)
  for d in "$tmp"/deb/*.deb; do dpkg-deb -x "$d" "$tmp/root"; done
  SRC=$tmp/root/usr/share/gocode/src
fi
rm -rf "$here/k8s.io" "$here/github.com"
for f in $files; do
  mkdir -p "$(dirname "$here/$f")"
  cp "$SRC/$f" "$here/$f"
done
# The protos carry no gogoproto import or option any more (only `// +protobuf.options.(gogoproto…)`
# comments); fail if one comes back, since buf could not resolve it.
if grep -rlnE '^[[:space:]]*(import .*gogo|option \(gogoproto|.*\[\(gogoproto)' "$here/k8s.io" "$here/github.com"; then
  echo "vendor.sh: gogoproto options found; strip them as proto/vendor/containerd/vendor.sh does" >&2
  exit 1
fi
