import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import check from "./api.ts";
import { testCheck } from "../../test/harness/check-tester.ts";
import { node } from "../../test/harness/pve-facts.ts";
import { SourceError } from "../../src/sources/source-error.ts";
import { classifyPveAnswer } from "../../src/sources/proxmox/client.ts";
import type { ApiStatus } from "../../src/sources/proxmox/facts.ts";

const base = { endpoint: "https://pve1.lab.example:8006", auth: "token" as const, from: "PROXMOX_* environment" };
const healthy: ApiStatus = { ...base, tls: "pinned CA", version: { version: "9.1.5", release: "9.1" } };
const failed = (failure: SourceError): ApiStatus => ({ ...base, tls: "verified", failure });
/** The empty-bodied 401 PVE sends, classified the way the client classifies it. */
const refused = (reason: string) => classifyPveAnswer("GET /version", { status: 401, statusText: reason, contentType: null, body: "" }, new Error("401"));

testCheck(check, {
  valid: [
    { name: "reachable, token accepted, certificate pinned", facts: { api: healthy }, message: "Proxmox VE 9.1.5 at https://pve1.lab.example:8006 (API token, TLS pinned CA)" },
    { name: "password login, publicly trusted certificate", facts: { api: { ...healthy, auth: "password", tls: "verified" } }, message: /password login, TLS verified/ },
  ],
  invalid: [
    {
      name: "verification off: a warning that names the fingerprint to pin",
      facts: { api: { ...healthy, tls: "NOT verified (insecure)" }, nodes: [node("pve1"), node("pve2")] },
      results: [{ status: "warn", severity: "warning", subject: "Proxmox API https://pve1.lab.example:8006", message: /TLS verification is off/, fix: ["manual"], satisfies: (r) => expectIn(r.fix!.steps[0]!.description, "PROXMOX_FINGERPRINT=AA:BB") }],
    },
    { name: "401 with an empty body on PVE 9.1.5", facts: { api: failed(refused("Authentication failed!")) }, results: [{ status: "fail", message: /without saying why: a wrong token secret/, evidence: ["GET /version: 401 Authentication failed!", /API token, TLS verified/] }] },
    { name: "401 of an older PVE names the token", facts: { api: failed(refused("no such token 'doctor' for user 'omni@pve'")) }, results: [{ status: "fail", message: /that token does not exist/ }] },
    { name: "401 No ticket", facts: { api: failed(refused("No ticket")) }, results: [{ status: "fail", message: /no credentials reached Proxmox/ }] },
    {
      name: "403 names the privilege to grant",
      facts: { api: failed(classifyPveAnswer("GET /version", { status: 403, statusText: "Permission check failed (/, Sys.Audit)", contentType: "application/json;charset=UTF-8", body: '{"data":null}' }, new Error("403"))) },
      results: [{ status: "fail", message: /grant Sys.Audit on \/ to these credentials/ }],
    },
    { name: "self-signed certificate", facts: { api: failed(new SourceError("pve", "unreachable", "TLS verification failed: self-signed certificate [DEPTH_ZERO_SELF_SIGNED_CERT]")) }, results: [{ status: "fail", message: /pin it with PROXMOX_CA/ }] },
    { name: "nothing on the port", facts: { api: failed(new SourceError("pve", "unreachable", "connect ECONNREFUSED 192.168.10.11:8006 [ECONNREFUSED]")) }, results: [{ status: "fail", message: /nothing listens on that port/ }] },
    { name: "no answer within --timeout", facts: { api: failed(new SourceError("pve", "timeout", "no answer within 1s: GET /version")) }, results: [{ status: "fail", message: /did not answer within --timeout/ }] },
    { name: "out-of-support release", facts: { api: { ...healthy, version: { version: "7.4-17", release: "7.4" } } }, results: [{ status: "warn", message: /Proxmox VE 7.4-17, which is out of support/ }] },
  ],
  unavailable: [
    { name: "no Proxmox credentials", source: "pve", kind: "not-configured", status: "skip" },
    { name: "--offline", source: "pve", kind: "offline", status: "skip" },
  ],
});

function expectIn(text: string, part: string): void {
  if (!text.includes(part)) throw new Error(`${JSON.stringify(text)} lacks ${part}`);
}

describe("every error reply of reference/proxmox.md §2.3 gets a plain cause", () => {
  interface ErrorCase {
    name: string;
    status: number;
    statusLine: string;
    headers: Record<string, string>;
    body: unknown;
  }
  const cases = (JSON.parse(readFileSync(new URL("../../fixtures/samples/proxmox/errors.constructed.json", import.meta.url), "utf8")) as { cases: ErrorCase[] }).cases;
  const extra: ErrorCase[] = [
    ...["no such token 'doctor' for user 'omni@pve'", "user 'omni@pve' is disabled", "token 'doctor' access expired", "no tokenid specified"].map((reason) => ({ name: reason, status: 401, statusLine: `401 ${reason}`, headers: {}, body: "" })),
    { name: "missing pool", status: 403, statusLine: "403 Permission check failed (pool 'omni' does not exist)", headers: { "Content-Type": "application/json;charset=UTF-8" }, body: { data: null } },
    { name: "bare 403", status: 403, statusLine: "403 Permission check failed", headers: { "Content-Type": "application/json;charset=UTF-8" }, body: { data: null } },
    { name: "596", status: 596, statusLine: "596 Connection timed out", headers: {}, body: "" },
  ];
  it.each([...cases, ...extra].filter((c) => c.status === 401 || c.status === 403 || c.status >= 595).map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const answer = { status: c.status, statusText: c.statusLine.replace(/^\d+ /, ""), contentType: c.headers["Content-Type"] ?? null, body: typeof c.body === "string" ? c.body : JSON.stringify(c.body) };
    const error = classifyPveAnswer("GET /nodes", answer, new Error(String(c.status)));
    expect(error.kind).toBe(c.status >= 595 ? "unreachable" : "auth");
    expect(error.message).toBe(`GET /nodes: ${c.statusLine}`);
    expect(error.advice).toBeTruthy();
    const fallback = ["Proxmox refused the credentials: check the token id (USER@REALM!TOKENID) and its secret", "the credentials lack a permission for this call: grant it with pveum acl modify"];
    if (c.name !== "bare 403") expect(fallback).not.toContain(error.advice);
  });
});
