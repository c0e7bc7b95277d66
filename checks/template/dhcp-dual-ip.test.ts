import { describe, expect, it } from "vitest";
import check from "./dhcp-dual-ip.ts";
import { editedText, runWith, testCheck } from "../../test/harness/check-tester.ts";
import { templatesFrom } from "../../test/harness/template-kit.ts";

const template = (network: string) =>
  `kind: Cluster\nname: prod\n---\nkind: ControlPlane\n---\nkind: Workers\nname: w1\nmachineClass:\n  name: w\n  size: 1\npatches:\n  - name: static-ip\n    inline:\n      machine:\n        network:\n${network}`;
const STATIC = "          interfaces:\n            - interface: ens18 # first NIC\n              addresses:\n                - 10.20.20.15/16\n              routes:\n                - network: 0.0.0.0/0\n                  gateway: 10.20.0.1\n";
const facts = (files: Record<string, string>) => ({ clusterTemplates: templatesFrom(files) });
testCheck(check, {
  valid: [
    { name: "dhcp: false next to the addresses", facts: facts({ "t.yaml": template("          interfaces:\n            - interface: ens18\n              dhcp: false\n              addresses: [10.0.0.2/24]\n") }) },
    { name: "DHCP only, and dhcp: true with a static address (deliberate)", facts: facts({ "t.yaml": template("          interfaces:\n            - interface: ens18\n              dhcp: true\n            - interface: ens19\n              dhcp: true\n              addresses: [10.0.0.2/24]\n") }) },
  ],
  invalid: [
    {
      name: "static addresses on an interface, no dhcp key",
      facts: facts({ "t.yaml": template(STATIC) }),
      results: [
        {
          status: "warn",
          severity: "warning",
          subject: "t.yaml",
          message: /1 interface\(s\) \(ens18\) get static addresses but no dhcp: false/,
          location: { file: "t.yaml", line: 17, column: 15 },
          fix: ["edit"],
          satisfies: (r) => expect(editedText(r)).toBe(template(STATIC.replace("# first NIC\n", "# first NIC\n              dhcp: false\n"))),
        },
      ],
    },
    {
      name: "a VLAN and a deviceSelector link in a patch file no template uses",
      facts: facts({
        "patches/net.yaml": "machine:\n  network:\n    interfaces:\n      - deviceSelector:\n          hardwareAddr: 'aa:bb:cc:dd:ee:ff'\n        vlans:\n          - vlanId: 20\n            addresses: [10.0.20.2/24]\n        addresses: [10.0.0.2/24]\n",
      }),
      results: [
        {
          status: "warn",
          message: /2 interface\(s\) \(the link selected by hardwareAddr=aa:bb:cc:dd:ee:ff, VLAN 20 on the link selected by hardwareAddr=aa:bb:cc:dd:ee:ff\)/,
          satisfies: (r) =>
            expect(editedText(r)).toBe(
              "machine:\n  network:\n    interfaces:\n      - deviceSelector:\n          hardwareAddr: 'aa:bb:cc:dd:ee:ff'\n        dhcp: false\n        vlans:\n          - vlanId: 20\n            dhcp: false\n            addresses: [10.0.20.2/24]\n        addresses: [10.0.0.2/24]\n",
            ),
        },
      ],
    },
    {
      name: "a flow-style interface: fixed by hand",
      facts: facts({ "t.yaml": template("          interfaces:\n            - {interface: eth0, addresses: [10.0.0.2/24]}\n") }),
      results: [{ status: "warn", fix: ["manual"] }],
    },
  ],
  unavailable: [{ name: "kit unreadable", source: "files", kind: "failed", status: "error" }],
});

describe("template/dhcp-dual-ip fix", () => {
  it("the fixed template passes", async () => {
    const [result] = await runWith(check, facts({ "t.yaml": template(STATIC) }));
    expect((await runWith(check, facts({ "t.yaml": editedText(result!)! }))).map((r) => r.status)).toEqual(["pass"]);
  });
});
