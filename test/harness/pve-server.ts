/**
 * A loopback HTTPS server that behaves like the Proxmox VE API for a lab: the exact content type,
 * status lines with PVE's reason phrases, empty 401s, 595 for offline nodes, optional delays.
 */
import type { Lab } from "./lab/model.ts";
import { authenticate, pveAnswer, type PveReply } from "./lab/pve.ts";
import { pveMutation } from "./lab/mutations.ts";
import { startHttpsServer, testCertificate } from "./tls.ts";

export interface PveServer {
  url: string;
  port: number;
  certFile: string;
  fingerprint256: string;
  requests: Array<{ method: string; path: string }>;
  setLab(lab: Lab): void;
  close(): Promise<void>;
}

export async function startPveServer(initial: Lab, options: { latencyMs?: number } = {}): Promise<PveServer> {
  let lab = initial;
  const tls = testCertificate();
  const requests: PveServer["requests"] = [];
  const server = await startHttpsServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").replace(/^\/api2\/json/, "");
      const method = req.method ?? "GET";
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = req.headers as Record<string, string>;
      requests.push({ method, path });
      const caller = lab.pve ? authenticate(lab.pve, method, headers) : undefined;
      const mutation = caller && !("status" in caller) ? pveMutation(lab, method, path, body) : undefined;
      if (mutation) lab = mutation.lab;
      const reply: PveReply = mutation?.answer ?? pveAnswer(lab, method, path, headers, body);
      const send = () => {
        res.statusCode = reply.status;
        res.statusMessage = reply.statusText;
        res.setHeader("Server", "pve-api-daemon/3.0");
        res.setHeader("Cache-Control", "max-age=0");
        if (reply.contentType) res.setHeader("Content-Type", reply.contentType);
        res.end(reply.body);
      };
      const delay = (reply.delayMs ?? 0) + (options.latencyMs ?? 0);
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  const { port } = server;
  return {
    url: `https://127.0.0.1:${port}/api2/json`,
    port,
    certFile: tls.certFile,
    fingerprint256: tls.fingerprint256,
    requests,
    setLab: (next) => {
      lab = next;
    },
    close: server.close,
  };
}
