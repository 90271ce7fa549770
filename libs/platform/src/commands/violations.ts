import { type FieldViolation } from '@erbm/shared';
import { type ValidationError } from 'class-validator';

/**
 * class-validator errors as the domain's field violations, with the field paths the domain uses
 * (`energyAfter.dpeClass`, `lots[0].logements`): one `{field, rule, message}` per failed constraint.
 */
export function violationsOf(errors: ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((e) => {
    // A numeric property under a parent is an array index (no schema has numeric property names).
    const field = parent && /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...violationsOf(e.children ?? [], field)];
  });
}
