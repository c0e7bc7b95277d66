/** Talos resource specs as `talosctl get -o json` prints them (camelCase yaml tags, enums as strings). */
import { z } from "zod";
import { looseString } from "../exec-output.ts";

export const addressStatusSpec = z.looseObject({
  address: z.string(),
  linkName: looseString.optional(),
  family: looseString.optional(),
  scope: looseString.optional(),
  flags: looseString.optional(),
});
