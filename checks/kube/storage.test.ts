import { expect } from "vitest";
import check from "./storage.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { event as eventSchema, persistentVolumeClaim as pvcSchema, pod as podSchema, storageClass as storageClassSchema } from "../../src/sources/kube/objects.ts";
import { kube } from "../../test/harness/lab/kube.ts";

const pvc = (...args: Parameters<typeof kube.pvc>) => pvcSchema.parse(kube.pvc(...args));
const classes = [storageClassSchema.parse(kube.storageClass("proxmox-data", "csi.proxmox.sinextra.dev")), storageClassSchema.parse(kube.storageClass("fast", "csi.proxmox.sinextra.dev", "Immediate"))];
const OLD = "2026-11-20T09:00:00Z";
const csiController = podSchema.parse(
  kube.pod("csi-proxmox", "proxmox-csi-plugin-controller-5f6d7c8b9-abcde", {
    owner: { kind: "ReplicaSet", name: "proxmox-csi-plugin-controller-5f6d7c8b9" },
    containers: [{ name: "proxmox-csi-plugin-controller", image: "ghcr.io/sergelogvinov/proxmox-csi-controller:v0.13.0" }],
  }),
);
const vaultPod = podSchema.parse(kube.pod("vault", "vault-0", { phase: "Pending", claims: ["data-vault-0"], containers: [{ state: "waiting:ContainerCreating" }] }));
const provisioningFailed = (name: string, message: string) => eventSchema.parse(kube.event({ namespace: "vault", kind: "PersistentVolumeClaim", name, reason: "ProvisioningFailed", message }));

testCheck(check, {
  valid: [
    {
      name: "bound claims; WaitForFirstConsumer claims no pod uses yet, or whose pod is not placed",
      facts: {
        persistentVolumeClaims: [pvc("apps", "data"), pvc("apps", "later", { phase: "Pending", created: OLD }), pvc("vault", "data-vault-0", { phase: "Pending", created: OLD })],
        storageClasses: classes,
        pods: [vaultPod],
        events: [],
      },
      message: "3 claim(s) bound or waiting for their first pod",
    },
  ],
  invalid: [
    {
      name: "Proxmox CSI credentials refused (003)",
      facts: {
        persistentVolumeClaims: [pvc("vault", "data-vault-0", { phase: "Pending", created: OLD, selectedNode: "talos-w-1" })],
        storageClasses: classes,
        pods: [vaultPod, csiController],
        events: [provisioningFailed("data-vault-0", "failed to provision volume with StorageClass \"proxmox-data\": rpc error: code = Internal desc = 401 Unauthorized")],
      },
      results: [
        {
          status: "fail",
          subject: "persistentvolumeclaim vault/data-vault-0",
          message: "cannot be provisioned: csi.proxmox.sinextra.dev was refused by the storage backend (credentials)",
          evidence: ["storageClass=proxmox-data provisioner=csi.proxmox.sinextra.dev Pending for 60 minutes", /^event ProvisioningFailed: .*401 Unauthorized/],
          fix: ["command", "manual"],
          satisfies: (r) => {
            const step = r.fix!.steps[0]!;
            expect(step.kind === "command" && step.argv.join(" ")).toBe("kubectl logs deployment/proxmox-csi-plugin-controller --namespace csi-proxmox --all-containers --tail 20");
          },
        },
      ],
    },
    {
      name: "a missing class, another provisioning error, a lost claim",
      facts: {
        persistentVolumeClaims: [
          pvc("vault", "a", { phase: "Pending", created: OLD, storageClass: "nvme" }),
          pvc("vault", "b", { phase: "Pending", created: OLD, storageClass: "fast" }),
          pvc("vault", "c", { phase: "Lost" }),
        ],
        storageClasses: classes,
        pods: [],
        events: [provisioningFailed("b", "storage local-zfs not found on node pve2")],
      },
      results: [
        { status: "fail", message: 'asks for storage class "nvme", which does not exist', fix: ["manual"] },
        { status: "fail", message: "cannot be provisioned by csi.proxmox.sinextra.dev: storage local-zfs not found on node pve2", fix: ["command"] },
        { status: "fail", subject: "persistentvolumeclaim vault/c", message: /^lost its volume/ },
      ],
    },
  ],
  unavailable: [
    { name: "kubectl not installed", source: "kube", kind: "not-installed", status: "skip" },
    { name: "timeout", source: "kube", kind: "timeout", status: "error" },
  ],
});
