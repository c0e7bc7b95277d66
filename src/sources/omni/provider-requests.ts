/**
 * MachineRequestStatuses (namespace infra-provider): one per VM the Proxmox provider was asked
 * for. The resource id is the request id, which the provider also uses as the VM's name; `id` in
 * the spec is the machine's UUID, which it writes into the VM's SMBIOS.
 */
import { z } from "zod";
import { looseString } from "../exec-output.ts";
import type { OmniResource } from "./omnictl.ts";
import { omniEnum } from "./resources.ts";

export const MACHINE_REQUEST_STATUSES = "MachineRequestStatuses.omni.sidero.dev";
export const INFRA_PROVIDER_NAMESPACE = "infra-provider";

export const providerMachineRequestSpec = z.looseObject({
  id: looseString.optional(),
  stage: omniEnum(["UNKNOWN", "PROVISIONING", "PROVISIONED", "FAILED"] as const),
  error: looseString.optional(),
  status: looseString.optional(),
});
export type ProviderMachineRequest = OmniResource<z.infer<typeof providerMachineRequestSpec>>;
