/**
 * Docker Compose files in the kit: services, their command arguments (string or list form) and
 * `${VAR}` interpolation from the env files Compose would read.
 */
import { isRecord } from "./yaml-file.ts";
import { docValue } from "./yaml-file.ts";
import type { Kit, KitYamlFile } from "./kit.ts";
import { filesOfKind } from "./kit.ts";
import { envValue, type EnvFile } from "./env-file.ts";

export interface ComposeService {
  file: KitYamlFile;
  name: string;
  value: Record<string, unknown>;
}

export function composeServices(kit: Kit): ComposeService[] {
  return filesOfKind(kit, "compose").flatMap((file) =>
    file.docs.flatMap((doc) => {
      const value = docValue(doc);
      if (!isRecord(value) || !isRecord(value.services)) return [];
      return Object.entries(value.services)
        .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
        .map(([name, service]) => ({ file, name, value: service }));
    }),
  );
}

/** The service's command as arguments: a list as is, a string split on whitespace like Compose does. */
export function commandArgs(service: ComposeService): string[] {
  const command = service.value.command;
  if (Array.isArray(command)) return command.map(String);
  if (typeof command === "string") return command.trim().split(/\s+/);
  return [];
}

/** `--flag=value` or `--flag value` in an argument list. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith(`${flag}=`)) return unquote(arg.slice(flag.length + 1));
    if (arg === flag && i + 1 < args.length) return unquote(args[i + 1]!);
  }
  return undefined;
}

const unquote = (value: string) => value.replace(/^(['"])(.*)\1$/, "$2");

/** The env files Compose would use for a compose file: those in its own folder, `.env` last so it wins. */
export function envFilesFor(kit: Kit, composePath: string): EnvFile[] {
  const dir = composePath.includes("/") ? composePath.slice(0, composePath.lastIndexOf("/") + 1) : "";
  const local = kit.env.filter((e) => e.path.startsWith(dir) && !e.path.slice(dir.length).includes("/"));
  return [...local.filter((e) => !e.path.endsWith("/.env") && e.path !== ".env"), ...local.filter((e) => e.path.endsWith("/.env") || e.path === ".env")];
}

/** Replace `${VAR}`, `${VAR:-default}` and `$VAR`; unknown variables stay as written. */
export function interpolate(value: string, envs: readonly EnvFile[]): string {
  const lookup = (name: string) => {
    for (let i = envs.length - 1; i >= 0; i--) {
      const v = envValue(envs[i]!, name);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const v = lookup((braced ?? bare)!);
    if (v !== undefined && v !== "") return v;
    return fallback ?? whole;
  });
}
