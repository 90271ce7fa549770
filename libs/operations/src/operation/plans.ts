import { type Check, invalid, ruleViolated } from '@erbm/shared';
import { PLANNABLE_PHASES, type PlannedDates } from './operation.events';

/** Parses `plannedDates` (phase → ISO date); dates must not decrease along the phases. */
export function parsePlannedDates(c: Check, field = 'plannedDates'): PlannedDates {
  const o = c.object(field).only(...PLANNABLE_PHASES);
  const out: PlannedDates = {};
  for (const phase of PLANNABLE_PHASES) {
    if (o.has(phase)) out[phase] = o.date(phase);
  }
  return out;
}

/** @throws DomainError COMMAND.INVALID when planned dates go backwards along the phases. */
export function assertPlanOrdered(plan: PlannedDates, field = 'plannedDates'): void {
  let last: string | undefined;
  for (const phase of PLANNABLE_PHASES) {
    const d = plan[phase];
    if (!d) continue;
    if (last && d < last) throw invalid([{ field: `${field}.${phase}`, rule: 'plannedDatesOrdered', message: `must not be before the previous phase's planned date ${last}` }]);
    last = d;
  }
}

/** OPERATION.PLAN_BEFORE_PROGRAMMING (422): no phase can be planned before the operation is programmed. */
export function assertPlanNotBeforeProgramming(plan: PlannedDates, programmedOn: string): void {
  const firstPlanned = Object.values(plan).sort()[0];
  if (firstPlanned && firstPlanned < programmedOn) {
    throw ruleViolated('OPERATION.PLAN_BEFORE_PROGRAMMING', `Planned date ${firstPlanned} is before programmedOn ${programmedOn}`, 'plannedDates');
  }
}

/** The planned dates as business dates by field (`plannedDates.travaux` → date), for the programme's window. */
export function plannedDateFields(plan: PlannedDates, field = 'plannedDates'): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(plan).map(([phase, date]) => [`${field}.${phase}`, date]));
}
