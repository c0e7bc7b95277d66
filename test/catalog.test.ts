/**
 * The catalog is the contract: every id it lists is a check, with its runbook page, and nothing
 * else invents ids. (The ids are copied here because CI has only this repository.)
 */
import { describe, expect, it } from "vitest";
import { loadRegistry } from "../src/engine/registry.ts";

const CATALOG_IDS = [
  "template/nested-sections",
  "template/schema",
  "template/versions",
  "template/protected-node-labels",
  "template/machine-class-ref",
  "template/patch-files",
  "template/hostname-patch",
  "template/dhcp-dual-ip",
  "template/static-in-scaled-set",
  "template/control-plane-size",
  "template/reserved-labels",
  "template/cni-none",
  "template/etcd-backup",
  "machine-class/format",
  "machine-class/providerdata",
  "machine-class/storage-selector",
  "machine-class/provider-id",
  "machine-class/storage-match",
  "machine-class/placement",
  "kit/omni-sqlite-path",
  "kit/omni-tun",
  "kit/omni-gpg-key",
  "kit/auth0-domain",
  "kit/initial-users",
  "kit/sidecar-ports",
  "kit/sidecar-ready",
  "kit/sidecar-kernel-mode",
  "kit/env-interpolation",
  "kit/image-pinning",
  "kit/plaintext-secrets",
  "kit/provider-key",
  "kit/provider-config",
  "kit/provider-image",
  "kit/compose-down-v",
  "kit/advertised-urls",
  "omni/auth",
  "omni/version-support",
  "omni/infra-provider",
  "omni/machine-requests",
  "omni/stuck-destroying",
  "omni/cluster-health",
  "omni/machines-disconnected",
  "omni/state-drift",
  "omni/config-outdated",
  "omni/hostname-patches",
  "omni/etcd-backup",
  "proxmox/api",
  "proxmox/privileges",
  "proxmox/nodes-online",
  "proxmox/vm-cpu",
  "proxmox/vm-boot-settings",
  "proxmox/vm-migration",
  "proxmox/failed-tasks",
  "proxmox/vm-locks",
  "network/split-horizon-dns",
  "network/siderolink-ports",
  "talos/dual-ip",
  "talos/kubelet-zombie",
  "talos/not-installed",
  "talos/kubespan",
  "talos/etcd",
  "talos/version-skew",
  "talos/machine-stage",
  "kube/nodes",
  "kube/pods-stuck",
  "kube/rwo-rolling-deadlock",
  "kube/tf-runner-tls",
  "kube/eso-password-generator",
  "kube/sealed-secrets",
  "kube/flux",
  "kube/cert-manager",
  "kube/storage",
  "kube/cilium-mtu",
  "kube/pod-security",
  "manifest/rwo-rolling-deadlock",
  "manifest/eso-password-generator",
];

/** Runbook-only entries of the catalog (no detection), for `why` and `explain`. */
const RUNBOOK_TOPICS = ["ssh-host-key-changed", "network-namespace-missing", "host-dns-no-upstream", "systemd-missing-equals", "tailscale-hostname-suffix", "email-not-verified", "full-cluster-recovery"];

describe("the catalog", () => {
  it("every catalog id is a check, and every check is in the catalog", async () => {
    const { checks } = await loadRegistry();
    expect(checks.map((c) => c.meta.id).sort()).toEqual([...CATALOG_IDS].sort());
  });
  it("the runbook-only entries are there, each a full page", async () => {
    const { entries } = await loadRegistry();
    for (const topic of RUNBOOK_TOPICS) {
      const entry = entries.find((e) => e.id === `runbook/${topic}`);
      expect(entry, topic).toBeDefined();
      expect(entry!.symptoms.length).toBeGreaterThan(0);
      for (const section of ["Symptom", "Cause", "Detection", "Fix"]) expect(entry!.page, `${topic}: ## ${section}`).toMatch(new RegExp(`^## ${section}$`, "m"));
    }
  });
});
