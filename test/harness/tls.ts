/** A self-signed certificate made at test time (openssl), cached per test process, and HTTPS servers that use it. */
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import https from "node:https";
import type { RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificate {
  cert: string;
  key: string;
  fingerprint256: string;
  certFile: string;
}

let cached: TestCertificate | undefined;

export function testCertificate(): TestCertificate {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), "omni-doctor-tls-"));
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=pve-test", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
    { stdio: "ignore" },
  );
  const cert = readFileSync(certFile, "utf8");
  cached = { cert, key: readFileSync(keyFile, "utf8"), fingerprint256: new X509Certificate(cert).fingerprint256, certFile };
  return cached;
}

export interface LoopbackHttpsServer {
  port: number;
  close(): Promise<void>;
}

/** A loopback HTTPS server with the test certificate, listening; close() drops kept-alive connections first. */
export async function startHttpsServer(handler: RequestListener): Promise<LoopbackHttpsServer> {
  const tls = testCertificate();
  const server = https.createServer({ key: tls.key, cert: tls.cert }, handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
