import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kubeletImage, kubeletVersionOf, kubernetesVersion } from "./kubelet-image";

describe("kubelet images", () => {
  it("spells versions as the kubelet does and refuses others", () => {
    assert.equal(kubernetesVersion("1.32.1"), "v1.32.1");
    assert.equal(kubernetesVersion("v1.32.1"), "v1.32.1");
    for (const bad of ["1.32", "latest", "v1.32.1-rc.0", " 1.32.1", ""])
      assert.throws(() => kubernetesVersion(bad), /not a version like v1\.32\.1/);
  });

  it("retags the configured image, keeping its repository and registry port", () => {
    assert.equal(kubeletImage("1.32.1"), "ghcr.io/keelson/kubelet:v1.32.1");
    assert.equal(
      kubeletImage("v1.33.0", "registry.local:5000/k/kubelet:v1.31.4"),
      "registry.local:5000/k/kubelet:v1.33.0",
    );
    assert.equal(
      kubeletImage("1.33.0", "registry.local:5000/kubelet@sha256:abc"),
      "registry.local:5000/kubelet:v1.33.0",
    );
  });

  it("reads the version back from a tag", () => {
    assert.equal(kubeletVersionOf("ghcr.io/keelson/kubelet:v1.31.4"), "v1.31.4");
    assert.equal(kubeletVersionOf("registry.local:5000/kubelet:1.30.0"), "v1.30.0");
    assert.equal(kubeletVersionOf("registry.local:5000/kubelet"), "");
    assert.equal(kubeletVersionOf("ghcr.io/keelson/kubelet:latest"), "");
  });
});
