/**
 * A loopback Kubernetes API server the real kubectl talks to: discovery (/api, /apis, /api/v1,
 * /version) plus list endpoints for the lab's objects. Writes a kubeconfig pointing at itself.
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Lab } from "./lab/model.ts";
import { CORE_RESOURCES, kubeList } from "./lab/kube.ts";
import { testCertificate } from "./tls.ts";

export interface KubeServer {
  url: string;
  kubeconfig: string;
  /** A HOME for kubectl so its discovery cache stays out of the real one. */
  home: string;
  requests: Array<{ method: string; path: string }>;
  /** List requests only (GET of a resource collection). */
  lists(): string[];
  setLab(lab: Lab): void;
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
  res.end(JSON.stringify(body));
};

export async function startKubeServer(initial: Lab, options: { token?: string; latencyMs?: number } = {}): Promise<KubeServer> {
  let lab = initial;
  const requests: KubeServer["requests"] = [];
  const tls = testCertificate();
  // HTTPS like a real API server: kubectl sends no bearer token over plain HTTP.
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push({ method: req.method ?? "GET", path: url.pathname });
    const respond = () => {
      if (lab.kube?.hang) return; // never answers
      if (lab.kube?.failure) {
        const { status } = lab.kube.failure;
        return json(res, status, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: status === 401 ? "Unauthorized" : "Internal error", reason: status === 401 ? "Unauthorized" : "InternalError", code: status });
      }
      if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
        return json(res, 401, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
      }
      const path = url.pathname;
      if (path === "/version") return json(res, 200, { major: "1", minor: "35", gitVersion: "v1.35.2", platform: "linux/amd64" });
      if (path === "/api") return json(res, 200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }] });
      if (path === "/apis") return json(res, 200, { kind: "APIGroupList", apiVersion: "v1", groups: [] });
      if (path === "/api/v1") {
        return json(res, 200, {
          kind: "APIResourceList",
          groupVersion: "v1",
          resources: CORE_RESOURCES.map((r) => ({ name: r.name, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ["get", "list", "watch"] })),
        });
      }
      const match = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?([a-z]+)$/.exec(path);
      if (match && CORE_RESOURCES.some((r) => r.name === match[2])) {
        const list = kubeList(lab, match[2]!);
        if (match[1]) list.items = (list.items as Array<{ metadata?: { namespace?: string } }>).filter((o) => o.metadata?.namespace === match[1]);
        return json(res, 200, list);
      }
      json(res, 404, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", code: 404 });
    };
    if (options.latencyMs) setTimeout(respond, options.latencyMs);
    else respond();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const dir = mkdtempSync(join(tmpdir(), "omni-doctor-kube-"));
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      `- name: lab`,
      `  cluster:`,
      `    server: https://127.0.0.1:${port}`,
      `    certificate-authority-data: ${Buffer.from(tls.cert).toString("base64")}`,
      "users:",
      "- name: lab-admin",
      "  user:",
      `    token: ${options.token ?? "lab-token"}`,
      "contexts:",
      "- name: omni-lab",
      "  context:",
      "    cluster: lab",
      "    user: lab-admin",
      "current-context: omni-lab",
      "",
    ].join("\n"),
  );
  return {
    url: `https://127.0.0.1:${port}`,
    kubeconfig,
    home: dir,
    requests,
    lists: () => requests.filter((r) => /^\/api\/v1\/(namespaces\/[^/]+\/)?[a-z]+$/.test(r.path) || /^\/apis\/.+\/[a-z]+$/.test(r.path)).map((r) => r.path),
    setLab: (next) => {
      lab = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
