import { defineCheck, pass, skip, type Finding } from "../../src/engine/check.ts";
import { deployment } from "../../src/sources/kit/facts.ts";
import { hasCapability, hasDevice, serviceEnvironment, serviceSubject, type ComposeService } from "../../src/sources/kit/compose.ts";
import { grantDevice } from "../../src/sources/kit/compose-edit.ts";
import { editStep } from "../../src/sources/kit/text-edit.ts";
import { inCidr } from "../../src/util/ip.ts";

/** Host names and addresses only the tailnet resolves or routes: MagicDNS names and 100.64.0.0/10. */
function tailnetHosts(values: string[]): string[] {
  const hosts = new Set<string>();
  for (const value of values) {
    for (const m of value.matchAll(/([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.ts\.net)\b/g)) hosts.add(m[1]!);
    for (const m of value.matchAll(/\b(100\.\d{1,3}\.\d{1,3}\.\d{1,3})\b/g)) if (inCidr(m[1]!, "100.64.0.0/10")) hosts.add(m[1]!);
  }
  return [...hosts];
}

function environmentValue(service: ComposeService, name: string): string | undefined {
  return serviceEnvironment(service).findLast((e) => e.key === name)?.value;
}

export default defineCheck({
  meta: {
    id: "kit/sidecar-kernel-mode",
    title: "Tailscale sidecar runs in userspace while Omni needs the tailnet",
    severity: "error",
    sources: ["files"],
    symptoms: ["lookup <host>: no such host", "configuring userspace WireGuard config", "i/o timeout"],
    fixable: ["edit", "manual"],
  },
  facts: { deployment },
  run({ deployment }) {
    if (deployment.sidecars.length === 0) return [skip("no Omni or provider service shares the network of a Tailscale container")];
    const findings: Finding[] = [];
    for (const { user, sidecar } of deployment.sidecars) {
      const settings = [...deployment.omni, ...deployment.providers].find((s) => s.service === user)?.settings ?? [];
      const hosts = tailnetHosts([...settings.map((s) => s.value), ...serviceEnvironment(user).map((e) => e.value ?? "")]);
      const acceptDns = environmentValue(sidecar, "TS_ACCEPT_DNS") === "true";
      if (hosts.length === 0 && !acceptDns) continue;
      // The Tailscale image runs userspace networking unless TS_USERSPACE=false.
      const userspace = environmentValue(sidecar, "TS_USERSPACE") !== "false";
      const device = hasDevice(sidecar, "/dev/net/tun");
      const caps = ["NET_ADMIN", "SYS_MODULE"].filter((c) => !hasCapability(sidecar, c));
      if (!userspace && device && caps.length === 0) continue;
      const problems = [userspace ? "TS_USERSPACE is not false" : "", device ? "" : "no /dev/net/tun device", caps.length > 0 ? `no ${caps.join(" or ")} capability` : ""].filter(Boolean);
      const environment: [string, string] = ["TS_USERSPACE", "false"];
      const edit = editStep(sidecar.file, `run ${sidecar.name} in kernel mode`, grantDevice(sidecar, { ...(userspace ? { environment } : {}), ...(device ? {} : { device: "/dev/net/tun:/dev/net/tun" }), caps }));
      findings.push({
        subject: `${serviceSubject(user)} → ${sidecar.name}`,
        message: `${user.name} needs the tailnet (${hosts.length > 0 ? hosts.join(", ") : "TS_ACCEPT_DNS=true"}), but ${sidecar.name} runs Tailscale in userspace mode (${problems.join(", ")}): there is no tailscale0 interface, MagicDNS names do not resolve and 100.x addresses are not routed for ${user.name}`,
        location: sidecar.locateKey(["environment"]),
        fix: {
          summary: `Run ${sidecar.name} in kernel mode`,
          steps: [
            edit ?? {
              kind: "manual",
              description: `under ${sidecar.name} in ${sidecar.file.path}: environment TS_USERSPACE=false, devices [/dev/net/tun:/dev/net/tun], cap_add [NET_ADMIN, SYS_MODULE]`,
              destructive: false,
            },
            {
              kind: "manual",
              description: "when Docker runs in a Proxmox LXC, allow the tun device in /etc/pve/lxc/<id>.conf: lxc.cgroup2.devices.allow: c 10:200 rwm and lxc.mount.entry: /dev/net/tun dev/net/tun none bind,create=file",
              destructive: false,
            },
          ],
        },
      });
    }
    return findings.length > 0 ? findings : [pass("every Tailscale sidecar that Omni or the provider needs for the tailnet runs in kernel mode")];
  },
});
