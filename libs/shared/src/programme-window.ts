import { type AnyUseCase, type Lookup } from './command';
import { ruleViolated } from './errors';
import { type ProgrammeFacts } from './facts';

/** Id of the programme this system of record tracks (`programme-erbm`): the ERBM, REFERENCE.md §1. */
export const ERBM_PROGRAMME_ID = 'erbm';

/**
 * Years allowed before the signature (ADR 0017): operations and conventions prepared while the engagement was
 * negotiated (the délégation's mission started in 2017, the cités' studies earlier).
 */
export const PROGRAMME_WINDOW_YEARS_BEFORE = 2;
/**
 * Years allowed after the target date (ADR 0017): operations late against the target keep recording their plans,
 * phases and deliveries (the reconstruction holds plans revised to 2030, and the forecasts look to the end of 2032),
 * and subsidies are paid up to two years after the works (REFERENCE.md §5).
 */
export const PROGRAMME_WINDOW_YEARS_AFTER = 5;

/** Calendar bounds of every business date (the schemas' `isIsoDate`): the window never goes beyond them. */
const CALENDAR = { from: '1900-01-01', to: '2100-12-31' } as const;

/** The business dates a command may carry: ISO dates `from` to `to`, both included. */
export interface ProgrammeWindow {
  from: string;
  to: string;
}

/** `date` moved by `years` (29 February becomes 28 February in a common year). */
function shiftYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}

/**
 * The window of business dates of a launched programme, from its reference events: the signature date
 * (`ProgrammeLaunched.signedOn`) minus 2 years, to the target date in force (the latest `TargetSet.targetDate`;
 * before any target, 31 December of `endYear`) plus 5 years, within the calendar bounds. ERBM: signed
 * 2017-03-07, target 2027-12-31 → 2015-03-07 to 2032-12-31. Null when the programme is not launched: only the
 * calendar bounds then apply.
 */
export function programmeWindow(programme: ProgrammeFacts | null): ProgrammeWindow | null {
  if (!programme) return null;
  const end = programme.targetDate ?? `${programme.endYear}-12-31`;
  const from = shiftYears(programme.signedOn, -PROGRAMME_WINDOW_YEARS_BEFORE);
  const to = shiftYears(end, PROGRAMME_WINDOW_YEARS_AFTER);
  return { from: from < CALENDAR.from ? CALENDAR.from : from, to: to > CALENDAR.to ? CALENDAR.to : to };
}

/**
 * Every given business date lies in the window (null or absent dates are skipped).
 * @throws DomainError PROGRAMME.DATE_OUTSIDE_WINDOW (422) naming the first field outside the window and the window.
 */
export function assertWithinProgrammeWindow(window: ProgrammeWindow | null, dates: Record<string, string | null | undefined>): void {
  if (!window) return;
  for (const [field, date] of Object.entries(dates)) {
    if (typeof date !== 'string' || (date >= window.from && date <= window.to)) continue;
    throw ruleViolated(
      'PROGRAMME.DATE_OUTSIDE_WINDOW',
      `${field} ${date} is outside the programme's window ${window.from} to ${window.to} (signature minus ${PROGRAMME_WINDOW_YEARS_BEFORE} years to the target date plus ${PROGRAMME_WINDOW_YEARS_AFTER} years)`,
      field,
    );
  }
}

/** The lookup of the programme's facts that every dated command adds to its own. */
export const PROGRAMME_LOOKUP: Lookup = { fact: 'programme', id: ERBM_PROGRAMME_ID };

/**
 * A use case that declares `businessDates`, with the programme's window checked in its decision: the programme's
 * facts are looked up with the command's other facts (key `programme`), and the decision, still pure, refuses a
 * date outside the window before the use case's own rules (a date outside the programme is wrong whatever the
 * aggregate's state: `1901-01-01` is not "before the works", it is outside the programme). Use cases without
 * `businessDates` are returned unchanged.
 */
export function withProgrammeWindow(useCase: AnyUseCase): AnyUseCase {
  const dates = useCase.businessDates;
  if (!dates) return useCase;
  return {
    ...useCase,
    lookups: (cmd) => ({ ...(useCase.lookups?.(cmd) ?? {}), programme: PROGRAMME_LOOKUP }),
    decide(cmd, state, ctx: Record<string, unknown>) {
      assertWithinProgrammeWindow(programmeWindow((ctx.programme as ProgrammeFacts | null | undefined) ?? null), dates(cmd));
      return useCase.decide(cmd, state, ctx);
    },
  };
}
