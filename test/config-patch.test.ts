/** Config patches as Omni reads them through Talos' config loader, and Omni's own refusals per release. */
import { describe, expect, it } from "vitest";
import { omniPatchError, omniRefusalsOf, talosMinorProblems } from "../src/sources/kit/config-patch.ts";
import { errorText, plainErrors } from "../src/util/go-errors.ts";
import { talosSchemasForTests, templatesFrom } from "./harness/template-kit.ts";

/** The content of a patch file. */
const patch = (text: string) => templatesFrom({ "p.yaml": text, "t.yaml": "kind: Cluster\nname: a\npatches:\n  - file: p.yaml\n" }).patchFiles[0]!.content;
/** The content of an inline patch (a mapping, a list, or a string). */
const inline = (yaml: string) => templatesFrom({ "t.yaml": `kind: Cluster\nname: a\npatches:\n  - name: p\n    inline:\n${yaml}` }).templates[0]!.patches[0]!.inline!;
const omni = (text: string, omniVersion = "1.10.4") => {
  const error = omniPatchError(patch(text), omniVersion, talosSchemasForTests());
  return error ? errorText(error) : undefined;
};

describe("Talos' config loader", () => {
  it("accepts the classic document, multi-documents and deletes", () => {
    expect(omni("machine:\n  network:\n    kubespan:\n      enabled: true\n")).toBeUndefined();
    expect(omni("apiVersion: v1alpha1\nkind: HostnameConfig\n$patch: delete\n")).toBeUndefined();
    expect(omni("machine:\n  network:\n    interfaces:\n      - interface: eth0\n        $patch: delete\n---\napiVersion: v1alpha1\nkind: ResolverConfig\nnameservers:\n  - address: 1.1.1.1\n")).toBeUndefined();
  });

  it("words what it refuses like Talos, stopping at the first bad document", () => {
    expect(omni("spaceship:\n  deployed: true\n")).toBe("error decoding document /v1alpha1/ (line 1): missing kind");
    expect(omni("# header\nkind: HostnameConfig\nhostname: a\n")).toBe("error decoding document /HostnameConfig/ (line 2): missing apiVersion");
    expect(omni("apiVersion: v1alpha1\nkind: Spaceship\n")).toBe('error decoding document v1alpha1/Spaceship/ (line 1): "Spaceship" "v1alpha1": not registered');
    expect(omni("apiVersion: v1alpha1\nkind: HostnameConfig\nhostname: a\n---\napiVersion: v1alpha1\nkind: HostnameConfig\nhostname: b\n")).toBe("duplicate document v1alpha1/HostnameConfig/ is not allowed (line 5)");
    expect(omni("{}\n")).toBe("config not found");
    expect(omni("machine: [\n")).toMatch(/^decode error: yaml: /);
  });

  it("summarises unknown keys as YAML: the keys only, lists keeping only the items that have some", () => {
    expect(omni("machine:\n  network:\n    interfaces:\n      - interface: eth0\n      - interface: eth1\n        dhcpp: true\n    kubespan:\n      running: true\n")).toBe(
      "error decoding document /v1alpha1/ (line 1): unknown keys found during decoding:\nmachine:\n    network:\n        interfaces:\n            - dhcpp: true\n        kubespan:\n            running: true\n",
    );
  });

  it("reports wrong types as decoding errors", () => {
    expect(omni("machine:\n  network:\n    kubespan: yes-please!\n")).toBe(
      "error decoding document /v1alpha1/ (line 1): error decoding  to *v1alpha1.Config: yaml: construct errors: line 3: cannot construct !!str `yes-ple...` into v1alpha1.NetworkKubeSpan",
    );
  });

  it("takes the same inline patch as a mapping, a list or a string", () => {
    const schemas = talosSchemasForTests();
    const mapping = inline("      machine:\n        network:\n          kubespan:\n            running: true\n");
    const list = inline("      - apiVersion: v1alpha1\n        kind: HostnameConfig\n        hostname: a\n      - machine:\n          network:\n            kubespan:\n              running: true\n");
    const text = inline("      |\n        machine:\n          network:\n            kubespan:\n              running: true\n");
    expect(errorText(omniPatchError(mapping, "1.10.4", schemas)!)).toMatch(/^error decoding document \/v1alpha1\/ \(line 1\): unknown keys/);
    expect(errorText(omniPatchError(list, "1.10.4", schemas)!)).toMatch(/^error decoding document \/v1alpha1\/ \(line 5\): unknown keys/);
    const located = plainErrors(omniPatchError(text, "1.10.4", schemas)!)[0]!;
    expect(located.at).toEqual({ file: "t.yaml", line: 10, column: 15 });
  });
});

describe("Omni's own refusals", () => {
  it("refuses Omni's fields in every document since 1.10, the first one only before", () => {
    const twoDocs = "apiVersion: v1alpha1\nkind: HostnameConfig\nhostname: a\n---\nmachine:\n  token: x\n";
    expect(omni(twoDocs, "1.10.4")).toBe('1 error occurred:\n\t* overriding "machine.token" is not allowed in the config patch\n\n');
    expect(omni(twoDocs, "1.9.3")).toBeUndefined();
  });

  it("knows which fields each release refuses", () => {
    const ca = "cluster:\n  ca:\n    crt: x\n    key: y\n";
    expect(omni(ca, "1.10.4")).toMatch(/overriding "cluster.ca" is not allowed/);
    expect(omni(ca, "1.9.3")).toBeUndefined();
    expect(omni("machine:\n  install:\n    disk: /dev/sda\n", "1.10.4")).toBeUndefined();
    expect(omni("machine:\n  install:\n    disk: /dev/sda\n", "1.11.0")).toMatch(/overriding "machine.install.disk"/);
  });

  it("refuses whole documents, Omni's fields inside them and the os:admin role", () => {
    const text = "apiVersion: v1alpha1\nkind: KubeClusterConfig\nclusterName: x\n---\napiVersion: v1alpha1\nkind: KubeServiceAccountConfig\nissuer:\n  privateKey: k\n---\nmachine:\n  features:\n    kubernetesTalosAPIAccess:\n      allowedRoles: [os:reader, os:admin]\n";
    expect(omniRefusalsOf(patch(text), "1.10.4").map((r) => r.text)).toEqual([
      'the "KubeClusterConfig" document is not allowed in the config patch',
      'overriding "issuer.privateKey" is not allowed in the config patch',
      'element "os:admin" is not allowed in field "machine.features.kubernetesTalosAPIAccess.allowedRoles"',
    ]);
  });
});

describe("the template's own Talos minor", () => {
  it("names keys and kinds an older Talos does not know, and values outside an enum", () => {
    const schemas = talosSchemasForTests();
    const content = patch("apiVersion: v1alpha1\nkind: HostnameConfig\nhostname: a\n---\napiVersion: v1alpha1\nkind: LinkConfig\nname: eth0\n");
    expect(talosMinorProblems(content, schemas.forMinor("1.11")).map((p) => p.message)).toEqual(["Talos 1.11 has no HostnameConfig document", "Talos 1.11 has no LinkConfig document"]);
    expect(talosMinorProblems(patch("apiVersion: v1alpha1\nkind: HostnameConfig\nauto: sometimes\n"), schemas.forMinor("1.12")).map((p) => p.message)).toEqual(['Talos 1.12 accepts only "stable", "off" for auto']);
  });
});
