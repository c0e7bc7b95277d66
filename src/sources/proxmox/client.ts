/**
 * The Proxmox VE API through the proxmox-api package, with our own `fetch`: every request goes
 * through the run's QueryRunner (memoized, limited, timed out, recorded/replayed) and its status
 * is captured, so failures are classified from the HTTP answer rather than from message text.
 * A fresh client per run avoids the package's ticket-poisoning bug (reference/proxmox.md §1.5).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Proxmox } from "proxmox-api";
import type { Response as UndiciResponse } from "undici";
import type { QueryRunner } from "../query-runner.ts";
import { SourceError, isSourceError } from "../source-error.ts";
import type { HttpAnswer } from "../transport.ts";
import type { ProxmoxSettings } from "./settings.ts";
import { registerSecret } from "../redact.ts";

export type ProxmoxApi = Proxmox.Api;

const API_BASE = "/api2/json";

/** What one call() saw: the last answer, or the failure that kept a request from being answered. */
interface Capture {
  last?: HttpAnswer;
  failure?: SourceError;
}

export type ProxmoxAvailability = { ok: true; settings: ProxmoxSettings } | { ok: false; error: SourceError };

export class ProxmoxSource {
  readonly availability: ProxmoxAvailability;
  readonly #runner: QueryRunner;
  readonly #captured = new AsyncLocalStorage<Capture>();
  #api: Promise<ProxmoxApi> | undefined;

  constructor(runner: QueryRunner, availability: ProxmoxAvailability) {
    this.#runner = runner;
    this.availability = availability;
  }

  get settings(): ProxmoxSettings | undefined {
    return this.availability.ok ? this.availability.settings : undefined;
  }

  /** Call the API; `what` names the call in messages (e.g. `GET /nodes`). */
  async call<T>(what: string, request: (api: ProxmoxApi) => Promise<T>): Promise<T> {
    const api = await this.#client();
    const capture: Capture = {};
    try {
      return await this.#captured.run(capture, () => request(api));
    } catch (error) {
      if (capture.failure) throw capture.failure;
      throw classifyPveAnswer(what, capture.last, error);
    }
  }

  /** Make a change (a fix's `api` step): `PUT /nodes/pve1/qemu/104/config` with its parameters. */
  async change(method: "GET" | "POST" | "PUT" | "DELETE", path: string, parameters: Record<string, string | number | boolean>): Promise<unknown> {
    const what = `${method} ${path}`;
    return this.call(what, (api) => {
      // proxmox-api builds the URL from the segments it is walked through; $() escapes each one.
      let endpoint = api as unknown as { $(segment: string): unknown } & Record<string, (params: unknown) => Promise<unknown>>;
      for (const segment of path.split("/").filter(Boolean)) endpoint = endpoint.$(segment) as typeof endpoint;
      return endpoint[`$${method.toLowerCase()}`]!(parameters);
    });
  }

  #client(): Promise<ProxmoxApi> {
    if (!this.availability.ok) return Promise.reject(this.availability.error);
    this.#api ??= this.#connect(this.availability.settings);
    return this.#api;
  }

  /** The package is loaded with the first Proxmox call: offline runs and runs without Proxmox never load it. */
  async #connect(settings: ProxmoxSettings): Promise<ProxmoxApi> {
    const { default: proxmoxApi } = await import("proxmox-api");
    const timeout = this.#runner.timeoutMs + 5000; // ours fires first; the package's own timer is only a backstop
    const common = {
      host: settings.host,
      port: settings.port,
      schema: settings.schema,
      queryTimeout: timeout,
      authTimeout: timeout,
      fetch: (url: string | URL, init?: { method?: string; headers?: unknown; body?: unknown }) => this.#fetch(String(url), init ?? {}),
    };
    return settings.auth.kind === "token"
      ? proxmoxApi({ ...common, tokenID: settings.auth.tokenId, tokenSecret: settings.auth.tokenSecret })
      : proxmoxApi({ ...common, username: settings.auth.username, password: settings.auth.password });
  }

  async #fetch(url: string, init: { method?: string; headers?: unknown; body?: unknown }): Promise<UndiciResponse> {
    const settings = (this.availability as { settings: ProxmoxSettings }).settings;
    const parsed = new URL(url);
    const path = parsed.pathname.startsWith(API_BASE) ? parsed.pathname.slice(API_BASE.length) + parsed.search : parsed.pathname + parsed.search;
    const request = {
      kind: "http" as const,
      source: "pve" as const,
      method: (init.method ?? "GET").toUpperCase(),
      url,
      path,
      headers: Object.fromEntries(Object.entries((init.headers as Record<string, string>) ?? {}).map(([k, v]) => [k, String(v)])),
      tls: settings.tls,
      ...(init.body !== undefined ? { body: String(init.body) } : {}),
    };
    const store = this.#captured.getStore();
    let answer: HttpAnswer;
    try {
      answer = await this.#runner.ask(request);
    } catch (error) {
      // proxmox-api clears its own timeout only when fetch resolves; a rejection would leave its
      // timer holding the process open for the whole queryTimeout. Hand it an answer it treats as
      // a failure, and keep the real reason for call().
      if (store && isSourceError(error)) store.failure ??= error;
      else throw error;
      return response(null, { status: 599, statusText: "not answered" });
    }
    if (request.method === "POST" && path === "/access/ticket") registerTicket(answer);
    if (store) store.last = answer;
    const headers: Record<string, string> = answer.contentType ? { "content-type": answer.contentType } : {};
    return response(answer.body === "" ? null : answer.body, { status: answer.status, statusText: answer.statusText, headers });
  }
}

/** Node's own Response is undici's: only the two packages' type declarations differ. */
function response(body: string | null, init: ResponseInit): UndiciResponse {
  return new Response(body, init) as unknown as UndiciResponse;
}

/** A password login's ticket and CSRF token are credentials for two hours: never let them reach output. */
function registerTicket(answer: HttpAnswer): void {
  try {
    const data = (JSON.parse(answer.body) as { data?: { ticket?: unknown; CSRFPreventionToken?: unknown } }).data;
    if (typeof data?.ticket === "string") registerSecret(data.ticket);
    if (typeof data?.CSRFPreventionToken === "string") registerSecret(data.CSRFPreventionToken);
  } catch {
    // not a login answer: nothing to register
  }
}

/** 401 reason phrases by PVE version (reference/proxmox.md §2.3) and what each means. */
const AUTH_CAUSES: Array<[RegExp, string]> = [
  [/^No ticket/i, "no credentials reached Proxmox: the token id or secret is empty, or a proxy in between drops the Authorization header"],
  [/invalid token value/i, "the token secret is wrong: paste the secret Proxmox showed when the token was created, or make a new token"],
  [/no such token/i, "that token does not exist for that user: check the token id (USER@REALM!TOKENID), names are case-sensitive"],
  [/is disabled/i, "the Proxmox user is disabled: enable it (Datacenter → Permissions → Users)"],
  [/expired/i, "the API token has expired: extend it or make a new one (Datacenter → Permissions → API Tokens)"],
  [/no tokenid specified/i, "the token id is malformed: it must look like USER@REALM!TOKENID"],
  [/invalid PVE ticket/i, "the login ticket was refused: tickets expire after 2 hours, and a clock difference between this machine and the node also invalidates them"],
  [/authentication failure/i, "the username or password is wrong, or the realm is (root@pam, user@pve)"],
  [/Authentication failed!/i, "Proxmox (9.1.5 and later) refused the credentials without saying why: a wrong token secret, an unknown token, a disabled user or an expired token"],
];

/** Name the cause of a failed API call from the status line PVE sent (reference/proxmox.md §2.3). */
export function classifyPveAnswer(what: string, answer: HttpAnswer | undefined, error: unknown): SourceError {
  if (!answer) return new SourceError("pve", "failed", `${what}: ${(error as Error)?.message ?? String(error)}`);
  const reason = answer.statusText || bodyMessage(answer.body) || "";
  const status = `${answer.status} ${reason}`.trim();
  if (answer.status === 401) {
    const cause = AUTH_CAUSES.find(([pattern]) => pattern.test(reason))?.[1] ?? "Proxmox refused the credentials: check the token id (USER@REALM!TOKENID) and its secret";
    return new SourceError("pve", "auth", `${what}: ${status}`, cause);
  }
  if (answer.status === 403) {
    const denied = /Permission check failed \(([^,]+), ([^)]+)\)/.exec(reason);
    if (/not available with API token/i.test(reason)) return new SourceError("pve", "auth", `${what}: ${status}`, "this call needs a password login, not an API token");
    const pool = /pool '([^']+)' does not exist/.exec(reason)?.[1];
    if (pool) return new SourceError("pve", "auth", `${what}: ${status}`, `the pool ${pool} does not exist: create it (Datacenter → Permissions → Pools) or stop asking for it`);
    const advice = denied ? `grant ${denied[2]!.split("|").join(" or ")} on ${denied[1]} to these credentials` : "the credentials lack a permission for this call: grant it with pveum acl modify";
    return new SourceError("pve", "auth", `${what}: ${status}`, advice);
  }
  if (answer.status >= 595) {
    return new SourceError("pve", "unreachable", `${what}: ${status}`, "Proxmox could not reach that node through its cluster proxy: is the node online?");
  }
  if (answer.status === 501) {
    return new SourceError("pve", "failed", `${what}: ${status}`, "this Proxmox VE does not offer that call (too old a release?)");
  }
  if (answer.status === 200) {
    return new SourceError("pve", "unexpected-output", `${what}: the answer is not Proxmox JSON (content type ${answer.contentType ?? "none"})`, "is the URL a Proxmox VE API (https://<host>:8006/api2/json) and not a proxy or another service?");
  }
  return new SourceError("pve", "failed", `${what}: ${status}`);
}

function bodyMessage(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === "string" ? message.trim() : undefined;
  } catch {
    return undefined;
  }
}
