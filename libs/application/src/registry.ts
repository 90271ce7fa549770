import { fundingUseCases } from '@erbm/funding';
import { identityUseCases } from '@erbm/identity';
import { insertionUseCases } from '@erbm/insertion';
import { operationUseCases } from '@erbm/operations';
import { programmeUseCases } from '@erbm/programme';
import { type AnyUseCase, withProgrammeWindow } from '@erbm/shared';

/**
 * Every command type of every bounded context, by type string, each with the programme's business-date window
 * checked in its decision when it declares `businessDates` (ADR 0017). Fails at start-up on a duplicate type.
 */
export function buildRegistry(useCases: AnyUseCase[] = [...programmeUseCases, ...operationUseCases, ...fundingUseCases, ...insertionUseCases, ...identityUseCases]): Map<string, AnyUseCase> {
  const registry = new Map<string, AnyUseCase>();
  for (const u of useCases) {
    if (registry.has(u.type)) throw new Error(`Two use cases declare the command type ${u.type}`);
    registry.set(u.type, withProgrammeWindow(u));
  }
  return registry;
}

export const COMMAND_TYPES: string[] = [...buildRegistry().keys()];
