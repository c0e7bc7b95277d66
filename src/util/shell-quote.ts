/**
 * Quote argv for display so that a copy-paste into a POSIX shell runs exactly that one command.
 * We never execute through a shell; this is only for the commands we print.
 */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArg(arg: string): string {
  if (arg !== "" && SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function quoteCommand(argv: readonly string[]): string {
  return argv.map(quoteArg).join(" ");
}
