/**
 * The Proxmox VE API through the proxmox-api package, with our own `fetch`: every request goes
 * through the run's QueryRunner (memoized, limited, timed out, recorded/replayed) and its status
 * is captured, so failures are classified from the HTTP answer rather than from message text.
 * A fresh client per run avoids the package's ticket-poisoning bug (reference/proxmox.md §1.5).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import proxmoxApi, { type Proxmox } from "proxmox-api";
import { Response } from "undici";
import type { QueryRunner } from "../query-runner.ts";
import { SourceError, isSourceError } from "../source-error.ts";
import type { HttpAnswer } from "../transport.ts";
import type { ProxmoxSettings } from "./settings.ts";

export type ProxmoxApi = Proxmox.Api;

const API_BASE = "/api2/json";

export type ProxmoxAvailability = { ok: true; settings: ProxmoxSettings } | { ok: false; error: SourceError };

export class ProxmoxSource {
  readonly availability: ProxmoxAvailability;
  readonly #runner: QueryRunner;
  readonly #captured = new AsyncLocalStorage<{ last?: HttpAnswer }>();
  #api: ProxmoxApi | undefined;

  constructor(runner: QueryRunner, availability: ProxmoxAvailability) {
    this.#runner = runner;
    this.availability = availability;
  }

  get settings(): ProxmoxSettings | undefined {
    return this.availability.ok ? this.availability.settings : undefined;
  }

  /** Call the API; `what` names the call in messages (e.g. `GET /nodes`). */
  async call<T>(what: string, request: (api: ProxmoxApi) => Promise<T>): Promise<T> {
    const api = this.#client();
    const capture: { last?: HttpAnswer } = {};
    try {
      return await this.#captured.run(capture, () => request(api));
    } catch (error) {
      const source = sourceErrorIn(error);
      if (source) throw source;
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

  #client(): ProxmoxApi {
    if (!this.availability.ok) throw this.availability.error;
    if (this.#api) return this.#api;
    const { settings } = this.availability;
    const timeout = this.#runner.timeoutMs + 5000; // ours fires first; the package's own timer is only a backstop
    const common = {
      host: settings.host.includes(":") ? `[${settings.host}]` : settings.host,
      port: settings.port,
      schema: settings.schema,
      queryTimeout: timeout,
      authTimeout: timeout,
      fetch: (url: string | URL, init?: { method?: string; headers?: unknown; body?: unknown }) => this.#fetch(String(url), init ?? {}),
    };
    this.#api =
      settings.auth.kind === "token"
        ? proxmoxApi({ ...common, tokenID: settings.auth.tokenId, tokenSecret: settings.auth.tokenSecret })
        : proxmoxApi({ ...common, username: settings.auth.username, password: settings.auth.password });
    return this.#api;
  }

  async #fetch(url: string, init: { method?: string; headers?: unknown; body?: unknown }): Promise<Response> {
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
    const answer = await this.#runner.ask(request);
    const store = this.#captured.getStore();
    if (store) store.last = answer;
    const headers: Record<string, string> = answer.contentType ? { "content-type": answer.contentType } : {};
    return new Response(answer.body === "" ? null : answer.body, { status: answer.status, statusText: answer.statusText, headers });
  }
}

function sourceErrorIn(error: unknown): SourceError | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) if (isSourceError(e)) return e;
  return undefined;
}

/** Name the cause of a failed API call from the status line PVE sent (reference/proxmox.md §2.3). */
export function classifyPveAnswer(what: string, answer: HttpAnswer | undefined, error: unknown): SourceError {
  if (!answer) return new SourceError("pve", "failed", `${what}: ${(error as Error)?.message ?? String(error)}`);
  const reason = answer.statusText || bodyMessage(answer.body) || "";
  const status = `${answer.status} ${reason}`.trim();
  if (answer.status === 401) {
    if (/^No ticket/i.test(reason)) return new SourceError("pve", "auth", `${what}: ${status}`, "no credentials reached Proxmox: check the token id and secret");
    if (/expired/i.test(reason)) return new SourceError("pve", "auth", `${what}: ${status}`, "the API token has expired: extend it or create a new one (Datacenter → Permissions → API Tokens)");
    if (/disabled/i.test(reason)) return new SourceError("pve", "auth", `${what}: ${status}`, "the Proxmox user is disabled: enable it (Datacenter → Permissions → Users)");
    if (/authentication failure/i.test(reason)) return new SourceError("pve", "auth", `${what}: ${status}`, "the username or password is wrong (and include the realm, e.g. root@pam)");
    return new SourceError("pve", "auth", `${what}: ${status}`, "Proxmox refused the credentials: check the token id (USER@REALM!TOKENID) and its secret");
  }
  if (answer.status === 403) {
    return new SourceError("pve", "auth", `${what}: ${status}`, "the token lacks a permission: grant it (pveum aclmod) or use a token without privilege separation");
  }
  if (answer.status >= 595) {
    return new SourceError("pve", "unreachable", `${what}: ${status}`, "Proxmox could not reach that node through its cluster proxy: is the node online?");
  }
  if (answer.status === 200) {
    return new SourceError("pve", "unexpected-output", `${what}: unexpected answer (content type ${answer.contentType ?? "none"})`);
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
