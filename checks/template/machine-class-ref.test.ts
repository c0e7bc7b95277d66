import check from "./machine-class-ref.ts";
import { kitFrom, testCheck } from "../../test/harness/check-tester.ts";
import { buildClusterTemplates } from "../../src/sources/kit/cluster-templates.ts";
import { machineClassYaml } from "../../test/harness/kit-files.ts";

const TEMPLATE = "kind: Cluster\nname: prod\n---\nkind: ControlPlane\nmachineClass:\n  name: proxmox-control-plane\n  size: 3\n---\nkind: Workers\nmachineClass:\n  name: proxmox-worker\n  size: 2\n";
const CLASS = (id: string) => machineClassYaml(id);
const facts = (files: Record<string, string>, omni?: string[]) => {
  const kit = kitFrom(files);
  const classes = omni?.map((id) => ({ metadata: { namespace: "default", type: "MachineClasses.omni.sidero.dev", id, phase: "running", labels: {}, annotations: {}, finalizers: [] }, spec: {} }));
  return { clusterTemplates: buildClusterTemplates(kit), kit, ...(classes ? { omniClasses: classes } : {}) };
};

testCheck(check, {
  valid: [
    { name: "both classes defined in the kit (offline)", facts: facts({ "t.yaml": TEMPLATE, "mc.yaml": `${CLASS("proxmox-control-plane")}---\n${CLASS("proxmox-worker")}` }), message: /2 machine set\(s\) use machine classes that exist in the kit/ },
    { name: "both classes in Omni, none in the kit", facts: facts({ "t.yaml": TEMPLATE }, ["proxmox-control-plane", "proxmox-worker"]), message: /exist in Omni/ },
  ],
  invalid: [
    {
      name: "offline: a class no kit file defines is a warning",
      facts: facts({ "t.yaml": TEMPLATE, "mc.yaml": CLASS("proxmox-control-plane") }),
      results: [{ status: "warn", severity: "warning", subject: "t.yaml", message: "no MachineClass in the kit defines proxmox-worker (Omni was not asked)", location: { file: "t.yaml", line: 11, column: 3 }, fix: ["manual"] }],
    },
    {
      name: "live: defined in the kit but never applied to Omni",
      facts: facts({ "t.yaml": TEMPLATE, "mc.yaml": `${CLASS("proxmox-control-plane")}---\n${CLASS("proxmox-worker")}` }, ["proxmox-control-plane"]),
      results: [
        {
          status: "fail",
          message: "proxmox-worker is defined in mc.yaml but not applied to Omni",
          evidence: ['machine class with name "proxmox-worker" doesn\'t exist'],
          fix: ["command"],
          satisfies: (r) => {
            if (r.fix!.steps[0]!.kind !== "command" || r.fix!.steps[0]!.argv.join(" ") !== "omnictl apply -f mc.yaml") throw new Error("expected omnictl apply -f mc.yaml");
          },
        },
      ],
    },
    {
      name: "live: in neither",
      facts: facts({ "t.yaml": TEMPLATE }, ["other"]),
      results: [{ status: "fail", message: /2 machine classes the template uses are missing/ }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});
