/**
 * A loopback Kubernetes API server the real kubectl talks to: discovery (/version, /api, /api/v1,
 * /apis and each group version, with the lab's installed CRDs) plus list endpoints, cluster-wide
 * and per namespace, with field selectors. Writes a kubeconfig pointing at itself.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Lab } from "./lab/model.ts";
import { groupVersion, KUBE_RESOURCES, kubeList, LAB_CONTEXT, servedResources, type KubeResource } from "./lab/kube.ts";
import { startHttpsServer, testCertificate } from "./tls.ts";

export interface KubeServer {
  url: string;
  kubeconfig: string;
  /** A HOME for kubectl so its discovery cache stays out of the real one. */
  home: string;
  requests: Array<{ method: string; path: string; query: string }>;
  /** List requests only (GET of a resource collection), by path. */
  lists(): string[];
  setLab(lab: Lab): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
}

const json = (status: number, body: unknown): Reply => ({ status, body });

export async function startKubeServer(initial: Lab, options: { token?: string; latencyMs?: number } = {}): Promise<KubeServer> {
  let lab = initial;
  const requests: KubeServer["requests"] = [];
  // HTTPS like a real API server: kubectl sends no bearer token over plain HTTP.
  const server = await startHttpsServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push({ method: req.method ?? "GET", path: url.pathname, query: url.search });
    const answer = (): Reply | undefined => {
      if (lab.kube?.hang) return undefined; // never answers
      if (lab.kube?.failure) {
        const { status } = lab.kube.failure;
        return json(status, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: status === 401 ? "Unauthorized" : "Internal error", reason: status === 401 ? "Unauthorized" : "InternalError", code: status });
      }
      if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
        return json(401, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
      }
      const path = url.pathname;
      const served = servedResources(lab);
      if (path === "/version") return json(200, { major: "1", minor: "35", gitVersion: "v1.35.2", platform: "linux/amd64" });
      // Plain (non-aggregated) discovery: kubectl falls back to asking each group version.
      if (path === "/api") return json(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }] });
      if (path === "/apis") return json(200, { kind: "APIGroupList", apiVersion: "v1", groups: apiGroups(served) });
      const discovery = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
      if (discovery) {
        const gv = discovery[1] ?? `${discovery[2]}/${discovery[3]}`;
        const resources = served.filter((r) => groupVersion(r) === gv);
        if (resources.length > 0) return json(200, { kind: "APIResourceList", apiVersion: "v1", groupVersion: gv, resources: resources.map(apiResource) });
      }
      const list = listPath(path);
      if (list && served.includes(list.resource)) {
        const fieldSelector = url.searchParams.get("fieldSelector") ?? undefined;
        return json(200, kubeList(lab, list.resource, { ...(list.namespace ? { namespace: list.namespace } : {}), ...(fieldSelector ? { fieldSelector } : {}) }));
      }
      return json(404, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", code: 404 });
    };
    const reply = answer();
    if (!reply) return;
    // Made at once, sent after the latency (like a server working while the network carries it);
    // latency on the data (list) calls only: one round trip per kubectl call, not per discovery request.
    const text = JSON.stringify(reply.body);
    const send = () => {
      res.writeHead(reply.status, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
      res.end(text);
    };
    if (options.latencyMs && listPath(url.pathname)) setTimeout(send, options.latencyMs);
    else send();
  });
  const { port } = server;
  const dir = mkdtempSync(join(tmpdir(), "omni-doctor-kube-"));
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = join(dir, "kubeconfig");
  writeKubeconfig(kubeconfig, [{ name: LAB_CONTEXT, server: url, token: options.token ?? "lab-token" }], LAB_CONTEXT);
  return {
    url,
    kubeconfig,
    home: dir,
    requests,
    lists: () => requests.filter((r) => listPath(r.path) !== undefined).map((r) => r.path),
    setLab: (next) => {
      lab = next;
    },
    close: server.close,
  };
}

/** A kubeconfig with one context (and cluster and user of the same name) per entry, trusting the harness certificate. */
export function writeKubeconfig(path: string, contexts: Array<{ name: string; server: string; token: string }>, current: string): void {
  const ca = Buffer.from(testCertificate().cert).toString("base64");
  const lines = ["apiVersion: v1", "kind: Config", "clusters:"];
  for (const c of contexts) lines.push(`- name: ${c.name}`, "  cluster:", `    server: ${c.server}`, `    certificate-authority-data: ${ca}`);
  lines.push("users:");
  for (const c of contexts) lines.push(`- name: ${c.name}`, "  user:", `    token: ${c.token}`);
  lines.push("contexts:");
  for (const c of contexts) lines.push(`- name: ${c.name}`, "  context:", `    cluster: ${c.name}`, `    user: ${c.name}`);
  lines.push(`current-context: ${current}`, "");
  writeFileSync(path, lines.join("\n"));
}

function apiGroups(served: KubeResource[]) {
  const groups = new Map<string, string[]>();
  for (const r of served.filter((r) => r.group)) groups.set(r.group, [...new Set([...(groups.get(r.group) ?? []), r.version])]);
  return [...groups].map(([name, versions]) => ({
    name,
    versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
    preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
  }));
}

function apiResource(r: KubeResource) {
  return { name: r.name, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ["get", "list", "watch"] };
}

/** The kind (and namespace) a collection URL lists: `/api/v1/pods`, `/apis/apps/v1/namespaces/x/deployments`. */
function listPath(path: string): { resource: KubeResource; namespace?: string } | undefined {
  const match = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))\/(?:namespaces\/([^/]+)\/)?([a-z]+)$/.exec(path);
  if (!match) return undefined;
  const gv = match[1] ?? match[2]!;
  const resource = KUBE_RESOURCES.find((r) => groupVersion(r) === gv && r.name === match[4]);
  if (!resource) return undefined;
  return match[3] ? { resource, namespace: match[3] } : { resource };
}
