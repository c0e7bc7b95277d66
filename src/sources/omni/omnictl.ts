/**
 * omnictl: `omnictl get <FullType> -o json`, always with the full resource type (short aliases
 * are ambiguous), parsed object by object. Lowercase spec keys and integer enums are what
 * omnictl prints; src/sources/omni/resources.ts gives them names.
 */
import { z } from "zod";
import type { QueryRunner } from "../query-runner.ts";
import { SourceError } from "../source-error.ts";
import { cosiMetadata, firstErrorLine, looseString, parseStream, stringMap } from "../exec-output.ts";
import { STOPPED_AT_LOGIN } from "../transport.ts";

export const CLUSTER_LABEL = "omni.sidero.dev/cluster";

export function omniEnvelope<S extends z.ZodType>(spec: S) {
  return z.object({
    metadata: cosiMetadata.extend({
      created: looseString.optional(),
      updated: looseString.optional(),
      annotations: stringMap,
      finalizers: z.array(z.string()).nullish().transform((f) => f ?? []),
    }),
    spec,
  });
}
export type OmniResource<T> = { metadata: z.infer<ReturnType<typeof omniEnvelope>>["metadata"]; spec: T };

export interface OmniGetOptions {
  namespace?: string;
  /** Limit to `--cluster` through the cluster label (only for cluster-scoped types). */
  clusterScoped?: boolean;
  /** Limit to `--cluster` by resource ID, for per-cluster types that carry no cluster label (ClusterStatuses). */
  clusterId?: boolean;
}

export interface OmniList<T> {
  resources: Array<OmniResource<T>>;
  /** omnictl's `[WARN] ...` lines on stderr (e.g. its version differs from the backend's). */
  warnings: string[];
}

export class OmniSource {
  readonly #runner: QueryRunner;
  readonly #cluster: string | undefined;

  constructor(runner: QueryRunner, cluster: string | undefined) {
    this.#runner = runner;
    this.#cluster = cluster;
  }

  async get<S extends z.ZodType>(type: string, spec: S, options: OmniGetOptions = {}): Promise<Array<OmniResource<z.infer<S>>>> {
    return (await this.list(type, spec, options)).resources;
  }

  /** `get`, keeping omnictl's warnings. */
  async list<S extends z.ZodType>(type: string, spec: S, options: OmniGetOptions = {}): Promise<OmniList<z.infer<S>>> {
    const args = ["get", type];
    if (options.namespace) args.push("--namespace", options.namespace);
    if (options.clusterScoped && this.#cluster) args.push("--selector", `${CLUSTER_LABEL}=${this.#cluster}`);
    args.push("--output", "json");
    const answer = await this.#runner.ask({ kind: "exec", source: "omni", program: "omnictl", args });
    if (answer.exitCode !== 0) throw classifyOmnictlError(answer.stderr, answer.exitCode);
    const all = parseStream("omni", `omnictl get ${type}`, answer.stdout, omniEnvelope(spec)) as Array<OmniResource<z.infer<S>>>;
    const resources = options.clusterId && this.#cluster ? all.filter((r) => r.metadata.id === this.#cluster) : all;
    const warnings = answer.stderr
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.startsWith("[WARN]"));
    return { resources, warnings };
  }
}

/** Map omnictl's error text (reference/omni.md §6) to a kind and advice. */
export function classifyOmnictlError(stderr: string, exitCode: number): SourceError {
  const line = firstErrorLine(stderr) || `omnictl exited with ${exitCode}`;
  const text = stderr;
  if (/Unauthenticated|invalid signature|key expired|invalid jwt|invalid session|missing valid signature|Could not authenticate|Please visit this page to authenticate|Attempting to open URL/i.test(text)) {
    const serviceAccount = Boolean(process.env.OMNI_SERVICE_ACCOUNT_KEY);
    const interactive = exitCode === STOPPED_AT_LOGIN ? " (omnictl wanted a browser login and was stopped)" : "";
    return new SourceError(
      "omni",
      "auth",
      `${line}${interactive}`,
      serviceAccount
        ? "the service account key in OMNI_SERVICE_ACCOUNT_KEY was refused: create a new key in Omni (Settings → Service Accounts)"
        : "your Omni login expired: run `omnictl get clusters` in a terminal and confirm the login in the browser",
    );
  }
  if (/PermissionDenied|insufficient role|not authorized for this instance|access is not permitted|no access is permitted/i.test(text)) {
    return new SourceError("omni", "auth", line, "the Omni account lacks the role for this query: use an account with at least the Reader role");
  }
  if (/has not been configured|failed to load|no such file or directory.*config|no context|omniconfig/i.test(text)) {
    return new SourceError("omni", "not-configured", line, "set up omnictl first: download omniconfig from the Omni UI and set OMNICONFIG, or set OMNI_ENDPOINT and OMNI_SERVICE_ACCOUNT_KEY");
  }
  if (/connection refused|no such host|Unavailable|i\/o timeout|network is unreachable|no route to host|context deadline exceeded|TLS handshake|certificate/i.test(text)) {
    return new SourceError("omni", "unreachable", line, "check the Omni endpoint in your omniconfig and that Omni is running");
  }
  if (/is not registered|API version mismatch/i.test(text)) {
    return new SourceError("omni", "failed", line, "omnictl and the Omni backend differ in version: install the omnictl that matches the backend");
  }
  return new SourceError("omni", "failed", line);
}
